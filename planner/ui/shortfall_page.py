"""Regionaal tekort: demand spread over the region, set against spare places, mapped per region."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from ..display import NAME_COLUMNS, display_table, region_display
from ..errors import InputError
from ..formatting import fmt
from ..i18n import t
from ..io import TABLE_TYPES
from ..messages import layer_label, message, problem_text
from ..usable import RowsUsed
from . import borders, maps, show, state
from .reading import error_text, inputs_of_other_pages_ok, read_upload, show_reading


def _controls(lang: str) -> bool:
    """The settings and this page's uploads; False when an uploaded file cannot be read (said under it)."""
    readable = True
    defaults = state.allocation_parameters()
    left, right = st.columns(2)
    left.radio(t("level", lang), ["gemeente", "corop", "provincie", "custom"], key="level", horizontal=True,
               format_func=lambda v: t(f"level_{v}", lang))
    right.radio(t("mode", lang), ["decay", "capacity"], key="mode", format_func=lambda v: t(f"mode_{v}", lang))
    if st.session_state["level"] == "custom":
        regions = state.file_input(t("regions_file", lang), "regions_upload", "regions_file",
                                   [*TABLE_TYPES, "gpkg", "geojson", "json", "zip"], lang,
                                   t("regions_file_help", lang))
        if regions is not None:
            readable = read_upload(lambda: state.custom_region_table(regions), lang) is not None
    left, right = st.columns(2)
    # Starting values in the session, not as widget defaults (both at once make Streamlit warn in the server log).
    st.session_state.setdefault("mean_distance_input",
                                float(st.session_state["mean_distance"] or defaults.mean_distance_km))
    st.session_state.setdefault("max_distance_input",
                                float(st.session_state["max_distance"] or defaults.max_distance_km))
    mean = left.number_input(t("mean_distance", lang), min_value=1.0, max_value=200.0, step=0.5, format="%.1f",
                             key="mean_distance_input")
    maximum = right.number_input(t("max_distance", lang), min_value=5.0, max_value=300.0, step=5.0, format="%.0f",
                                 key="max_distance_input")
    st.session_state["mean_distance"] = None if mean == defaults.mean_distance_km else mean
    st.session_state["max_distance"] = None if maximum == defaults.max_distance_km else maximum
    upload = state.file_input(t("pipeline_file", lang), "pipeline_upload", "pipeline_file",
                              [*TABLE_TYPES, "gpkg", "geojson", "json", "zip"], lang, t("pipeline_file_help", lang))
    if upload is None:
        # The invented projects count only until the user brings data of their own, unless ticked on again.
        st.session_state["include_demo_pipeline"] = state.demo_pipeline_on()
        st.checkbox(t("include_demo_pipeline", lang), key="include_demo_pipeline", on_change=_chose)
        show.caption(t("demo_pipeline_notice", lang) if st.session_state["include_demo_pipeline"]
                   else t("no_pipeline", lang))
    else:
        reading = read_upload(lambda: state.pipeline_reading(upload), lang)
        if reading is None:
            return False
        show_reading(reading, lang, RowsUsed("pipeline", upload[0], reading.rows, reading.used)
                     if reading.rows is not None else None)
    return readable


def _chose() -> None:
    st.session_state["demo_pipeline_chosen"] = True


@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs=state.REGIONAL_KEY_HASH)
def _map_frame(key: state.RegionalKey) -> tuple[gpd.GeoDataFrame, str]:
    """The regions of a regional result with a polygon, their rounded shortfall and demand, and the name column
    (shared: never change it)."""
    frame = state.regional_of(key).map_layer()
    name = next((c for c in NAME_COLUMNS if c in frame.columns), frame.columns[0])
    frame = frame[~frame.geometry.is_empty & frame.geometry.geom_type.notna()]
    return frame.assign(tekort=frame["shortfall_p50"].round(), vraag=frame["demand_p50"].round()), name


