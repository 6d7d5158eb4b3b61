"""Impact assessment of planned business sites (VNG effectrapportage, part 1).

For each site: the basis amount (gross floor area or glass area), the workers
it brings, the workers net of jobs that move in from elsewhere, the labour
migrants among them, the migrants at the seasonal peak, the beds needed, the
beds still to be found in the region and the split over stay types, each as
P10 / P50 / P90: the 10th, 50th and 90th percentile of a Monte Carlo
simulation with a fixed seed.

The chain, per draw::

    workers        = basis amount / ratio unit x worker ratio   (ratio from the subtype's predictive distribution)
    workers_net    = max(workers - relocated_jobs, 0)            (jobs that move in from elsewhere are not new)
    migrants       = workers_net x migrant share
    migrants_peak  = migrants x peak factor
    beds_needed    = migrants_peak x beds per migrant
    beds_employer  = beds_needed x employer-housed share     (expected, informative)
    beds_to_find   = max(beds_needed - beds the company declared it arranges, 0)
    beds_<stay>    = beds_needed x share of that stay type   (short, mid, long)

Uncertainty (see :mod:`planner.library`): the log ratio of a site is
``mu + s_d * (shared * Z_subtype + site * Z_site)``; the migrant share,
peak factor and employer-housed share are drawn once per subtype and draw
from two-piece distributions that reproduce the parameter's low / value /
high as P10 / P50 / P90 (logit scale for shares, log scale for the peak).
What is drawn per subtype is common to every site of that subtype, so a
total over sites (:func:`totals`, :func:`phase`) is the percentile of the sum
of the draws, not the sum of the sites' percentiles.

A site's own percentiles come from its subtype's draws scaled by its area,
so they do not depend on which other sites are assessed with it.
"""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import stats

from .errors import InputError, PlannerWarning, Problem
from .library import LEVELS, QUANTILES, RATIO_PER, STAY_TYPES, SectorLibrary, load_library
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
    "declared_jobs": "jobs the company announces at full staffing (questionnaire); used instead of area x ratio",
    "declared_migrants": "labour migrants the company expects on an ordinary day (questionnaire)",
    "declared_beds": "beds the company arranges itself (questionnaire)",
    "relocated_jobs": "jobs that move to the site from an existing location (not new demand)",
    "relocated_from": "CBS code (GM....) of the municipality the relocated jobs come from, where known",
}
NUMERIC_COLUMNS = ("floor_area_m2", "plot_area_ha", "start_year", "ramp_up_years", "declared_jobs",
                   "declared_migrants", "declared_beds", "relocated_jobs")

#: Quantities counted per site (extensive: they add up over sites and areas).
QUANTITIES = ("workers", "workers_net", "migrants", "migrants_peak", "beds_needed", "beds_employer",
              "beds_to_find", *(f"beds_{stay}_stay" for stay in STAY_TYPES))
#: Columns of an assessed table the simulation is rebuilt from (see :func:`iter_draws`).
MODEL_COLUMNS = ("sector", "subtype", "basis_units", "ratio_mu", "ratio_s", "ratio_df", "ratio_shared", "ratio_site",
                 *(f"{p}_{lvl}" for p in ("migrant_share", "peak_factor", "employer_housed_share") for lvl in LEVELS),
                 "beds_per_migrant", "declared_beds", "relocated_jobs", "mc_draws", "mc_seed")


@dataclass(frozen=True)
class Limits:
    """Bounds beyond which an input is taken as a mistake rather than a site.

    The largest single Dutch DCs have a few hundred thousand m2 of floor area
    and Agriport A7 spans about 220 ha of glass; the maxima sit well above
    that. The minima sit well below the smallest object of the reference
    library (900 m2, 1 ha): a smaller area is almost always a unit mistake
    (``4,5 ha`` under a header in m2, a plot in m2 read as hectares the other
    way round is caught by the maximum). Change them for a genuinely
    different site.
    """

    max_floor_area_m2: float = 1_000_000.0
    max_plot_area_ha: float = 1_000.0
    min_floor_area_m2: float = 100.0
    min_plot_area_ha: float = 0.01
    max_declared_jobs: float = 100_000.0
    first_year: int = 1990
    last_year: int = 2100


#: A column a caller may add to say where each row comes from ("line 2" of the user's file), when the index
#: no longer says it (the app puts an upload and entered sites in one table); it is not part of the output.
ROW_LABEL = "row_label"


def _labels(sites: pd.DataFrame) -> pd.Series:
    """How a row is named in messages: its index label (or its ``row_label``) and, if any, its name."""
    prefix = {"line": "line ", "feature": "feature "}.get(str(sites.index.name), "row ")
    labels = pd.Series([f"{prefix}{i}" for i in sites.index], index=sites.index, dtype=object)
    if ROW_LABEL in sites.columns:
        given = sites[ROW_LABEL].astype(object)
        has = given.notna() & (given.astype(str).str.strip() != "")
        labels[has] = given[has].astype(str)
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
    aliases = {sec: library.aliases_of(sec) for sec in known}
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
        default = library.default_subtype(sec)
        if sub is not None and sub in aliases[sec]:
            subtype[rows] = aliases[sec][sub]  # an older key, e.g. glastuinbouw/kas
        elif sub is None and default is not None:
            subtype[rows] = default
        elif sub is None:
            problems.extend(Problem(f"sector '{sec}' has several subtypes", labels[idx], "subtype",
                                    "choose one of " + ", ".join(choices)) for idx in rows)
        elif sub not in choices:
            problems.extend(Problem(f"unknown subtype '{sub}' for sector '{sec}'", labels[idx], "subtype",
                                    "use one of " + ", ".join(choices)) for idx in rows)
    return sector, subtype


