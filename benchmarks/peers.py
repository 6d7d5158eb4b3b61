"""The national check in DuckDB spatial and SedonaDB, for ``make bench`` (not shipped with planner).

Both engines get what a GIS analyst who knows them would give them: the
municipal borders made disjoint (where the generalised CBS borders overlap,
a point belongs to the first municipality in the layer, as in planner) and
cut on a 5 km grid, so each piece is small and its bounding box tight; the
grid lines lie 5 cm off the 10 cm raster of the register's coordinates, so
no point falls on a cut. Each engine then reads the GeoParquet register
itself, finds each location's piece with ``ST_Covers``, applies the norm
check in SQL (the rules of :func:`planner.housing.capacity`, written out by
``bench._sql_capacity``), counts a repeated location id once, and sums per
municipality.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

GRID_M = 5_000.0
GRID_OFFSET_M = 0.05


def disjoint_pieces(boundaries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Borders without overlaps (earlier positions win), cut on a 5 km grid; columns ``code``, ``geometry`` (RD)."""
    layer = boundaries.to_crs("EPSG:28992")
    polygons = shapely.make_valid(layer.geometry.to_numpy())
    tree = shapely.STRtree(polygons)
    codes, pieces = [], []
    for position, (code, own) in enumerate(zip(layer["gemeentecode"], polygons, strict=True)):
        earlier = [j for j in tree.query(own, predicate="intersects") if j < position]
        if earlier:  # where borders overlap, the earlier municipality keeps the overlap (as in planner)
            own = shapely.difference(own, shapely.union_all(polygons[earlier]))
        xmin, ymin, xmax, ymax = own.bounds
        xs = np.arange(np.floor(xmin / GRID_M) * GRID_M, xmax + GRID_M, GRID_M) + GRID_OFFSET_M
        ys = np.arange(np.floor(ymin / GRID_M) * GRID_M, ymax + GRID_M, GRID_M) + GRID_OFFSET_M
        cells = [shapely.box(x, y, x + GRID_M, y + GRID_M) for x in xs for y in ys]
        cut = shapely.intersection(own, np.array(cells, dtype=object))
        cut = [piece for piece in cut if not piece.is_empty and piece.area > 0]
        pieces += cut
        codes += [code] * len(cut)
    return gpd.GeoDataFrame({"code": codes}, geometry=pieces, crs="EPSG:28992")


def _query(register: str, borders: str, capacity: str, valid: str, read) -> str:
    return f"""
WITH h AS (SELECT *, row_number() OVER (PARTITION BY location_id) AS k FROM {read(register)}),
c AS (SELECT geometry, (coalesce({valid}, false) AND k = 1) AS ok, {capacity} AS cap FROM h),
j AS (SELECT c.ok, c.cap, g.code FROM c LEFT JOIN {read(borders)} g ON ST_Covers(g.geometry, c.geometry))
SELECT coalesce(code, '(unknown)') AS code, sum(CASE WHEN ok THEN cap ELSE 0 END) AS capacity,
       sum(CASE WHEN ok THEN 1 ELSE 0 END) AS locations
FROM j GROUP BY coalesce(code, '(unknown)')"""


def run_duckdb(register: Path, borders: Path, capacity: str, valid: str) -> dict[str, list[float]]:
    import duckdb
    import duckdb_extension_spatial

    extension = next(Path(duckdb_extension_spatial.__file__).parent.glob("extensions/*/spatial.duckdb_extension"))
    connection = duckdb.connect()
    connection.load_extension(str(extension))
    rows = connection.sql(_query(str(register), str(borders), capacity, valid,
                                 lambda path: f"read_parquet('{path}')")).fetchall()
    return {code: [float(cap or 0), int(n)] for code, cap, n in rows}


def run_sedonadb(register: Path, borders: Path, capacity: str, valid: str) -> dict[str, list[float]]:
    import sedonadb

    connection = sedonadb.connect()
    connection.read_parquet(str(register)).to_view("register")
    connection.read_parquet(str(borders)).to_view("borders")
    frame = connection.sql(_query("register", "borders", capacity, valid, lambda name: name)).to_pandas()
    return {code: [float(cap or 0), int(n)] for code, cap, n in frame.itertuples(index=False)}
