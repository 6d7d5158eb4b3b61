"""Registers distributed like real housing, for the benchmark (not shipped with planner).

Real address registers cluster: most addresses lie in towns, towns lie near
municipal borders as often as not, and a register always has some rows
without a usable point. The uniform benchmark file has none of this, so the
grid index answers nearly every point from its label. This generator:

* gives each municipality a number of locations in proportion to its
  households (CBS ``huishoudens`` of the real 2024 borders; inhabitants / 2.1
  where it is missing);
* places 80% of them in towns: a few centres per municipality (more for
  larger ones), each drawing a Gaussian cloud of 300-1,500 m; 12% spread
  evenly over the municipality; 8% within 100 m of its border;
* leaves 0.25% abroad (east of the German border), 0.25% as null geometries
  (what GDAL and geopandas write for a missing point) and repeats 0.01% of
  the ids;
* writes GeoParquet with WKB points in RD New, with null geometries as real
  Arrow nulls, in pyarrow's default row groups.

Attributes (type, area, bedrooms, occupants) come from
:func:`planner.synthetic.national_register`, so the norm check has the same
work as on the uniform file. Synthetic: no row describes a real address.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely


def _inside(polygon, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` points spread evenly inside ``polygon`` (rejection sampling on its bounding box)."""
    xmin, ymin, xmax, ymax = polygon.bounds
    shapely.prepare(polygon)
    found = [np.empty((0, 2))]
    have = 0
    while have < count:
        m = max(64, int((count - have) * 3))
        xy = np.column_stack([rng.uniform(xmin, xmax, m), rng.uniform(ymin, ymax, m)])
        keep = xy[shapely.intersects_xy(polygon, xy[:, 0], xy[:, 1])]
        found.append(keep)
        have += len(keep)
    return np.concatenate(found)[:count]


def realistic_points(n: int, boundaries: gpd.GeoDataFrame, seed: int = 2024) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points in RD New placed like addresses; NaN for the rows without a point."""
    rng = np.random.default_rng(seed)
    land = boundaries[boundaries["gemeentecode"].str.match(r"GM\d{4}$") & (boundaries["gemeentecode"] != "GM0998")]
    land = land.to_crs("EPSG:28992")
    households = pd.to_numeric(land["huishoudens"], errors="coerce")
    inhabitants = pd.to_numeric(land["aantal_inwoners"], errors="coerce") / 2.1  # about 2.1 persons per household
    weights = households.where(households > 0, inhabitants).fillna(1).clip(lower=1).to_numpy(float)
    n_abroad = n_null = round(n * 0.0025)
    counts = rng.multinomial(n - n_abroad - n_null, weights / weights.sum())
    parts = []
    for polygon, count in zip(land.geometry.to_numpy(), counts, strict=True):
        if count == 0:
            continue
        polygon = shapely.make_valid(polygon)
        towns, spread, border = rng.multinomial(count, [0.80, 0.12, 0.08])
        k = int(np.clip(round(count / 6000), 1, 40))
        centres = _inside(polygon, k, rng)
        size = rng.lognormal(0.0, 1.0, k)
        which = rng.choice(k, size=towns, p=size / size.sum())
        sigma = rng.uniform(300, 1500, k)[which]
        town = centres[which] + rng.normal(0.0, 1.0, (towns, 2)) * sigma[:, None]
        ring = shapely.get_coordinates(shapely.segmentize(polygon, 50.0))  # the border's vertices, 50 m apart
        edge = ring[rng.integers(0, len(ring), border)] + rng.uniform(-100, 100, (border, 2))
        parts += [town, _inside(polygon, spread, rng), edge]
    xy = np.concatenate(parts)
    abroad = np.column_stack([rng.uniform(280_000, 300_000, n_abroad), rng.uniform(350_000, 550_000, n_abroad)])
    xy = np.concatenate([xy, abroad, np.full((n_null, 2), np.nan)])
    order = rng.permutation(len(xy))
    return np.round(xy[order, 0], 1), np.round(xy[order, 1], 1)


def realistic_register(n: int, boundaries: gpd.GeoDataFrame, seed: int = 2024) -> pd.DataFrame:
    """A register of ``n`` synthetic locations placed like real addresses (see the module text)."""
    from planner.synthetic import national_register

    square = gpd.GeoDataFrame(geometry=[shapely.box(0, 300_000, 280_000, 625_000)], crs="EPSG:28992")
    frame = national_register(n, square, seed=seed, bad_share=0.0)  # attributes only: the points are ours
    x, y = realistic_points(n, boundaries, seed)
    frame["x"], frame["y"] = x, y
    rng = np.random.default_rng(seed + 1)
    repeated = rng.choice(n, size=max(1, n // 10_000), replace=False)
    # A repeated id is the same address exported twice: the whole row repeats, so any copy counts the same.
    source = rng.choice(n, size=len(repeated))
    frame.iloc[repeated] = frame.iloc[source].to_numpy()
    return frame


def write_register(path: str | Path, frame: pd.DataFrame) -> Path:
    """GeoParquet 1.1, WKB points in RD New, rows without a point as null geometries; default row groups."""
    from pyproj import CRS

    n = len(frame)
    x, y = frame["x"].to_numpy(dtype="<f8"), frame["y"].to_numpy(dtype="<f8")
    present = np.isfinite(x) & np.isfinite(y)
    m = int(present.sum())
    wkb = np.zeros((m, 21), dtype=np.uint8)
    wkb[:, 0] = 1
    wkb[:, 1] = 1
    wkb[:, 5:13] = np.ascontiguousarray(x[present]).view(np.uint8).reshape(m, 8)
    wkb[:, 13:21] = np.ascontiguousarray(y[present]).view(np.uint8).reshape(m, 8)
    offsets = np.concatenate([[0], np.cumsum(np.where(present, 21, 0))]).astype(np.int32)
    validity = pa.array(present).buffers()[1]
    geometry = pa.Array.from_buffers(pa.binary(), n, [validity, pa.py_buffer(offsets.tobytes()),
                                                      pa.py_buffer(wkb.tobytes())], null_count=n - m)
    table = pa.Table.from_pandas(frame.drop(columns=["x", "y"]), preserve_index=False)
    table = table.append_column("geometry", geometry)
    meta = {"version": "1.1.0", "primary_column": "geometry",
            "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"],
                                     "crs": json.loads(CRS.from_user_input("EPSG:28992").to_json()),
                                     "bbox": [float(x[present].min()), float(y[present].min()),
                                              float(x[present].max()), float(y[present].max())]}}}
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"geo": json.dumps(meta).encode()})
    pq.write_table(table, path)
    return Path(path)
