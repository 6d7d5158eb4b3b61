"""Municipal boundary layers: bundled (schematic), downloaded or imported (exact).

This is an I/O edge. The layer used for a boundary year is, in this order:

1. an *exact* layer in the user's data directory, put there by
   ``planner geodata download`` (CBS boundaries from the PDOK WFS) or
   ``planner geodata import FILE`` (the user's own GeoPackage, GeoJSON or
   zipped Shapefile);
2. for 2024, the *schematic* layer bundled in ``geodata/`` (see
   :mod:`planner.schematic`): exact codes, approximate borders.

Every layer carries its kind, year and source, so maps and reports can say
which borders they show. Caches are written atomically: a failed or
interrupted download or import leaves the previous layer as it was.

The data directory is ``$PLANNER_DATA_DIR``, else ``$XDG_DATA_HOME/planner``,
else ``~/.local/share/planner``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .boundaries import BoundaryLayer, unknown_codes
from .errors import InputError, PlannerWarning, Problem
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
    """The bundled municipality -> COROP -> province table of ``year``."""
    path = data_dir("geodata") / REGIONS_FILE.replace(str(SCHEMATIC_YEAR), str(year))
    if not path.exists():
        raise InputError(Problem(f"planner has no region table for {year}",
                                 fix=f"use boundary year {SCHEMATIC_YEAR}, or give your own region table (CSV with "
                                     "gemeentecode and a region column)"))
    return pd.read_csv(path, dtype=str)


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
        return BoundaryLayer(frame, year, "exact", meta.get("source", str(layer_path)))
    if year == SCHEMATIC_YEAR:
        return schematic_layer()
    raise InputError(Problem(f"no municipal boundaries for {year}",
                             fix=f"run 'planner geodata download --year {year}' (needs internet) or "
                                 f"'planner geodata import FILE --year {year}'; offline, planner has {SCHEMATIC_YEAR}"))


def validate_boundaries(frame: gpd.GeoDataFrame, year: int, source: str) -> gpd.GeoDataFrame:
    """Check and repair a municipal layer: codes GM0000, names, valid polygons, no duplicates."""
    # Other spellings of the two columns: CBS shapefiles (GM_CODE, GM_NAAM), PDOK (statcode,
    # statnaam), and names cut to ten characters by the Shapefile format.
    lower = {str(c).lower(): c for c in frame.columns}
    for target, names in (("gemeentecode", ("gm_code", "statcode", "gemeenteco", "gmcode")),
                          ("gemeentenaam", ("gm_naam", "statnaam", "gemeentena", "gmnaam"))):
        if target not in frame.columns:
            found = next((lower[n] for n in names if n in lower), None)
            if found is not None:
                frame = frame.rename(columns={found: target})
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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlannerWarning)
        invalid = int((~frame.geometry.is_valid & (frame["gemeentecode"] != ABROAD_CODE)).sum())
        repaired = repair_boundaries(frame)
    if invalid:
        warnings.warn(f"{source}: {invalid} invalid geometries repaired", PlannerWarning, stacklevel=2)
    if year == SCHEMATIC_YEAR:
        expected = set(region_table(year)["gemeentecode"])
        missing, extra = expected - set(repaired["gemeentecode"]), set(repaired["gemeentecode"]) - expected
        if missing or extra:
            warnings.warn(f"{source}: {len(missing)} municipalities of {year} missing "
                          f"({', '.join(sorted(missing)[:5])}), {len(extra)} unknown "
                          f"({', '.join(sorted(extra)[:5])}); is this the {year} layer?", PlannerWarning, stacklevel=2)
    return repaired


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


def _crs_of(page: dict) -> str:
    """The CRS a GeoJSON page names (GeoJSON 2008 "crs" member), else longitude/latitude."""
    name = (page.get("crs") or {}).get("properties", {}).get("name", "")
    match = re.search(r"EPSG:+(\d+)", name)
    return f"EPSG:{match.group(1)}" if match else "EPSG:4326"


def fetch_pages(url: str, page_size: int = PAGE_SIZE, timeout: float = 60,
                progress: Callable[[int, int | None], None] | None = None) -> tuple[list[dict], str]:
    """All features of a WFS GetFeature request, page by page (``count``/``startIndex``).

    Returns the features and the CRS they are in. Stops when a page holds
    fewer than ``page_size`` features or ``numberMatched`` is reached.
    """
    features: list[dict] = []
    crs = "EPSG:4326"
    while True:
        separator = "&" if "?" in url else "?"
        page_url = f"{url}{separator}count={page_size}&startIndex={len(features)}"
        try:
            with urllib.request.urlopen(page_url, timeout=timeout) as answer:  # the scheme is checked by the caller
                body = answer.read()
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise InputError(Problem(f"download failed at feature {len(features)}: {exc}",
                                     fix="check the internet connection or the URL; the cached layer is unchanged "
                                         "(or import a file with 'planner geodata import')"), source=url) from None
        try:
            page = json.loads(body)
            batch = page["features"]
        except (ValueError, KeyError, TypeError):
            raise InputError(Problem(f"the answer for features {len(features)}+ is not complete GeoJSON "
                                     f"({len(body)} bytes)",
                                     fix="try again later; the cached layer is unchanged"), source=url) from None
        if not features:
            crs = _crs_of(page)
        features.extend(batch)
        matched = page.get("numberMatched")
        total = int(matched) if isinstance(matched, int | str) and str(matched).isdigit() else None
        if progress:
            progress(len(features), total)
        if len(batch) < page_size or (total is not None and len(features) >= total):
            return features, crs


def download_boundaries(year: int = SCHEMATIC_YEAR, url: str | None = None, page_size: int = PAGE_SIZE,
                        directory: Path | None = None, timeout: float = 60,
                        progress: Callable[[int, int | None], None] | None = None) -> BoundaryLayer:
    """Fetch the CBS municipal boundaries of ``year`` from the PDOK WFS, check them and cache them."""
    url = url or PDOK_WFS.format(year=year)
    if urllib.parse.urlparse(url).scheme not in ("http", "https"):
        raise InputError(Problem(f"'{url}' is not an http(s) address", fix="give a WFS URL"))
    features, crs = fetch_pages(url, page_size, timeout, progress)
    if not features:
        raise InputError(Problem("the service returned no features", fix=f"check that {year} is published"),
                         source=url)
    frame = gpd.GeoDataFrame.from_features(features, crs=crs)
    frame = validate_boundaries(frame, year, url)
    return _store(frame, year, f"CBS/PDOK wijken en buurten {year} (CC-BY 4.0), downloaded from {url}", directory)


def import_boundaries(path: str | Path, year: int, directory: Path | None = None) -> BoundaryLayer:
    """Take a user's municipal layer (GeoPackage, GeoJSON, zipped Shapefile) as the exact layer of ``year``."""
    path = Path(path)
    frame = open_vector(path)
    frame = validate_boundaries(frame, year, str(path))
    return _store(frame, year, f"imported from {path.name}", directory)


def forget_boundaries(year: int, directory: Path | None = None) -> bool:
    """Remove the cached exact layer of ``year`` (back to schematic); True if there was one."""
    removed = False
    for path in _cache_paths(year, directory):
        if path.exists():
            path.unlink()
            removed = True
    return removed


__all__ = [
    "PDOK_WFS",
    "BoundaryLayer",
    "download_boundaries",
    "fetch_pages",
    "forget_boundaries",
    "import_boundaries",
    "load_boundaries",
    "region_table",
    "schematic_layer",
    "unknown_codes",
    "user_data_directory",
    "validate_boundaries",
]
