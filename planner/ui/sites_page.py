"""Bedrijvigheid: planned sites in (file, example sites, or entered here), the estimate out at once."""

from __future__ import annotations

import json

import pandas as pd
import pydeck as pdk
import streamlit as st

from ..allocation import undated_problem
from ..display import checks_first_table, declaration_flags, display_table
from ..errors import InputError
from ..formatting import fmt
from ..i18n import t
from ..impact import assess
from ..io import TABLE_TYPES
from ..library import LEVELS
from ..messages import layer_label, message, problem_text
from ..tables import library_table
from ..usable import rows_used
from . import borders, maps, own_sites, show, state
from .reading import error_text, read_upload, show_reading, unplaced_sites

#: The form's fields with a default other than empty; the questionnaire's own fields start empty.
FORM_DEFAULTS = {"form_floor": 40_000.0, "form_plot": 0.0, "form_start": 2028, "form_ramp": 2, "form_x": 6.17,
                 "form_y": 51.42}
#: Every field of the form: a new company starts with none of the previous one's answers.
FORM_KEYS = ("form_name", "form_subtype", *FORM_DEFAULTS, "form_place", "form_gemeente", "form_declared",
             "form_beds", "form_relocated", "form_jobs")


def _labels(lang: str) -> dict:
    """(sector, subtype) -> the kind of business in ``lang`` (the codes are Dutch words)."""
    return state.current_library().ratios[f"label_{lang}"].to_dict()


def show_totals(total: pd.DataFrame, lang: str) -> None:
    """The four totals (P50, with the range) of :func:`planner.impact.totals`."""
    columns = st.columns(4)
    for column, quantity in zip(columns, ("workers", "migrants", "beds_needed", "beds_to_find"), strict=True):
        row = total.loc[quantity]
        column.metric(t(quantity, lang), fmt(row["p50"], lang),
                      help=t("range", lang, low=fmt(row["p10"], lang), high=fmt(row["p90"], lang)))
        column.caption(t("range", lang, low=fmt(row["p10"], lang), high=fmt(row["p90"], lang)))