@st.cache_resource(show_spinner=False, max_entries=8, hash_funcs=state.REGIONAL_KEY_HASH)
def _map_layers(key: state.RegionalKey, lang: str) -> tuple[list[maps.Prepared], maps.Classes]:
    """The map's layers (written as JSON once) and colour classes for a regional result and language: a rerun
    with the same inputs, a visit from another page or the base-map switch sends them again as they are."""
    frame, name = _map_frame(key)
    frame = frame.assign(tip=frame[name].astype(str) + f" - {t('shortfall', lang)}: " + frame["tekort"].astype(int)
                         .astype(str) + f" / {t('demand', lang)}: " + frame["vraag"].astype(int).astype(str))
    sites = state.sites_of(key[0])
    classes = maps.sequential_classes(frame["tekort"])  # one set of breaks for the colours and the legend
    shaded = frame[frame["tekort"] > 0]
    layers = [*maps.polygon_layers(frame, "tekort", ["tip", name], classes),
              # Built row by row: with no region short (which happens in the capacity mode) it is an empty column
              # of text, where adding a mapped empty column failed on its number type.
              maps.label_layer(shaded.assign(label=[f"{region} {fmt(value, lang)}" for region, value in
                                                    zip(shaded[name].astype(str), shaded["tekort"], strict=True)]),
                               "label"),
              maps.point_layer(sites, "name" if "name" in sites else "sector")]
    return maps.prepared(layers), classes


def render(lang: str) -> None:
    borders.render(lang, "shortfall_borders")
    if not _controls(lang) or not inputs_of_other_pages_ok(lang):
        return
    try:
        with st.spinner(t("computing", lang)):
            key = state.regional_key()
            result = state.regional_of(key)
    except InputError as exc:
        show.error(error_text(exc, lang))
        return
    totals = result.totals()
    columns = st.columns(4)
    for column, quantity in zip(columns[:2], ("demand", "shortfall"), strict=True):
        column.metric(t(quantity, lang), fmt(totals[f"{quantity}_p50"], lang))
        column.caption(t("range", lang, low=fmt(totals[f"{quantity}_p10"], lang),
                         high=fmt(totals[f"{quantity}_p90"], lang)))
    columns[2].metric(t("capacity_total", lang), fmt(totals["capacity"], lang))
    columns[3].metric(t("unmet", lang), fmt(totals["unmet_p50"], lang))
    show.caption(t("shortfall_caption", lang))
    calibration = result.allocation.calibration
    if calibration is not None:
        show.caption(t("calibration", lang, beta=fmt(calibration.beta, lang, 4),
                       km=fmt(calibration.achieved_km, lang, 1), note=message(calibration.note, lang)))

    st.subheader(state.titled(t("map", lang), lang))
    show.caption(f"{t('borders', lang)}: {layer_label(result.layer, lang)}")
    pdok = st.toggle(t("pdok_basemap", lang), key="pdok_shortfall")
    layers, classes = _map_layers(key, lang)
    tooltip = "{tip}"
    st.pydeck_chart(maps.deck(layers, tooltip, pdok), height=520)
    st.markdown(maps.legend_html(classes, t("legend_shortfall", lang), lang,
                                 markers=((maps.SITE_COLOUR, t("legend_sites", lang)),)), unsafe_allow_html=True)

    st.subheader(state.titled(t("per_region", lang), lang))
    st.dataframe(region_display(result.table, lang), hide_index=True, width="stretch")
    if result.years is not None or result.years_note is not None:
        st.subheader(state.titled(t("shortfall_per_year", lang), lang))
    if result.year_totals is not None:
        yearly = result.year_totals[["shortfall_p50"]].rename(columns={"shortfall_p50": "shortfall"})
        yearly.index = yearly.index.astype(str)
        st.bar_chart(yearly["shortfall"], y_label=t("shortfall", lang))
    if result.years_note is not None:  # the sites without a start year, which the years leave out
        show.warning(problem_text(result.years_note, lang))
    if result.problems:
        with st.expander(t("notes", lang)):
            for problem in result.problems:
                show.write(problem_text(problem, lang))
    st.subheader(t("parameters", lang))
    st.dataframe(display_table(result.allocation.parameters.table(), lang), hide_index=True, width="stretch")
