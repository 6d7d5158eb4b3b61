"""Municipal boundary layers: bundled (schematic), downloaded or imported (exact).

This is an I/O edge. The layer used for a boundary year is, in this order:

1. an *exact* layer in the user's data directory, put there by
   ``planner geodata download`` (CBS boundaries from the PDOK WFS) or
   ``planner geodata import FILE`` (the user's own GeoPackage, GeoJSON or
   zipped Shapefile);
2. for 2024, the *schematic* layer bundled in ``geodata/`` (see
   :mod:`planner.schematic`): exact codes, approximate borders.

Every layer carries its kind, year and source, so maps and reports can say
which borders they show. A layer is stored under its own year, recognised from
its municipal codes (:mod:`planner.herindeling`): a 2022 layer is a 2022
layer. Downloads are bounded in time and size (:mod:`planner.fetch`) and every
layer is checked in full (geometries present, CRS known and in the
Netherlands, codes of the year) before the cache is replaced atomically: a
failed or interrupted download or import leaves the previous layer as it was.

The data directory is ``$PLANNER_DATA_DIR``, else ``$XDG_DATA_HOME/planner``,
else ``~/.local/share/planner``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import warnings
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .boundaries import BoundaryLayer, unknown_codes
from .errors import InputError, PlannerWarning, Problem
from .fetch import UNCHANGED, FetchLimits, check_url, fetch_pages
from .herindeling import known_years, recognise_year, region_table_for, year_codes
from .io import open_vector
from .paths import data_dir
from .regions import ABROAD_CODE, RD_NEW, repair_boundaries
from .schematic import LAYER_FILE, REGIONS_FILE
from .schematic import YEAR as SCHEMATIC_YEAR

#: The CBS "wijken en buurten" WFS on PDOK, layer of municipalities (2022 and later).
PDOK_WFS = ("https://service.pdok.nl/cbs/wijkenbuurten/{year}/wfs/v1_0?service=WFS&version=2.0.0"
            "&request=GetFeature&typeName=wijkenbuurten:gemeenten&outputFormat=json")
PAGE_SIZE = 1000
CODE_PATTERN = re.compile(r"^GM\d{4}$")

def user_data_directory() -> Path:
    """Where downloaded and imported layers are kept (created on first use)."""
    if os.environ.get("PLANNER_DATA_DIR"):
        base = Path(os.environ["PLANNER_DATA_DIR"])
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "planner"
    return base


def _cache_paths(year: int, directory: Path | None) -> tuple[Path, Path]:
    folder = (directory or user_data_directory()) / "boundaries"
    return folder / f"gemeenten_{year}.gpkg", folder / f"gemeenten_{year}.json"


def region_table(year: int = SCHEMATIC_YEAR) -> pd.DataFrame:
    """The municipality -> COROP -> province table of ``year``.

    Bundled for 2024; for the other years planner knows (see
    :mod:`planner.herindeling`) derived from it: a municipality that merged
    later takes the regions of the municipality it merged into.
    """
    path = data_dir("geodata") / REGIONS_FILE
    table = pd.read_csv(path, dtype=str)
    if year == SCHEMATIC_YEAR:
        return table
    try:
        return region_table_for(year, table)
    except KeyError:
        raise InputError(Problem(f"planner has no region table for {year}",
                                 fix=f"use a boundary year from {known_years()[0]} to {known_years()[-1]}, or give "
                                     "your own region table (CSV with gemeentecode and a region column)")) from None


def schematic_layer() -> BoundaryLayer:
    """The bundled schematic layer of 2024."""
    path = data_dir("geodata") / LAYER_FILE
    frame = gpd.read_file(path, engine="pyogrio").to_crs(RD_NEW)
    source = ("planner geodata/" + LAYER_FILE + " (built from woningwaardering and GeoNames place points; "
              "see planner/schematic.py)")
    return BoundaryLayer(frame, SCHEMATIC_YEAR, "schematic", source)


def load_boundaries(year: int = SCHEMATIC_YEAR, directory: Path | None = None) -> BoundaryLayer:
    """The best boundary layer for ``year``: exact if downloaded or imported, else schematic."""
    layer_path, meta_path = _cache_paths(year, directory)
    if layer_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        frame = gpd.read_file(layer_path, engine="pyogrio")
        if frame.empty or "gemeentecode" not in frame.columns or missing_geometries(frame):
            # A cache written by an earlier planner without the checks of validate_boundaries.
            raise InputError(Problem(f"the stored layer of {year} is unusable (municipalities without geometry)",
                                     fix=f"run 'planner geodata forget --year {year}' and download or import it "
                                         "again"), source=str(layer_path))
        return BoundaryLayer(frame, year, "exact", meta.get("source", str(layer_path)))
    if year == SCHEMATIC_YEAR:
        return schematic_layer()
    raise InputError(Problem(f"no municipal boundaries for {year}",
                             fix=f"run 'planner geodata download --year {year}' (needs internet) or "
                                 f"'planner geodata import FILE' (its year is recognised from its codes); "
                                 f"offline, planner has {SCHEMATIC_YEAR}"))


#: Longitude/latitude box around the Netherlands (with its territorial sea), and the extent of RD New.
NL_LONLAT = (2.5, 50.5, 7.6, 54.0)
RD_EXTENT = (-10_000.0, 280_000.0, 310_000.0, 650_000.0)
#: Columns some CBS/PDOK layers carry with the year in them ("2022GM0014").
YEAR_COLUMNS = ("jrstatcode", "jaarstatcode")


def _rename_columns(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    # Other spellings of the two columns: CBS shapefiles (GM_CODE, GM_NAAM), PDOK (statcode,
    # statnaam), and names cut to ten characters by the Shapefile format.
    lower = {str(c).lower(): c for c in frame.columns}
    for target, names in (("gemeentecode", ("gm_code", "statcode", "gemeenteco", "gmcode")),
                          ("gemeentenaam", ("gm_naam", "statnaam", "gemeentena", "gmnaam"))):
        if target not in frame.columns:
            found = next((lower[n] for n in names if n in lower), None)
            if found is not None:
                frame = frame.rename(columns={found: target})
    return frame


def missing_geometries(frame: gpd.GeoDataFrame) -> list[Problem]:
    """Problems for municipalities without a geometry (null or empty); one problem when none has one."""
    own = frame[frame["gemeentecode"] != ABROAD_CODE]
    values = own.geometry.to_numpy()
    missing = np.asarray(shapely.is_missing(values) | shapely.is_empty(values), dtype=bool)
    if missing.all():
        return [Problem(f"none of the {len(own)} municipalities has a geometry (all are null or empty)",
                        fix="the service or file sent attributes only: try again later or use another file")]
    return [Problem("no geometry (null or empty)", row=str(code), column="geometry",
                    fix="give a layer in which every municipality has its polygon")
            for code in own["gemeentecode"][missing][:20]]


def check_crs(frame: gpd.GeoDataFrame) -> list[Problem]:
    """Problems with the layer's CRS: none given, RD metres labelled as longitude/latitude, or not in NL."""
    if frame.crs is None:
        return [Problem("the layer has no coordinate reference system",
                        fix="save it with its CRS (CBS publishes EPSG:28992 and EPSG:4326)")]
    present = frame[(frame["gemeentecode"] != ABROAD_CODE) & ~frame.geometry.is_empty & frame.geometry.notna()]
    xmin, ymin, xmax, ymax = present.total_bounds
    if frame.crs.is_geographic and not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
        looks_rd = (RD_EXTENT[0] <= xmin and xmax <= RD_EXTENT[2] and RD_EXTENT[1] <= ymin and ymax <= RD_EXTENT[3])
        what = "RD New metres (EPSG:28992)" if looks_rd else "projected metres"
        return [Problem(f"the coordinates (x {xmin:,.0f} to {xmax:,.0f}, y {ymin:,.0f} to {ymax:,.0f}) look like "
                        f"{what}, but the layer says they are longitude/latitude ({frame.crs.to_string()}); "
                        "a GeoJSON without a \"crs\" member is longitude/latitude by definition",
                        fix="ask the service for EPSG:4326 (srsName), or save the file with its CRS (EPSG:28992)")]
    lon0, lat0, lon1, lat1 = present.to_crs("EPSG:4326").total_bounds
    box = NL_LONLAT
    if not (box[0] <= lon0 and lon1 <= box[2] and box[1] <= lat0 and lat1 <= box[3]):
        return [Problem(f"the layer lies outside the Netherlands in its CRS {frame.crs.to_string()} (longitude "
                        f"{lon0:.2f} to {lon1:.2f}, latitude {lat0:.2f} to {lat1:.2f})",
                        fix="check the CRS the file declares; Dutch layers are in EPSG:28992 or EPSG:4326")]
    return []


