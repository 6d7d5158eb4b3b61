"""Maps that work offline: pydeck layers on a local MapLibre style.

The base style (``static/basemap-blank.json``) has only a background, served
by Streamlit's static file serving, so the browser fetches nothing from
outside. With internet a user may switch on the PDOK base map
(``static/basemap-pdok.json``). Polygons are simplified in Python before they
go to the browser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely

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
#: A sequential ramp from pale yellow to dark red (ColorBrewer YlOrRd, 5 classes).
RAMP = np.array([[255, 255, 178], [254, 204, 92], [253, 141, 60], [240, 59, 32], [189, 0, 38]])
#: A diverging ramp for differences (ColorBrewer RdBu, 7 classes): blue is a decrease, the pale middle no change,
#: red an increase, so a drop never looks like a rise.
DIVERGING = np.array([[33, 102, 172], [103, 169, 207], [209, 229, 240], [247, 247, 247], [253, 219, 199],
                      [239, 138, 98], [178, 24, 43]])
NO_VALUE = [220, 222, 225]
#: Colours of the site markers and the click points (the legends use the same).
SITE_COLOUR = (30, 70, 160)
GRID_COLOUR = (20, 20, 20)
#: Text colour and halo of the map labels.
LABEL_COLOUR = [30, 30, 30, 230]


def nice_step(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is at least ``value`` (class widths read easily).

    >>> nice_step(35.4), nice_step(0.3), nice_step(800)
    (50.0, 0.5, 1000.0)
    """
    if not value > 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(value))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if factor * power >= value * (1 - 1e-12):
            return float(factor * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


@dataclass(frozen=True)
class Classes:
    """Class breaks of a map, made once and used for both the colours and the legend.

    ``bounds`` are the class edges (one more than ``colours``): a value ``v``
    is in class ``k`` when ``bounds[k] < v <= bounds[k + 1]`` (the lowest
    class also takes its lower edge). In a diverging scale the middle class is
    "no change": ``|v| < zero``. Missing values and, in a sequential scale,
    zero are the no-data grey.
    """

    bounds: tuple[float, ...]
    colours: tuple[tuple[int, int, int], ...]
    diverging: bool = False
    zero: float = 0.5
    decimals: int = 0

    def index(self, value: float) -> int | None:
        """The class of ``value``, or None for the no-data grey."""
        if value is None or pd.isna(value):
            return None
        if self.diverging:
            middle = len(self.colours) // 2
            if abs(value) < self.zero:
                return middle
            if value < 0:
                for k in range(middle):  # the classes below zero, from the lowest
                    if value <= self.bounds[k + 1] or k == middle - 1:
                        return k
            for k in range(middle + 1, len(self.colours)):
                if value <= self.bounds[k + 1]:
                    return k
            return len(self.colours) - 1
        if value <= 0:
            return None
        for k in range(len(self.colours)):
            if value <= self.bounds[k + 1]:
                return k
        return len(self.colours) - 1

    def colour(self, value: float) -> list[int]:
        """RGBA of ``value``: its class's colour, or the no-data grey (more transparent)."""
        k = self.index(value)
        return [*NO_VALUE, 140] if k is None else [*self.colours[k], 200]

    def rows(self, lang: str) -> list[tuple[tuple[int, int, int], str]]:
        """The legend: (colour, label) per class, lowest first, then the no-data grey."""
        from ..formatting import fmt
        from ..i18n import t

        def number(value: float) -> str:
            return fmt(value, lang, self.decimals)

        rows = []
        for k, colour in enumerate(self.colours):
            low, high = self.bounds[k], self.bounds[k + 1]
            middle = len(self.colours) // 2
            if self.diverging and k == middle:
                label = t("legend_no_change", lang)
            elif self.diverging and k == 0:
                label = t("legend_up_to", lang, high=number(high))
            elif self.diverging and k == len(self.colours) - 1:
                label = t("legend_above", lang, low=number(low))
            elif self.diverging and k == middle - 1:
                label = t("legend_below_zero", lang, low=number(low))
            elif self.diverging and k == middle + 1:
                label = t("legend_range", lang, low=number(0), high=number(high))
            else:
                label = t("legend_range", lang, low=number(low), high=number(high))
            rows.append((colour, label))
        rows.append(((NO_VALUE[0], NO_VALUE[1], NO_VALUE[2]),
                     t("legend_no_data_diverging" if self.diverging else "legend_no_data", lang)))
        return rows


def sequential_classes(values: pd.Series | np.ndarray, classes: int = len(RAMP)) -> Classes:
    """Up to five classes of equal, round width from 0 to the maximum (YlOrRd); zero or missing is grey.

    >>> sequential_classes(pd.Series([0, 12, 177])).bounds
    (0.0, 50.0, 100.0, 150.0, 200.0)
    """
    numbers = pd.to_numeric(pd.Series(values), errors="coerce")
    top = float(numbers.max()) if numbers.notna().any() else 0.0
    step = nice_step(top / classes) if top > 0 else 1.0
    count = int(min(max(np.ceil(top / step - 1e-9), 1), classes))
    colours = RAMP[np.round(np.linspace(0, len(RAMP) - 1, count)).astype(int)] if count > 1 else RAMP[[2]]
    return Classes(tuple(float(step * k) for k in range(count + 1)),
                   _rgb(colours), decimals=_decimals(step))


def diverging_classes(values: pd.Series | np.ndarray, zero: float = 0.5) -> Classes:
    """Seven classes symmetric about zero (RdBu): three shades of blue for a decrease, pale for no change
    (``|v| < zero``), three shades of red for an increase; the outer edges reach the largest change.

    >>> diverging_classes(pd.Series([-120, 0, 40])).bounds
    (-150.0, -100.0, -50.0, -0.5, 0.5, 50.0, 100.0, 150.0)
    """
    numbers = pd.to_numeric(pd.Series(values), errors="coerce")
    reach = float(numbers.abs().max()) if numbers.notna().any() else 0.0
    step = nice_step(max(reach, zero) / 3)
    bounds = (-3 * step, -2 * step, -step, -zero, zero, step, 2 * step, 3 * step)
    return Classes(tuple(float(b) for b in bounds), _rgb(DIVERGING),
                   diverging=True, zero=zero, decimals=_decimals(step))


def _rgb(colours: np.ndarray) -> tuple[tuple[int, int, int], ...]:
    return tuple((int(row[0]), int(row[1]), int(row[2])) for row in colours)


def _decimals(step: float) -> int:
    """Decimals that show a class width exactly (1 for 0.5, 2 for 0.25, 0 for 50)."""
    for decimals in range(7):
        if abs(round(step, decimals) - step) < 1e-9 * max(step, 1.0):
            return decimals
    return 6


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
    data = simplified(frame[[*dict.fromkeys([*tooltip_columns, value]), frame.geometry.name]])
    data["fill"] = colours(data[value], classes)
    data["tip"] = data[tooltip_columns[0]].astype(str) if tooltip_columns else ""
    features = json.loads(data.to_json(drop_id=True))
    outlines = json.loads(data[[data.geometry.name]].to_json(drop_id=True))
    return [pdk.Layer("GeoJsonLayer", features, id="regions", pickable=True, stroked=False, filled=True,
                      get_fill_color="properties.fill"),
            pdk.Layer("GeoJsonLayer", outlines, id="outlines", pickable=False, stroked=True, filled=False,
                      get_line_color=[90, 90, 90, 160], line_width_min_pixels=0.5)]


def label_layer(frame: gpd.GeoDataFrame, text: str, size: int = 12) -> pdk.Layer:
    """Labels (for example a municipality's name and value) at a point inside each polygon; not pickable."""
    where = frame.geometry.to_crs("EPSG:28992").representative_point().to_crs("EPSG:4326")
    data = pd.DataFrame({"lon": where.x.round(DECIMALS).to_numpy(), "lat": where.y.round(DECIMALS).to_numpy(),
                         "label": frame[text].astype(str).to_numpy()})
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


def deck(layers: list[pdk.Layer], tooltip: str, pdok: bool = False, view: pdk.ViewState | None = None) -> pdk.Deck:
    """Layers on the offline style (or PDOK's); tooltips read each object's ``tip`` field."""
    return pdk.Deck(layers=layers, initial_view_state=view or VIEW, map_style=PDOK_STYLE if pdok else BLANK_STYLE,
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
