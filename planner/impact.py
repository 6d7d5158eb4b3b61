"""Impact assessment of planned business sites (VNG effectrapportage, part 1).

For each site: the basis amount (gross floor area or plot area), the workers
it brings, the labour migrants among them, the migrants at the seasonal peak,
the beds needed, the beds still to be found in the region and the split over
stay types, each as low / typical / high.

The chain, per site and per level (low, typical, high)::

    workers        = basis amount / ratio unit x worker ratio
    migrants       = workers x migrant share
    migrants_peak  = migrants x peak factor
    beds_needed    = migrants_peak x beds per migrant
    beds_employer  = beds_needed x employer-housed share     (expected, informative)
    beds_to_find   = max(beds_needed - beds the company declared it arranges, 0)
    beds_<stay>    = beds_needed x share of that stay type   (short, mid, long)

Low combines the low end of every factor and high the high end, so the range
is an envelope, not a confidence interval. All operations are vectorised over
sites; the result is aligned to the input index.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .errors import InputError, PlannerWarning, Problem
from .library import LEVELS, RATIO_PER, STAY_TYPES, SectorLibrary, load_library
from .numbers import parse_numbers

RD_NEW = "EPSG:28992"

#: Input columns of a site table. Only ``sector`` is always required; the
#: subtype may be left out for a sector that has one; the floor or plot area
#: is required by the subtype's basis (a polygon gives the plot area).
SITE_COLUMNS = {
    "name": "name of the site or company",
    "sector": "sector key, for example logistiek",
    "subtype": "subtype key, for example ecommerce_dc",
    "floor_area_m2": "gross floor area (bvo) in m2",
    "plot_area_ha": "plot area in ha (computed from a polygon when empty)",
    "start_year": "first year of operation",
    "ramp_up_years": "years until full staffing (1 = full from the start year)",
    "declared_migrants": "labour migrants the company expects on an ordinary day (questionnaire)",
    "declared_beds": "beds the company arranges itself (questionnaire)",
}
NUMERIC_COLUMNS = ("floor_area_m2", "plot_area_ha", "start_year", "ramp_up_years",
                   "declared_migrants", "declared_beds")

#: Quantities counted per site (extensive: they add up over sites and areas).
QUANTITIES = ("workers", "migrants", "migrants_peak", "beds_needed", "beds_employer", "beds_to_find",
              *(f"beds_{stay}_stay" for stay in STAY_TYPES))


@dataclass(frozen=True)
class Limits:
    """Bounds beyond which an input is taken as a mistake rather than a site.

    The largest single Dutch DCs have a few hundred thousand m2 of floor area
    and Agriport A7 spans about 220 ha of glass; these bounds sit well above
    that. Raise them for a genuinely larger site.
    """

    max_floor_area_m2: float = 1_000_000.0
    max_plot_area_ha: float = 5_000.0
    first_year: int = 1990
    last_year: int = 2100


def _labels(sites: pd.DataFrame) -> pd.Series:
    """How a row is named in messages: its index label and, if any, its name."""
    prefix = {"line": "line ", "feature": "feature "}.get(str(sites.index.name), "row ")
    labels = pd.Series([f"{prefix}{i}" for i in sites.index], index=sites.index, dtype=object)
    if "name" in sites.columns:
        names = sites["name"].astype(object)
        has = names.notna() & (names.astype(str).str.strip() != "")
        labels[has] = labels[has] + " ('" + names[has].astype(str) + "')"
    return labels


def _as_numbers(sites: pd.DataFrame, labels: pd.Series, problems: list[Problem]) -> pd.DataFrame:
    out = pd.DataFrame(index=sites.index)
    for column in NUMERIC_COLUMNS:
        if column not in sites.columns:
            out[column] = np.nan
            continue
        values, bad = parse_numbers(sites[column])
        for idx in sites.index[bad]:
            problems.append(Problem(f"'{sites[column][idx]}' is not a number", labels[idx], column,
                                    "write a plain number"))
        out[column] = values
    return out


def _clean_keys(values: pd.Series) -> pd.Series:
    """Lower-case, stripped text keys; None where a cell is empty or missing."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    cleaned = [str(v).strip().lower() or None for v in uniques]  # once per distinct value
    return pd.Series(np.array([*cleaned, None], dtype=object)[codes], index=values.index, dtype=object)


