"""Scenario's: save the current inputs, list and compare stored scenarios, exchange files."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from ..display import display_table
from ..errors import InputError
from ..exchange import read_scenario, write_scenario
from ..formatting import fmt
from ..i18n import t
from ..messages import message, term
from ..regional import capacity_by_gemeente
from ..scenarios import compare, evaluate, make_scenario
from ..store import ConflictError, open_store
from . import maps, state
from .reading import error_text, inputs_of_other_pages_ok
from .report_page import input_names


def _store():
    return open_store()


def _safe(exc: Exception, lang: str = "en") -> str:
    """An error message (in ``lang``) without any password of the store's connection string."""
    import os

    from ..redaction import redact

    text = error_text(exc, lang) if isinstance(exc, InputError) else str(exc)
    return redact(text, os.environ.get("PLANNER_STORE", ""))


def _save_form(store, listing: pd.DataFrame, lang: str) -> None:
    with st.form("save_scenario"):
        st.markdown(f"**{t('save_scenario', lang)}**")
        left, right = st.columns(2)
        name = left.text_input(t("scenario_name", lang), max_chars=200, key="scenario_name")
        organisation = right.text_input(t("organisation", lang), max_chars=200, key="scenario_organisation")
        left, right = st.columns(2)
        author = left.text_input(t("author", lang), max_chars=200, key="scenario_author")
        options = ["", *listing["id"]]
        labels = dict(zip(listing["id"], listing["name"] + " v" + listing["version"].astype(str), strict=True))
        base = right.selectbox(t("new_version_of", lang), options, key="scenario_base",
                               format_func=lambda v: labels.get(v, t("new_scenario", lang)))
        note = st.text_input(t("note", lang), max_chars=500, key="scenario_note")
        submitted = st.form_submit_button(t("save", lang))
    if not submitted or not inputs_of_other_pages_ok(lang):
        return
    s = st.session_state
    summary, _ = capacity_by_gemeente(state.current_checked(), state.boundary_layer())
    from ..allocation import load_allocation_parameters

    parameters = load_allocation_parameters().with_values(mean_distance_km=s["mean_distance"],
                                                          max_distance_km=s["max_distance"])
    sites = state.current_sites()
    try:
        who = store.identity()
        if who is not None and who.verified:  # the shared store: the database role decides who saves for whom
            organisation = who.organisation or organisation
            author = author or who.login
        previous = store.open(base) if base else None
        if previous is not None:
            name, organisation = name or previous.name, organisation or previous.organisation
        pipeline = state.pipeline(s["pipeline_upload"], state.demo_pipeline_on())
        new = make_scenario(name, organisation, author, sites, housing_summary=summary, pipeline=pipeline,
                            library=state.current_library(), norm=s["norm"], mode=s["mode"],
                            level=s["level"] if s["level"] != "custom" else "gemeente", parameters=parameters,
                            layer=state.boundary_layer(), note=note)
        if previous is not None:
            new = previous.edited(author=author, sites=new.sites, capacity=new.capacity, pipeline=new.pipeline,
                                  own_objects=new.own_objects, norm=new.norm, mode=new.mode, level=new.level,
                                  parameters=new.parameters, library_hash=new.library_hash, note=note)
        saved = store.save(new)
    except ConflictError as exc:
        st.error(_safe(exc))
        return
    except InputError as exc:
        st.error(_safe(exc, lang))
        return
    st.success(t("saved", lang, name=saved.name, version=saved.version))


def render(lang: str) -> None:
    st.info(t("scenarios_intro", lang))
    try:
        store = _store()
        listing = store.list()
    except InputError as exc:
        st.error(_safe(exc))
        return
    who = store.identity()
    where = store.location + (f" ({who.login}: {who.organisation})" if who is not None and who.verified else "")
    st.caption(t("scenario_store", lang, where=where))
    _save_form(store, listing, lang)
    listing = store.list()

    upload = st.file_uploader(t("import_scenario", lang), type=["gpkg"], key="scenario_file")
    if upload is not None and st.session_state.get("imported_file") != (upload.name, upload.size):
        try:
            state.check_upload_size(upload.name, upload.size)
            received = state.with_file((upload.name, upload.getvalue()), read_scenario)
            import uuid

            owner = who.organisation if who is not None and who.verified and who.organisation else None
            saved = store.save(received.edited(id=str(uuid.uuid4()), version=0,
                                               organisation=owner or received.organisation,
                                               note=f"imported from {upload.name}; {received.note}".strip("; ")))
            st.session_state["imported_file"] = (upload.name, upload.size)
            st.success(t("imported", lang, name=saved.name))
            listing = store.list()
        except InputError as exc:
            st.error(_safe(exc, lang))

    st.subheader(t("stored_scenarios", lang))
    if listing.empty:
        st.write(t("no_scenarios", lang))
        st.subheader(t("current_inputs", lang))
        names = input_names()
        inputs = pd.DataFrame({"": [term(k, lang) for k in names], " ": [message(v, lang) for v in names.values()]})
        st.dataframe(inputs, hide_index=True, width="stretch")
        return
    st.dataframe(display_table(listing, lang), hide_index=True, width="stretch")
    labels = dict(zip(listing["id"], listing["name"] + " v" + listing["version"].astype(str) + " ("
                      + listing["organisation"] + ")", strict=True))
    chosen = st.multiselect(t("compare_scenarios", lang), list(listing["id"]), format_func=labels.get,
                            key="scenario_compare")
    if len(chosen) == 1:
        scenario = store.open(chosen[0])
        with tempfile.TemporaryDirectory() as folder:
            path = write_scenario(scenario, Path(folder) / "scenario.gpkg", evaluate(scenario))
            data = path.read_bytes()
        st.download_button(t("export_scenario", lang), data, file_name=f"scenario-{scenario.id[:8]}.gpkg",
                           mime="application/geopackage+sqlite3", key="scenario_export")
    if len(chosen) >= 2:
        with st.spinner(t("computing", lang)):
            comparison = compare([evaluate(store.open(i)) for i in chosen])
        shown = comparison.totals.loc[["workers_p50", "migrants_p50", "beds_needed_p50", "demand_p50",
                                       "capacity", "shortfall_p50"]]
        st.dataframe(display_table(shown, lang), width="stretch")
        st.subheader(t("difference_map", lang))
        frame = comparison.difference_map.assign(verschil=comparison.difference_map["shortfall_difference"].round())
        frame = frame.assign(tip=frame["gemeentenaam"] + ": " + frame["verschil"].map(lambda v: fmt(v, lang)))
        # A diverging scale (a decrease blue, an increase red), one set of breaks for the colours and the legend.
        classes = maps.diverging_classes(frame["verschil"])
        changed = frame[frame["verschil"].abs() >= classes.zero]
        layers = [*maps.polygon_layers(frame, "verschil", ["tip"], classes), maps.label_layer(changed, "tip")]
        st.pydeck_chart(maps.deck(layers, "{tip}"), height=480)
        st.markdown(maps.legend_html(classes, t("legend_difference", lang), lang), unsafe_allow_html=True)
        st.dataframe(display_table(comparison.per_gemeente[
            comparison.per_gemeente.filter(like="difference").abs().sum(axis=1) > 0.5], lang), width="stretch")
