"""The housing check at national scale: millions of locations from GeoParquet.

A BAG-scale register (ten million addresses) does not fit the per-location
tables of :func:`planner.housing.check_housing` comfortably, and nobody reads
ten million rows. This module runs the same check in batches and keeps only
what a planner reads: the summary per municipality (the same columns as
:func:`planner.housing.summarise_housing`), its roll-up to COROP regions and
provinces, and the reasons rows could not be used, counted, with examples.

* Input is GeoParquet (one file or a folder of files: a partitioned dataset),
  read batch by batch with pyarrow; point coordinates come straight out of
  the WKB or GeoArrow column without building a Python object per row.
* Each batch goes through the very functions of the ordinary check
  (:func:`~planner.housing.prepare_locations`, :func:`~planner.housing.capacity_values`
  with the rules of :func:`~planner.housing.capacity`,
  :func:`~planner.housing.summarise_housing`), and locations get their
  municipality from :class:`~planner.regions.PointIndex`. Batch summaries
  are sums, so adding them up gives exactly the in-memory answer.
* :func:`check_national` runs in this process (two threads);
  :func:`check_national_dask` runs the same batches on a ``dask.distributed``
  cluster (a ``LocalCluster`` when no scheduler address is given), for data
  larger than one machine's memory.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from .boundaries import BoundaryLayer
from .errors import InputError, Problem
from .housing import (
    COUNT_COLUMNS,
    SUM_COLUMNS,
    HousingParameters,
    NormSet,
    _norm,
    capacity_values,
    load_housing_parameters,
    load_norm_sets,
    normalise_gemeentecode,
    normalise_ids,
    prepare_locations,
    summarise_housing,
    values_to_check,
)
from .io import HOUSING_ALIASES, map_columns
from .regions import RD_NEW, PointIndex, rollup

#: Rows per batch: large enough for vectorised work, small enough to keep memory flat (a quarter of a million rows
#: keep ten million locations under 1.2 GB on two threads, at no cost in time; a million took 1.75 GB).
BATCH_ROWS = 250_000
#: How many example rows per problem the result keeps.
EXAMPLES_PER_PROBLEM = 5
UNKNOWN = "(unknown)"


# -- reading GeoParquet ----------------------------------------------------------------------------

def _dataset(source: str | Path) -> ds.Dataset:
    path = Path(source)
    if not path.exists():
        raise InputError(Problem("file or folder not found", fix="give a GeoParquet file or a folder of them"),
                         source=str(path))
    try:
        return ds.dataset(str(path), format="parquet")
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(Problem(f"not a readable Parquet file or dataset ({exc})",
                                 fix="write the register as GeoParquet (GDAL, geopandas .to_parquet, QGIS)"),
                         source=str(path)) from None


def geo_metadata(source: str | Path, dataset: ds.Dataset | None = None) -> dict:
    """The GeoParquet ``geo`` metadata of a file or dataset (its first file for a folder)."""
    dataset = dataset if dataset is not None else _dataset(source)
    metadata = dataset.schema.metadata or {}
    if b"geo" not in metadata:
        files = getattr(dataset, "files", [])
        if files:
            metadata = pq.read_schema(files[0]).metadata or {}
    if b"geo" not in metadata:
        raise InputError(Problem("no GeoParquet 'geo' metadata: this is plain Parquet",
                                 fix="write it as GeoParquet (geopandas .to_parquet or ogr2ogr -f Parquet)"),
                         source=str(source))
    return json.loads(metadata[b"geo"])


def _crs_of(column_meta: dict):
    from pyproj import CRS

    crs = column_meta.get("crs", "OGC:CRS84")  # absent means longitude/latitude (GeoParquet 1.x)
    if crs is None:
        return None
    return CRS.from_user_input(crs)


def _point_coordinates(array: pa.Array, encoding: str) -> tuple[np.ndarray, np.ndarray]:
    """x and y of every row (NaN where the geometry is missing or empty); polygons give a point on them."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if encoding.lower() == "point":  # GeoArrow native: struct<x, y>
        x = array.field("x").to_numpy(zero_copy_only=False).astype(float)
        y = array.field("y").to_numpy(zero_copy_only=False).astype(float)
        if array.null_count:
            missing = array.is_null().to_numpy(zero_copy_only=False)
            x[missing] = np.nan
            y[missing] = np.nan
        return x, y
    if encoding.upper() != "WKB":
        raise InputError(Problem(f"geometry encoding '{encoding}' is not supported",
                                 fix="write the geometry as WKB or GeoArrow points"))
    fast = _wkb_points_in_place(array)
    if fast is not None:
        return fast
    import shapely

    return _xy_of(shapely.from_wkb(array.to_numpy(zero_copy_only=False), on_invalid="ignore"))