def _resolve_subtypes(sites: pd.DataFrame, library: SectorLibrary, labels: pd.Series,
                      problems: list[Problem]) -> tuple[pd.Series, pd.Series]:
    if "sector" not in sites.columns:
        raise InputError(Problem("no column 'sector'",
                                 fix="add a column sector with one of " + ", ".join(library.sectors)))
    sector = _clean_keys(sites["sector"])
    subtype = (_clean_keys(sites["subtype"]) if "subtype" in sites.columns
               else pd.Series([None] * len(sites), index=sites.index, dtype=object))
    known = library.sectors
    options = {sec: library.subtypes_of(sec) for sec in known}
    # Decide once per distinct (sector, subtype) pair, then report per row: 100,000 sites have few pairs.
    pairs = pd.DataFrame({"sector": sector, "subtype": subtype}).astype(object).where(lambda f: f.notna(), None)
    for (sec, sub), rows in pairs.groupby(["sector", "subtype"], dropna=False, sort=False).groups.items():
        sec = None if sec is None or pd.isna(sec) else sec
        sub = None if sub is None or pd.isna(sub) else sub
        if sec is None or sec not in known:
            problems.extend(Problem(f"unknown sector '{sec or ''}'", labels[idx], "sector",
                                    "use one of " + ", ".join(known)) for idx in rows)
            continue
        choices = options[sec]
        if sub is None and len(choices) == 1:
            subtype[rows] = choices[0]
        elif sub is None:
            problems.extend(Problem(f"sector '{sec}' has several subtypes", labels[idx], "subtype",
                                    "choose one of " + ", ".join(choices)) for idx in rows)
        elif sub not in choices:
            problems.extend(Problem(f"unknown subtype '{sub}' for sector '{sec}'", labels[idx], "subtype",
                                    "use one of " + ", ".join(choices)) for idx in rows)
    return sector, subtype


def _geometry_in_metres(sites: gpd.GeoDataFrame, need: pd.Series, labels: pd.Series,
                        problems: list[Problem]) -> gpd.GeoSeries | None:
    """The geometries of the rows in ``need``, repaired and in RD New (metres)."""
    geoms = sites.geometry
    crs = sites.crs
    if crs is None:
        bounds = geoms[need].total_bounds
        hint = ("they look like RD New: set EPSG:28992" if bounds[0] > 1000
                else "they look like longitude/latitude: set EPSG:4326")
        problems.append(Problem(f"the sites have no coordinate reference system (CRS); {hint}",
                                fix="save the file with its CRS, or give plot_area_ha for each site"))
        return None
    if crs.is_geographic:
        x0, y0, x1, y1 = geoms[need].total_bounds
        if min(x0, y0) < -180 or max(x1, y1) > 180:
            problems.append(Problem(
                f"the CRS says {crs.to_string()} (degrees) but coordinates reach {max(x1, y1):.0f}; "
                "they look like RD New metres", fix="set the CRS to EPSG:28992 instead of reprojecting"))
            return None
    invalid = need & ~geoms.is_valid & ~geoms.is_empty & ~shapely.is_missing(geoms.to_numpy())
    if invalid.any():
        warnings.warn(f"invalid geometry repaired (shapely.make_valid) for site(s) "
                      f"{', '.join(labels[invalid])}", PlannerWarning, stacklevel=3)
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid].to_numpy())
    return gpd.GeoSeries(geoms[need], crs=crs).to_crs(RD_NEW)  # only the rows that need it


