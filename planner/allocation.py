"""Regional allocation of housing demand, and the shortfall per municipality and region.

Pure functions on arrays and (Geo)DataFrames. A site's demand (beds) is spread
over the municipalities around it in one of two ways:

``decay``
    Shares fall with distance and grow with an attractor:
    ``w_ij = A_j * exp(-beta * d_ij)`` for ``d_ij <= max_distance`` and
    ``share_ij = w_ij / sum_j w_ij``. ``beta`` is calibrated (scipy
    ``brentq``) so that the demand-weighted mean distance between sites and
    the municipalities that take their demand equals a set value.
``capacity``
    Demand is placed into spare capacity at the least total person-km, a
    transportation problem solved exactly by column generation (HiGHS' dual
    simplex through ``scipy.optimize.linprog`` on a few pairs at a time,
    priced with numpy; see :func:`capacity_flows`). Demand that finds no
    capacity within ``max_distance`` is *unmet* and attributed to the site's
    own municipality.

Distances are straight lines in RD New between a site's representative point
and a municipality's representative point, in km.

Conservation holds in both modes: allocated plus unmet demand summed over
municipalities equals the demand summed over sites.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import optimize, sparse

from .errors import InputError, PlannerWarning, Problem
from .housing import has_location
from .impact import LEVELS, MODEL_COLUMNS, QUANTILES, STAY_TYPES, ramp_shares
from .library import CENTRAL
from .paths import data_dir
from .regions import RD_NEW, assign_gemeente

MODES = ("decay", "capacity")
ATTRACTORS = ("population", "spare_capacity")
CAPACITY_BASES = ("spare_capacity", "net_spare_capacity")
#: Name of the region that takes the demand placed outside the Netherlands (cross-border living).
ABROAD = "buitenland"
#: The largest beta the calibration tries (per km): shares then halve every 70 m.
BETA_MAX = 10.0


@dataclass(frozen=True)
class AllocationParameters:
    """Parameters of the allocation, with where each value comes from."""

    mean_distance_km: float = 22.6
    max_distance_km: float = 50.0
    attractor: str = "population"
    demand: str = "beds_to_find"
    capacity_basis: str = "spare_capacity"
    abroad_share: float = 0.0
    sources: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        numbers = {"mean_distance_km": self.mean_distance_km, "max_distance_km": self.max_distance_km,
                   "abroad_share": self.abroad_share}
        wrong = [Problem(f"'{value}' is not a number", column=name, fix="give a number, e.g. 22.6")
                 for name, value in numbers.items()
                 if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating))]
        if wrong:  # from a scenario file or store: checked before any comparison
            raise InputError(wrong, source="allocation parameters")
        problems = []
        if not self.mean_distance_km > 0:
            problems.append(Problem(f"mean distance {self.mean_distance_km} km", column="mean_distance_km",
                                    fix="give a positive distance in km, e.g. 22.6"))
        if not self.max_distance_km > 0:
            problems.append(Problem(f"maximum distance {self.max_distance_km} km", column="max_distance_km",
                                    fix="give a positive distance in km, e.g. 50"))
        if self.attractor not in ATTRACTORS:
            problems.append(Problem(f"unknown attractor '{self.attractor}'", column="attractor",
                                    fix="use " + " or ".join(ATTRACTORS)))
        if not 0.0 <= self.abroad_share <= 1.0:
            problems.append(Problem(f"abroad share {self.abroad_share}", column="abroad_share",
                                    fix="give a share between 0 and 1, e.g. 0.05"))
        if self.capacity_basis not in CAPACITY_BASES:
            problems.append(Problem(f"unknown capacity basis '{self.capacity_basis}'", column="capacity_basis",
                                    fix="use " + " or ".join(CAPACITY_BASES)))
        if problems:
            raise InputError(problems, source="allocation parameters")

    def with_values(self, **values: object) -> AllocationParameters:
        """A copy with some values replaced (``None`` values are ignored); replaced values are marked 'set by user'."""
        values = {k: v for k, v in values.items() if v is not None}
        sources = {k: dict(v) for k, v in self.sources.items()}
        for key in values:
            sources[key] = {"status": "set by user", "source": "", "note": ""}
        return replace(self, **values, sources=sources)

    def table(self) -> pd.DataFrame:
        """One row per parameter: value, status (sourced / assumption / set by user), source, note."""
        values = {k: v for k, v in asdict(self).items() if k != "sources"}
        return pd.DataFrame([{"parameter": k, "value": str(v), **self.sources.get(k, {})} for k, v in values.items()])


def load_allocation_parameters(path: str | Path | None = None) -> AllocationParameters:
    """The allocation parameters from ``parameters/allocation_parameters.csv`` (or ``path``).

    Distances are read with the shared number reader, so ``22,6`` (a decimal
    comma, as a Dutch spreadsheet saves it) is 22.6; a word where a number
    belongs is an error naming the file, line and column.
    """
    from .csvtext import read_data_csv
    from .numbers import read_numbers

    path = Path(path) if path is not None else data_dir("parameters") / "allocation_parameters.csv"
    table = read_data_csv(path, ("parameter", "value"))
    for column in ("status", "source", "note"):
        if column not in table.columns:
            table[column] = ""
    numeric = table["parameter"].isin(("mean_distance_km", "max_distance_km", "abroad_share"))
    numbers = read_numbers(table.loc[numeric, "value"])
    problems = numbers.problems(table.loc[numeric, "value"], "value")
    problems += [Problem("value missing", f"line {i}", "value", "fill in a number (km, or a share for abroad_share)")
                 for i in numbers.values.index[numbers.values.isna() & ~numbers.bad & ~numbers.ambiguous]]
    if problems:
        raise InputError(problems, source=str(path))
    values: dict[str, object] = {name: float(numbers.values[i]) for i, name in table.loc[numeric, "parameter"].items()}
    for name in ("attractor", "demand", "capacity_basis"):
        rows = table.index[table["parameter"] == name]
        if len(rows):
            values[name] = table.at[rows[0], "value"]
    sources = {row["parameter"]: {"status": row["status"], "source": row["source"], "note": row["note"]}
               for _, row in table.iterrows()}
    try:
        return AllocationParameters(**values, sources=sources)
    except InputError as exc:
        raise exc.with_source(str(path)) from None


# -- geometry ------------------------------------------------------------------------------------

def distance_matrix(sites: gpd.GeoDataFrame, municipalities: gpd.GeoDataFrame) -> np.ndarray:
    """Straight-line distances in km, sites (rows) by municipalities (columns), between representative points."""
    a = sites.geometry.to_crs(RD_NEW).representative_point()
    b = municipalities.geometry.to_crs(RD_NEW).representative_point()
    ax, ay = a.x.to_numpy()[:, None], a.y.to_numpy()[:, None]
    bx, by = b.x.to_numpy()[None, :], b.y.to_numpy()[None, :]
    return np.hypot(ax - bx, ay - by) / 1000.0


def home_municipality(sites: gpd.GeoDataFrame, municipalities: gpd.GeoDataFrame) -> np.ndarray:
    """Position (in ``municipalities``) of the municipality each site lies in; nearest one for sites outside."""
    codes = assign_gemeente(sites, municipalities)
    position = pd.Series(np.arange(len(municipalities)), index=municipalities["gemeentecode"].to_numpy())
    home = codes.map(position)
    outside = home.isna().to_numpy()
    if outside.any():
        geoms = sites.geometry.to_crs(municipalities.crs).to_numpy()[outside]
        (_, nearest), away = municipalities.sindex.nearest(geoms, return_all=False, return_distance=True)
        home[outside] = nearest
        km = away / 1000.0 if municipalities.crs is not None and municipalities.crs.is_projected else None
        names = _site_names(sites)[outside]
        if km is not None and (km > MAX_KM_OUTSIDE).any():
            far = [f"{name} ({d:,.0f} km)" for name, d in zip(names, km, strict=True) if d > MAX_KM_OUTSIDE]
            raise InputError(Problem(f"{len(far)} site(s) lie far outside the Netherlands: {', '.join(far[:10])}",
                                     fix="check the coordinates (latitude and longitude swapped? another coordinate "
                                         "system?); planner plans for sites in or at the edge of the Netherlands"))
        said = [f"{name} ({d:,.1f} km)" for name, d in zip(names, km, strict=True)] if km is not None else list(names)
        warnings.warn(f"{int(outside.sum())} site(s) lie outside every municipality ({', '.join(said[:10])}); "
                      "their own municipality is taken to be the nearest one", PlannerWarning, stacklevel=2)
    return home.to_numpy(dtype=int)


#: How far outside every municipality a site may lie before planner takes its coordinates as a mistake (km): a
#: site just across the German or Belgian border is planned for; one in the Indian Ocean is not.
MAX_KM_OUTSIDE = 25.0


def named_municipality(sites: pd.DataFrame) -> pd.Series:
    """The municipality each site names by its ``gemeentecode``, ``gemeentenaam``, ``woonplaats`` or the place at the
    end of its ``address`` (None where it names none, or an ambiguous place)."""
    from .housing import normalise_gemeentecode
    from .places import gemeente_from_place, place_in_address

    codes = pd.Series(None, index=sites.index, dtype=object)
    if "gemeentecode" in sites.columns:
        codes = normalise_gemeentecode(sites["gemeentecode"])
    for column in ("gemeentenaam", "woonplaats", "address"):
        if column in sites.columns and codes.isna().any():
            names = place_in_address(sites[column]) if column == "address" else sites[column]
            found, _ = gemeente_from_place(names.astype(object).where(names.notna()))
            codes = codes.where(codes.notna(), found)
    return codes


def at_municipality(sites: pd.DataFrame, municipalities: gpd.GeoDataFrame, placed: np.ndarray) -> gpd.GeoDataFrame:
    """Sites without a location placed at the middle (a point inside) of the municipality their ``gemeentecode``,
    ``gemeentenaam``, ``woonplaats`` or the place at the end of their ``address`` names; each one said in a warning
    (the distances to the municipalities around it count from that point, an approximation of a few km).
    Sites that name no municipality, or one not in the layer, keep no location (and are refused by the caller)."""
    codes = named_municipality(sites)
    middles = municipalities.set_index("gemeentecode").geometry.representative_point()
    names = municipalities.set_index("gemeentecode")["gemeentenaam"] if "gemeentenaam" in municipalities.columns \
        else pd.Series(dtype=object)
    todo = ~placed & codes.isin(middles.index).to_numpy()
    if not todo.any():
        return sites if isinstance(sites, gpd.GeoDataFrame) else gpd.GeoDataFrame(sites, geometry=[None] * len(sites),
                                                                                 crs=municipalities.crs)
    out = gpd.GeoDataFrame(sites.copy(), geometry=(sites.geometry.to_numpy() if isinstance(sites, gpd.GeoDataFrame)
                                                   and sites.geometry.name in sites.columns
                                                   else [None] * len(sites)),
                           crs=(sites.crs if isinstance(sites, gpd.GeoDataFrame) and sites.crs is not None
                                else municipalities.crs))
    points = middles.reindex(codes[todo]).to_crs(out.crs) if out.crs != municipalities.crs else \
        middles.reindex(codes[todo])
    out.loc[out.index[todo], out.geometry.name] = points.to_numpy()
    for label, code in zip(_site_names(sites)[todo], codes[todo], strict=True):
        warnings.warn(f"{label}: no coordinates: placed at the middle of {code} {names.get(code, '')}".rstrip()
                      + " (its distances to the municipalities around it count from there)", PlannerWarning,
                      stacklevel=3)
    return out


def _site_names(sites: pd.DataFrame) -> np.ndarray:
    """Each site as messages name it: its name, else its row."""
    rows = [f"row {i}" for i in sites.index]
    if "name" not in sites.columns:
        return np.array(rows, dtype=object)
    names = sites["name"].astype(object)
    return np.array([str(n).strip() if isinstance(n, str) and n.strip() else r for n, r in zip(names, rows,
                                                                                               strict=True)],
                    dtype=object)


# -- distance decay ------------------------------------------------------------------------------

def decay_shares(distance: np.ndarray, attractor: np.ndarray, beta: float, max_distance: float,
                 home: np.ndarray) -> np.ndarray:
    """Shares of each site's demand per municipality (rows sum to 1).

    A site with no municipality of positive attractor within ``max_distance``
    keeps all its demand in its own municipality (``home``).
    """
    attractor = np.asarray(attractor, dtype=float)
    with np.errstate(divide="ignore"):
        log_weight = np.log(np.clip(attractor, 0.0, None))[None, :] - beta * distance
    log_weight = np.where(distance <= max_distance, log_weight, -np.inf)
    top = log_weight.max(axis=1, keepdims=True)
    empty = ~np.isfinite(top[:, 0])
    weight = np.exp(log_weight - np.where(np.isfinite(top), top, 0.0))
    weight[empty] = 0.0
    weight[empty, home[empty]] = 1.0
    return weight / weight.sum(axis=1, keepdims=True)


def mean_distance(shares: np.ndarray, distance: np.ndarray, demand: np.ndarray) -> float:
    """Demand-weighted mean distance (km) between sites and where their demand goes."""
    demand = np.asarray(demand, dtype=float)
    total = demand.sum()
    return float((demand[:, None] * shares * distance).sum() / total) if total > 0 else 0.0


@dataclass(frozen=True)
class Calibration:
    beta: float
    achieved_km: float
    target_km: float
    note: str


def calibrate_beta(distance: np.ndarray, attractor: np.ndarray, demand: np.ndarray, target_km: float,
                   max_distance: float, home: np.ndarray) -> Calibration:
    """The ``beta`` (per km) whose allocation has the target mean distance.

    Mean distance falls as ``beta`` grows. When the target lies outside what
    any ``beta`` in ``[0, BETA_MAX]`` gives (the maximum distance is too
    short, or the sites sit next to large attractors), the nearest end is
    taken and the note says so.
    """
    def gap(beta: float) -> float:
        return mean_distance(decay_shares(distance, attractor, beta, max_distance, home), distance, demand) - target_km

    at_zero, at_max = gap(0.0), gap(BETA_MAX)
    if abs(at_zero) < 1e-9:
        beta, note = 0.0, "calibrated"
    elif at_zero < 0:
        beta = 0.0
        note = (f"the target {target_km:g} km cannot be reached within the maximum distance of {max_distance:g} km: "
                f"beta = 0 (no decay) gives {at_zero + target_km:.1f} km")
    elif at_max >= 0:
        beta = BETA_MAX
        note = f"the target {target_km:g} km is shorter than the distance to the nearest municipalities"
    else:
        beta = float(optimize.brentq(gap, 0.0, BETA_MAX, xtol=1e-10, rtol=1e-12))
        note = "calibrated"
    achieved = gap(beta) + target_km
    return Calibration(beta, achieved, target_km, note)


# -- capacity-constrained ------------------------------------------------------------------------

#: Reduced costs (km per bed) above this are not counted as an improvement; see :func:`capacity_flows`.
REDUCED_COST_TOLERANCE = 1e-7
#: Problems with more sites than this start from the prices of a sample of their sites.
_SAMPLE_ABOVE = 1500
_SAMPLE_FACTOR = 4
#: Columns (site, municipality) priced within this many km of a site's best option start in the LP.
_START_WINDOW_KM = 1.0
#: Unused columns priced more than this many km above their site's value are dropped between rounds ...
_DROP_ABOVE_KM = 5.0
#: ... during the first rounds only, so that the column generation cannot cycle.
_DROP_ROUNDS = 30
#: Besides the best two per site, each round adds the best this many improving columns per municipality.
_PER_MUNICIPALITY = 8
#: HiGHS' dual simplex with Dantzig pricing is the fastest on these restricted transport problems (measured).
_HIGHS_OPTIONS = {"simplex_dual_edge_weight_strategy": "dantzig"}


def _unmet_penalty(distance: np.ndarray) -> float:
    """Cost per bed of unmet demand: more than any placement (ten times the largest distance, plus ten)."""
    return 10.0 * (float(distance.max()) + 1.0) if distance.size else 10.0


def capacity_flows(demand: np.ndarray, distance: np.ndarray, capacity: np.ndarray,
                   max_distance: float) -> tuple[np.ndarray, np.ndarray]:
    """Place demand into capacity at the least total person-km.

    Parameters
    ----------
    demand : ndarray, shape (n_sites,)
        Beds each site needs placed (non-negative).
    distance : ndarray, shape (n_sites, n_municipalities)
        Distances in km.
    capacity : ndarray, shape (n_municipalities,)
        Spare places per municipality (negative values count as 0).
    max_distance : float
        Pairs farther apart than this (km) are not allowed.

    Returns
    -------
    flows : ndarray, shape (n_sites, n_municipalities)
        Beds of each site placed in each municipality.
    unmet : ndarray, shape (n_sites,)
        Beds of each site that find no place; ``flows.sum(axis=1) + unmet``
        equals ``demand`` and ``flows.sum(axis=0)`` is at most ``capacity``.

    Notes
    -----
    The problem is a transportation problem: minimise
    ``sum d_ij x_ij + P sum u_i`` subject to ``sum_j x_ij + u_i = s_i`` per
    site, ``sum_i x_ij <= c_j`` per municipality and ``x, u >= 0``, with
    ``x_ij`` only for allowed pairs. ``P`` (ten times the largest distance,
    plus ten) makes unmet demand dearer than any placement, so demand is
    unmet only where no capacity within reach is left.

    It is solved exactly by *column generation*. A linear program with only a
    few of the pairs (the columns) is solved with HiGHS' dual simplex; its
    duals are a price ``p_j >= 0`` per municipality and a value ``v_i`` per
    site (``v_i = P`` for a site not yet in the program: all its demand is
    unmet). A pair left out could lower the cost only if its reduced cost
    ``d_ij + p_j - v_i`` is negative; all pairs are priced at once with numpy
    (a sites x municipalities array), the best two negative ones per site and
    the best ``_PER_MUNICIPALITY`` per municipality are added and the program
    is solved again. When no reduced cost is below
    ``-REDUCED_COST_TOLERANCE`` the duals are feasible for the *whole*
    problem, so by LP duality the restricted optimum is the optimum of the
    whole problem: the same total cost as solving it in one piece (the
    flows may be another optimal vertex where several are optimal).

    Few pairs are ever needed: an optimal vertex has at most
    ``n_sites + n_municipalities`` non-zero flows, and with prices close to
    the final ones each site has only a few pairs within reach of its best
    option. The starting columns are the pairs within ``_START_WINDOW_KM`` of
    each site's best option at the prices of a smaller problem: a random
    quarter of the sites with four times their demand (recursively, down to
    ``_SAMPLE_ABOVE`` sites; the seed is fixed, so the result is
    reproducible). Unused columns priced far above their site's value are
    dropped in the first rounds to keep the programs small; after
    ``_DROP_ROUNDS`` rounds columns are only added, so the method ends.

    Round-off of the solver is removed at the end: flows are cut (never
    raised) where a municipality or a site would exceed its capacity or
    demand, and ``unmet`` is the rest of each site's demand.
    """
    demand = np.clip(np.asarray(demand, dtype=float), 0.0, None)
    distance = np.asarray(distance, dtype=float)
    capacity = np.clip(np.asarray(capacity, dtype=float), 0.0, None)
    n_sites, n_mun = distance.shape
    allowed = (distance <= max_distance) & (demand[:, None] > 0) & (capacity[None, :] > 0)
    flows = np.zeros((n_sites, n_mun))
    if allowed.any():
        rows, cols, x, _ = _column_generation(demand, distance, capacity, allowed, _unmet_penalty(distance),
                                           np.random.default_rng(19))
        flows[rows, cols] = np.clip(x, 0.0, None)
        placed = flows.sum(axis=0)
        over = placed > capacity
        if over.any():
            flows[:, over] *= capacity[over] / placed[over]
        sent = flows.sum(axis=1)
        over = sent > demand
        if over.any():
            flows[over] *= (demand[over] / sent[over])[:, None]
    unmet = np.clip(demand - flows.sum(axis=1), 0.0, None)
    return flows, unmet


def _column_generation(demand: np.ndarray, distance: np.ndarray, capacity: np.ndarray, allowed: np.ndarray,
                       penalty: float, rng: np.random.Generator,
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Optimal flows of the pairs ``(rows, cols)``, and the municipalities' prices (see :func:`capacity_flows`)."""
    n_sites, n_mun = distance.shape
    prices = np.zeros(n_mun)
    if not allowed.any():  # a sample can hold no allowed pair: all demand unmet, nothing priced
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp), np.zeros(0), prices
    if n_sites > _SAMPLE_ABOVE:
        pick = np.sort(rng.choice(n_sites, n_sites // _SAMPLE_FACTOR, replace=False))
        prices = _column_generation(demand[pick] * _SAMPLE_FACTOR, distance[pick], capacity, allowed[pick],
                                    penalty, rng)[3]
    priced = np.where(allowed, distance + prices[None, :], np.inf)
    value = np.minimum(priced.min(axis=1), penalty)
    columns = allowed & (priced <= value[:, None] + _START_WINDOW_KM)
    if not columns.any():  # prices above the penalty everywhere: start from each site's nearest municipality
        nearest = np.where(allowed, distance, np.inf).argmin(axis=1)
        reach = allowed[np.arange(n_sites), nearest]
        columns[np.flatnonzero(reach), nearest[reach]] = True
    for round_ in itertools.count():  # after _DROP_ROUNDS every round only adds columns: it ends
        rows, cols = np.nonzero(columns)
        x, value, prices = _restricted_program(demand, distance, capacity, rows, cols, penalty)
        reduced = np.where(allowed & ~columns, distance + prices[None, :] - value[:, None], np.inf)
        best = np.argpartition(reduced, 1, axis=1)[:, :2] if n_mun > 2 else np.argsort(reduced, axis=1)
        gain = np.take_along_axis(reduced, best, axis=1) < -REDUCED_COST_TOLERANCE
        if not gain.any():
            break
        if round_ < _DROP_ROUNDS:
            unused = (x <= 0.0) & (distance[rows, cols] + prices[cols] - value[rows] > _DROP_ABOVE_KM)
            columns[rows[unused], cols[unused]] = False
        site, which = np.nonzero(gain)
        columns[site, best[site, which]] = True
        # ... and the best few per municipality: a price change travels along chains of municipalities.
        k = min(_PER_MUNICIPALITY, n_sites - 1)
        if k > 0:
            top = np.argpartition(reduced, k, axis=0)[:k]
            good = np.take_along_axis(reduced, top, axis=0) < -REDUCED_COST_TOLERANCE
            which, mun = np.nonzero(good)
            columns[top[which, mun], mun] = True
    return rows, cols, x, prices


def _restricted_program(demand: np.ndarray, distance: np.ndarray, capacity: np.ndarray, rows: np.ndarray,
                        cols: np.ndarray, penalty: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The transport LP on the pairs ``(rows, cols)`` (HiGHS dual simplex): flows, site values, prices.

    Sites without a pair are left out (all their demand unmet: value ``penalty``).
    """
    n_sites, n_mun = distance.shape
    sites = np.unique(rows)
    position = np.zeros(n_sites, dtype=np.intp)
    position[sites] = np.arange(len(sites))
    n_pairs, n_in = len(rows), len(sites)
    cost = np.concatenate([distance[rows, cols], np.full(n_in, penalty)])
    every = np.arange(n_pairs + n_in)
    a_eq = sparse.csr_array((np.ones(n_pairs + n_in), (np.concatenate([position[rows], np.arange(n_in)]), every)),
                            shape=(n_in, n_pairs + n_in))
    a_ub = sparse.csr_array((np.ones(n_pairs), (cols, every[:n_pairs])), shape=(n_mun, n_pairs + n_in))
    result = optimize.linprog(cost, A_ub=a_ub, b_ub=capacity, A_eq=a_eq, b_eq=demand[sites], bounds=(0, None),
                              method="highs-ds", options=_HIGHS_OPTIONS)
    if result.status != 0:  # pragma: no cover - the problem is always feasible (unmet absorbs all)
        raise RuntimeError(f"allocation failed: {result.message}")
    value = np.full(n_sites, penalty)
    value[sites] = result.eqlin.marginals
    prices = np.clip(-result.ineqlin.marginals, 0.0, None)
    return result.x[:n_pairs], value, prices


def capacity_flows_lp(demand: np.ndarray, distance: np.ndarray, capacity: np.ndarray,
                      max_distance: float) -> tuple[np.ndarray, np.ndarray]:
    """The same problem as :func:`capacity_flows` as one linear program over all allowed pairs (HiGHS).

    The reference for tests and benchmarks (and planner's method before
    issue 19): exact too, but the program holds every allowed pair, about
    15 s for 10,000 sites x 342 municipalities on a 2-core machine.
    """
    demand = np.clip(np.asarray(demand, dtype=float), 0.0, None)
    capacity = np.clip(np.asarray(capacity, dtype=float), 0.0, None)
    n_sites, n_mun = distance.shape
    rows, cols = np.nonzero((distance <= max_distance) & (demand[:, None] > 0) & (capacity[None, :] > 0))
    n_pairs = len(rows)
    flows = np.zeros((n_sites, n_mun))
    if n_pairs == 0:
        return flows, demand.copy()
    cost = np.concatenate([distance[rows, cols], np.full(n_sites, _unmet_penalty(distance))])
    a_eq = sparse.hstack([sparse.csr_array((np.ones(n_pairs), (rows, np.arange(n_pairs))), shape=(n_sites, n_pairs)),
                          sparse.identity(n_sites, format="csr")], format="csr")
    a_ub = sparse.hstack([sparse.csr_array((np.ones(n_pairs), (cols, np.arange(n_pairs))), shape=(n_mun, n_pairs)),
                          sparse.csr_array((n_mun, n_sites))], format="csr")
    result = optimize.linprog(cost, A_ub=a_ub, b_ub=capacity, A_eq=a_eq, b_eq=demand, bounds=(0, None),
                              method="highs-ipm")
    if result.status != 0:  # pragma: no cover - the problem is always feasible (unmet absorbs all)
        raise RuntimeError(f"allocation failed: {result.message}")
    np.add.at(flows, (rows, cols), np.clip(result.x[:n_pairs], 0.0, None))
    return flows, np.clip(demand - flows.sum(axis=1), 0.0, None)


# -- the whole allocation ------------------------------------------------------------------------

@dataclass
class Allocation:
    """The result of allocating the demand of a set of sites."""

    mode: str
    parameters: AllocationParameters
    per_gemeente: pd.DataFrame  # one row per municipality (all of them)
    flows: pd.DataFrame  # site x municipality, P50, non-zero only
    calibration: Calibration | None
    sites: pd.DataFrame  # site label, home municipality, demand per level, unmet per level
    distance: np.ndarray = field(repr=False)  # km, sites x municipalities
    home: np.ndarray = field(repr=False)  # position of each site's own municipality
    shares: np.ndarray | None = field(default=None, repr=False)  # decay shares, sites x municipalities
    summary: dict[str, float] = field(default_factory=dict)  # totals: demand, abroad, shortfall, unmet per level
    draws: np.ndarray | None = field(default=None, repr=False)  # decay: draws x municipalities of placed demand

    def about(self) -> dict[str, str]:
        rows = {"allocation_mode": self.mode}
        if self.calibration is not None:
            rows["beta_per_km"] = f"{self.calibration.beta:.6f}"
            rows["mean_distance_km"] = (f"{self.calibration.achieved_km:.2f} (target "
                                        f"{self.calibration.target_km:g}; {self.calibration.note})")
        rows["distances"] = "straight lines between representative points in RD New"
        rows["abroad_share"] = f"{self.parameters.abroad_share:g} (placed in the region '{ABROAD}')"
        if self.summary:
            rows["percentiles"] = str(self.summary.get("method", ""))
        return rows


def _site_labels(sites: pd.DataFrame) -> pd.Series:
    if "name" in sites.columns:
        return sites["name"].astype(str).where(sites["name"].notna(), pd.Series(sites.index.astype(str),
                                                                                  index=sites.index))
    return pd.Series(sites.index.astype(str), index=sites.index)


def allocate(assessed: gpd.GeoDataFrame, municipalities: gpd.GeoDataFrame, capacity: pd.Series | None = None, *,  # noqa: C901
             mode: str = "decay", parameters: AllocationParameters | None = None,
             population: str | None = None) -> Allocation:
    """Spread the demand of assessed sites over municipalities.

    Parameters
    ----------
    assessed
        Output of :func:`planner.impact.assess` with site geometries.
    municipalities
        Boundary layer with ``gemeentecode`` (and a population column for the
        ``population`` attractor).
    capacity
        Spare beds per ``gemeentecode``; municipalities not in it have none.
        Needed for ``capacity`` mode and the ``spare_capacity`` attractor.
    population
        Column of ``municipalities`` with inhabitants (default: the first of
        ``aantal_inwoners``, ``inwoners_geonames``).
    """
    parameters = parameters or load_allocation_parameters()
    if mode not in MODES:
        raise InputError(Problem(f"unknown allocation mode '{mode}'", fix="use decay or capacity"))
    demand_column = parameters.demand
    missing = [f"{demand_column}_{level}" for level in LEVELS if f"{demand_column}_{level}" not in assessed.columns]
    if missing:
        raise InputError(Problem(f"the sites have no {', '.join(missing)}", fix="assess the sites first"))
    geometries = (assessed.geometry.to_numpy() if isinstance(assessed, gpd.GeoDataFrame)
                  and assessed.geometry.name in assessed.columns else np.full(len(assessed), None, dtype=object))
    placed = has_location(geometries)
    if not placed.all():
        assessed = at_municipality(assessed, municipalities, placed)
        geometries = assessed.geometry.to_numpy()
        placed = has_location(geometries)
    if placed.all() and assessed.crs is None:
        raise InputError(Problem("the sites' coordinates have no coordinate reference system (CRS)",
                                 fix="save the file with its CRS (RD New: EPSG:28992)"))
    if not placed.all():
        raise InputError([Problem("the site has no location (no coordinates, or an empty geometry), so its demand "
                                  "cannot be spread over municipalities", row=name,
                                  fix="give its coordinates (x/y or latitude/longitude columns), draw it, or give "
                                      "its gemeentecode or woonplaats (then it is placed at its municipality's "
                                      "middle)")
                          for name in _site_names(assessed)[~placed][:20]])
    codes = municipalities["gemeentecode"].to_numpy()
    spare = (capacity.reindex(codes).fillna(0.0).clip(lower=0.0).to_numpy(dtype=float)
             if capacity is not None else np.zeros(len(codes)))
    if mode == "capacity" and capacity is None:
        raise InputError(Problem("capacity mode needs the spare capacity per municipality",
                                 fix="give a housing register (--housing) or use --mode decay"))
    distance = distance_matrix(assessed, municipalities)
    home = home_municipality(assessed, municipalities)
    abroad_share = _abroad_shares(assessed, parameters)
    gross = {level: assessed[f"{demand_column}_{level}"].fillna(0.0).to_numpy(dtype=float) for level in LEVELS}
    demand = {level: gross[level] * (1.0 - abroad_share) for level in LEVELS}
    abroad = {level: gross[level] * abroad_share for level in LEVELS}

    calibration = shares = None
    per_level: dict[str, np.ndarray] = {}
    unmet: dict[str, np.ndarray] = {}
    if mode == "decay":
        if parameters.attractor == "population":
            column = population or next((c for c in ("aantal_inwoners", "inwoners_geonames")
                                         if c in municipalities.columns), None)
            if column is None:
                raise InputError(Problem("the boundary layer has no population column",
                                         fix="use the attractor spare_capacity, or a layer with aantal_inwoners"))
            attractor = pd.to_numeric(municipalities[column], errors="coerce").fillna(0.0).to_numpy()
        else:
            attractor = spare
        calibration = calibrate_beta(distance, attractor, demand[CENTRAL], parameters.mean_distance_km,
                                     parameters.max_distance_km, home)
        if calibration.note != "calibrated":
            warnings.warn(f"distance decay: {calibration.note}", PlannerWarning, stacklevel=2)
        shares = decay_shares(distance, attractor, calibration.beta, parameters.max_distance_km, home)
        for level in LEVELS:
            per_level[level] = demand[level][:, None] * shares
            unmet[level] = np.zeros(len(assessed))
    else:
        for level in LEVELS:
            per_level[level], unmet[level] = capacity_flows(demand[level], distance, spare,
                                                             parameters.max_distance_km)

    n_mun = len(codes)
    table = pd.DataFrame(index=pd.Index(codes, name="gemeentecode"))
    if "gemeentenaam" in municipalities.columns:
        table["gemeentenaam"] = municipalities["gemeentenaam"].to_numpy()
    for level in LEVELS:
        unmet_here = np.bincount(home, weights=unmet[level], minlength=n_mun)
        table[f"demand_{level}"] = per_level[level].sum(axis=0) + unmet_here
        table[f"unmet_{level}"] = unmet_here
    draws = None
    summary: dict[str, float] = {}
    if mode == "decay" and all(c in assessed.columns for c in MODEL_COLUMNS):
        # Percentiles per municipality and of the totals from the joint draws of all sites.
        draws, domestic_total, abroad_total, gross_total = _decay_draws(assessed, demand_column, abroad_share, shares)
        if not np.allclose(draws.sum(axis=1) + abroad_total, gross_total, rtol=1e-9, atol=1e-6):
            raise AssertionError("allocation lost demand in a draw")  # pragma: no cover - invariant
        quantiles = np.quantile(draws, [QUANTILES[lvl] for lvl in LEVELS], axis=0)
        short = np.clip(draws - spare[None, :], 0.0, None).sum(axis=1)
        for j, level in enumerate(LEVELS):
            table[f"demand_{level}"] = quantiles[j]
            summary[f"demand_{level}"] = float(np.quantile(domestic_total, QUANTILES[level]))
            summary[f"abroad_{level}"] = float(np.quantile(abroad_total, QUANTILES[level]))
            summary[f"shortfall_{level}"] = float(np.quantile(short, QUANTILES[level]))
            summary[f"unmet_{level}"] = 0.0
        summary["method"] = "percentiles of the sum of the draws of all sites"  # type: ignore[assignment]
    # Stay types (P50): each site's flows split by its own mix of stay types.
    beds_needed = assessed["beds_needed_p50"].to_numpy(dtype=float)
    site_total = per_level["p50"].sum(axis=1) + unmet["p50"]
    for stay in STAY_TYPES:
        mix = np.divide(assessed[f"beds_{stay}_stay_p50"].to_numpy(dtype=float), beds_needed,
                        out=np.zeros(len(assessed)), where=beds_needed > 0)
        placed = (per_level["p50"] * mix[:, None]).sum(axis=0)
        table[f"demand_{stay}_stay_p50"] = placed + np.bincount(home, weights=unmet["p50"] * mix,
                                                                minlength=n_mun)
    table["capacity"] = spare
    for level in LEVELS:
        table[f"shortfall_{level}"] = (table[f"demand_{level}"] - spare).clip(lower=0.0)
    table["balance_p50"] = spare - table["demand_p50"]
    if not summary:
        for level in LEVELS:
            summary[f"demand_{level}"] = float(table[f"demand_{level}"].sum())
            summary[f"abroad_{level}"] = float(abroad[level].sum())
            summary[f"shortfall_{level}"] = float(table[f"shortfall_{level}"].sum())
            summary[f"unmet_{level}"] = float(table[f"unmet_{level}"].sum())
        summary["method"] = ("each level allocated on its own: totals are sums of the sites' percentiles "  # type: ignore[assignment]
                             "(an envelope, wider than the percentiles of the sum)")

    labels = _site_labels(assessed)
    site_rows, mun_cols = np.nonzero(per_level["p50"] > 1e-9)
    flows = pd.DataFrame({
        "site": labels.to_numpy()[site_rows],
        "gemeentecode": codes[mun_cols],
        "beds_p50": per_level["p50"][site_rows, mun_cols],
        "distance_km": distance[site_rows, mun_cols],
    })
    sites_table = pd.DataFrame({"site": labels.to_numpy(), "home_gemeentecode": codes[home]}, index=assessed.index)
    for level in LEVELS:
        sites_table[f"demand_{level}"] = gross[level]
        sites_table[f"abroad_{level}"] = abroad[level]
        sites_table[f"unmet_{level}"] = unmet[level]
    sites_table["placed_p50"] = site_total - unmet["p50"]
    _check_conservation(demand, per_level, unmet)
    return Allocation(mode, parameters, table, flows, calibration, sites_table, distance, home, shares,
                      summary, draws)


def _abroad_shares(assessed: pd.DataFrame, parameters: AllocationParameters) -> np.ndarray:
    """Share of each site's demand placed abroad: the site's ``abroad_share`` where given, else the parameter."""
    share = np.full(len(assessed), parameters.abroad_share)
    if "abroad_share" in assessed.columns:
        given = pd.to_numeric(assessed["abroad_share"], errors="coerce").to_numpy(dtype=float)
        bad = given[np.isfinite(given) & ((given < 0) | (given > 1))]
        if len(bad):
            raise InputError(Problem(f"abroad_share {bad[0]:g} is not between 0 and 1", column="abroad_share",
                                     fix="give a share between 0 and 1, e.g. 0.1"))
        share = np.where(np.isfinite(given), given, share)
    return share


def _decay_draws(assessed: pd.DataFrame, demand_column: str, abroad_share: np.ndarray, shares: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Draws x municipalities of the allocated demand, and per draw the domestic, abroad and gross totals."""
    from .impact import iter_draws

    n_draws = int(assessed["mc_draws"].iloc[0])
    draws = np.zeros((n_draws, shares.shape[1]))
    abroad_total = np.zeros(n_draws)
    gross_total = np.zeros(n_draws)
    for positions, site_draws in iter_draws(assessed):
        x = site_draws[demand_column]
        gross_total += x.sum(axis=0)
        abroad_total += (x * abroad_share[positions, None]).sum(axis=0)
        draws += (x * (1.0 - abroad_share[positions, None])).T @ shares[positions]
    return draws, draws.sum(axis=1), abroad_total, gross_total


def _check_conservation(demand: dict[str, np.ndarray], per_level: dict[str, np.ndarray],
                        unmet: dict[str, np.ndarray]) -> None:
    for level in LEVELS:
        placed = per_level[level].sum() + unmet[level].sum()
        if not np.isclose(demand[level].sum(), placed, rtol=1e-9, atol=1e-6):
            raise AssertionError(f"allocation lost demand at level {level}")  # pragma: no cover - invariant


def pipeline_capacity(pipeline: pd.DataFrame | None, year: int | None = None) -> pd.Series:
    """Beds of pipeline projects per ``gemeentecode``, those finished by ``year`` (all when ``None``)."""
    if pipeline is None or not len(pipeline):
        return pd.Series(dtype=float, name="pipeline_beds")
    done = pipeline if year is None else pipeline[pipeline["year"] <= year]
    return done.groupby("gemeentecode")["beds"].sum().astype(float).rename("pipeline_beds")


# -- shortfall at a region level -------------------------------------------------------------------

def shortfall(allocation: Allocation, regions: pd.DataFrame | None = None, level: str = "gemeente") -> pd.DataFrame:
    """Demand, capacity and shortfall per region.

    Every numeric column is the sum of municipal figures, so totals agree at
    every level: ``shortfall_*`` is the sum of the municipalities' own
    shortfalls (places in one municipality do not cancel a shortfall in
    another). ``net_shortfall_p50`` is the region's demand minus its
    capacity, as if the region pooled its places; it is the only column that
    is not a sum.
    """
    from .regions import rollup

    table = allocation.per_gemeente
    if level == "gemeente":
        out = table.copy()
    else:
        if regions is None:
            raise InputError(Problem(f"level '{level}' needs a region table", fix="give the region table"))
        out = rollup(table.reset_index(), regions, level)
        if allocation.draws is not None:
            out = _region_percentiles(out, allocation, regions, level)
    out["net_shortfall_p50"] = (out["demand_p50"] - out["capacity"]).clip(lower=0.0)
    return out


def _region_percentiles(out: pd.DataFrame, allocation: Allocation, regions: pd.DataFrame, level: str) -> pd.DataFrame:
    """Demand and shortfall percentiles of each region from the draws (not sums of municipal percentiles)."""
    from .regions import REGION_LEVELS

    column = REGION_LEVELS.get(level, level)
    codes = allocation.per_gemeente.index
    lookup = regions.drop_duplicates("gemeentecode").set_index("gemeentecode")[column]
    region = codes.map(lookup)
    spare = allocation.per_gemeente["capacity"].to_numpy(dtype=float)
    short = np.clip(allocation.draws - spare[None, :], 0.0, None)
    out = out.copy()
    for key in out.index:
        members = np.asarray(region == key)
        if not members.any():
            continue
        demand = allocation.draws[:, members].sum(axis=1)
        shortfall = short[:, members].sum(axis=1)
        for lvl in LEVELS:
            out.loc[key, f"demand_{lvl}"] = float(np.quantile(demand, QUANTILES[lvl]))
            out.loc[key, f"shortfall_{lvl}"] = float(np.quantile(shortfall, QUANTILES[lvl]))
    return out


def staffing_by_year(assessed: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Share of full staffing per site (rows) and year (columns); 0 in every year for a site without a start year."""
    ramp = assessed["ramp_up_years"] if "ramp_up_years" in assessed.columns else pd.Series(1.0, index=assessed.index)
    return ramp_shares(assessed["start_year"], ramp, years).fillna(0.0)


def default_years(assessed: pd.DataFrame, pipeline: pd.DataFrame | None = None) -> range:
    """From the first start year (or pipeline project) to the year all sites are at full staffing and all projects done.

    A site with a ramp-up of 2.5 years is at full staffing in its fourth year
    (start + 2): the last year is rounded up, never down.
    """
    start = assessed["start_year"]
    ramp = assessed["ramp_up_years"] if "ramp_up_years" in assessed.columns else pd.Series(1.0, index=start.index)
    full = start + ramp.fillna(1.0) - 1
    first, last = int(start.min()), math.ceil(full.max() - 1e-9)
    if pipeline is not None and len(pipeline):
        first = min(first, int(pipeline["year"].min()))
        last = max(last, int(pipeline["year"].max()))
    return range(first, last + 1)


def undated_sites(assessed: pd.DataFrame) -> list[str]:
    """The sites without a start year, named as messages name them (row or line, and name)."""
    from .impact import _labels

    return _labels(assessed)[assessed["start_year"].isna()].tolist()


def undated_problem(assessed: pd.DataFrame, beds: float, what: str = "beds") -> Problem | None:
    """What the per-year figures do with the sites without a start year (``beds``: theirs, P50); None if none.

    They are left out of every year, not guessed into one, and still count in
    the totals at full staffing: the message names them and says how many
    beds the years therefore lack.
    """
    undated = undated_sites(assessed)
    if not undated:
        return None
    shown = ", ".join(undated[:10]) + (f" and {len(undated) - 10} more" if len(undated) > 10 else "")
    if len(undated) == len(assessed):
        said = f"there are no per-year figures; the totals count every site at full staffing ({beds:,.0f} {what}, P50)"
    else:
        said = (f"the per-year figures leave them out: they count only in the totals, at full staffing "
                f"({beds:,.0f} {what}, P50, not in any year)")
    return Problem(f"no start year for {len(undated)} of {len(assessed)} site(s): {shown}; {said}",
                   column="start_year", fix="give every site a start year (startjaar) to phase its beds")


def phase_dated(assessed: pd.DataFrame, quantity: str = "beds_needed",
                years: Iterable[int] | None = None) -> pd.DataFrame:
    """:func:`planner.impact.phase` that leaves out the sites without a start year instead of refusing them all.

    P10 / P50 / P90 of the yearly sum of the draws; the years run to the
    year every site is at full staffing (:func:`default_years`).
    """
    from .impact import total_draws

    if assessed["start_year"].isna().all():
        raise InputError(Problem("no site has a start year, so there is no phasing", column="start_year",
                                 fix="give every site a start year (startjaar) to phase its beds"))
    staffing = staffing_by_year(assessed, default_years(assessed) if years is None else years)
    sums = total_draws(assessed, staffing.to_numpy())[quantity]
    return pd.DataFrame(np.quantile(sums, [QUANTILES[lvl] for lvl in LEVELS], axis=1).T, columns=list(LEVELS),
                        index=pd.Index(staffing.columns, name="year"))


def year_totals(assessed: pd.DataFrame, allocation: Allocation, years_table: pd.DataFrame) -> pd.DataFrame:
    """Per year: demand and shortfall over all municipalities as P10 / P50 / P90 of the sum of the draws.

    In decay mode with simulated sites each year's demand per municipality is drawn jointly (sites ramp up,
    capacity grows with the pipeline); otherwise P50 is the yearly sum of ``years_table`` and P10 and P90
    are each placed on their own, as in the totals (an envelope). Sites without a start year count in no
    year (see :func:`undated_sites`); the share placed abroad counts in no municipality, as in the totals.
    """
    years = sorted(years_table["year"].unique())
    capacity = years_table.pivot(index="year", columns="gemeentecode", values="capacity")
    capacity = capacity.loc[years, allocation.per_gemeente.index].to_numpy(dtype=float)
    if allocation.mode != "decay" or allocation.draws is None:
        return _level_year_totals(assessed, allocation, years_table, years, capacity)
    per = _decay_year_draws(assessed, allocation, years)
    out = {}
    for lvl in LEVELS:
        out[f"demand_{lvl}"] = np.quantile(per.sum(axis=2), QUANTILES[lvl], axis=1)
        out[f"shortfall_{lvl}"] = np.quantile(np.clip(per - capacity[:, None, :], 0.0, None).sum(axis=2),
                                              QUANTILES[lvl], axis=1)
    out["capacity"] = capacity.sum(axis=1)
    return pd.DataFrame(out, index=pd.Index(years, name="year"))


def _decay_year_draws(assessed: pd.DataFrame, allocation: Allocation, years: Iterable[int]) -> np.ndarray:
    """Decay mode: years x draws x municipalities of the demand placed in the Netherlands, sites ramping up."""
    from .impact import iter_draws

    years = list(years)
    shares_by_year = staffing_by_year(assessed, years).to_numpy()
    abroad = _abroad_shares(assessed, allocation.parameters)
    per = np.zeros((len(years), allocation.draws.shape[0], allocation.shares.shape[1]))
    for positions, draws in iter_draws(assessed):
        x = draws[allocation.parameters.demand] * (1.0 - abroad[positions, None])
        for row in range(len(years)):
            per[row] += (x * shares_by_year[positions, row][:, None]).T @ allocation.shares[positions]
    return per


def _level_year_totals(assessed: pd.DataFrame, allocation: Allocation, years_table: pd.DataFrame, years: list,
                       capacity: np.ndarray) -> pd.DataFrame:
    """Per year the sums of ``years_table`` (P50), and P10 and P90 each placed on its own, as :func:`allocate` does."""
    sums = years_table.groupby("year")[["demand", "shortfall"]].sum().loc[years]
    staffing = staffing_by_year(assessed, years).to_numpy()
    gross_share = 1.0 - _abroad_shares(assessed, allocation.parameters)
    out = {"demand_p50": sums["demand"].to_numpy(), "shortfall_p50": sums["shortfall"].to_numpy()}
    for lvl in LEVELS:
        if lvl == CENTRAL:
            continue
        full = assessed[f"{allocation.parameters.demand}_{lvl}"].fillna(0.0).to_numpy(dtype=float) * gross_share
        demand, short = np.zeros(len(years)), np.zeros(len(years))
        for row in range(len(years)):
            total, _ = _place_year(allocation, full * staffing[:, row], capacity[row])
            demand[row], short[row] = total.sum(), np.clip(total - capacity[row], 0.0, None).sum()
        out[f"demand_{lvl}"], out[f"shortfall_{lvl}"] = demand, short
    columns = [f"{q}_{lvl}" for q in ("demand", "shortfall") for lvl in LEVELS]
    return pd.DataFrame({**{c: out[c] for c in columns}, "capacity": capacity.sum(axis=1)},
                        index=pd.Index(years, name="year"))


def _place_year(allocation: Allocation, demand: np.ndarray, capacity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One year's demand per site placed as the allocation places it: demand and unmet per municipality.

    Decay mode reuses the allocation's shares; capacity mode solves the placement again with this year's capacity.
    """
    n_mun = len(allocation.per_gemeente)
    if allocation.mode == "decay":
        return (demand[:, None] * allocation.shares).sum(axis=0), np.zeros(n_mun)
    flows, unmet = capacity_flows(demand, allocation.distance, capacity, allocation.parameters.max_distance_km)
    unmet_here = np.bincount(allocation.home, weights=unmet, minlength=n_mun)
    return flows.sum(axis=0) + unmet_here, unmet_here


def per_year(assessed: pd.DataFrame, allocation: Allocation, pipeline: pd.DataFrame | None = None,
             years: range | None = None, level: str = "p50",
             base_capacity: pd.Series | None = None) -> pd.DataFrame:
    """Demand, capacity (spare plus pipeline projects finished by then) and shortfall per municipality and year.

    ``base_capacity`` (per ``gemeentecode``) is the capacity before any
    pipeline project; by default the capacity the allocation used.

    ``pipeline`` has ``gemeentecode``, ``beds`` and ``year``: beds count from
    their year on. Demand follows each site's start year and ramp-up. In
    decay mode the shares of the allocation are reused (with simulated sites
    each municipality's demand is the percentile ``level`` of its draws, as
    in the allocation's table); in capacity mode the placement is solved
    again for every year with that year's capacity.
    Returns a long table: year, gemeentecode, demand, capacity, unmet, shortfall.

    Demand is the demand the allocation placed in the Netherlands: the share
    placed abroad is left out, as in the totals. By default the years run
    from the first start year (or pipeline project) to the year every site
    is at full staffing and every pipeline project is finished, so that the
    last year's demand and capacity are those of the totals. Sites without a
    start year count in no year (:func:`undated_sites` names them); at least
    one site needs one.
    """
    start = assessed["start_year"]
    if start.isna().all():
        raise InputError(Problem("no site has a start year, so there is no shortfall per year", column="start_year",
                                 fix="give start years, or look at the shortfall at full staffing"))
    if years is None:
        years = default_years(assessed, pipeline)
    codes = allocation.per_gemeente.index.to_numpy()
    spare = (allocation.per_gemeente["capacity"] if base_capacity is None
             else base_capacity.reindex(codes).fillna(0.0)).to_numpy(dtype=float)
    added = np.zeros((len(years), len(codes)))
    if pipeline is not None and len(pipeline):
        position = pd.Series(np.arange(len(codes)), index=codes)
        where = pipeline["gemeentecode"].map(position)
        unknown = pipeline.loc[where.isna(), "gemeentecode"].unique().tolist()
        if unknown:
            raise InputError([Problem(f"pipeline project in {c}, which is not in the boundary layer",
                                      column="gemeentecode", fix="check the municipal code and boundary year")
                              for c in unknown], source="pipeline")
        for row, year in enumerate(years):
            done = (pipeline["year"] <= year).to_numpy()
            added[row] = np.bincount(where[done].astype(int), weights=pipeline.loc[done, "beds"].astype(float),
                                     minlength=len(codes))
    shares_by_year = staffing_by_year(assessed, years)
    demand_column = f"{allocation.parameters.demand}_{level}"
    abroad = _abroad_shares(assessed, allocation.parameters)
    full = assessed[demand_column].fillna(0.0).to_numpy(dtype=float) * (1.0 - abroad)
    # Decay mode with simulated sites: each municipality's percentile of its draws, as in the allocation's table.
    simulated = (np.quantile(_decay_year_draws(assessed, allocation, years), QUANTILES[level], axis=1)
                 if allocation.mode == "decay" and allocation.draws is not None else None)
    frames = []
    for row, year in enumerate(years):
        capacity_now = spare + added[row]
        if simulated is not None:
            total, unmet_here = simulated[row], np.zeros(len(codes))
        else:
            total, unmet_here = _place_year(allocation, full * shares_by_year[year].to_numpy(), capacity_now)
        frames.append(pd.DataFrame({"year": year, "gemeentecode": codes, "demand": total, "capacity": capacity_now,
                                    "unmet": unmet_here, "shortfall": np.clip(total - capacity_now, 0.0, None)}))
    return pd.concat(frames, ignore_index=True)


__all__ = ["MODES", "Allocation", "AllocationParameters", "Calibration", "allocate", "calibrate_beta",
           "capacity_flows", "capacity_flows_lp", "decay_shares", "distance_matrix", "home_municipality",
           "load_allocation_parameters", "mean_distance", "per_year", "phase_dated", "shortfall", "staffing_by_year",
           "undated_problem", "undated_sites", "year_totals"]
