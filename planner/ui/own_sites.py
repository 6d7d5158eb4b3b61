"""The user's own sites on the sites page: edit or remove one, draw one as a polygon on the map.

Drawing works offline on the same map: in draw mode a click on one of the
map's 1-km grid points adds a vertex (shown as a path), and "close" turns
the vertices into a site whose plot area is computed in RD New. pydeck has
no drawing tool, so the vertices come through the map's selection event,
exactly like a picked place: :func:`selection_pick` turns a selection into a
pick once (Streamlit keeps a chart's selection across reruns, so handling it
again on every run reran the page forever), and :func:`route_pick` sends a
pick to the polygon while draw mode is on.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pydeck as pdk
import shapely
import streamlit as st
from pyproj import Transformer
from shapely.geometry import Polygon

from ..errors import InputError
from ..formatting import fmt
from ..i18n import t
from ..impact import assess
from . import show, state

#: Session keys: draw mode on/off (the toggle), the vertices drawn so far (lon, lat), a message for the next run.
DRAW_MODE, DRAW_POINTS, DRAW_MESSAGE = "draw_mode", "draw_points", "draw_message"
#: The signature of the map selection already handled (see :func:`selection_pick`).
HANDLED = "sites_map_handled"
_TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


# -- the map's selection, consumed once -----------------------------------------------------------------

def selection_pick(objects: dict | None, session: Any) -> dict | None:
    """The pick a map selection asks for (a grid point or a municipality), or None.

    A selection is handled once: Streamlit hands the same selection to every
    later run until the user clicks again, so the same selection seen again
    gives None (and the page settles). The browser also sends an empty
    selection when the map is redrawn and then the old one again: the last
    selection handled is kept through empty ones, so the old one is not taken
    for a new click. ``session`` is ``st.session_state`` or a dict.
    """
    if not objects:
        return None
    signature = json.dumps(objects, sort_keys=True, default=str)
    if signature == session.get(HANDLED):
        return None
    session[HANDLED] = signature
    if objects.get("grid"):
        point = objects["grid"][0]
        return {"lon": float(point["lon"]), "lat": float(point["lat"])}
    if objects.get("regions"):
        properties = objects["regions"][0].get("properties", objects["regions"][0])
        code = properties.get("gemeentecode")
        if code and code != session.get("pick_gemeente"):  # the municipality already chosen: nothing to do
            return {"gemeentecode": code, "gemeentenaam": properties.get("gemeentenaam")}
    return None


def route_pick(pick: dict, session: Any) -> bool:
    """In draw mode a picked grid point becomes the polygon's next vertex; True when it did."""
    if not session.get(DRAW_MODE) or "lon" not in pick:
        return False
    points = [list(p) for p in session.get(DRAW_POINTS) or []]
    point = [float(pick["lon"]), float(pick["lat"])]
    if not points or points[-1] != point:
        points.append(point)
    session[DRAW_POINTS] = points
    return True


# -- the polygon ------------------------------------------------------------------------------------

def drawn_polygon(points: list[list[float]]) -> tuple[Polygon, float]:
    """The polygon through ``points`` (lon, lat, in drawing order) in WGS84 and its area in ha (RD New).

    Raises ValueError with the catalogue key of the message: ``draw_too_few``
    (fewer than 3 different points) or ``draw_self_intersecting``.
    """
    distinct = list(dict.fromkeys((float(x), float(y)) for x, y in points))
    if len(distinct) < 3:
        raise ValueError("draw_too_few")
    lon, lat = zip(*distinct, strict=True)
    rd = Polygon(list(zip(*_TO_RD.transform(lon, lat), strict=True)))
    if rd.area <= 0 or not shapely.is_valid(rd):
        raise ValueError("draw_self_intersecting")
    return Polygon(distinct), rd.area / 10_000.0