def _year_hint(frame: pd.DataFrame) -> int | None:
    """The year a layer states in a column such as ``jrstatcode`` ("2022GM0014"), if it states one."""
    for column in frame.columns:
        if str(column).lower() in YEAR_COLUMNS:
            years = frame[column].astype(str).str.extract(r"^(\d{4})")[0].dropna().unique()
            if len(years) == 1:
                return int(years[0])
    return None


def boundary_year(codes: Iterable[str], year: int | None, source: str, strict: bool = False,
                  hint: int | None = None) -> int:
    """The boundary year of a layer with these codes, checked against the year asked for.

    Parameters
    ----------
    codes
        The layer's municipal codes.
    year
        The year asked for, or None to take the year the codes belong to.
    strict
        Require exactly the municipalities of the year (a download of the
        whole country); otherwise a layer may hold part of them.
    hint
        A year the layer states itself (``jrstatcode``), used where the codes
        fit several years (2023, 2024 and 2025 have the same codes).

    Raises
    ------
    InputError
        Codes that do not exist in ``year`` (with the year they fit), or, when
        ``strict``, a layer that is not exactly that year's municipalities.
    """
    codes = sorted(set(codes) - {ABROAD_CODE})
    match = recognise_year(codes)
    if year is None:
        if match.year is None:
            raise InputError(Problem(f"{len(match.unknown)} code(s) fit no boundary year planner knows "
                                     f"({known_years()[0]}-{known_years()[-1]}): {', '.join(match.unknown[:8])}",
                                     fix="give the year with --year (planner then takes the layer as it is), or "
                                         "check the codes"), source=source)
        year = _preferred(match, hint)
    known = year_codes(year)
    if known is None:
        warnings.warn(f"{source}: planner does not know the municipalities of {year}, so the codes were not "
                      "checked against that year", PlannerWarning, stacklevel=3)
        return year
    fits = f"; the codes are those of {_years_text(match)}" if match.exact or match.contains else ""
    extra = sorted(set(codes) - set(known))
    if extra:
        raise InputError(Problem(f"{len(extra)} code(s) are not municipalities of {year}: {', '.join(extra[:8])}"
                                 + fits, fix=f"give the year the layer is from (--year {_preferred(match, hint)})"
                                 if match.year else "check the codes, or give the year the layer is from"),
                         source=source)
    missing = sorted(set(known) - set(codes))
    if missing and strict:
        raise InputError(Problem(f"{len(codes)} municipalities, but {year} has {len(known)}: "
                                 f"{', '.join(missing[:8])} missing", fix="try again later, or check the URL"),
                         source=source)
    if missing:
        warnings.warn(f"{source}: the layer holds {len(codes)} of the {len(known)} municipalities of {year}; "
                      f"{', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''} are missing", PlannerWarning,
                      stacklevel=3)
    return year