def _wkb_points_in_place(array: pa.Array) -> tuple[np.ndarray, np.ndarray] | None:
    """x and y read straight from the WKB bytes when every present row is a 2D little-endian point; else None.

    Null rows (missing geometries, as GDAL and geopandas write them) take no
    bytes, so the present rows' 21-byte records lie back to back and are
    read as two strided columns of doubles, without a Python object per row.
    """
    n = len(array)
    if not n:
        return None
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64 if pa.types.is_large_binary(array.type)
                            else np.int32)[array.offset:array.offset + n + 1]
    lengths = np.diff(offsets)
    if array.null_count:
        present = array.is_valid().to_numpy(zero_copy_only=False)
        if np.any(lengths[~present]):
            return None
    else:
        present = None
    stored = lengths if present is None else lengths[present]
    if not np.all(stored == 21):
        return None
    m, data, start = len(stored), array.buffers()[2], int(offsets[0])

    def column(offset: int, dtype: str) -> np.ndarray:
        return np.ndarray((m,), dtype=dtype, buffer=data, offset=start + offset, strides=(21,))

    if not (np.all(column(0, "u1") == 1) and np.all(column(1, "<u4") == 1)):
        return None
    if present is None:
        return column(5, "<f8").copy(), column(13, "<f8").copy()
    x, y = np.full(n, np.nan), np.full(n, np.nan)
    x[present], y[present] = column(5, "<f8"), column(13, "<f8")
    return x, y