def _has_shape(sites: pd.DataFrame) -> pd.Series:
    """Which rows have a geometry that is neither missing nor empty."""
    if not (isinstance(sites, gpd.GeoDataFrame) and sites.geometry.name in sites.columns):
        return pd.Series(False, index=sites.index)
    shapes = sites.geometry.to_numpy()
    return pd.Series(~(shapely.is_missing(shapes) | shapely.is_empty(shapes)), index=sites.index)


#: Web Mercator (EPSG:3857, the metres of web maps) over the Netherlands: x 0.3-0.83 million, y 6.5-7.1 million,
#: which RD New (y at most 0.63 million) never reaches.
WEB_MERCATOR_NL = (300_000.0, 6_500_000.0, 830_000.0, 7_100_000.0)


#: How far a given plot may differ from its drawn polygon, and how many times its plot a floor area may be (a
#: DC of three or four storeys of mezzanines on most of its plot), before planner asks the user to check them.
PLOT_TO_POLYGON = (0.67, 1.5)
MAX_FLOOR_TO_PLOT = 4.0


#: Site polygons that overlap by more than this share of the smaller one are named (see :func:`_overlaps`).
MAX_OVERLAP = 0.05


def _overlaps(sites: pd.DataFrame, labels: pd.Series) -> list[tuple[Any, str, float]]:
    """Pairs of site polygons that cover the same ground (more than :data:`MAX_OVERLAP` of the smaller one):
    each site with the other's label and the share."""
    if not isinstance(sites, gpd.GeoDataFrame) or sites.crs is None or sites.geometry.name not in sites.columns:
        return []
    shaped = sites.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    if shaped.sum() < 2:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shapes = sites.geometry[shaped].to_crs(RD_NEW).make_valid()
    index = sites.index[shaped]
    left, right = shapes.sindex.query(shapes.to_numpy(), predicate="intersects")
    out = []
    for a, b in zip(left, right, strict=True):
        if a >= b:
            continue
        common = shapes.iloc[a].intersection(shapes.iloc[b]).area
        smaller = min(shapes.iloc[a].area, shapes.iloc[b].area)
        if smaller > 0 and common / smaller > MAX_OVERLAP:
            out += [(index[a], str(labels[index[b]]), common / smaller), (index[b], str(labels[index[a]]),
                                                                          common / smaller)]
    return out


#: Announced jobs below the area's P10 workers divided by this are named (see :func:`assess`).
FEW_JOBS_FACTOR = 5.0


def _contradictions(sites: pd.DataFrame, numbers: pd.DataFrame, plot: pd.Series, from_geometry: pd.Series,
                    labels: pd.Series) -> pd.Series:
    """Per site, the inputs that contradict each other (a plot and its polygon, a floor area many times its plot,
    more relocated than announced jobs): used as given, and said (a warning, and ``input_check``)."""
    said = pd.Series("", index=sites.index, dtype=object)
    given = plot.notna() & ~from_geometry & _has_shape(sites)
    if given.any() and isinstance(sites, gpd.GeoDataFrame) and sites.crs is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            shapes = sites.geometry[given].to_crs(RD_NEW)
        drawn = (shapes.area.where(shapes.geom_type.isin(["Polygon", "MultiPolygon"])) / 10_000.0)
        ratio = plot[given] / drawn
        odd = ratio[(ratio < PLOT_TO_POLYGON[0]) | (ratio > PLOT_TO_POLYGON[1])].dropna()
        said[odd.index] += [f"plot_area_ha {plot[i]:g} ha, but its polygon measures {drawn[i]:.1f} ha: the given "
                            f"{plot[i]:g} ha is used; " for i in odd.index]
    floor = numbers["floor_area_m2"]
    measured = plot.copy()
    if isinstance(sites, gpd.GeoDataFrame) and sites.crs is not None:
        drawn_too = plot.isna() & floor.notna() & _has_shape(sites)
        if drawn_too.any():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                shapes = sites.geometry[drawn_too].to_crs(RD_NEW)
            measured[drawn_too] = shapes.area.where(shapes.geom_type.isin(["Polygon", "MultiPolygon"])) / 10_000.0
    plot = measured
    times = floor / (plot * 10_000.0)
    for idx in sites.index[times > MAX_FLOOR_TO_PLOT]:
        said[idx] += (f"floor area {floor[idx]:,.0f} m2 is {times[idx]:.0f} times its plot of {plot[idx]:.1f} ha: "
                      "check both (a unit?); ")
    for idx, other, share in _overlaps(sites, labels):
        said[idx] += (f"its polygon overlaps that of {other} by {share:.0%} of the smaller one: the same ground may be "
                      "counted twice (a phase drawn over the whole plan?); ")
    moved, jobs = numbers["relocated_jobs"], numbers["declared_jobs"]
    for idx in sites.index[moved > jobs]:
        said[idx] += (f"relocated_jobs {moved[idx]:,.0f} exceed the announced {jobs[idx]:,.0f} jobs: no new jobs "
                      "remain; ")
    said = said.str.rstrip("; ")
    for idx in said.index[said != ""]:
        warnings.warn(f"{labels[idx]}: {said[idx]}", PlannerWarning, stacklevel=3)
    return said