def _form_row(lang: str) -> dict:
    """The drawn site's name, and the kind, size, years and declarations of the add form (as last submitted,
    else its defaults: a form's values reach the session only when it is submitted), without a place."""
    s = st.session_state
    library = state.current_library()
    subtype = s.get("form_subtype") or next(iter(library.ratios.index))
    sector, kind = subtype
    return {"name": (s.get("draw_name") or "").strip() or t("draw_default_name", lang),
            "sector": sector, "subtype": kind, "floor_area_m2": s.get("form_floor", 40_000.0) or None,
            "start_year": int(s.get("form_start", 2028)), "ramp_up_years": int(s.get("form_ramp", 2)),
            "declared_migrants": s.get("form_declared"), "declared_beds": s.get("form_beds"),
            "relocated_jobs": s.get("form_relocated"), "declared_jobs": s.get("form_jobs")}


def _close(lang: str) -> None:
    """Turn the drawn vertices into a site (a button callback: it runs before the page is drawn)."""
    s = st.session_state
    try:
        polygon, area = drawn_polygon(s.get(DRAW_POINTS) or [])
    except ValueError as exc:
        s[DRAW_MESSAGE] = ("error", t(str(exc), lang))
        return
    where = polygon.representative_point()
    row = {**_form_row(lang), "plot_area_ha": round(area, 4), "lon": where.x, "lat": where.y,
           "wkt": shapely.to_wkt(polygon, rounding_precision=6)}
    try:
        assess(state.manual_frame(json.dumps([row])), state.current_library())
    except InputError as exc:
        s[DRAW_MESSAGE] = ("error", f"{t('input_error', lang)}: {exc}")
        return
    s["manual_sites"] = [*s["manual_sites"], row]
    s["last_added"] = row["name"]
    s[DRAW_POINTS] = []
    s[DRAW_MODE] = False
    s[DRAW_MESSAGE] = ("success", t("draw_added", lang, name=row["name"], area=fmt(area, lang, 1)))


def _undo() -> None:
    st.session_state[DRAW_POINTS] = (st.session_state.get(DRAW_POINTS) or [])[:-1]


def _cancel() -> None:
    st.session_state[DRAW_POINTS] = []
    st.session_state[DRAW_MODE] = False


def draw_controls(lang: str) -> None:
    """The draw-mode switch and, while drawing, the vertices so far and the close / undo / cancel buttons."""
    message = st.session_state.pop(DRAW_MESSAGE, None)
    if message is not None:
        (st.error if message[0] == "error" else st.success)(message[1])
    if not st.toggle(t("draw_mode", lang), key=DRAW_MODE, help=t("draw_help", lang)):
        return
    points = st.session_state.get(DRAW_POINTS) or []
    if not st.session_state.get("pick_gemeente"):
        show.info(t("draw_choose_gemeente", lang))
    st.session_state.setdefault("draw_name", t("draw_default_name", lang))
    st.text_input(t("site_name", lang), max_chars=120, key="draw_name")
    row = _form_row(lang)
    ratios = state.current_library().ratios
    kind = (row["sector"], row["subtype"])
    label = ratios.loc[kind, f"label_{lang}"] if kind in ratios.index else row["subtype"]
    show.caption(t("draw_uses", lang, kind=label, floor=fmt(row["floor_area_m2"] or 0, lang), start=row["start_year"]))
    show.caption(t("draw_count", lang, n=len(points)))
    left, middle, right = st.columns(3)
    left.button(t("draw_close", lang), key="draw_close", on_click=_close, args=(lang,))
    middle.button(t("draw_undo", lang), key="draw_undo", on_click=_undo, disabled=not points)
    right.button(t("draw_cancel", lang), key="draw_cancel", on_click=_cancel)