def _site_form(lang: str) -> None:
    library = state.current_library()
    ratios = library.ratios
    keys = list(ratios.index)
    layer = state.boundary_layer()
    municipalities = layer.boundaries.sort_values("gemeentenaam")
    with st.expander(t("add_site", lang), expanded=not st.session_state["manual_sites"]), \
            st.form("site_form", clear_on_submit=False):
        show.caption(t("add_site_help", lang))
        if st.session_state.get("picked_label"):
            show.info(t("picked", lang, place=st.session_state["picked_label"]))
        st.session_state.setdefault("form_name", "Nieuwe locatie" if lang == "nl" else "New site")
        name = st.text_input(t("site_name", lang), max_chars=120, key="form_name")
        key = st.selectbox(t("subtype", lang), keys, format_func=lambda k: ratios.loc[k, f"label_{lang}"],
                           key="form_subtype")
        for field, value in FORM_DEFAULTS.items():  # in the session, not as widget defaults: a new company resets them
            st.session_state.setdefault(field, value)
        left, right = st.columns(2)
        floor = left.number_input(t("floor_area_m2", lang), min_value=0.0, max_value=1_000_000.0, step=1000.0,
                                  format="%.0f", key="form_floor")
        plot = right.number_input(t("plot_area_ha", lang), min_value=0.0, max_value=5_000.0, step=1.0, format="%.1f",
                                  key="form_plot")
        left, right = st.columns(2)
        start = left.number_input(t("start_year", lang), min_value=2000, max_value=2100, key="form_start")
        ramp = right.number_input(t("ramp_up_years", lang), min_value=1, max_value=20, key="form_ramp")
        place = st.radio(t("place_by", lang), ["gemeente", "lonlat", "rd"], horizontal=True,
                         format_func=lambda v: t(f"place_{v}", lang), key="form_place")
        gemeente = st.selectbox(t("gemeente", lang), municipalities["gemeentecode"].tolist(),
                                format_func=dict(zip(municipalities["gemeentecode"], municipalities["gemeentenaam"],
                                                     strict=True)).get, key="form_gemeente")
        left, right = st.columns(2)
        lon = left.number_input("lon / x", format="%.5f", key="form_x")
        lat = right.number_input("lat / y", format="%.5f", key="form_y")
        st.markdown(f"**{t('questionnaire', lang)}**")
        show.caption(t("questionnaire_help", lang))
        left, right = st.columns(2)
        declared = left.number_input(t("declared_migrants", lang), min_value=0, value=None, key="form_declared")
        beds = right.number_input(t("declared_beds", lang), min_value=0, value=None, key="form_beds")
        relocated = left.number_input(t("relocated_jobs", lang), min_value=0, value=None, key="form_relocated")
        jobs = right.number_input(t("declared_jobs", lang), min_value=0, value=None, key="form_jobs")
        submitted = st.form_submit_button(t("submit_site", lang))
    if not submitted:
        return
    sector, subtype = key
    if place == "gemeente":
        point = layer.boundaries.loc[layer.boundaries["gemeentecode"] == gemeente].representative_point()
        point = point.to_crs("EPSG:4326").iloc[0]
        lon, lat = point.x, point.y
    elif place == "rd":
        import geopandas as gpd

        point = gpd.GeoSeries(gpd.points_from_xy([lon], [lat]), crs="EPSG:28992").to_crs("EPSG:4326").iloc[0]
        lon, lat = point.x, point.y
    row = {"name": name.strip() or "?", "sector": sector, "subtype": subtype,
           "floor_area_m2": floor or None, "plot_area_ha": plot or None, "start_year": int(start),
           "ramp_up_years": int(ramp), "declared_migrants": declared, "declared_beds": beds,
           "relocated_jobs": relocated, "declared_jobs": jobs,
           "lon": float(lon), "lat": float(lat)}
    try:  # check the one site before it joins the others
        single = state.manual_frame(json.dumps([row]))
        assess(single, library)
    except InputError as exc:
        show.error(error_text(exc, lang))
        return
    st.session_state["manual_sites"] = [*st.session_state["manual_sites"], row]
    st.session_state["last_added"] = row["name"]
    st.session_state["reset_site_form"] = True  # the next company starts from an empty questionnaire
    st.rerun()  # the example sites go off now that the user has a site of their own


def _new_company() -> None:
    """Empty the form: the company's answers and the place picked for it (defaults are set when it is drawn)."""
    for key in (*FORM_KEYS, "picked_label", "pick_gemeente"):
        st.session_state.pop(key, None)


def _chose(key: str) -> None:
    """Remember that the user set a demo switch by hand (it then stays as they set it)."""
    st.session_state[key] = True


def _apply_pick() -> None:
    """Put a place picked on the map into the form (before the form's widgets exist in this run)."""
    pick = st.session_state.pop("pending_pick", None)
    if pick is None or own_sites.route_pick(pick, st.session_state):  # in draw mode: the polygon's next vertex
        return
    if "lon" in pick:
        st.session_state["form_place"] = "lonlat"
        st.session_state["form_x"], st.session_state["form_y"] = pick["lon"], pick["lat"]
        st.session_state["picked_label"] = f"{pick['lon']:.5f}, {pick['lat']:.5f}"
    else:
        st.session_state["form_place"] = "gemeente"
        st.session_state["form_gemeente"] = pick["gemeentecode"]
        st.session_state["pick_gemeente"] = pick["gemeentecode"]
        st.session_state["picked_label"] = pick.get("gemeentenaam", pick["gemeentecode"])


