"""Municipal boundaries, region levels and the assignment of locations to municipalities.

Pure functions: boundaries and region tables come in as (Geo)DataFrames; where
they come from (bundled, downloaded, imported) is the business of the I/O edge.

* :func:`repair_boundaries` makes published boundaries valid (about 2% of the
  CBS 2024 geometries are not valid as published) and drops the "Buitenland"
  feature (GM0998).
* :func:`assign_gemeente` gives each point its municipality (point in
  polygon) and each polygon the municipality it overlaps most; locations
  outside every boundary are reported, never dropped.
* :func:`rollup` sums municipal figures to COROP regions, provinces or a
  region of the user's own. Only extensive figures (counts: beds, migrants,
  capacity) may be summed; a roll-up checks that the total is unchanged and
  that every municipality belongs to exactly one region.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .errors import InputError, PlannerWarning, Problem
from .housing import has_location

RD_NEW = "EPSG:28992"
ABROAD_CODE = "GM0998"
#: Built-in region levels and the column of the region table that holds them.
#: Region levels and the column of the region table that holds each one's code (not the P10/P50/P90
#: percentile levels of :data:`planner.library.LEVELS`).
REGION_LEVELS = {"gemeente": "gemeentecode", "corop": "corop_code", "provincie": "provincie_code"}
LEVEL_NAMES = {"gemeentecode": "gemeentenaam", "corop_code": "corop_naam", "provincie_code": "provincie"}


def repair_boundaries(boundaries: gpd.GeoDataFrame, code: str = "gemeentecode") -> gpd.GeoDataFrame:
    """Valid polygons in RD New, one row per municipality, without "Buitenland".

    Invalid geometries are repaired with :func:`shapely.make_valid`, keeping
    only their polygonal parts; a warning says how many. Duplicate codes and
    empty geometries are errors.
    """
    if code not in boundaries.columns:
        raise InputError(Problem(f"the boundaries have no column '{code}'",
                                 fix="give a layer with CBS codes (GM0014 ...) in a column gemeentecode"))
    if boundaries.crs is None:
        raise InputError(Problem("the boundaries have no coordinate reference system",
                                 fix="save them with their CRS (CBS publishes EPSG:28992 and EPSG:4326)"))
    out = boundaries[boundaries[code] != ABROAD_CODE].to_crs(RD_NEW)
    invalid = ~out.geometry.is_valid
    if invalid.any():
        repaired = shapely.make_valid(out.geometry[invalid].to_numpy())
        out.loc[invalid, out.geometry.name] = [_polygonal(g) for g in repaired]
        warnings.warn(f"{int(invalid.sum())} invalid municipal geometries repaired (make_valid)",
                      PlannerWarning, stacklevel=2)
    problems = [Problem(f"{c} appears more than once", column=code) for c in out[code][out[code].duplicated()]]
    problems += [Problem(f"{c} has an empty geometry", column=code) for c in out[code][out.geometry.is_empty]]
    if problems:
        raise InputError(problems, source="boundaries")
    return out.reset_index(drop=True)


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """The polygonal part of a repaired geometry (make_valid may add lines or points)."""
    if isinstance(geometry, shapely.GeometryCollection) and not isinstance(geometry, shapely.MultiPolygon):
        parts = [g for g in geometry.geoms if isinstance(g, shapely.Polygon | shapely.MultiPolygon)]
        return shapely.union_all(parts) if parts else shapely.Polygon()
    return geometry


class PointIndex:
    """Which polygon holds each point, for millions of points at a time.

    A grid of ``cell`` metres over the polygons is labelled once: cells that
    no polygon border crosses take the polygon around them (found with one
    exact test per connected block of such cells), the others are marked for
    an exact test. Looking points up is then an array lookup, and only
    points in border cells are tested against the polygons themselves
    (:func:`shapely.intersects_xy`, prepared). The answer is the same as a
    point-in-polygon test on every point: the position of the polygon that
    contains the point or has it on its border (the lowest position where
    polygons overlap), or -1 outside all of them.

    Examples
    --------
    >>> import shapely
    >>> squares = [shapely.box(0, 0, 1000, 1000), shapely.box(1000, 0, 2000, 1000)]
    >>> index = PointIndex(squares, cell=100)
    >>> index.locate(np.array([10.0, 1500.0, 1000.0, 5000.0]), np.array([10.0, 500.0, 20.0, 5.0])).tolist()
    [0, 1, 0, -1]
    """

    OUTSIDE, BORDER = -1, -2

    def __init__(self, polygons, cell: float = 50.0):
        from scipy import ndimage

        self.polygons = np.asarray(polygons, dtype=object)
        shapely.prepare(self.polygons)
        self.cell = float(cell)
        xmin, ymin, xmax, ymax = shapely.total_bounds(self.polygons)
        self.x0, self.y0 = xmin - 2 * cell, ymin - 2 * cell
        self.nx = int(np.ceil((xmax - self.x0) / cell)) + 2
        self.ny = int(np.ceil((ymax - self.y0) / cell)) + 2
        touched = self._border_pairs()
        border = np.zeros((self.ny, self.nx), dtype=bool)
        border.ravel()[touched[0]] = True  # a view: the grid is contiguous
        blocks, count = ndimage.label(~border)
        # One cell of each block (any will do: no border runs through a block, so the same polygons hold all
        # of it) decides the whole block, the lowest position winning where polygons overlap.
        flat = blocks.ravel()
        representative = np.zeros(count + 1, dtype=np.int64)
        representative[flat] = np.arange(flat.size)
        cy, cx = np.divmod(representative[1:], self.nx)
        owner = self._exact(self.x0 + (cx + 0.5) * cell, self.y0 + (cy + 0.5) * cell)
        # Border cells are numbered k = 0, 1, ... and stored as BORDER - k: an int32 grid holds both.
        self.border_cells, self.first, self.candidates = self._candidates(touched)
        lookup = np.concatenate([[self.BORDER], owner]).astype(np.int32)
        grid = lookup[blocks].ravel()
        grid[self.border_cells] = self.BORDER - np.arange(len(self.border_cells), dtype=np.int32)
        self.grid = grid.reshape(self.ny, self.nx)
        # The same with a frame of OUTSIDE cells, flat: a point beyond the grid (cell -1 or n) falls in the frame.
        self._framed = np.pad(self.grid, 1, constant_values=self.OUTSIDE).ravel()
        self.border_share = float(border.mean())

    def _border_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(cell, polygon) for every cell whose closed square a polygon's border touches (cells as iy * nx + ix).

        The borders are cut into pieces shorter than half a cell; a piece lies
        within the box of cells its two ends fall in (at most 2 x 2 cells).
        Each piece's box is widened by a micrometre, so a border running along
        a cell edge or through a corner marks the cells on both sides, and a
        point on a border can never fall in an unmarked cell by rounding. Two
        unmarked neighbours then share no border, and a connected block of
        unmarked cells lies inside one polygon (or outside all).
        """
        lines, of_polygon = shapely.get_parts(shapely.boundary(self.polygons), return_index=True)
        rings, of_line = shapely.get_parts(lines, return_index=True)
        xy, ring = shapely.get_coordinates(shapely.segmentize(rings, self.cell / 2), return_index=True)
        same = ring[1:] == ring[:-1]  # consecutive vertices of one ring: a piece of border
        start, stop = xy[:-1][same], xy[1:][same]
        polygon = of_polygon[of_line[ring[1:][same]]]
        eps = 1e-6
        lo_x, lo_y = self._cells(np.minimum(start[:, 0], stop[:, 0]) - eps, np.minimum(start[:, 1], stop[:, 1]) - eps)
        hi_x, hi_y = self._cells(np.maximum(start[:, 0], stop[:, 0]) + eps, np.maximum(start[:, 1], stop[:, 1]) + eps)
        cells = np.concatenate([iy * self.nx + ix for ix in (lo_x, hi_x) for iy in (lo_y, hi_y)])
        keys = np.sort(cells * len(self.polygons) + np.tile(polygon, 4))
        return np.divmod(keys[_distinct(keys)], len(self.polygons))

    def _candidates(self, touched: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per border cell, the polygons a point in it can lie in: (cells, offsets, polygons), ascending.

        A polygon covers part of a cell only if its border touches the cell or
        it holds the whole cell, and then the cell's centre too; so the
        candidates are the polygons whose border touches the cell and those
        that hold its centre (which matters only where polygons overlap).
        """
        cells = touched[0][_distinct(touched[0])]  # the pairs come sorted by cell
        cy, cx = np.divmod(cells, self.nx)
        which, holder = self._holders(self.x0 + (cx + 0.5) * self.cell, self.y0 + (cy + 0.5) * self.cell)
        n = len(self.polygons)
        number = np.searchsorted(cells, touched[0])
        keys = np.sort(np.concatenate([number * n + touched[1], which * n + holder]))
        number, polygon = np.divmod(keys[_distinct(keys)], n)
        first = np.searchsorted(number, np.arange(len(cells) + 1))
        return cells, first, polygon.astype(np.int32)

    def _cells(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The cell column and row of each point: -1 or n beyond the grid, -1 without coordinates."""
        ix = np.floor((np.asarray(x, dtype=float) - self.x0) / self.cell)
        iy = np.floor((np.asarray(y, dtype=float) - self.y0) / self.cell)
        # fmax/fmin take the number where the other is NaN: no coordinates -> cell -1, outside the grid.
        ix = np.fmin(np.fmax(ix, -1.0), self.nx)
        iy = np.fmin(np.fmax(iy, -1.0), self.ny)
        return ix.astype(np.int64), iy.astype(np.int64)

    def _holders(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every (point, polygon position) where the polygon holds the point, tested against all polygons;
        by position, highest first."""
        bounds = shapely.bounds(self.polygons)
        order = np.argsort(x, kind="stable")
        xs = x[order]
        starts = np.searchsorted(xs, bounds[:, 0], side="left")
        stops = np.searchsorted(xs, bounds[:, 2], side="right")
        points, positions = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        for position in range(len(self.polygons) - 1, -1, -1):
            slab = order[starts[position]:stops[position]]  # points within the polygon's x-range
            near = slab[(y[slab] >= bounds[position, 1]) & (y[slab] <= bounds[position, 3])]
            if len(near):
                inside = near[shapely.intersects_xy(self.polygons[position], x[near], y[near])]
                points.append(inside)
                positions.append(np.full(len(inside), position, dtype=np.int64))
        return np.concatenate(points), np.concatenate(positions)

    def _exact(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Point-in-polygon for each point against all polygons; the lowest position wins where they overlap."""
        out = np.full(len(x), self.OUTSIDE, dtype=np.int32)
        points, positions = self._holders(x, y)
        out[points] = positions  # highest position first: the lowest is written last
        return out

    def _in_border_cells(self, x: np.ndarray, y: np.ndarray, number: np.ndarray) -> np.ndarray:
        """Point-in-polygon for points in border cells (``number``: the cell's), against its candidates only."""
        out = np.full(len(x), self.OUTSIDE, dtype=np.int32)
        if not len(x):
            return out
        begin = self.first[number]
        counts = self.first[number + 1] - begin
        point = np.repeat(np.arange(len(x)), counts)  # one row per (point, candidate), point by point
        slot = np.arange(len(point)) - np.repeat(np.cumsum(counts) - counts, counts)
        polygon = self.candidates[np.repeat(begin, counts) + slot]
        hit = np.zeros(len(point), dtype=bool)
        order = np.argsort(polygon, kind="stable")
        edges = np.flatnonzero(np.diff(polygon[order])) + 1
        for group in np.split(order, edges):
            pts = point[group]
            hit[group] = shapely.intersects_xy(self.polygons[polygon[group[0]]], x[pts], y[pts])
        rows = np.flatnonzero(hit)  # candidates ascend per point: its first hit is the lowest position
        first = np.ones(len(rows), dtype=bool)
        first[1:] = point[rows[1:]] != point[rows[:-1]]
        out[point[rows[first]]] = polygon[rows[first]]
        return out

    def locate(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The position of the polygon holding each point (``-1``: none), as int32."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        ix, iy = self._cells(x, y)
        out = self._framed[(iy + 1) * (self.nx + 2) + (ix + 1)]
        check = np.flatnonzero(out <= self.BORDER)
        out[check] = self._in_border_cells(x[check], y[check], self.BORDER - out[check])
        return out


def _distinct(ordered: np.ndarray) -> np.ndarray:
    """True at the first of each run of equal values of a sorted array (cheaper than np.unique)."""
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    return first


def assign_gemeente(locations: gpd.GeoDataFrame, boundaries: gpd.GeoDataFrame,
                    code: str = "gemeentecode") -> pd.Series:
    """The municipality code of every location, aligned to ``locations``.

    Points (and other non-polygons) take the municipality that contains them;
    polygons take the one they overlap most. Missing or empty geometries and
    locations outside every boundary get ``None``: count them with
    ``result.isna()``, they are never dropped. Vectorised with the spatial
    index of ``boundaries``.
    """
    if locations.crs is None:
        raise InputError(Problem("the locations have no coordinate reference system",
                                 fix="set it, e.g. EPSG:28992 for RD New or EPSG:4326 for longitude/latitude"))
    geoms = locations.geometry.to_crs(boundaries.crs)
    result = pd.Series([None] * len(locations), index=locations.index, dtype=object, name=code)
    present = has_location(geoms.to_numpy())  # POINT (NaN NaN), from empty coordinates, has no place
    values = geoms.to_numpy()
    codes = boundaries[code].to_numpy()
    polygonal = present & np.isin(geoms.geom_type.to_numpy(), ["Polygon", "MultiPolygon"])
    pointlike = present & ~polygonal
    if pointlike.any():
        probe = shapely.point_on_surface(values[pointlike])
        loc_idx, bnd_idx = boundaries.sindex.query(probe, predicate="intersects")
        # A point on a shared border touches two municipalities: take the first in the boundary layer.
        first = pd.Series(bnd_idx).groupby(loc_idx).min()
        positions = np.flatnonzero(pointlike)[first.index.to_numpy()]
        result.iloc[positions] = codes[first.to_numpy()]
    if polygonal.any():
        poly_values = values[polygonal]
        loc_idx, bnd_idx = boundaries.sindex.query(poly_values, predicate="intersects")
        if len(loc_idx):
            overlap = shapely.area(shapely.intersection(poly_values[loc_idx], boundaries.geometry.to_numpy()[bnd_idx]))
            best = pd.DataFrame({"loc": loc_idx, "bnd": bnd_idx, "area": overlap}).sort_values(
                ["loc", "area"], ascending=[True, False]).drop_duplicates("loc")
            best = best[best["area"] > 0]
            positions = np.flatnonzero(polygonal)[best["loc"].to_numpy()]
            result.iloc[positions] = codes[best["bnd"].to_numpy()]
    return result


def region_table_from_csv(table: pd.DataFrame, code: str = "gemeentecode", region: str = "region",
                          source: str = "region table") -> pd.DataFrame:
    """A custom region table (gemeentecode -> region name), checked.

    Every municipality may belong to one region only; codes are normalised
    (``983`` -> ``GM0983``).
    """
    from .housing import normalise_gemeentecode

    missing = [c for c in (code, region) if c not in table.columns]
    if missing:
        raise InputError(Problem(f"missing column(s) {', '.join(missing)}",
                                 fix=f"give two columns: {code} and {region}"), source=source)
    out = pd.DataFrame({"gemeentecode": normalise_gemeentecode(table[code]), region: table[region].astype(str)})
    doubles = out["gemeentecode"][out["gemeentecode"].duplicated()]
    if len(doubles):
        raise InputError([Problem(f"{c} is put in more than one region", column=code,
                                  fix="give each municipality one region") for c in doubles.unique()], source=source)
    return out


def rollup(figures: pd.DataFrame, regions: pd.DataFrame, level: str, columns: Sequence[str] | None = None,
           code: str = "gemeentecode") -> pd.DataFrame:
    """Sum municipal figures to a region level.

    Parameters
    ----------
    figures
        One row per municipality, indexed by (or with a column) ``code``.
    regions
        A table with ``code`` and a column per level (``corop_code``,
        ``provincie_code``, or a custom region column).
    level
        ``gemeente``, ``corop``, ``provincie`` or the name of a column of
        ``regions``.
    columns
        The extensive columns to sum (default: every numeric column).

    Returns one row per region; municipalities missing from ``regions`` are
    summed under ``"(not in a region)"`` so that the grand total is always
    the municipal total.
    """
    column = REGION_LEVELS.get(level, level)
    if column not in regions.columns:
        raise InputError(Problem(f"unknown region level '{level}'",
                                 fix="use gemeente, corop, provincie or a column of your region table"))
    frame = figures.reset_index() if code not in figures.columns else figures
    columns = list(columns) if columns is not None else [
        c for c in frame.columns if c != code and pd.api.types.is_numeric_dtype(frame[c])]
    lookup = regions.drop_duplicates(code).set_index(code)[column]
    keys = frame[code].map(lookup).fillna("(not in a region)")
    out = frame[columns].groupby(keys.rename(column)).sum()
    name_column = LEVEL_NAMES.get(column)
    if name_column and name_column in regions.columns:
        names = regions.drop_duplicates(column).set_index(column)[name_column]
        out.insert(0, name_column, out.index.map(names))
    totals_before = frame[columns].sum()
    totals_after = out[columns].sum()
    if not np.allclose(totals_before.to_numpy(dtype=float), totals_after.to_numpy(dtype=float)):
        raise AssertionError("roll-up did not conserve the totals")  # pragma: no cover - guards the invariant
    return out
