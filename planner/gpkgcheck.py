"""A GeoPackage from elsewhere, looked at before GDAL opens it.

A GeoPackage is an SQLite database. What GDAL (and so pyogrio and geopandas)
reads as a layer may be a view, and a view runs whatever query its author
wrote, each time it is read: a recursive query that counts to 10^12 holds
whoever opens the file at full CPU, without end. A generated column computes
its value on every read in the same way. Neither occurs in a GeoPackage that
planner, QGIS or GDAL write, so :func:`check_geopackage` refuses a file with
any view, any layer (``gpkg_contents`` entry) that is no plain table, any
generated column, any virtual table other than the R-tree spatial index, and
a layer whose stored feature count is false (GDAL allocates memory for the
count it is told before it reads a row: 400 million claimed for one row took
12.7 GB).

The file is opened with Python's sqlite3 read-only (``mode=ro``, ``PRAGMA
query_only``), and only SQLite's own catalogue is read: nothing the file's
author wrote is run.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from .errors import InputError, Problem

#: Virtual tables a GeoPackage may hold: the R-tree spatial index (GeoPackage extension ``gpkg_rtree_index``).
ALLOWED_VIRTUAL_MODULES = ("rtree",)
#: How many SQLite virtual-machine steps the check may take before it gives up (it reads only the catalogue).
_STEP_LIMIT = 50_000_000
_VIRTUAL = re.compile(r"^\s*CREATE\s+VIRTUAL\s+TABLE\s+.*?\bUSING\s+(\w+)", re.IGNORECASE | re.DOTALL)


def _refuse(path: Path, what: str) -> InputError:
    return InputError(Problem(f"the GeoPackage {path.name} {what}; planner does not open such a file, as reading "
                              "it could run its own queries without end",
                              fix="export the layers again with planner, QGIS or GDAL (ogr2ogr)"), source=str(path))


def _findings(db: sqlite3.Connection) -> list[str]:
    """What in the catalogue makes the file unsafe to read, in words (empty when nothing does)."""
    found = []
    views = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name")]
    if views:
        found.append(f"contains a view ({', '.join(views[:5])})")
    tables = {}
    for name, sql in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
        tables[str(name).lower()] = sql or ""
        virtual = _VIRTUAL.match(sql or "")
        if virtual and virtual.group(1).lower() not in ALLOWED_VIRTUAL_MODULES:
            found.append(f"contains a virtual table {name} ({virtual.group(1)})")
    if "gpkg_contents" in tables:
        layers = [str(name) for (name,) in db.execute("SELECT table_name FROM gpkg_contents")]
        missing = [name for name in layers if name.lower() not in tables or _VIRTUAL.match(tables[name.lower()])]
        if missing:
            found.append(f"lists layer(s) that are no table ({', '.join(missing[:5])})")
    for name, sql in tables.items():
        if _VIRTUAL.match(sql):
            continue
        hidden = [row[1] for row in db.execute("SELECT * FROM pragma_table_xinfo(?)", (name,)) if row[6] in (2, 3)]
        if hidden:
            found.append(f"has computed (generated) column(s) in {name} ({', '.join(map(str, hidden[:5]))})")
    return found


def _false_counts(db: sqlite3.Connection) -> list[str]:
    """Layers whose stored feature count (``gpkg_ogr_contents``, which GDAL trusts and allocates memory for before
    it reads a row) is not the number of rows the layer holds. Counting a plain table reads no more than the file."""
    tables = {str(n).lower() for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "gpkg_ogr_contents" not in tables:
        return []
    out = []
    for name, claimed in db.execute("SELECT table_name, feature_count FROM gpkg_ogr_contents"):
        if claimed is None or str(name).lower() not in tables:
            continue
        held = db.execute(f'SELECT count(*) FROM "{str(name).replace(chr(34), chr(34) * 2)}"').fetchone()[0]
        if claimed != held:
            out.append(f"says its layer '{name}' holds {claimed} features, but it holds {held}")
    return out


def check_geopackage(path: str | Path) -> None:
    """Refuse (:class:`InputError`, naming the file) a GeoPackage that reading could make run its own queries.

    Call it before GDAL, pyogrio or geopandas open the file: a view or a
    generated column is refused, and so is a layer in ``gpkg_contents`` that
    is no plain table, or a virtual table other than the R-tree index; a file
    SQLite cannot read is refused as unreadable. Reads the catalogue only, in
    read-only mode.
    """
    path = Path(path)
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        db = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return
    steps = {"n": 0}

    def progress() -> int:
        steps["n"] += 1
        return 1 if steps["n"] * 1000 > _STEP_LIMIT else 0  # non-zero stops the statement

    try:
        db.execute("PRAGMA query_only = ON")
        db.execute("PRAGMA trusted_schema = OFF")
        db.set_progress_handler(progress, 1000)
        found = _findings(db)
        false = [] if found else _false_counts(db)
    except sqlite3.Error as exc:
        raise InputError(Problem(f"cannot read the file as a GeoPackage ({exc})",
                                 fix="check that it is a complete GeoPackage (ask the sender for the file again)"),
                         source=str(path)) from None
    finally:
        db.close()
    if found:
        raise _refuse(path, "; ".join(found))
    if false:
        raise InputError(Problem(f"the GeoPackage {path.name} {'; '.join(false)}: planner does not open such a file, "
                                 "as reading it would take memory for features that are not there",
                                 fix="export the layers again with planner, QGIS or GDAL (ogr2ogr)"), source=str(path))


__all__ = ["check_geopackage"]