def draw_layers() -> list[pdk.Layer]:
    """The polygon being drawn: its vertices and the path through them (closed back to the first as a preview)."""
    points = st.session_state.get(DRAW_POINTS) or []
    if not st.session_state.get(DRAW_MODE) or not points:
        return []
    path = [*points, points[0]] if len(points) >= 3 else list(points)
    layers = [pdk.Layer("ScatterplotLayer", pd.DataFrame(points, columns=["lon", "lat"]), id="draw_vertices",
                        get_position=["lon", "lat"], get_radius=120, radius_min_pixels=5,
                        get_fill_color=[200, 30, 30, 230], pickable=False)]
    if len(path) >= 2:
        layers.insert(0, pdk.Layer("PathLayer", [{"path": path}], id="draw_path", get_path="path",
                                   get_color=[200, 30, 30, 220], width_min_pixels=3, pickable=False))
    return layers


# -- edit or remove one entered site -------------------------------------------------------------------

def _load(index: int, row: dict) -> None:
    """Put a site's values into the edit form, when another site (or a changed one) is chosen."""
    s = st.session_state
    marker = [index, row]
    if s.get("edit_loaded") == marker:
        return
    s["edit_name"] = row.get("name") or ""
    s["edit_subtype"] = (row["sector"], row["subtype"])
    s["edit_floor"] = float(row.get("floor_area_m2") or 0.0)
    s["edit_start"] = int(row.get("start_year") or 2028)
    s["edit_loaded"] = marker


def edit_sites(lang: str) -> None:
    """Choose one entered site, change its name, kind of business, floor area or start year, or remove it."""
    s = st.session_state
    manual = list(s.get("manual_sites") or [])
    notice = s.pop("edit_notice", None)
    if notice:
        show.success(notice)
    if not manual:
        return
    library = state.current_library()
    ratios = library.ratios
    with st.expander(t("edit_sites", lang), expanded=bool(s.get("edit_open"))):
        positions = list(range(len(manual)))
        if s.get("edit_site") not in positions:
            s["edit_site"] = positions[-1]
        index = st.selectbox(t("edit_which", lang), positions, key="edit_site",
                             format_func=lambda i: f"{i + 1}. {manual[i].get('name')}")
        row = manual[index]
        _load(index, row)
        with st.form("edit_site_form"):
            name = st.text_input(t("site_name", lang), max_chars=120, key="edit_name")
            subtype = st.selectbox(t("subtype", lang), list(ratios.index), key="edit_subtype",
                                   format_func=lambda k: ratios.loc[k, f"label_{lang}"])
            left, right = st.columns(2)
            floor = left.number_input(t("floor_area_m2", lang), min_value=0.0, max_value=1_000_000.0, step=1000.0,
                                      format="%.0f", key="edit_floor")
            start = right.number_input(t("start_year", lang), min_value=2000, max_value=2100, key="edit_start")
            if row.get("plot_area_ha"):
                show.caption(f"{t('plot_area_ha', lang)}: {fmt(row['plot_area_ha'], lang, 1)}")
            left, right = st.columns(2)
            save = left.form_submit_button(t("edit_save", lang), key="edit_save")
            remove = right.form_submit_button(t("edit_remove", lang), key="edit_remove")
    if remove:
        del manual[index]
        s["manual_sites"] = manual
        s.pop("last_added", None)
        s.pop("edit_loaded", None)
        s["edit_open"] = bool(manual)
        s["edit_notice"] = t("site_removed", lang, name=row.get("name"))
        st.rerun()
    if not save:
        return
    sector, kind = subtype
    changed = {**row, "name": name.strip() or row.get("name") or "?", "sector": sector, "subtype": kind,
               "floor_area_m2": float(floor) or None, "start_year": int(start)}
    try:  # check the one site before it replaces the old one
        assess(state.manual_frame(json.dumps([changed])), library)
    except InputError as exc:
        show.error(f"{t('input_error', lang)}: {exc}")
        return
    manual[index] = changed
    s["manual_sites"] = manual
    s.pop("last_added", None)
    s.pop("edit_loaded", None)
    s["edit_open"] = True
    s["edit_notice"] = t("site_updated", lang, name=changed["name"])
    st.rerun()