def _preferred(match, hint: int | None) -> int:
    """Of the years the codes fit, the one the layer states, else the default year, else the latest."""
    candidates = match.exact or match.contains
    for preferred in (hint, SCHEMATIC_YEAR):
        if preferred is not None and preferred in candidates:
            return preferred
    return candidates[-1]


def _years_text(match) -> str:
    years = match.exact or match.contains
    return ", ".join(map(str, years)) if len(years) < 4 else f"{years[0]}-{years[-1]}"


def validate_boundaries(frame: gpd.GeoDataFrame, year: int | None, source: str, strict: bool = False
                        ) -> tuple[gpd.GeoDataFrame, int]:
    """Check and repair a municipal layer and find its boundary year.

    Checks, all before anything is stored: the columns ``gemeentecode`` and
    ``gemeentenaam`` (CBS and PDOK spellings accepted), codes like GM0014, a
    geometry for every municipality, a CRS that is given and puts the layer in
    the Netherlands (RD metres labelled as longitude/latitude are refused),
    valid or repairable polygons without duplicates, and codes of the year
    (see :func:`boundary_year`).

    Returns the repaired layer in RD New and its year.
    """
    frame = _rename_columns(frame)
    problems = [Problem(f"no column '{c}'", column=c, fix="give the CBS municipal layer (gemeentecode, gemeentenaam)")
                for c in ("gemeentecode", "gemeentenaam") if c not in frame.columns]
    if problems:
        raise InputError(problems, source=source)
    if frame.empty:
        raise InputError("the layer has no features", source=source)
    codes = frame["gemeentecode"].astype(str)
    bad = frame.index[~codes.str.match(CODE_PATTERN)]
    if len(bad):
        raise InputError([Problem(f"'{codes[i]}' is not a municipal code", row=f"feature {n + 1}",
                                  column="gemeentecode", fix="codes look like GM0014")
                          for n, i in enumerate(bad[:20])], source=source)
    problems = missing_geometries(frame) or check_crs(frame)
    if problems:
        raise InputError(problems, source=source)
    year = boundary_year(frame["gemeentecode"], year, source, strict=strict, hint=_year_hint(frame))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlannerWarning)
        invalid = int((~frame.geometry.is_valid & (frame["gemeentecode"] != ABROAD_CODE)).sum())
        repaired = repair_boundaries(frame)
    if invalid:
        warnings.warn(f"{source}: {invalid} invalid geometries repaired", PlannerWarning, stacklevel=2)
    empty = repaired.geometry.is_empty | repaired.geometry.isna()
    if empty.any():
        raise InputError([Problem("no polygon left after repair", row=str(c), column="geometry",
                                  fix="give valid polygons") for c in repaired["gemeentecode"][empty][:20]],
                         source=source)
    return repaired, year