def _looks_like_web_mercator(bounds) -> bool:
    x0, y0, x1, y1 = bounds
    return bool(WEB_MERCATOR_NL[0] <= x0 and x1 <= WEB_MERCATOR_NL[2] and WEB_MERCATOR_NL[1] <= y0
                and y1 <= WEB_MERCATOR_NL[3])


def _geometry_in_metres(sites: gpd.GeoDataFrame, need: pd.Series, labels: pd.Series,
                        problems: list[Problem]) -> gpd.GeoSeries | None:
    """The geometries of the rows in ``need``, repaired and in RD New (metres)."""
    geoms = sites.geometry
    crs = sites.crs
    if crs is None:
        bounds = geoms[need].total_bounds
        hint = ("they look like Web Mercator (web maps): set EPSG:3857" if _looks_like_web_mercator(bounds)
                else "they look like RD New: set EPSG:28992" if bounds[0] > 1000
                else "they look like longitude/latitude: set EPSG:4326")
        problems.append(Problem(f"the sites have no coordinate reference system (CRS); {hint}",
                                fix="save the file with its CRS, or give plot_area_ha for each site"))
        return None
    if crs.is_geographic:
        x0, y0, x1, y1 = geoms[need].total_bounds
        if min(x0, y0) < -180 or max(x1, y1) > 180:
            mercator = _looks_like_web_mercator((x0, y0, x1, y1))
            problems.append(Problem(
                f"the CRS says {crs.to_string()} (degrees) but coordinates reach {max(x1, y1):.0f}; "
                + ("they look like Web Mercator metres (web maps)" if mercator else "they look like RD New metres"),
                fix=("set the CRS to EPSG:3857 instead of reprojecting" if mercator
                     else "set the CRS to EPSG:28992 instead of reprojecting")))
            return None
    invalid = need & ~geoms.is_valid & ~geoms.is_empty & ~shapely.is_missing(geoms.to_numpy())
    if invalid.any():
        warnings.warn(f"invalid geometry repaired (shapely.make_valid) for site(s) "
                      f"{', '.join(labels[invalid])}", PlannerWarning, stacklevel=3)
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid].to_numpy())
    return gpd.GeoSeries(geoms[need], crs=crs).to_crs(RD_NEW)  # only the rows that need it


