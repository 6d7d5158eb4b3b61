"""Maps that work offline: pydeck layers on a local MapLibre style.

The base style (``static/basemap-blank.json``) has only a background, served
by Streamlit's static file serving, so the browser fetches nothing from
outside. With internet a user may switch on the PDOK base map
(``static/basemap-pdok.json``). Polygons are simplified in Python before they
go to the browser.

A deck goes to the browser as compact JSON (pydeck indents it, which is four
times the bytes and needs Python's slow encoder), and a heavy layer can be
serialised once as a :class:`Prepared` layer and kept in a cache, so a rerun
that draws the same map again costs almost nothing.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from typing import TypeVar, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from shapely.geometry import mapping

from ..mapclasses import NO_VALUE, Classes, diverging_classes, sequential_classes

__all__ = ["GRID_COLOUR", "NO_VALUE", "SITE_COLOUR", "Classes", "Deck", "Prepared", "colours", "deck",
           "diverging_classes", "grid_layer", "label_layer", "legend_html", "point_layer", "polygon_layers",
           "prepared", "sequential_classes", "simplified", "sites_legend", "view_of"]

T = TypeVar("T")

BLANK_STYLE = "app/static/basemap-blank.json"
PDOK_STYLE = "app/static/basemap-pdok.json"
#: Simplification tolerance for municipal polygons sent to the browser (metres in RD New): the first of these
#: that brings the layer within :data:`MAX_VERTICES`.
SIMPLIFY_M = (150.0, 300.0, 500.0, 800.0, 1200.0)
#: Vertices the browser gets at most for one polygon layer. Exact CBS borders simplified at 150 m still had
#: about 20,000 (2.6 MB of JSON at full precision), which made every redraw and pick slow (see
#: :func:`polygon_layers` for why that lost clicks).
MAX_VERTICES = 9_000
#: Decimal places of longitude/latitude sent to the browser (1e-5 degrees is about a metre).
DECIMALS = 5
VIEW = pdk.ViewState(latitude=52.15, longitude=5.35, zoom=6.4)
#: Colours of the site markers and the click points (the legends use the same).
SITE_COLOUR = (30, 70, 160)
GRID_COLOUR = (20, 20, 20)
#: Text colour and halo of the map labels.
LABEL_COLOUR = [30, 30, 30, 230]


def _compact(value: object) -> str:
    """``value`` (a layer, a deck's settings) as pydeck would write it, without the indentation."""
    from pydeck.bindings.json_tools import default_serialize

    return json.dumps(value, sort_keys=True, default=default_serialize, separators=(",", ":"))


class Prepared:
    """A layer already written as JSON: made once (for example in a cache) and put into many decks unchanged.

    It has no ``data`` of its own for Streamlit or pydeck to convert again;
    only :class:`Deck` knows how to write it.
    """

    __slots__ = ("id", "json")

    def __init__(self, layer: pdk.Layer) -> None:
        self.id = layer.id
        self.json = _compact(layer)


class Deck(pdk.Deck):
    """A pydeck deck written as compact JSON, with :class:`Prepared` layers put in as they are.

    Streamlit sends what ``to_json`` returns; the browser reads the same
    object as from pydeck's own (indented) JSON.
    """

    def to_json(self) -> str:
        from pydeck.bindings.json_tools import default_serialize

        settings = {key: value for key, value in default_serialize(self).items() if key != "layers"}
        layers = ",".join(layer.json if isinstance(layer, Prepared) else _compact(layer) for layer in self.layers)
        head = _compact(settings)
        return f'{head[:-1]}{"," if settings else ""}"layers":[{layers}]}}'


def prepared(layers: list[pdk.Layer]) -> list[Prepared]:
    """Each layer written as JSON once (see :class:`Prepared`)."""
    return [Prepared(layer) for layer in layers]


def legend_html(classes: Classes | None, title: str, lang: str,
                markers: tuple[tuple[tuple[int, int, int], str], ...] = (),
                areas: tuple[tuple[tuple[int, int, int], str], ...] = ()) -> str:
    """A legend to put beside a map (``st.markdown(..., unsafe_allow_html=True)``), from the same classes as
    the colours; ``markers`` are round symbols (colour, label) such as the sites, ``areas`` further square
    swatches. Labels are escaped."""
    from html import escape

    def swatch(colour, label: str, round_: bool = False) -> str:
        radius = "50%" if round_ else "2px"
        return (f'<span style="display:inline-flex;align-items:center;margin:0 14px 4px 0;white-space:nowrap">'
                f'<span style="display:inline-block;width:14px;height:14px;border-radius:{radius};'
                f'border:1px solid #888;background:rgb({colour[0]},{colour[1]},{colour[2]});margin-right:5px">'
                f'</span>{escape(label)}</span>')

    items = [swatch(colour, label) for colour, label in (classes.rows(lang) if classes is not None else [])]
    items += [swatch(colour, label) for colour, label in areas]
    items += [swatch(colour, label, round_=True) for colour, label in markers]
    return (f'<div class="planner-legend" style="font-size:0.85rem;line-height:1.4">'
            f'<strong>{escape(title)}</strong><br>{"".join(items)}</div>')


def colours(values: pd.Series, classes: Classes | None = None) -> list[list[int]]:
    """RGBA per value from ``classes`` (default: :func:`sequential_classes` of the values); grey where no data.

    >>> colours(pd.Series([0.0, 5.0, 10.0]))
    [[220, 222, 225, 140], [253, 141, 60, 200], [189, 0, 38, 200]]
    """
    values = pd.to_numeric(values, errors="coerce")
    classes = classes or sequential_classes(values)
    return [classes.colour(value) for value in values]


def simplified(frame: gpd.GeoDataFrame, tolerance: float | tuple[float, ...] = SIMPLIFY_M,
               max_vertices: int = MAX_VERTICES) -> gpd.GeoDataFrame:
    """Polygons simplified in RD New, returned in WGS84 for the browser, coordinates rounded to about a metre.

    With several tolerances, the first that brings the layer within
    ``max_vertices`` is taken (the last if none does), so exact and
    schematic borders reach the browser at a similar size.
    """
    out = frame.to_crs("EPSG:28992")
    geometry = out.geometry
    for step in (tolerance,) if isinstance(tolerance, int | float) else tolerance:
        geometry = out.geometry.simplify(step, preserve_topology=True)
        if int(shapely.get_num_coordinates(geometry.to_numpy()).sum()) <= max_vertices:
            break
    out["geometry"] = geometry
    out = out.to_crs("EPSG:4326")
    out["geometry"] = shapely.transform(out.geometry.to_numpy(), lambda xy: np.round(xy, DECIMALS))
    return out


#: What was computed from a geometry for a map (simplified shapes, label points), by kind and a digest of the
#: geometry (see :func:`_from_geometry`).
_DERIVED: dict[tuple[str, str], object] = {}
#: How many results are kept (a boundary layer at each region level, a few years, their label points).
MAX_DERIVED = 32
_DERIVED_LOCK = threading.Lock()


def _from_geometry(kind: str, geometry: gpd.GeoSeries, compute: Callable[[gpd.GeoSeries], T]) -> T:
    """``compute(geometry)``, made once per distinct geometry and reused: a map of other values on the same
    borders (another distance, mode or language) needs no new simplification. The result is shared: never
    change it."""
    digest = hashlib.sha256(f"{kind}|{geometry.crs}".encode())
    for wkb in shapely.to_wkb(geometry.to_numpy()):
        digest.update(b"\x00N" if wkb is None else wkb)
    key = (kind, digest.hexdigest())
    with _DERIVED_LOCK:
        if key in _DERIVED:
            return cast(T, _DERIVED[key])
    value = compute(geometry)
    with _DERIVED_LOCK:
        while len(_DERIVED) >= MAX_DERIVED:
            _DERIVED.pop(next(iter(_DERIVED)))
        _DERIVED[key] = value
    return value


def _shapes(geometry: gpd.GeoSeries) -> list[dict | None]:
    """GeoJSON geometries of the :func:`simplified` polygons (shared: never change them)."""

    def compute(geometry: gpd.GeoSeries) -> list[dict | None]:
        simple = simplified(gpd.GeoDataFrame(geometry=geometry.to_numpy(), crs=geometry.crs))
        return [None if shape is None else mapping(shape) for shape in simple.geometry]

    return _from_geometry("shapes", geometry, compute)


def _label_points(geometry: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of a point inside each polygon, rounded (shared: never change them)."""

    def compute(geometry: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
        where = geometry.to_crs("EPSG:28992").representative_point().to_crs("EPSG:4326")
        return where.x.round(DECIMALS).to_numpy(), where.y.round(DECIMALS).to_numpy()

    return _from_geometry("labels", geometry, compute)


def polygon_layers(frame: gpd.GeoDataFrame, value: str, tooltip_columns: list[str],
                   classes: Classes | None = None) -> list[pdk.Layer]:
    """A choropleth of ``frame`` coloured by ``value``: the fills (pickable, id ``regions``) and their outlines.

    The first tooltip column becomes ``tip``. The outlines are a layer of
    their own that is not pickable: deck.gl draws every pickable layer again
    to find the object under the pointer when the button goes down, and
    drawing the outlines took about 250 ms in Chromium without a GPU, as
    long as a click may last (deck.gl's default), so clicks were lost; the
    fills alone take about 15 ms.
    """
    shapes = _shapes(frame.geometry)
    data = pd.DataFrame(frame[list(dict.fromkeys([*tooltip_columns, value]))])
    data["fill"] = colours(data[value], classes)
    data["tip"] = data[tooltip_columns[0]].astype(str) if tooltip_columns else ""
    # Properties as JSON values (missing numbers null), each with its shared, simplified geometry.
    properties = json.loads(data.to_json(orient="records", double_precision=15))
    features = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": row, "geometry": shape}
        for row, shape in zip(properties, shapes, strict=True)]}
    outlines = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": shape} for shape in shapes]}
    return [pdk.Layer("GeoJsonLayer", features, id="regions", pickable=True, stroked=False, filled=True,
                      get_fill_color="properties.fill"),
            pdk.Layer("GeoJsonLayer", outlines, id="outlines", pickable=False, stroked=True, filled=False,
                      get_line_color=[90, 90, 90, 160], line_width_min_pixels=0.5)]


def label_layer(frame: gpd.GeoDataFrame, text: str, size: int = 12) -> pdk.Layer:
    """Labels (for example a municipality's name and value) at a point inside each polygon; not pickable."""
    lon, lat = _label_points(frame.geometry)
    data = pd.DataFrame({"lon": lon, "lat": lat, "label": frame[text].astype(str).to_numpy()})
    return pdk.Layer("TextLayer", data, id="labels", pickable=False, get_position=["lon", "lat"],
                     get_text="label", get_size=size, get_color=LABEL_COLOUR, get_text_anchor="'middle'",
                     get_alignment_baseline="'center'", outline_width=2, outline_color=[255, 255, 255, 220],
                     font_settings={"sdf": True}, character_set="auto")


def point_layer(points: gpd.GeoDataFrame, label: str) -> pdk.Layer:
    """Site markers (representative points), labelled."""
    where = points.geometry.to_crs("EPSG:28992").representative_point().to_crs("EPSG:4326")
    data = pd.DataFrame({"lon": where.x, "lat": where.y, "tip": points[label].astype(str).to_numpy()})
    return pdk.Layer("ScatterplotLayer", data, id="sites", get_position=["lon", "lat"], get_radius=1500,
                     radius_min_pixels=4, get_fill_color=[*SITE_COLOUR, 220], get_line_color=[255, 255, 255],
                     stroked=True, line_width_min_pixels=1, pickable=True)


def grid_layer(polygon_rd, spacing: float = 1000.0) -> pdk.Layer:
    """Pickable points every ``spacing`` metres inside a polygon (RD New), to place a site by clicking."""
    import shapely

    xmin, ymin, xmax, ymax = polygon_rd.bounds
    xs, ys = np.meshgrid(np.arange(xmin + spacing / 2, xmax, spacing), np.arange(ymin + spacing / 2, ymax, spacing))
    xs, ys = xs.ravel(), ys.ravel()
    inside = shapely.contains_xy(polygon_rd, xs, ys)
    points = gpd.GeoSeries(gpd.points_from_xy(xs[inside], ys[inside]), crs="EPSG:28992").to_crs("EPSG:4326")
    data = pd.DataFrame({"lon": points.x.round(5), "lat": points.y.round(5)})
    data["tip"] = data["lon"].astype(str) + ", " + data["lat"].astype(str)
    return pdk.Layer("ScatterplotLayer", data, id="grid", get_position=["lon", "lat"], get_radius=200,
                     radius_min_pixels=3, get_fill_color=[*GRID_COLOUR, 170], pickable=True)


def deck(layers: list[pdk.Layer | Prepared], tooltip: str, pdok: bool = False,
         view: pdk.ViewState | None = None) -> Deck:
    """Layers on the offline style (or PDOK's); tooltips read each object's ``tip`` field."""
    return Deck(layers=list(layers), initial_view_state=view or VIEW, map_style=PDOK_STYLE if pdok else BLANK_STYLE,
                    tooltip={"html": tooltip, "style": {"fontSize": "12px"}})


def view_of(polygon_rd) -> pdk.ViewState:
    """A view centred on a polygon (RD New), zoomed to about its size."""
    centre = gpd.GeoSeries([polygon_rd.centroid], crs="EPSG:28992").to_crs("EPSG:4326").iloc[0]
    xmin, ymin, xmax, ymax = polygon_rd.bounds
    size_km = max(xmax - xmin, ymax - ymin) / 1000.0
    zoom = float(np.clip(12.5 - np.log2(max(size_km, 1.0)), 6.0, 12.0))
    return pdk.ViewState(latitude=centre.y, longitude=centre.x, zoom=zoom)


def sites_legend(lang: str, grid: bool = False) -> str:
    """The legend of the sites map: municipalities (grey, clickable), the sites and, when shown, click points."""
    from ..i18n import t

    markers = [(SITE_COLOUR, t("legend_sites", lang))]
    if grid:
        markers.append((GRID_COLOUR, t("legend_grid", lang)))
    return legend_html(None, t("legend_sites_map", lang), lang, markers=tuple(markers),
                       areas=(((NO_VALUE[0], NO_VALUE[1], NO_VALUE[2]), t("legend_municipality", lang)),))