def assess(sites: pd.DataFrame, library: SectorLibrary | None = None, *,
           limits: Limits = Limits()) -> pd.DataFrame:
    """Estimate workers, labour migrants and beds for planned business sites.

    Parameters
    ----------
    sites
        One row per planned site with the columns in :data:`SITE_COLUMNS`.
        A GeoDataFrame may carry polygons (their area in RD New is the plot
        area when ``plot_area_ha`` is empty) or points.
    library
        Sector reference library; the bundled one when omitted.
    limits
        Bounds beyond which an input is refused as a mistake.

    Returns
    -------
    The input (same index, same columns, same geometry) with the basis used,
    the factors applied with their sources, and for every quantity in
    :data:`QUANTITIES` the columns ``<quantity>_low``, ``_typical`` and
    ``_high``; ``declared_check`` compares the company's declaration with the
    range (``below_range``, ``within_range``, ``above_range`` or empty).

    Raises
    ------
    InputError
        Listing every row that cannot be assessed and how to fix it.

    Examples
    --------
    >>> import pandas as pd
    >>> site = pd.DataFrame({"sector": ["logistiek"], "subtype": ["dc"], "floor_area_m2": [50_000]})
    >>> out = assess(site)
    >>> round(out.loc[0, "workers_typical"])  # 50 x 6.1 workers per 1,000 m2
    305
    """
    library = library if library is not None else load_library()
    if len(sites) == 0:
        raise InputError("there are no sites to assess", source=None)
    if sites.index.has_duplicates:
        raise InputError(Problem("the site table has duplicate index labels",
                                 fix="give every site its own row id (for example reset the index)"))
    problems: list[Problem] = []
    labels = _labels(sites)
    numbers = _as_numbers(sites, labels, problems)
    sector, subtype = _resolve_subtypes(sites, library, labels, problems)
    if problems:
        raise InputError(problems)

    keys = pd.MultiIndex.from_arrays([sector, subtype])
    ratios = library.ratios.reindex(keys)
    ratios.index = sites.index
    basis = ratios["basis"]
    floor = numbers["floor_area_m2"]
    plot = numbers["plot_area_ha"]

    # Plot area from the geometry where the basis is plot and none was given.
    from_geometry = (basis == "plot_area") & plot.isna()
    if from_geometry.any():
        has_geometry = isinstance(sites, gpd.GeoDataFrame) and sites.geometry.name in sites.columns
        if not has_geometry:
            for idx in sites.index[from_geometry]:
                problems.append(Problem("plot area needed but not given", labels[idx], "plot_area_ha",
                                        "give plot_area_ha, or a polygon of the plot"))
        else:
            geoms = _geometry_in_metres(sites, from_geometry, labels, problems)
            if geoms is not None:
                polygonal = geoms.geom_type.isin(["Polygon", "MultiPolygon", "GeometryCollection"])
                area = (geoms.area.where(polygonal & ~geoms.is_empty) / 10_000.0).reindex(sites.index)
                plot = plot.where(~from_geometry, area)
                for idx in sites.index[from_geometry & (area.isna() | (area <= 0))]:
                    problems.append(Problem("plot area needed, but the geometry is a point or empty",
                                            labels[idx], "plot_area_ha",
                                            "give plot_area_ha, or draw the plot as a polygon"))

    uses_floor = basis == "floor_area"
    for idx in sites.index[uses_floor & floor.isna()]:
        problems.append(Problem(f"{sector[idx]}/{subtype[idx]} is estimated from floor area, "
                                "which is missing", labels[idx], "floor_area_m2",
                                "give the gross floor area (bvo) in m2"))
    checks = (
        ("floor_area_m2", floor, uses_floor, limits.max_floor_area_m2, "m2"),
        ("plot_area_ha", plot, ~uses_floor, limits.max_plot_area_ha, "ha"),
    )
    for column, values, used, maximum, unit in checks:
        for idx in sites.index[used & values.notna() & (values <= 0)]:
            problems.append(Problem(f"{values[idx]:g} {unit} is not a usable area", labels[idx], column,
                                    "give an area above zero"))
        for idx in sites.index[used & (values > maximum)]:
            problems.append(Problem(f"{values[idx]:,.0f} {unit} is beyond the plausible maximum of "
                                    f"{maximum:,.0f} {unit}", labels[idx], column,
                                    f"check the unit ({unit}), or raise Limits.max_{column}"))
    year = numbers["start_year"]
    for idx in sites.index[year.notna() & ((year < limits.first_year) | (year > limits.last_year)
                                           | (year != np.floor(year)))]:
        problems.append(Problem(f"start year {year[idx]:g} is not a year between {limits.first_year} "
                                f"and {limits.last_year}", labels[idx], "start_year"))
    ramp = numbers["ramp_up_years"]
    for idx in sites.index[ramp.notna() & (ramp < 1)]:
        problems.append(Problem(f"ramp_up_years {ramp[idx]:g} is below 1", labels[idx], "ramp_up_years",
                                "use 1 for full staffing from the start year"))
    for column in ("declared_migrants", "declared_beds"):
        for idx in sites.index[numbers[column] < 0]:
            problems.append(Problem(f"{numbers[column][idx]:g} is negative", labels[idx], column))
    if problems:
        raise InputError(problems)

    amount = floor.where(uses_floor, plot)
    units = amount / basis.map(RATIO_PER)
    out = sites.copy()
    out["sector"], out["subtype"] = sector, subtype
    out["basis"] = basis
    out["basis_amount"] = amount
    out["basis_unit"] = np.where(uses_floor, "m2", "ha")
    out["plot_area_from_geometry"] = from_geometry
    out["ratio_unit"] = ratios["ratio_unit"]
    for name in ("ratio", "migrant_share", "peak_factor", "employer_housed_share"):
        for level in LEVELS:
            out[f"{name}_{level}"] = ratios[f"{name}_{level}"]
        out[f"{name}_source"] = ratios[f"{name}_source"]
    out["beds_per_migrant"] = ratios["beds_per_migrant"]
    declared_beds = numbers["declared_beds"].fillna(0.0)
    for level in LEVELS:
        workers = units * ratios[f"ratio_{level}"]
        migrants = workers * ratios[f"migrant_share_{level}"]
        peak = migrants * ratios[f"peak_factor_{level}"]
        beds = peak * ratios["beds_per_migrant"]
        out[f"workers_{level}"] = workers
        out[f"migrants_{level}"] = migrants
        out[f"migrants_peak_{level}"] = peak
        out[f"beds_needed_{level}"] = beds
        out[f"beds_employer_{level}"] = beds * ratios[f"employer_housed_share_{level}"]
        out[f"beds_to_find_{level}"] = (beds - declared_beds).clip(lower=0.0)
        for stay in STAY_TYPES:
            out[f"beds_{stay}_stay_{level}"] = beds * ratios[f"share_{stay}_stay"]
    out["stay_source"] = ratios["stay_source"]
    for column in NUMERIC_COLUMNS:
        out[column] = numbers[column]
    out["plot_area_ha"] = plot
    declared = numbers["declared_migrants"]
    out["declared_check"] = np.select(
        [declared.isna(), declared < out["migrants_low"], declared > out["migrants_high"]],
        ["", "below_range", "above_range"], default="within_range")
    return out


