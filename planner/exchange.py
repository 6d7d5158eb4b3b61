"""Scenario exchange files: one GeoPackage per scenario.

Layers: ``metadata`` (key/value, with ``schema_version``), ``sites`` (points or
polygons, WGS84), ``capacity``, ``pipeline`` and ``own_reference_objects``
when the scenario has them, and, for people who open the file in QGIS,
``results_gemeente`` and ``results_totals``. Import reads only the inputs and
metadata (results are recomputed), validates them, and refuses a file made
with a newer schema.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from .errors import InputError, Problem
from .gpkgcheck import check_geopackage
from .scenarios import SCHEMA_VERSION, Scenario, ScenarioResult

REQUIRED_META = ("schema_version", "id", "version", "name", "organisation", "author", "created")


def write_scenario(scenario: Scenario, path: str | Path, result: ScenarioResult | None = None) -> Path:
    """Write ``scenario`` (and its results, if given) to a GeoPackage; atomic."""
    path = Path(path)
    if path.suffix.lower() != ".gpkg":
        raise InputError(Problem(f"'{path.name}' is not a .gpkg file", fix="give a file name ending in .gpkg"))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(suffix=".gpkg", dir=path.parent, prefix=f".{path.stem}.")
    os.close(handle)
    os.unlink(temp)
    try:
        meta = scenario.meta()
        table = pd.DataFrame({"key": list(meta), "value": [json.dumps(v) for v in meta.values()]})
        pyogrio.write_dataframe(table, temp, layer="metadata", driver="GPKG")
        pyogrio.write_dataframe(scenario.sites, temp, layer="sites", driver="GPKG", append=True)
        for layer, frame in (("capacity", scenario.capacity), ("pipeline", scenario.pipeline),
                             ("own_reference_objects", scenario.own_objects)):
            if frame is not None and len(frame):
                pyogrio.write_dataframe(pd.DataFrame(frame), temp, layer=layer, driver="GPKG", append=True)
        if result is not None:
            gemeenten = result.per_gemeente().reset_index()
            shapes = result.regional.layer.boundaries.set_index("gemeentecode").geometry.to_crs("EPSG:4326")
            mapped = gpd.GeoDataFrame(gemeenten, geometry=shapes.reindex(gemeenten["gemeentecode"]).to_numpy(),
                                      crs="EPSG:4326")
            pyogrio.write_dataframe(mapped, temp, layer="results_gemeente", driver="GPKG", append=True)
            totals = result.totals().rename("value").rename_axis("figure").reset_index()
            pyogrio.write_dataframe(totals, temp, layer="results_totals", driver="GPKG", append=True)
        os.replace(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)
    return path


def _layers(path: Path) -> set[str]:
    try:
        return {str(name) for name in pyogrio.list_layers(path)[:, 0]}
    except Exception:
        raise InputError(Problem("the file is not a readable GeoPackage (damaged or cut short?)",
                                 fix="ask the sender for the file again; export it with 'planner scenario export'"),
                         source=str(path)) from None


#: The type each metadata value must have (JSON): a file from elsewhere, or a version a member wrote into the
#: shared store with SQL, is checked before any value is used.
META_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,), "version": (int,), "name": (str,), "organisation": (str,), "author": (str,), "created": (str,),
    "norm": (str, type(None)), "mode": (str,), "level": (str,), "boundary_year": (int,), "boundary_kind": (str,),
    "parameters": (dict,), "library_hash": (str,), "note": (str,),
}
_JSON_TYPE_NAMES = {str: "text", int: "a whole number", dict: "a set of named values", type(None): "empty"}


def _wrong_meta(meta: dict) -> list[Problem]:
    """A problem for every metadata value of the wrong type, and for allocation parameters that are no numbers."""
    problems = []
    for key, types in META_TYPES.items():
        if key not in meta:
            continue
        value = meta[key]
        if isinstance(value, bool) or not isinstance(value, types):
            expected = " or ".join(_JSON_TYPE_NAMES[t] for t in types)
            problems.append(Problem(f"metadata '{key}' is {json.dumps(value)[:60]}, not {expected}", column=key,
                                    fix="export the scenario again with planner"))
    if isinstance(meta.get("version"), int) and not isinstance(meta["version"], bool) and meta["version"] < 0:
        problems.append(Problem(f"metadata 'version' is {meta['version']}", column="version",
                                fix="export the scenario again with planner"))
    return problems


def _check_file(path: Path) -> None:
    """Refuse a file that is missing, no GeoPackage, damaged, or made to run queries of its own when read."""
    if not path.is_file():
        raise InputError(f"file not found: {path}")
    try:
        with open(path, "rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc}", source=str(path)) from None
    if header != b"SQLite format 3\x00":
        raise InputError(Problem("the file is not a GeoPackage", fix="give a .gpkg made by planner scenario export"),
                         source=str(path))
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            check = db.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise InputError(Problem(f"the file is damaged ({exc})", fix="ask the sender for the file again"),
                         source=str(path)) from None
    if check != "ok":
        raise InputError(Problem(f"the file is damaged ({check})", fix="ask the sender for the file again"),
                         source=str(path))
    check_geopackage(path)  # before GDAL reads a layer: no view or computed column runs its own query


def read_scenario(path: str | Path) -> Scenario:
    """Read and check a scenario exchange file."""
    path = Path(path)
    _check_file(path)
    layers = _layers(path)
    missing = {"metadata", "sites"} - layers
    if missing:
        raise InputError(Problem(f"the file has no layer(s) {', '.join(sorted(missing))}",
                                 fix="this is not a planner scenario file; export one with 'planner scenario export'"),
                         source=str(path))
    table = pyogrio.read_dataframe(path, layer="metadata")
    try:
        meta = {k: json.loads(v) for k, v in zip(table["key"], table["value"], strict=True)}
    except (KeyError, ValueError):
        raise InputError(Problem("the metadata table is not readable", fix="export the scenario again"),
                         source=str(path)) from None
    absent = [k for k in REQUIRED_META if k not in meta]
    if absent:
        raise InputError(Problem(f"the metadata lack {', '.join(absent)}", fix="export the scenario again"),
                         source=str(path))
    schema = meta["schema_version"]
    if not isinstance(schema, int) or schema < 1:
        raise InputError(Problem(f"schema version '{schema}' is not valid", fix="export the scenario again"),
                         source=str(path))
    if schema > SCHEMA_VERSION:
        raise InputError(Problem(f"the file was made by a newer planner (scenario schema {schema}; this planner "
                                 f"reads up to {SCHEMA_VERSION})", fix="update planner to open it"), source=str(path))
    sites = pyogrio.read_dataframe(path, layer="sites")
    optional = {layer: pd.DataFrame(pyogrio.read_dataframe(path, layer=layer, read_geometry=False))
                if layer in layers else None for layer in ("capacity", "pipeline", "own_reference_objects")}
    wrong = _wrong_meta(meta)
    if wrong:
        raise InputError(wrong, source=str(path))
    fields = {k: meta[k] for k in ("id", "version", "name", "organisation", "author", "created", "norm", "mode",
                                   "level", "boundary_year", "boundary_kind", "parameters", "library_hash", "note")
              if k in meta}
    try:
        scenario = Scenario(sites=sites, capacity=optional["capacity"], pipeline=optional["pipeline"],
                            own_objects=optional["own_reference_objects"], **fields)
        scenario.allocation_parameters()  # checked now, so a bad value is refused on import, not when evaluated
    except InputError as exc:
        raise exc.with_source(str(path)) from None
    return scenario


def scenario_to_bytes(scenario: Scenario) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = write_scenario(scenario, Path(folder) / "scenario.gpkg")
        return path.read_bytes()


def scenario_from_bytes(data: bytes, source: str = "stored scenario") -> Scenario:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.gpkg"
        path.write_bytes(data)
        try:
            return read_scenario(path)
        except InputError as exc:
            raise exc.with_source(source) from None


__all__ = ["read_scenario", "scenario_from_bytes", "scenario_to_bytes", "write_scenario"]