def _xy_of(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A point on each geometry (the point itself, or one inside an outline); NaN where there is no place."""
    import shapely

    from .housing import has_location

    present = has_location(geometries)
    x = np.full(len(geometries), np.nan)
    y = np.full(len(geometries), np.nan)
    if present.any():
        points = shapely.point_on_surface(geometries[present])
        x[present], y[present] = shapely.get_x(points), shapely.get_y(points)
    return x, y


@dataclass(frozen=True)
class ParquetSource:
    """A GeoParquet register: where it is, its geometry column and CRS, and the column names to use."""

    path: str
    geometry: str
    encoding: str
    crs: object
    rename: dict[str, str]
    rows: int

    @classmethod
    def open(cls, source: str | Path, mapping: dict[str, str] | None = None) -> ParquetSource:
        dataset = _dataset(source)
        meta = geo_metadata(source, dataset)
        column = meta.get("primary_column", "geometry")
        column_meta = meta.get("columns", {}).get(column, {})
        renamed = map_columns(pd.DataFrame(columns=[c for c in dataset.schema.names if c != column]),
                              HOUSING_ALIASES, mapping)
        originals = [c for c in dataset.schema.names if c != column]
        rename = {o: n for o, n in zip(originals, renamed.columns, strict=True) if n in HOUSING_ALIASES}
        if "floor_area_m2" not in rename.values():
            raise InputError(Problem("no column for floor_area_m2 (usable floor area)",
                                     fix="name it floor_area_m2 / gebruiksoppervlakte, or map it with --map "
                                         "\"header=floor_area_m2\"; found: " + ", ".join(originals)),
                             source=str(source))
        return cls(str(source), column, column_meta.get("encoding", "WKB"), _crs_of(column_meta), rename,
                   dataset.count_rows())

    def batches(self, batch_rows: int = BATCH_ROWS, fragments: list | None = None, first: int = 0
                ) -> Iterator[tuple[int, pd.DataFrame]]:
        """(row number before the batch, frame with canonical columns and ``x``/``y`` in RD New) per batch.

        All rows, or only those of ``fragments`` (row groups of the dataset,
        in order), whose first row follows row ``first`` of the whole dataset.
        """
        dataset = _dataset(self.path)
        if fragments is not None:
            dataset = ds.FileSystemDataset(fragments, dataset.schema, dataset.format, dataset.filesystem)
        columns = [*self.rename, self.geometry]
        start = first
        # Little read-ahead: pyarrow would otherwise buffer up to 16 batches (gigabytes at national scale).
        for batch in dataset.to_batches(columns=columns, batch_size=batch_rows, batch_readahead=1,
                                        fragment_readahead=1):
            if batch.num_rows == 0:
                continue
            yield start, self.frame(batch, start)
            start += batch.num_rows

    def repeats(self) -> pd.DataFrame:
        """Rows whose ``location_id`` appeared on an earlier row of the whole file or folder.

        One pass over the id column only (80 MB for ten million numeric ids).
        Returns ``id`` and ``first`` (the row it first appeared on), indexed by
        row number (1 = the first data row); empty without ids or repeats.
        """
        original = next((o for o, n in self.rename.items() if n == "location_id"), None)
        if original is None:
            return pd.DataFrame(columns=["id", "first"])
        column = _dataset(self.path).to_table(columns=[original]).column(original)
        if pa.types.is_integer(column.type) and column.null_count == 0:
            # Whole numbers, as in BAG: find the repeated values by sorting a copy, without a hash table of all ids.
            values = column.to_numpy()
            ordered = np.sort(values, kind="stable")
            repeated_values = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
            del ordered
            if not len(repeated_values):
                return pd.DataFrame(columns=["id", "first"])
            rows = np.flatnonzero(np.isin(values, repeated_values))
            subset = pd.Series(values[rows], index=pd.Index(rows + 1, name="row"))
        else:
            ids = normalise_ids(column.to_pandas())
            ids.index = pd.RangeIndex(1, len(ids) + 1, name="row")
            concerned = ids.notna() & ids.duplicated(keep=False)
            if not concerned.any():
                return pd.DataFrame(columns=["id", "first"])
            subset = ids[concerned]
        first = pd.Series(subset.index, index=subset.index).groupby(subset).transform("min")
        later = first.index != first.to_numpy()
        return pd.DataFrame({"id": subset[later], "first": first[later]})

    def frame(self, batch: pa.RecordBatch | pa.Table, start: int) -> pd.DataFrame:
        x, y = _point_coordinates(batch.column(self.geometry), self.encoding)
        attributes = batch.drop_columns([self.geometry]) if hasattr(batch, "drop_columns") else batch
        # Text columns (type, codes) as categoricals: a handful of distinct values, not a million strings.
        frame = attributes.to_pandas(split_blocks=True, strings_to_categorical=True).rename(columns=self.rename)
        frame.index = pd.RangeIndex(start + 1, start + 1 + len(frame), name="row")
        x, y = _to_rd(x, y, self.crs, self.path, start)
        frame["x"], frame["y"] = x, y
        return frame


def _to_rd(x: np.ndarray, y: np.ndarray, crs, source: str, start: int) -> tuple[np.ndarray, np.ndarray]:
    if crs is None:
        raise InputError(Problem("the geometry column has no coordinate reference system",
                                 fix="write the file with its CRS (EPSG:28992 for RD New)"), source=source)
    if crs.to_epsg() == 28992:
        return x, y
    finite = np.isfinite(x) & np.isfinite(y)
    if crs.is_geographic and finite.any() and (np.abs(x[finite]).max() > 180 or np.abs(y[finite]).max() > 90):
        row = start + 1 + int(np.flatnonzero(finite & ((np.abs(x) > 180) | (np.abs(y) > 90)))[0])
        raise InputError(Problem("the file says longitude/latitude but holds metres (RD coordinates?)",
                                 row=f"row {row}", fix="write the file with EPSG:28992"), source=source)
    from pyproj import Transformer

    transformer = Transformer.from_crs(crs, RD_NEW, always_xy=True)
    return transformer.transform(x, y)


def write_geoparquet(path: str | Path, frame: pd.DataFrame, crs: str = RD_NEW,
                     row_group_rows: int = BATCH_ROWS) -> Path:
    """Write a frame with ``x``/``y`` columns as GeoParquet 1.1 with WKB points (no Python object per row)."""
    from pyproj import CRS

    path = Path(path)
    n = len(frame)
    wkb = np.zeros((n, 21), dtype=np.uint8)
    wkb[:, 0] = 1
    wkb[:, 1:5] = np.frombuffer(np.uint32(1).tobytes(), dtype=np.uint8)
    wkb[:, 5:13] = np.ascontiguousarray(frame["x"].to_numpy(dtype="<f8")).view(np.uint8).reshape(n, 8)
    wkb[:, 13:21] = np.ascontiguousarray(frame["y"].to_numpy(dtype="<f8")).view(np.uint8).reshape(n, 8)
    offsets = pa.py_buffer((np.arange(n + 1, dtype=np.int32) * 21).tobytes())
    geometry = pa.Array.from_buffers(pa.binary(), n, [None, offsets, pa.py_buffer(wkb.tobytes())])
    table = pa.Table.from_pandas(frame.drop(columns=["x", "y"]), preserve_index=False)
    table = table.append_column("geometry", geometry)
    finite = np.isfinite(frame["x"].to_numpy()) & np.isfinite(frame["y"].to_numpy())
    bbox = ([float(frame["x"][finite].min()), float(frame["y"][finite].min()), float(frame["x"][finite].max()),
             float(frame["y"][finite].max())] if finite.any() else [])
    meta = {"version": "1.1.0", "primary_column": "geometry",
            "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"],
                                     "crs": json.loads(CRS.from_user_input(crs).to_json()), "bbox": bbox}}}
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"geo": json.dumps(meta).encode()})
    pq.write_table(table, path, row_group_size=row_group_rows)
    return path


# -- the check -------------------------------------------------------------------------------------

_INDEXES: dict[tuple[str, float], PointIndex] = {}
_CARRIED: dict[tuple[str, int], tuple[tuple[str, str], ...]] = {}


@dataclass(frozen=True)
class Setup:
    """Everything one batch needs, small enough to send to a cluster worker.

    The grid of :class:`~planner.regions.PointIndex` is not sent: each
    process builds it once from the polygons (a fraction of a second) and
    keeps it, so a worker that restarts simply builds it again.
    """

    polygons: np.ndarray
    codes: np.ndarray
    norm: NormSet
    compare: NormSet | None
    params: HousingParameters
    cell: float
    token: str
    #: The year of the layer's municipalities (older codes given in a register are carried forward to it).
    year: int = 0

    @classmethod
    def make(cls, layer: BoundaryLayer, norm: NormSet | str = "roemer", compare: NormSet | str | None = None,
             norms: dict[str, NormSet] | None = None, params: HousingParameters | None = None,
             cell: float = 100.0) -> Setup:
        import hashlib

        import shapely

        norms = norms if norms is not None else load_norm_sets()
        polygons = layer.boundaries.geometry.to_numpy()
        token = hashlib.sha256(b"".join(shapely.to_wkb(polygons))).hexdigest()
        codes = layer.boundaries["gemeentecode"].to_numpy(dtype=object)
        return cls(polygons, codes, _norm(norm, norms), _norm(compare, norms) if compare is not None else None,
                   params if params is not None else load_housing_parameters(), float(cell), token, layer.year)

    @property
    def index(self) -> PointIndex:
        key = (self.token, self.cell)
        if key not in _INDEXES:
            _INDEXES[key] = PointIndex(self.polygons, cell=self.cell)
        return _INDEXES[key]

    @property
    def carried(self) -> tuple[tuple[str, str], ...]:
        """Older municipal codes and the code of the layer's year they are counted under (mergers).

        Worked out on first use (a tenth of a second or more), only for registers that give codes.
        """
        key = (self.token, self.year)
        if key not in _CARRIED:
            _CARRIED[key] = _carried_codes(set(self.codes), self.year)
        return _CARRIED[key]


def _carried_codes(codes: set[str], year: int) -> tuple[tuple[str, str], ...]:
    """Every older code of the merger crosswalk that carries forward to a code of ``codes`` in ``year``."""
    from .herindeling import carry_forward, load_crosswalk

    pairs = []
    for old in sorted(set(load_crosswalk()["old_code"]) - codes):
        new, _, _ = carry_forward(old, year)
        if new in codes:
            pairs.append((old, new))
    return tuple(pairs)


def check_batch(frame: pd.DataFrame, setup: Setup, repeated: pd.Series | None = None
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Summary per municipality of one batch, and its unusable rows' problems (counts and examples).

    The summary has the columns of :func:`planner.housing.summarise_housing`
    plus ``outside_boundaries`` (locations whose point lies in no
    municipality) indexed by ``gemeentecode``, with ``(unknown)`` for
    locations without a municipality. ``repeated`` (from
    :func:`_earlier_repeats`) marks rows whose id first appeared in an
    earlier batch, as an ``input_problem`` column would, without a text
    column for every row.
    """
    if repeated is not None and len(repeated) and ("input_problem" in frame.columns or repeated.str.contains(
            "floor_area_m2: ", regex=False).any()):  # text prepare_locations reads: give it as a column
        frame = frame.copy()
        problem = pd.Series("", index=frame.index, dtype=object)
        problem[repeated.index] = repeated.to_numpy(dtype=object)
        frame["input_problem"] = problem
        repeated = None
    x, y = frame["x"].to_numpy(dtype=float), frame["y"].to_numpy(dtype=float)
    placed = np.isfinite(x) & np.isfinite(y)
    position = np.full(len(frame), -1, dtype=np.int32)
    position[placed] = setup.index.locate(x[placed], y[placed])
    located = position >= 0
    key = np.where(located, position, len(setup.codes))  # the last category is "(unknown)"
    if "gemeentecode" in frame.columns:  # rows without a place keep a valid code they were given
        # (an older code, of a municipality merged since, counts under its municipality of the layer's year)
        given = normalise_gemeentecode(frame["gemeentecode"]).replace(dict(setup.carried))
        lookup = pd.Series(np.arange(len(setup.codes)), index=setup.codes)
        given_position = given.map(lookup).to_numpy(dtype=float)
        take = ~located & np.isfinite(given_position)
        key[take] = given_position[take].astype(int)
    prepared = prepare_locations(frame, placed=placed)
    if repeated is not None and len(repeated):  # as prepare_locations words an input problem: first, then "; "
        before = prepared.loc[repeated.index, "problem"].to_numpy(dtype=object)
        prepared.loc[repeated.index, "problem"] = [f"{said}; {other}" if other else said for said, other in
                                                   zip(repeated.to_numpy(dtype=object), before, strict=True)]
        prepared.loc[repeated.index, "valid"] = False
    cap, estimated = capacity_values(prepared, setup.norm, setup.params)
    valid = prepared["valid"].to_numpy(dtype=bool)
    given_occupants = prepared["occupants"].to_numpy(dtype=float)
    occupants = np.nan_to_num(given_occupants, nan=0.0)
    # The columns of check_housing that the summary reads, as arrays (NaN for unusable rows, as there).
    columns = {
        "capacity": cap, "occupants": given_occupants, "valid": valid,
        "spare_capacity": np.where(valid, np.maximum(cap - occupants, 0.0), np.nan),
        "persons_over_capacity": np.where(valid, np.maximum(occupants - cap, 0.0), np.nan),
        "bedrooms_estimated": estimated,
        "signal_many_persons": valid & (occupants >= setup.params.signal_persons_per_address),
        "to_check": values_to_check(prepared, setup.params),  # counted, as check_housing marks them; no sum changes
    }
    if setup.compare is not None:
        columns["capacity_compare"] = capacity_values(prepared, setup.compare, setup.params)[0]
        columns["capacity_lost"] = columns["capacity_compare"] - cap
    checked = pd.DataFrame(columns, index=frame.index, copy=False)
    keys = pd.Series(pd.Categorical.from_codes(key, categories=[*setup.codes, UNKNOWN]), index=frame.index,
                     name="gemeentecode")
    summary = summarise_housing(checked, keys)
    outside = np.bincount(key[placed & ~located], minlength=len(setup.codes) + 1)
    summary["outside_boundaries"] = outside[keys.cat.categories.get_indexer(summary.index)].astype(int)
    summary.index = summary.index.astype(object)
    invalid = ~valid
    problems = pd.DataFrame({"row": frame.index[invalid], "problem": prepared["problem"].to_numpy()[invalid]})
    return summary, problems


def _earlier_repeats(repeats: pd.DataFrame, start: int, rows: int, label: str) -> pd.Series:
    """Why rows ``start + 1 .. start + rows`` whose id first appeared before them do not count, by row.

    Repeats inside the batch the check finds itself. The message is the one
    :func:`planner.housing.prepare_locations` gives, so the batch check
    reports a repeated location exactly as the ordinary one.
    """
    here = repeats[(repeats.index > start) & (repeats.index <= start + rows) & (repeats["first"] <= start)]
    return ("location_id '" + here["id"].astype(str) + f"' already on {label} " + here["first"].astype(str)
            + " (a location is counted once)").astype(object)


def _mark_earlier_repeats(frame: pd.DataFrame, repeats: pd.DataFrame, start: int, label: str) -> None:
    """Flag rows whose id first appeared before this batch in an ``input_problem`` column (see
    :func:`_earlier_repeats`)."""
    text = _earlier_repeats(repeats, start, len(frame), label)
    if text.empty:
        return
    problem = pd.Series("", index=frame.index, dtype=object)
    problem[text.index] = text.to_numpy(dtype=object)
    frame["input_problem"] = problem


def _problem_table(examples: pd.DataFrame) -> pd.DataFrame:
    """Rows per problem (the sum of the batches' counts), with the first rows that had it."""
    if examples.empty:
        return pd.DataFrame(columns=["problem", "rows", "examples"])
    grouped = examples.sort_values("row").groupby("problem", sort=False)
    return pd.DataFrame({"rows": grouped["count"].sum().astype(int), "examples": grouped["row"].apply(
        lambda rows: ", ".join(str(r) for r in rows.head(EXAMPLES_PER_PROBLEM)))}).reset_index().sort_values(
        ["rows", "problem"], ascending=[False, True], ignore_index=True)


def _compact_problems(problems: pd.DataFrame) -> pd.DataFrame:
    """Keep a few rows per distinct problem: the counts are carried separately."""
    if problems.empty:
        return problems.assign(count=pd.Series(dtype=int))
    counts = problems.groupby("problem")["row"].transform("size")
    rank = problems.groupby("problem").cumcount()
    kept = problems[rank < EXAMPLES_PER_PROBLEM]
    # The batch's count rides on its first example only, so that summing counts over batches is exact.
    return kept.assign(count=counts[kept.index].where(rank[kept.index] == 0, 0))


@dataclass
class NationalResult:
    """The national check: per municipality and region, the problems, and where it all came from."""

    per_gemeente: pd.DataFrame
    problems: pd.DataFrame
    rows: int
    source: str
    norm: str
    compare: str | None
    boundaries: str
    engine: str
    regions: pd.DataFrame | None = field(default=None, repr=False)

    def per_region(self, level: str) -> pd.DataFrame:
        """The municipal summary summed to ``corop``, ``provincie`` or a column of the region table."""
        if level == "gemeente":
            return self.per_gemeente
        if self.regions is None:
            raise InputError("no region table: give one to the check")
        figures = self.per_gemeente.drop(index=UNKNOWN, errors="ignore").drop(columns=["gemeentenaam"],
                                                                              errors="ignore")
        out = rollup(figures, self.regions, level)
        out["net_spare_capacity"] = out["spare_capacity"] - out["persons_over_capacity"]
        return out

    def totals(self) -> pd.Series:
        return self.per_gemeente.sum(numeric_only=True)

    def about(self) -> dict[str, str]:
        return {"source": self.source, "rows": f"{self.rows:,}", "norm": self.norm,
                "compare": self.compare or "", "boundaries": self.boundaries, "engine": self.engine}


def _finish(parts: Sequence[pd.DataFrame], problem_parts: Sequence[pd.DataFrame], setup: Setup,
            layer: BoundaryLayer, source: str, rows: int, engine: str, regions: pd.DataFrame | None
            ) -> NationalResult:
    total = pd.concat(parts).groupby(level=0, sort=False).sum()
    total = total.reindex([*setup.codes, *([UNKNOWN] if UNKNOWN in total.index else [])], fill_value=0)
    total.index.name = "gemeentecode"
    total["net_spare_capacity"] = total["spare_capacity"] - total["persons_over_capacity"]
    names = layer.boundaries.set_index("gemeentecode")["gemeentenaam"] if "gemeentenaam" in layer.boundaries \
        else pd.Series(dtype=object)
    total.insert(0, "gemeentenaam", total.index.map(names).fillna(""))
    columns = [c for c in ("gemeentenaam", *SUM_COLUMNS, "net_spare_capacity", *COUNT_COLUMNS,
                           "outside_boundaries") if c in total.columns]
    examples = [part for part in problem_parts if len(part)]
    table = _problem_table(pd.concat(examples, ignore_index=True) if examples else pd.DataFrame())
    return NationalResult(total[columns], table, rows, source, setup.norm.name,
                          setup.compare.name if setup.compare else None, layer.label("en"), engine, regions)


def check_national(source: str | Path, layer: BoundaryLayer, norm: NormSet | str = "roemer",
                   compare: NormSet | str | None = None, *, regions: pd.DataFrame | None = None,
                   mapping: dict[str, str] | None = None, batch_rows: int = BATCH_ROWS, threads: int | None = None,
                   processes: int | None = None, progress: Callable[[int, int], None] | None = None
                   ) -> NationalResult:
    """Check a GeoParquet register of any size on this machine, batch by batch.

    ``progress(rows_done, rows_total)`` is called after every batch (the CLI
    draws a progress bar with it, the app a progress widget).

    With ``processes=2`` (the default on a machine with two or more cores
    where processes can be forked) the register's row groups are split in two
    runs of consecutive rows: this process checks the first, a forked copy of
    it the second, and their sums are added (sums, so the answer is exactly
    that of one process). The copy shares the index and the list of repeated
    ids with this process instead of building them again. ``processes=1``
    checks everything here, with ``threads`` threads (two by default: two
    batches checked at once while the next is read); the app uses that, as a
    web server should not fork.
    """
    parquet = ParquetSource.open(source, mapping)
    setup = Setup.make(layer, norm, compare)
    cores = os.cpu_count() or 1
    processes = processes if processes is not None else min(2, cores)
    runs = _row_group_runs(parquet.path, processes) if processes > 1 and _can_fork() else []
    if len(runs) < 2:
        runs, processes = [], 1
    threads = threads or (1 if processes > 1 else min(2, cores))
    with ThreadPoolExecutor(max_workers=2) as pool:
        # A location repeated in a later batch must not count twice either: its id column is read and sorted
        # while the index is built (both mostly outside the GIL), before the batches share the index.
        finding = pool.submit(parquet.repeats)
        _ = setup.index
        repeats = finding.result()
    if processes == 1:
        parts, problem_parts = _check_run(parquet, None, setup, repeats, batch_rows, threads, progress)
        engine = f"in memory ({threads} thread{'s' if threads > 1 else ''})"
    else:
        parts, problem_parts = _check_forked(parquet, runs, setup, repeats, batch_rows, progress)
        engine = f"in memory ({len(runs)} processes)"
    if not parts:
        raise InputError(Problem("the register holds no rows"), source=str(source))
    return _finish(parts, problem_parts, setup, layer, str(source), parquet.rows, engine, regions)


#: One run of consecutive rows: (fragments of whole row groups, the row number before its first row).
Run = tuple[list, int]


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _row_group_runs(path: str, parts: int) -> list[Run]:
    """The dataset's row groups in file order, cut into at most ``parts`` runs of about equal rows.

    A run never splits a row group, so a register of one row group is one
    run (and is checked in one process).
    """
    groups = []
    for fragment in _dataset(path).get_fragments():
        for piece in fragment.split_by_row_group():
            rows = sum(group.num_rows for group in piece.row_groups)
            if rows:
                groups.append((piece, rows))
    total = sum(rows for _, rows in groups)
    runs: list[Run] = []
    before = 0
    for piece, rows in groups:
        if not runs or (before >= total * len(runs) / parts and len(runs) < parts):
            runs.append(([], before))
        runs[-1][0].append(piece)
        before += rows
    return runs


def _check_run(parquet: ParquetSource, fragments: list | None, setup: Setup, repeats: pd.DataFrame,
               batch_rows: int, threads: int, progress: Callable[[int, int], None] | None, first: int = 0
               ) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """Check the batches of a run of row groups (all of them without ``fragments``): summaries, problems."""
    parts: list[pd.DataFrame] = []
    problem_parts: list[pd.DataFrame] = []
    done = 0

    def collect(rows: int, future) -> None:
        nonlocal done
        summary, problems = future.result()
        parts.append(summary)
        problem_parts.append(_compact_problems(problems))
        done += rows
        if progress:
            progress(done, parquet.rows)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        pending = []  # `threads` batches checked at once while the next is read; finished in order
        for start, frame in parquet.batches(batch_rows, fragments, first):
            repeated = _earlier_repeats(repeats, start, len(frame), "row")
            pending.append((len(frame), pool.submit(check_batch, frame, setup, repeated)))
            while len(pending) > threads:
                collect(*pending.pop(0))
        for rows, future in pending:
            collect(rows, future)
    return parts, problem_parts


def _check_forked(parquet: ParquetSource, runs: list[Run], setup: Setup, repeats: pd.DataFrame, batch_rows: int,
                  progress: Callable[[int, int], None] | None) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """The first run here, each other run in a forked process; their results in row order.

    A copy that fails sends its error back, which is raised here; one that
    dies (killed for memory, say) is reported as such, never as fewer rows.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    counted = context.Value("q", 0)  # rows the copies have done, for progress
    children = []
    for fragments, first in runs[1:]:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_forked_run, args=(send, parquet, fragments, setup, repeats, batch_rows,
                                                          first, counted), daemon=True)
        child.start()
        send.close()
        children.append((child, receive))

    def here(done: int, total: int) -> None:
        if progress:
            progress(done + counted.value, total)

    try:
        parts, problem_parts = _check_run(parquet, runs[0][0], setup, repeats, batch_rows, 1, here, runs[0][1])
        own = runs[1][1] - runs[0][1]
        for child, receive in children:
            while not receive.poll(0.25):  # the copies' progress while this process waits for them
                here(own, parquet.rows)
            try:
                outcome, payload = receive.recv()
            except EOFError:
                child.join()
                raise RuntimeError(f"the process checking part of the register stopped (exit code "
                                   f"{child.exitcode}); check with processes=1 to see why") from None
            if outcome == "error":
                raise payload
            parts += payload[0]
            problem_parts += payload[1]
        here(own, parquet.rows)
    finally:
        for child, receive in children:
            receive.close()
            if child.is_alive():
                child.terminate()
            child.join()
    return parts, problem_parts


def _forked_run(send, parquet: ParquetSource, fragments: list, setup: Setup, repeats: pd.DataFrame,
                batch_rows: int, first: int, counted) -> None:  # pragma: no cover - runs in the forked copy
    def progress(done: int, total: int) -> None:
        with counted.get_lock():
            counted.value += done - progress.reported  # type: ignore[attr-defined]
        progress.reported = done  # type: ignore[attr-defined]

    progress.reported = 0  # type: ignore[attr-defined]
    try:
        send.send(("ok", _check_run(parquet, fragments, setup, repeats, batch_rows, 1, progress, first)))
    except BaseException as exc:  # every failure goes back to the parent, which raises it
        try:
            send.send(("error", exc))
        except Exception:  # an error that cannot be pickled goes back as its text
            send.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        send.close()


# -- the same on a Dask cluster --------------------------------------------------------------------

def _dask_partition(frame, setup: Setup, rename: dict[str, str], repeats: pd.DataFrame | None = None,
                    offsets: np.ndarray | None = None, crs=None, source: str = "", partition_info=None
                    ) -> pd.DataFrame:
    """One partition of a dask-geopandas GeoDataFrame -> its summary (and problems) as one flat frame.

    With ``offsets`` (the first row of each partition in the whole dataset)
    rows are numbered as in the file and locations repeated from an earlier
    partition (``repeats``) are marked; otherwise rows are numbered within
    their partition.
    """
    number = partition_info["number"] if partition_info else 0
    start = int(offsets[number]) if offsets is not None and partition_info else 0
    # Coordinates in the file's own CRS through the same checks and transformation as the in-memory path
    # (metres labelled as degrees are refused in both).
    x, y = _xy_of(frame.geometry.to_numpy())
    x, y = _to_rd(x, y, crs if crs is not None else frame.crs, source, start)
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name)).rename(columns=rename)
    table["x"], table["y"] = x, y
    table.index = pd.RangeIndex(start + 1, start + len(table) + 1, name="row")
    if repeats is not None and offsets is not None:
        _mark_earlier_repeats(table, repeats, start, "row")
    summary, problems = check_batch(table, setup)
    problems = _compact_problems(problems)
    summary = summary.reset_index().assign(kind="summary", problem="", row="", count=0)
    rows = (problems["row"].astype(object) if offsets is not None  # numbered as in the file
            else f"partition {number} row " + problems["row"].astype(str))
    examples = problems.assign(kind="problem", gemeentecode="", row=rows) if len(problems) else None
    return pd.concat([summary, examples], ignore_index=True) if examples is not None else summary


def check_national_dask(source: str | Path, layer: BoundaryLayer, norm: NormSet | str = "roemer",
                        compare: NormSet | str | None = None, *, scheduler: str | None = None,
                        regions: pd.DataFrame | None = None, mapping: dict[str, str] | None = None,
                        n_workers: int = 2, memory_limit: str = "2GiB", progress: bool = False) -> NationalResult:
    """:func:`check_national` on a ``dask.distributed`` cluster.

    ``scheduler`` is the address of a running scheduler
    (``tcp://host:8786``); without it a ``LocalCluster`` of ``n_workers``
    processes with ``memory_limit`` each is started and stopped again. The
    GeoParquet file or partitioned folder is read by dask-geopandas, one
    partition per task, so no worker needs more memory than a partition;
    only the per-municipality sums travel back. The answer equals the
    in-memory one.
    """
    import dask_geopandas
    from distributed import Client, LocalCluster

    parquet = ParquetSource.open(source, mapping)
    setup = Setup.make(layer, norm, compare)
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, memory_limit=memory_limit,
                               processes=True, dashboard_address=":0")
    client = Client(cluster if cluster is not None else scheduler)
    try:
        frame = dask_geopandas.read_parquet(parquet.path, columns=[*parquet.rename, parquet.geometry])
        if parquet.crs is None:  # refused here as in memory, before any work is sent out
            _to_rd(np.empty(0), np.empty(0), None, str(source), 0)
        meta = _dask_partition(frame._meta, setup, parquet.rename, crs=parquet.crs, source=str(source))
        import dask

        shared = dask.delayed(setup, pure=True)  # one key in the graph, recomputed if a worker is lost
        # Repeated location ids over the whole dataset: found here from the id column alone (8 bytes a row),
        # then each partition marks its rows that repeat one from an earlier partition.
        repeats = parquet.repeats()
        offsets = None
        if len(repeats):
            column = next(o for o, n in parquet.rename.items() if n == "location_id")
            lengths = frame[column].map_partitions(len).compute()
            offsets = np.concatenate([[0], np.cumsum(np.asarray(lengths))])[:-1]
        pieces = frame.map_partitions(_dask_partition, shared, parquet.rename, dask.delayed(repeats, pure=True),
                                      offsets, parquet.crs, str(source), meta=meta, align_dataframes=False)
        summaries = pieces[pieces["kind"] == "summary"].drop(columns=["kind", "problem", "row", "count"])
        summed = summaries.groupby("gemeentecode").sum(split_out=1)  # 343 rows: a tree reduction, no shuffle
        problem_rows = pieces[pieces["kind"] == "problem"][["row", "problem", "count"]]
        if progress:
            from distributed import progress as show_progress

            summed, problem_rows = client.persist([summed, problem_rows])
            show_progress(summed, problem_rows)
        summed, problem_rows = client.compute([summed, problem_rows], sync=True)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    summed = summed.drop(columns=["net_spare_capacity"], errors="ignore")
    for column in (*COUNT_COLUMNS, "outside_boundaries"):
        summed[column] = summed[column].astype(int)
    problem_rows = problem_rows.reset_index(drop=True)
    return _finish([summed], [problem_rows] if len(problem_rows) else [], setup, layer, str(source),
                   parquet.rows, "dask " + (scheduler or f"LocalCluster({n_workers} workers, {memory_limit} each)"),
                   regions)


def national_layers(result: NationalResult, layer: BoundaryLayer) -> dict[str, pd.DataFrame]:
    """The tables of a national check for a file: per municipality (with its borders), per region, problems."""
    import geopandas as gpd

    borders = layer.boundaries.set_index("gemeentecode")[[layer.boundaries.geometry.name]]
    per_gemeente = gpd.GeoDataFrame(result.per_gemeente.join(borders), geometry=layer.boundaries.geometry.name,
                                    crs=layer.boundaries.crs)
    layers: dict[str, pd.DataFrame] = {"per_gemeente": per_gemeente}
    if result.regions is not None:
        for level in ("corop", "provincie"):
            layers[f"per_{level}"] = result.per_region(level)
    layers["problems"] = result.problems
    layers["about"] = pd.DataFrame({"item": list(result.about()), "value": list(result.about().values())})
    return layers