def totals(assessed: pd.DataFrame) -> pd.DataFrame:
    """Sum every quantity over the sites: rows are quantities, columns low/typical/high."""
    return pd.DataFrame({level: [assessed[f"{q}_{level}"].sum() for q in QUANTITIES] for level in LEVELS},
                        index=pd.Index(QUANTITIES, name="quantity"))


def ramp_shares(start_year: pd.Series, ramp_up_years: pd.Series, years: Iterable[int]) -> pd.DataFrame:
    """Share of full staffing per site (rows) and year (columns).

    Staffing grows linearly: in year ``start + k`` (k = 0, 1, ...) a site has
    ``min(1, (k + 1) / ramp_up_years)`` of its staff, and none before it starts.
    """
    years = np.asarray(list(years), dtype=float)
    ramp = ramp_up_years.fillna(1.0).to_numpy()[:, None]
    k = years[None, :] - start_year.to_numpy()[:, None]
    share = np.clip((k + 1.0) / ramp, 0.0, 1.0)
    return pd.DataFrame(share, index=start_year.index, columns=years.astype(int))


def phase(assessed: pd.DataFrame, quantity: str = "beds_needed", years: Iterable[int] | None = None) -> pd.DataFrame:
    """Totals of ``quantity`` per year over all sites, taking start years and ramp-up into account.

    Returns a DataFrame indexed by year with columns low, typical and high.
    """
    if quantity not in QUANTITIES:
        raise InputError(Problem(f"unknown quantity '{quantity}'", fix="use one of " + ", ".join(QUANTITIES)))
    start = assessed["start_year"]
    if start.isna().any():
        missing = ", ".join(_labels(assessed)[start.isna()])
        raise InputError(Problem(f"no start year for site(s) {missing}", column="start_year",
                                 fix="give every site a start year to phase the demand"))
    if years is None:
        last = int((start + assessed["ramp_up_years"].fillna(1.0) - 1).max())
        years = range(int(start.min()), last + 1)
    shares = ramp_shares(start, assessed["ramp_up_years"], years)
    frame = pd.DataFrame({level: shares.T.to_numpy() @ assessed[f"{quantity}_{level}"].to_numpy()
                          for level in LEVELS}, index=pd.Index(shares.columns, name="year"))
    return frame