def assess(sites: pd.DataFrame, library: SectorLibrary | None = None, *,  # noqa: C901
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
    :data:`QUANTITIES` the columns ``<quantity>_p10``, ``_p50`` and
    ``_p90``; ``declared_check`` compares the company's declared migrants
    with the P10-P90 range (``below_range``, ``within_range``,
    ``above_range`` or empty), ``beds_check`` the beds it declares it
    arranges with the P10-P90 range of the beds needed (``beds_below_range``,
    ``beds_within_range``, ``beds_above_range`` or empty).

    Raises
    ------
    InputError
        Listing every row that cannot be assessed and how to fix it.

    Examples
    --------
    >>> import pandas as pd
    >>> site = pd.DataFrame({"sector": ["logistiek"], "subtype": ["dc"], "floor_area_m2": [50_000]})
    >>> out = assess(site)
    >>> bool(out.loc[0, "workers_p10"] < out.loc[0, "workers_p50"] < out.loc[0, "workers_p90"])
    True
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

    # A site whose company announces its jobs needs no area: the jobs replace area x ratio. Zero announced jobs at a
    # site with an area is an empty questionnaire answer, not a site without workers: the area is used (said).
    zero = (numbers["declared_jobs"] == 0) & (floor.notna() | plot.notna() | _has_shape(sites))
    for idx in sites.index[zero]:
        warnings.warn(f"{labels[idx]}: 0 announced jobs read as not given: the workers are estimated from the "
                      "site's area", PlannerWarning, stacklevel=2)
    numbers["declared_jobs"] = numbers["declared_jobs"].where(~zero)
    jobs = numbers["declared_jobs"]
    needs_area = jobs.isna()
    # Plot area from the geometry where the basis is plot and none was given; for a floor-area site without its
    # floor area, from a polygon it has (its floor area then follows from the plot, below).
    shaped = _has_shape(sites)
    from_geometry = plot.isna() & needs_area & ((basis == "plot_area")
                                                | ((basis == "floor_area") & floor.isna() & shaped))
    if from_geometry.any():
        has_geometry = isinstance(sites, gpd.GeoDataFrame) and sites.geometry.name in sites.columns
        if not has_geometry:
            for idx in sites.index[from_geometry]:
                problems.append(Problem("plot area needed but not given", labels[idx], "plot_area_ha",
                                        "give plot_area_ha, or a polygon of the plot"))
        else:
            for idx in sites.index[from_geometry & ~shaped]:  # a table row without coordinates, an empty shape
                problems.append(Problem("plot area needed but not given, and the site has no polygon to measure",
                                        labels[idx], "plot_area_ha", "give plot_area_ha, or a polygon of the plot"))
            from_geometry = from_geometry & shaped
        if has_geometry and from_geometry.any():
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
    # Without its floor area, a floor-area site known by its plot gets plot x plot_to_bvo (drawn per site).
    floor_from_plot = uses_floor & floor.isna() & needs_area & plot.notna() & (plot > 0)
    for idx in sites.index[uses_floor & floor.isna() & needs_area & ~floor_from_plot]:
        problems.append(Problem(f"{sector[idx]}/{subtype[idx]} is estimated from floor area, "
                                "which is missing", labels[idx], "floor_area_m2",
                                "give the gross floor area (bvo) in m2, the plot (plot_area_ha or a polygon), "
                                "or the jobs the company announces (declared_jobs)"))
    checks = (
        ("floor_area_m2", floor, uses_floor, limits.min_floor_area_m2, limits.max_floor_area_m2, "m2"),
        ("plot_area_ha", plot, ~uses_floor | floor_from_plot, limits.min_plot_area_ha, limits.max_plot_area_ha, "ha"),
    )
    for column, values, used, minimum, maximum, unit in checks:
        for idx in sites.index[used & values.notna() & (values <= 0)]:
            problems.append(Problem(f"{values[idx]:g} {unit} is not a usable area", labels[idx], column,
                                    "give an area above zero"))
        for idx in sites.index[used & (values > 0) & (values < minimum)]:
            problems.append(Problem(f"{values[idx]:,.4g} {unit} is below the plausible minimum of {minimum:g} {unit} "
                                    "for a business site", labels[idx], column,
                                    f"check the unit ({unit}; a number in {'ha' if unit == 'm2' else 'm2'}?), "
                                    f"or lower Limits.min_{column}"))
        for idx in sites.index[used & (values > maximum)]:
            problems.append(Problem(f"{values[idx]:,.0f} {unit} is beyond the plausible maximum of "
                                    f"{maximum:,.0f} {unit}", labels[idx], column,
                                    f"check the unit ({unit}), or raise Limits.max_{column}"))
    # The floor area a plot gives (plot x plot_to_bvo P50) has the same bound as a floor area typed in.
    from_plot = plot * 10_000.0 * ratios["plot_to_bvo_p50"].astype(float)
    for idx in sites.index[floor_from_plot & (plot <= limits.max_plot_area_ha)
                           & (from_plot > limits.max_floor_area_m2)]:
        problems.append(Problem(f"{plot[idx]:,.0f} ha of plot gives about {from_plot[idx]:,.0f} m2 of floor area, "
                                f"beyond the plausible maximum of {limits.max_floor_area_m2:,.0f} m2",
                                labels[idx], "plot_area_ha",
                                "a plan area rather than one plot? give the site's floor area (bvo), or split it "
                                "into its plots"))
    year = numbers["start_year"]
    for idx in sites.index[year.notna() & ((year < limits.first_year) | (year > limits.last_year)
                                           | (year != np.floor(year)))]:
        problems.append(Problem(f"start year {year[idx]:g} is not a year between {limits.first_year} "
                                f"and {limits.last_year}", labels[idx], "start_year"))
    ramp = numbers["ramp_up_years"]
    for idx in sites.index[ramp.notna() & (ramp < 1)]:
        problems.append(Problem(f"ramp_up_years {ramp[idx]:g} is below 1", labels[idx], "ramp_up_years",
                                "use 1 for full staffing from the start year"))
    for column in ("declared_jobs", "declared_migrants", "declared_beds", "relocated_jobs"):
        for idx in sites.index[numbers[column] < 0]:
            problems.append(Problem(f"{numbers[column][idx]:g} is negative", labels[idx], column))
    for idx in sites.index[jobs > limits.max_declared_jobs]:
        problems.append(Problem(f"{jobs[idx]:,.0f} jobs is beyond the plausible maximum of "
                                f"{limits.max_declared_jobs:,.0f} for one site", labels[idx], "declared_jobs",
                                "check the number, or raise Limits.max_declared_jobs"))
    if problems:
        raise InputError(problems)
    input_check = _contradictions(sites, numbers, plot, from_geometry, labels)

    coverage = ratios["plot_to_bvo_p50"].astype(float)
    amount = floor.where(uses_floor, plot).where(~floor_from_plot, plot * 10_000.0 * coverage)
    units = amount / basis.map(RATIO_PER)
    out = sites.drop(columns=[ROW_LABEL], errors="ignore").copy()
    out["sector"], out["subtype"] = sector, subtype
    out["basis"] = basis
    out["basis_amount"] = amount
    out["basis_unit"] = np.where(uses_floor, "m2", "ha")
    out["basis_units"] = units
    # What the workers rest on: the company's announced jobs where it gave them, else the area.
    out["workers_basis"] = np.where(needs_area, np.where(floor_from_plot, "plot_to_floor_area", basis),
                                    "declared_jobs")
    out["plot_area_from_geometry"] = from_geometry
    out["input_check"] = input_check
    out["floor_area_from_plot"] = floor_from_plot
    out["ratio_unit"] = ratios["ratio_unit"]
    for name in ("ratio", "migrant_share", "peak_factor", "employer_housed_share"):
        for level in LEVELS:
            out[f"{name}_{level}"] = ratios[f"{name}_{level}"]
        out[f"{name}_source"] = ratios[f"{name}_source"]
    for name in ("ratio_mu", "ratio_s", "ratio_df", "ratio_shared", "ratio_site", "ratio_status", "objects_note"):
        out[name] = ratios[name]
    out["beds_per_migrant"] = ratios["beds_per_migrant"]
    for level in LEVELS:
        out[f"realised_over_announced_{level}"] = ratios[f"realised_over_announced_{level}"]
    out["realised_over_announced_source"] = ratios["realised_over_announced_source"]
    for level in LEVELS:
        out[f"plot_to_bvo_{level}"] = ratios[f"plot_to_bvo_{level}"]
    out["plot_to_bvo_source"] = ratios["plot_to_bvo_source"]
    for stay in STAY_TYPES:
        out[f"share_{stay}_stay"] = ratios[f"share_{stay}_stay"]
    out["stay_source"] = ratios["stay_source"]
    for column in NUMERIC_COLUMNS:
        out[column] = numbers[column]
    out["plot_area_ha"] = plot
    out["relocated_jobs"] = numbers["relocated_jobs"].fillna(0.0)
    if "relocated_from" in sites.columns:
        out["relocated_from"] = sites["relocated_from"].astype(object).where(sites["relocated_from"].notna(), "")
    out["mc_draws"] = library.settings.mc_draws
    out["mc_seed"] = library.settings.mc_seed
    for column, values in site_quantiles(out).items():
        out[column] = values
    declared = numbers["declared_migrants"]
    out["declared_check"] = np.select(
        [declared.isna(), declared < out["migrants_p10"], declared > out["migrants_p90"]],
        ["", "below_range", "above_range"], default="within_range")
    # The beds the company says it arranges, against the beds the estimate says it needs at the peak.
    beds = numbers["declared_beds"]
    out["beds_check"] = np.select(
        [beds.isna(), beds < out["beds_needed_p10"], beds > out["beds_needed_p90"]],
        ["", "beds_below_range", "beds_above_range"], default="beds_within_range")
    moved = out["relocated_jobs"]
    beyond = (moved > out["workers_p90"]) & numbers["declared_jobs"].isna()
    said: dict = dict(zip(out.index, out["input_check"].astype(str), strict=True))
    # Announced jobs far below what the site's area gives even at its low end (3 jobs for 80,000 m2 of DC).
    # (a DC given by its plot only: the floor area its plot gives, as when no jobs were announced)
    area_units = floor.where(floor.notna() | ~uses_floor, plot * 10_000.0 * coverage).where(uses_floor, plot) \
        / basis.map(RATIO_PER)
    by_area = area_units * ratios["ratio_p10"].astype(float)
    for idx in out.index[jobs.notna() & (jobs < by_area / FEW_JOBS_FACTOR)]:
        area = "floor" if out["basis_unit"][idx] == "m2" and pd.notna(floor[idx]) else "plot"
        note = (f"{float(jobs[idx]):,.0f} announced jobs, against P10 {float(by_area[idx]):,.0f} workers from the "
                f"site's {area} area: the announced jobs are used; check them")
        said[idx] = "; ".join(n for n in (said[idx], note) if n)
        warnings.warn(f"{labels[idx]}: {note}", PlannerWarning, stacklevel=2)
    for idx in out.index[beyond]:
        note = (f"relocated_jobs {float(moved[idx]):,.0f} exceed the site's workers "
                f"(P90 {float(out['workers_p90'][idx]):,.0f}): no new jobs remain")
        said[idx] = "; ".join(n for n in (said[idx], note) if n)
        warnings.warn(f"{labels[idx]}: {note}", PlannerWarning, stacklevel=2)
    out["input_check"] = pd.Series(said, dtype=object).reindex(out.index)
    return out


# -- the simulation --------------------------------------------------------------------------------

_Z90 = float(stats.norm.ppf(0.9))


def two_piece(p10: float, p50: float, p90: float, z: np.ndarray, scale: str) -> np.ndarray:
    """Values with P10 / P50 / P90 equal to the given ones, from standard normal ``z``.

    A two-piece normal on the ``scale`` (``logit`` for shares, ``log`` for
    factors): below the median its spread is set by P10, above it by P90, so
    an asymmetric range keeps its shape.

    Examples
    --------
    >>> import numpy as np
    >>> z = np.array([-1.2815515655446004, 0.0, 1.2815515655446004])
    >>> two_piece(0.3, 0.5, 0.7, z, "logit").round(6).tolist()
    [0.3, 0.5, 0.7]
    """
    if scale == "logit":
        def forward(x):
            x = np.clip(x, 1e-4, 1 - 1e-4)
            return np.log(x / (1 - x))

        def back(y):
            return 1.0 / (1.0 + np.exp(-y))
    else:
        forward, back = np.log, np.exp
    centre = forward(p50)
    low, high = (centre - forward(p10)) / _Z90, (forward(p90) - centre) / _Z90
    return back(centre + np.where(z < 0, low, high) * z)


def stratified_normal(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` standard normal draws by Latin hypercube sampling: one draw in each of ``n`` equal-probability strata,
    in random order. Percentiles of a single draw are then almost free of Monte Carlo noise."""
    return stats.norm.ppf((rng.permutation(n) + rng.random(n)) / n)


def _group_key(sector: str, subtype: str) -> int:
    return zlib.crc32(f"{sector}/{subtype}".encode())


@dataclass(frozen=True)
class GroupDraws:
    """What a subtype's sites share in every draw: ratio centre and spread, migrant share, peak, employer share."""

    log_centre: np.ndarray  # mu + s_d * shared * Z_subtype
    log_spread: np.ndarray  # s_d * site: multiplies each site's own standard normal
    migrant_share: np.ndarray
    peak_factor: np.ndarray
    employer_share: np.ndarray


def group_draws(row: pd.Series, n_draws: int, seed: int) -> GroupDraws:
    """The draws shared by the sites of one subtype (``row``: any assessed row of it)."""
    rng = np.random.default_rng([seed, _group_key(row["sector"], row["subtype"])])
    df = float(row["ratio_df"])
    # The spread is uncertain (scaled inverse chi-square with the fit's degrees of freedom); its most
    # extreme 0.5% of draws are truncated so that sums over sites stay finite. All draws are stratified.
    if np.isfinite(df):
        chi = stats.chi2.ppf(np.clip((rng.permutation(n_draws) + rng.random(n_draws)) / n_draws, 0.005, None), df)
        s_d = float(row["ratio_s"]) * np.sqrt(df / chi)
    else:
        s_d = np.full(n_draws, float(row["ratio_s"]))
    z_group = stratified_normal(rng, n_draws)
    z_params = np.stack([stratified_normal(rng, n_draws) for _ in range(3)])

    def levels(name):
        return (float(row[f"{name}_{lvl}"]) for lvl in LEVELS)

    return GroupDraws(
        log_centre=float(row["ratio_mu"]) + s_d * float(row["ratio_shared"]) * z_group,
        log_spread=s_d * float(row["ratio_site"]),
        migrant_share=two_piece(*levels("migrant_share"), z_params[0], "logit"),
        peak_factor=np.maximum(two_piece(*levels("peak_factor"), z_params[1], "log"), 1.0),
        employer_share=two_piece(*levels("employer_housed_share"), z_params[2], "logit"),
    )


def site_noise(seed: int, key: int, k: int, n_draws: int) -> np.ndarray:
    """The standard normals of the ``k``-th site of a subtype (``k = 0`` also gives every site's own percentiles)."""
    return stratified_normal(np.random.default_rng([seed, key, k + 1]), n_draws)


def chain(units: np.ndarray, log_ratio: np.ndarray, group: GroupDraws, relocated: np.ndarray,
          declared_beds: np.ndarray, beds_per_migrant: float, stay_shares: dict[str, float]) -> dict[str, np.ndarray]:
    """Every quantity per draw: arrays of shape (sites, draws) from the log ratio of each site and draw."""
    workers = units[:, None] * np.exp(log_ratio)
    net = np.maximum(workers - relocated[:, None], 0.0)
    migrants = net * group.migrant_share[None, :]
    peak = migrants * group.peak_factor[None, :]
    beds = peak * beds_per_migrant
    out = {"workers": workers, "workers_net": net, "migrants": migrants, "migrants_peak": peak, "beds_needed": beds,
           "beds_employer": beds * group.employer_share[None, :],
           "beds_to_find": np.maximum(beds - declared_beds[:, None], 0.0)}
    for stay, share in stay_shares.items():
        out[f"beds_{stay}_stay"] = beds * share
    return out


def _inputs(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per site: the units the ratio multiplies, relocated jobs, declared beds, and whether the company announced
    its jobs (then the units are those jobs and the "ratio" is the realised share of announced jobs)."""
    jobs = _declared_jobs(frame)
    announced = np.isfinite(jobs)
    units = np.where(announced, jobs, frame["basis_units"].to_numpy(dtype=float))
    return (units, frame["relocated_jobs"].fillna(0.0).to_numpy(dtype=float),
            frame["declared_beds"].fillna(0.0).to_numpy(dtype=float), announced)


def _declared_jobs(frame: pd.DataFrame) -> np.ndarray:
    """The jobs each site's company announced, NaN where none (tables assessed before the column existed too)."""
    if "declared_jobs" not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame["declared_jobs"], errors="coerce").to_numpy(dtype=float)


def _realised_log_share(row: pd.Series, z: np.ndarray) -> np.ndarray:
    """Log of the realised share of announced jobs for standard normals ``z`` (P10 / P50 / P90 of the library's
    ``realised_over_announced``): what a site's own noise gives when its company announced its jobs."""
    low, middle, high = (float(row[f"realised_over_announced_{lvl}"]) for lvl in LEVELS)
    return np.log(two_piece(low, middle, high, z, "log"))


def _from_plot(frame: pd.DataFrame) -> np.ndarray:
    """Which sites have their floor area from their plot (tables assessed before the column existed: none)."""
    if "floor_area_from_plot" not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return frame["floor_area_from_plot"].fillna(False).to_numpy(dtype=bool)


def coverage_noise(seed: int, key: int, k: int, n_draws: int) -> np.ndarray:
    """The standard normals of the floor area per m2 of plot of the ``k``-th site of a subtype (its own stream,
    independent of the site's ratio noise)."""
    return stratified_normal(np.random.default_rng([seed, key, k + 1, 2]), n_draws)


def _coverage_log(row: pd.Series, z: np.ndarray) -> np.ndarray:
    """Log of (floor area per m2 of plot / its P50) for standard normals ``z``: the per-site spread of a floor area
    that comes from the plot (``plot_to_bvo``, P10 / P50 / P90)."""
    low, middle, high = (float(row[f"plot_to_bvo_{lvl}"]) for lvl in LEVELS)
    return np.log(two_piece(low, middle, high, z, "log") / middle)


def _settings_of(assessed: pd.DataFrame) -> tuple[int, int]:
    missing = [c for c in MODEL_COLUMNS if c not in assessed.columns]
    if missing:
        raise InputError(Problem(f"the table has no {', '.join(missing[:4])}", fix="assess the sites first"))
    return int(assessed["mc_draws"].iloc[0]), int(assessed["mc_seed"].iloc[0])


def site_quantiles(assessed: pd.DataFrame) -> dict[str, pd.Series]:
    """P10 / P50 / P90 of every quantity for every site, from its subtype's draws (``k = 0``)."""
    n_draws, seed = _settings_of(assessed)
    probabilities = [QUANTILES[lvl] for lvl in LEVELS]
    result = {f"{q}_{lvl}": np.full(len(assessed), np.nan) for q in QUANTITIES for lvl in LEVELS}
    keys = assessed["sector"].astype(str) + "/" + assessed["subtype"].astype(str)
    for _, positions in pd.Series(np.arange(len(assessed))).groupby(keys.to_numpy()).groups.items():
        positions = np.asarray(positions)
        rows = assessed.iloc[positions]
        first = rows.iloc[0]
        group = group_draws(first, n_draws, seed)
        z = site_noise(seed, _group_key(first["sector"], first["subtype"]), 0, n_draws)
        log_ratio = group.log_centre + group.log_spread * z
        stays = {stay: float(first[f"share_{stay}_stay"]) for stay in STAY_TYPES}
        units, relocated, declared, announced = _inputs(rows)
        # Without relocated or announced jobs every quantity is the area times the same draws per unit of area, and
        # beds_to_find = max(beds - declared, 0) is monotone in beds: the quantiles scale exactly.
        per_unit = chain(np.ones(1), log_ratio[None, :], group, np.zeros(1), np.zeros(1),
                         float(first["beds_per_migrant"]), stays)
        unit_q = {q: np.quantile(per_unit[q][0], probabilities) for q in QUANTITIES}
        from_plot = _from_plot(rows)
        plain = (relocated == 0) & ~announced & ~from_plot
        for q in QUANTITIES:
            values = units[:, None] * unit_q[q][None, :]
            if q == "beds_to_find":
                values = np.maximum(units[:, None] * unit_q["beds_needed"][None, :] - declared[:, None], 0.0)
            for j, lvl in enumerate(LEVELS):
                result[f"{q}_{lvl}"][positions[plain]] = values[plain, j]
        if (~plain).any():
            others = np.repeat(log_ratio[None, :], int((~plain).sum()), axis=0)
            if announced.any():
                others[announced[~plain]] = _realised_log_share(first, z)
            if from_plot.any():
                key = _group_key(first["sector"], first["subtype"])
                others[from_plot[~plain]] += _coverage_log(first, coverage_noise(seed, key, 0, n_draws))
            sims = chain(units[~plain], others, group, relocated[~plain], declared[~plain],
                         float(first["beds_per_migrant"]), stays)
            for q in QUANTITIES:
                values = np.quantile(sims[q], probabilities, axis=1)
                for j, lvl in enumerate(LEVELS):
                    result[f"{q}_{lvl}"][positions[~plain]] = values[j]
    return {column: pd.Series(values, index=assessed.index) for column, values in result.items()}


def iter_draws(assessed: pd.DataFrame, chunk: int = 1000) -> Iterator[tuple[np.ndarray, dict[str, np.ndarray]]]:
    """The joint draws of every site: yields (positions of the sites, quantity -> array sites x draws).

    Sites of a subtype share its group draws; each site has its own noise
    (see :func:`_group_log_ratios`). A total over sites is the sum of these
    arrays over the sites, draw by draw (:func:`total_draws` does that
    without building every array).
    """
    n_draws, seed = _settings_of(assessed)
    announced = np.isfinite(_declared_jobs(assessed))
    from_plot = _from_plot(assessed)
    keys = assessed["sector"].astype(str) + "/" + assessed["subtype"].astype(str)
    for _, positions in pd.Series(np.arange(len(assessed))).groupby(keys.to_numpy()).groups.items():
        positions = np.asarray(positions)
        first = assessed.iloc[positions[0]]
        group = group_draws(first, n_draws, seed)
        key = _group_key(first["sector"], first["subtype"])
        stays = {stay: float(first[f"share_{stay}_stay"]) for stay in STAY_TYPES}
        for _, part, log_ratio in _group_log_ratios(group, positions, seed, key, n_draws, chunk,
                                                    announced[positions], first, from_plot[positions]):
            units, relocated, declared, _ = _inputs(assessed.iloc[part])
            yield part, chain(units, log_ratio, group, relocated, declared, float(first["beds_per_migrant"]), stays)


def _group_log_ratios(group: GroupDraws, positions: np.ndarray, seed: int, key: int, n_draws: int, chunk: int,
                      announced: np.ndarray, first: pd.Series, from_plot: np.ndarray | None = None
                      ) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """The log ratios (sites x draws) of a subtype's sites, chunk by chunk.

    The first site of a subtype has the noise of :func:`site_noise` ``(0)``, the same as every site's own
    percentiles, so a site alone has the same percentiles as its total; the others draw from one generator
    per chunk of ``chunk`` sites. Sites whose company announced its jobs (``announced``, aligned with
    ``positions``) get the log of the realised share of announced jobs instead, from the same noise. Sites whose
    floor area comes from their plot (``from_plot``) add the spread of floor area per m2 of plot, from noise of
    its own (:func:`coverage_noise` for the first site, one more generator per chunk for the others).
    """
    for start in range(0, len(positions), chunk):
        part = positions[start:start + chunk]
        z = np.random.default_rng([seed, key, 0, start]).standard_normal((len(part), n_draws))
        if start == 0:
            z[0] = site_noise(seed, key, 0, n_draws)
        log_ratio = group.log_centre[None, :] + group.log_spread[None, :] * z
        mine = announced[start:start + chunk]
        if mine.any():
            log_ratio[mine] = _realised_log_share(first, z[mine])
        plotted = from_plot[start:start + chunk] if from_plot is not None else np.zeros(0, dtype=bool)
        if plotted.any():
            z_cover = np.random.default_rng([seed, key, 0, start, 2]).standard_normal((len(part), n_draws))
            if start == 0:
                z_cover[0] = coverage_noise(seed, key, 0, n_draws)
            log_ratio[plotted] += _coverage_log(first, z_cover[plotted])
        yield start, part, log_ratio


def total_draws(assessed: pd.DataFrame, weights: np.ndarray | None = None, chunk: int = 1000
                ) -> dict[str, np.ndarray]:
    """Per quantity, the draws of the (weighted) sum over sites: arrays of shape (columns of weights, draws).

    ``weights`` (sites x k) weigh each site, for example its share of full
    staffing in each of k years; without it, one column of ones. Within a
    subtype the migrant share, peak factor, employer share and stay shares are
    common to all sites in a draw, so only workers, net workers and the beds
    still to find are summed site by site.
    """
    n_draws, seed = _settings_of(assessed)
    weights = np.ones((len(assessed), 1)) if weights is None else np.asarray(weights, dtype=float)
    sums = {q: np.zeros((weights.shape[1], n_draws)) for q in QUANTITIES}
    announced = np.isfinite(_declared_jobs(assessed))
    from_plot = _from_plot(assessed)
    keys = assessed["sector"].astype(str) + "/" + assessed["subtype"].astype(str)
    for _, positions in pd.Series(np.arange(len(assessed))).groupby(keys.to_numpy()).groups.items():
        positions = np.asarray(positions)
        first = assessed.iloc[positions[0]]
        group = group_draws(first, n_draws, seed)
        key = _group_key(first["sector"], first["subtype"])
        per_worker = group.migrant_share * group.peak_factor * float(first["beds_per_migrant"])
        workers = np.zeros((weights.shape[1], n_draws))
        net = np.zeros((weights.shape[1], n_draws))
        to_find = np.zeros((weights.shape[1], n_draws))
        for _, part, log_ratio in _group_log_ratios(group, positions, seed, key, n_draws, chunk,
                                                    announced[positions], first, from_plot[positions]):
            units, relocated, declared, _ = _inputs(assessed.iloc[part])
            w = weights[part].T
            site_workers = units[:, None] * np.exp(log_ratio)
            workers += w @ site_workers
            site_net = np.maximum(site_workers - relocated[:, None], 0.0) if (relocated > 0).any() else site_workers
            net += w @ site_net
            if (declared > 0).any():
                to_find += w @ np.maximum(site_net * per_worker[None, :] - declared[:, None], 0.0)
            else:
                to_find += (w @ site_net) * per_worker[None, :]
        migrants = net * group.migrant_share[None, :]
        beds = net * per_worker[None, :]
        sums["workers"] += workers
        sums["workers_net"] += net
        sums["migrants"] += migrants
        sums["migrants_peak"] += migrants * group.peak_factor[None, :]
        sums["beds_needed"] += beds
        sums["beds_employer"] += beds * group.employer_share[None, :]
        sums["beds_to_find"] += to_find
        for stay in STAY_TYPES:
            sums[f"beds_{stay}_stay"] += beds * float(first[f"share_{stay}_stay"])
    return sums


def totals(assessed: pd.DataFrame) -> pd.DataFrame:
    """Every quantity over all sites: rows are quantities, columns P10 / P50 / P90 of the sum of the draws.

    The P90 of a total is lower than the sum of the sites' P90s (and the P10
    higher than the sum of their P10s) wherever sites vary independently.
    """
    sums = total_draws(assessed)
    probabilities = [QUANTILES[lvl] for lvl in LEVELS]
    return pd.DataFrame([np.quantile(sums[q][0], probabilities) for q in QUANTITIES],
                        index=pd.Index(QUANTITIES, name="quantity"), columns=list(LEVELS))


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

    Returns a DataFrame indexed by year with columns P10 / P50 / P90 of the
    yearly sum of the draws.
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
    sums = total_draws(assessed, shares.to_numpy())[quantity]
    probabilities = [QUANTILES[lvl] for lvl in LEVELS]
    return pd.DataFrame(np.quantile(sums, probabilities, axis=1).T, columns=list(LEVELS),
                        index=pd.Index(shares.columns, name="year"))