@st.cache_resource(show_spinner=False, max_entries=4)
def _borders_layers(key: tuple[int, tuple[int, int] | None]) -> list[maps.Prepared]:
    """The clickable municipalities of a boundary layer (:func:`state.layer_key`), written as JSON once."""
    boundaries = state.boundary_layer(key[0]).boundaries
    borders = boundaries[["gemeentecode", "gemeentenaam", "geometry"]].assign(none=0.0)
    return maps.prepared(maps.polygon_layers(borders, "none", ["gemeentenaam", "gemeentecode"]))


@st.cache_resource(show_spinner=False, max_entries=8)
def _sites_layer(key: state.SitesKey) -> maps.Prepared:
    """The sites' markers, written as JSON once per set of sites."""
    sites = state.sites_of(key)
    return maps.Prepared(maps.point_layer(sites, "name" if "name" in sites else "sector"))


@st.cache_resource(show_spinner=False, max_entries=8)
def _grid(key: tuple[int, tuple[int, int] | None], gemeentecode: str) -> tuple[maps.Prepared, pdk.ViewState]:
    """The click points of one municipality and a view of it."""
    boundaries = state.boundary_layer(key[0]).boundaries
    polygon = boundaries.to_crs("EPSG:28992").set_index("gemeentecode").geometry[gemeentecode]
    return maps.Prepared(maps.grid_layer(polygon)), maps.view_of(polygon)


def _map(sites: state.SitesKey, lang: str) -> None:
    layer = state.boundary_layer()
    show.caption(f"{t('borders', lang)}: {layer_label(layer, lang)}")
    show.caption(t("map_pick_help", lang))
    pdok = st.toggle(t("pdok_basemap", lang), key="pdok_sites")
    key = state.layer_key()
    layers: list = list(_borders_layers(key))
    chosen = st.session_state.get("pick_gemeente")
    view = None
    if chosen in set(layer.boundaries["gemeentecode"]):
        grid, view = _grid(key, str(chosen))
        layers.append(grid)
    layers.append(_sites_layer(sites))
    own_sites.draw_controls(lang)
    layers.extend(own_sites.draw_layers())
    event = st.pydeck_chart(maps.deck(layers, "{tip}", pdok, view), height=480, on_select="rerun",
                            selection_mode="single-object", key="sites_map")
    st.markdown(maps.sites_legend(lang, grid=view is not None), unsafe_allow_html=True)
    objects = (event.selection.get("objects") or {}) if event is not None else {}
    # Each selection once: Streamlit keeps it across reruns, and handling it again reran the page forever.
    pick = own_sites.selection_pick(objects, st.session_state)
    if pick is not None:
        st.session_state["pending_pick"] = pick
        st.rerun()


def _sites_file(lang: str) -> bool:
    """The sites uploader, or the example-sites switch; False when the uploaded file cannot be read (the error is
    shown here, under the uploader)."""
    upload = state.file_input(t("sites_file", lang), "sites_upload", "sites_file",
                              ["gpkg", "geojson", "json", "zip", "kml", "kmz", *TABLE_TYPES], lang,
                              t("sites_file_help", lang))
    if upload is not None:
        reading = read_upload(lambda: state.sites_reading(upload), lang)
        if reading is not None:
            show_reading(reading, lang, rows_used(pd.DataFrame(index=range(reading.rows or 0)), "sites", upload[0]))
        return reading is not None
    # Invented example sites count only until the user has a site of their own, unless ticked on again.
    st.session_state["include_demo"] = state.demo_sites_on()
    st.checkbox(t("include_demo", lang), key="include_demo", on_change=_chose, args=("demo_sites_chosen",))
    if st.session_state["include_demo"]:
        show.info(t("demo_notice", lang))
    elif state.own_sites() and not st.session_state.get("demo_sites_chosen"):
        show.caption(t("demo_off_own_data", lang))
    return True