def _store(frame: gpd.GeoDataFrame, year: int, source: str, directory: Path | None) -> BoundaryLayer:
    """Write the layer and its metadata atomically (temporary files, then rename)."""
    layer_path, meta_path = _cache_paths(year, directory)
    layer_path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"year": year, "source": source, "features": len(frame),
            "stored": datetime.now(UTC).isoformat(timespec="seconds")}
    handle, temp_layer = tempfile.mkstemp(suffix=".gpkg", dir=layer_path.parent)
    os.close(handle)
    os.unlink(temp_layer)
    try:
        frame.to_file(temp_layer, layer="gemeenten", driver="GPKG", engine="pyogrio")
        temp_meta = Path(temp_layer).with_suffix(".json")
        temp_meta.write_text(json.dumps(meta, indent=1), encoding="utf-8")
        os.replace(temp_layer, layer_path)
        os.replace(temp_meta, meta_path)
    finally:
        for leftover in (Path(temp_layer), Path(temp_layer).with_suffix(".json")):
            leftover.unlink(missing_ok=True)
    return BoundaryLayer(frame, year, "exact", source)


def download_boundaries(year: int = SCHEMATIC_YEAR, url: str | None = None, page_size: int = PAGE_SIZE,
                        directory: Path | None = None, timeout: float | None = None,
                        progress: Callable[[int, int | None], None] | None = None,
                        limits: FetchLimits | None = None) -> BoundaryLayer:
    """Fetch the CBS municipal boundaries of ``year`` from the PDOK WFS, check them fully and cache them.

    Parameters
    ----------
    timeout
        Connect and read time-out in seconds (shorthand for ``limits``).
    progress
        Called after every page with the features so far and the total.
    limits
        Time-outs, overall time limit, byte limit and page limit.

    Nothing is stored unless every check passes (see
    :func:`validate_boundaries`; a download must hold exactly the
    municipalities of ``year``): a failed download leaves the cache as it was.
    """
    url = url or PDOK_WFS.format(year=year)
    check_url(url)
    limits = limits or FetchLimits()
    if timeout is not None:
        limits = replace(limits, connect_timeout=timeout, read_timeout=timeout)
    features, crs = fetch_pages(url, page_size, limits, progress)
    if not features:
        raise InputError(Problem("the service returned no features",
                                 fix=f"check that {year} is published; {UNCHANGED}"), source=url)
    try:
        frame = gpd.GeoDataFrame.from_features(features, crs=crs or "EPSG:4326")
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise InputError(Problem(f"the features are not valid GeoJSON: {exc}", fix=f"try again later; {UNCHANGED}"),
                         source=url) from None
    try:
        frame, year = validate_boundaries(frame, year, url, strict=True)
    except InputError as exc:
        raise InputError([replace(p, fix=f"{p.fix}; {UNCHANGED}" if p.fix else UNCHANGED) for p in exc.problems],
                         source=exc.source) from None
    return _store(frame, year, f"CBS/PDOK wijken en buurten {year} (CC-BY 4.0), downloaded from {url}", directory)


def import_boundaries(path: str | Path, year: int | None = None, directory: Path | None = None) -> BoundaryLayer:
    """Take a user's municipal layer (GeoPackage, GeoJSON, zipped Shapefile) as the exact layer of its year.

    ``year`` None stores the layer under the year its codes belong to (a
    2022 layer as 2022); a given year must fit the codes.
    """
    path = Path(path)
    frame = open_vector(path)
    frame, year = validate_boundaries(frame, year, str(path))
    return _store(frame, year, f"imported from {path.name}", directory)


def cached_years(directory: Path | None = None) -> list[int]:
    """The years for which a downloaded or imported layer is stored."""
    folder = (directory or user_data_directory()) / "boundaries"
    years = [int(m.group(1)) for p in folder.glob("gemeenten_*.gpkg") if (m := re.match(r"gemeenten_(\d{4})$", p.stem))]
    return sorted(years)


def layer_signature(year: int, directory: Path | None = None) -> tuple[int, int] | None:
    """A token that changes whenever the stored layer of ``year`` is replaced or removed (for caches)."""
    layer_path, _ = _cache_paths(year, directory)
    try:
        stat = layer_path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def forget_boundaries(year: int, directory: Path | None = None) -> bool:
    """Remove the cached exact layer of ``year`` (back to schematic); True if there was one."""
    removed = False
    for path in _cache_paths(year, directory):
        if path.exists():
            path.unlink()
            removed = True
    return removed


__all__ = ["PDOK_WFS", "BoundaryLayer", "boundary_year", "cached_years", "check_crs", "download_boundaries",
           "fetch_pages", "forget_boundaries", "import_boundaries", "layer_signature", "load_boundaries",
           "missing_geometries", "region_table", "schematic_layer", "unknown_codes", "user_data_directory",
           "validate_boundaries"]