def _per_year(result: pd.DataFrame, key: state.SitesKey, lang: str) -> None:
    """Beds needed per year of the sites with a start year; those without one are named, and left out of the years."""
    dated = result["start_year"].notna()
    undated = undated_problem(result, float(result.loc[~dated, "beds_needed_p50"].sum()), "beds needed")
    if dated.any() or undated is not None:
        st.subheader(t("per_year", lang))
    if dated.any():
        per_year = state.site_phase(key, "beds_needed")
        per_year.index = per_year.index.astype(str)
        st.bar_chart(per_year["p50"], y_label=t("beds_needed", lang))
    if undated is not None:
        show.warning(problem_text(undated, lang))


def render(lang: str) -> None:
    if st.session_state.pop("reset_site_form", False):  # a site was just added: before the form's widgets exist
        _new_company()
    _apply_pick()
    readable = _sites_file(lang)
    _site_form(lang)
    st.button(t("new_company", lang), key="new_company", on_click=_new_company)
    own_sites.edit_sites(lang)
    if st.session_state["manual_sites"] and st.button(t("remove_manual", lang)):
        st.session_state["manual_sites"] = []
        st.session_state.pop("last_added", None)
        st.rerun()
    if not readable:
        return  # the file's error is shown above; nothing to estimate until it is fixed or removed
    try:
        key = state.sites_key()
        result = state.sites_of(key)
    except InputError as exc:
        show.error(error_text(exc, lang))
        return
    if result.empty:
        show.warning(t("no_sites", lang))
        return
    unplaced = unplaced_sites(result, lang)
    if unplaced:
        show.warning(unplaced)
    # The newest site's estimate stays in view until the list of entered sites changes, also when a map
    # event or another widget reruns the page in between.
    added = st.session_state.get("last_added")
    manual = st.session_state["manual_sites"]
    if added is not None and manual and manual[-1]["name"] == added:
        show.success(t("site_added", lang, name=added))
        st.subheader(show.plain(t("new_site_estimate", lang, name=added)))
        for flag in declaration_flags(result.iloc[[-1]], lang):
            show.warning(flag)
        show_totals(state.site_totals(key, last=True), lang)
        st.dataframe(checks_first_table(result.iloc[[-1]], lang, _labels(lang)), hide_index=True, width="stretch")

    st.subheader(state.titled(t("totals", lang, n=len(result)), lang, housing=False, pipeline=False))
    total = state.site_totals(key)
    show_totals(total, lang)
    show.caption(t("range_caption", lang))
    for note in sorted({n for n in result["objects_note"] if n}):
        show.warning(t("no_objects", lang, note=message(note, lang)))
    stays = pd.DataFrame({t(lvl, lang): [total.loc[f"beds_{s}_stay", lvl] for s in ("short", "mid", "long")]
                          for lvl in LEVELS}, index=[t(f"beds_{s}_stay", lang) for s in ("short", "mid", "long")])
    st.dataframe(stays.map(lambda v: fmt(v, lang)), width="stretch")

    st.subheader(state.titled(t("map", lang), lang, housing=False, pipeline=False))
    borders.render(lang, "sites_borders")
    _map(key, lang)

    st.subheader(state.titled(t("per_site", lang), lang, housing=False, pipeline=False))
    flags = declaration_flags(result, lang)
    if flags:
        show.warning("\n\n".join(flags))
    st.dataframe(checks_first_table(result, lang, _labels(lang)), hide_index=True, width="stretch")

    _per_year(result, key, lang)

    st.subheader(t("sources", lang))
    show.caption(t("assumptions", lang))
    library = state.current_library()
    sources = library_table(library, result)
    st.dataframe(display_table(sources[[f"label_{lang}", "ratio_unit", "ratio_p10", "ratio_p50",
                          "ratio_p90", "ratio_status", "n_objects", "objects_note", "ratio_source",
                          "migrant_share_p50",
                          "migrant_share_source", "peak_factor_p50", "peak_factor_source"]], lang),
                 hide_index=True, width="stretch")
    show.caption(t("library_hash", lang, hash=library.content_hash[:12]))
