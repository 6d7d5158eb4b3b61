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
from ..scenarios import (
    DIFFERENCE_FIGURES,
    ScenarioResult,
    combine,
    compare,
    evaluate,
    make_scenario,
    rollup_contributions,
    version_differences,
)
from ..store import ConflictError, open_store
from . import maps, show, state
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


@st.cache_resource(show_spinner=False, max_entries=16)
def _evaluated(location: str, scenario_id: str, version: int) -> ScenarioResult:
    """A stored version's results (a saved version never changes, so its results are cached on its number;
    ``location`` names the store, which is the one the environment gives)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate(_store().open(scenario_id, version))


def _with_total(table: pd.DataFrame, label: str) -> pd.DataFrame:
    """The table with a last row that sums its numeric columns."""
    total = table.select_dtypes("number").sum()
    row = pd.DataFrame([total], index=[label])
    return pd.concat([table, row])


def _formatted(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    return table.apply(lambda column: column.map(lambda v: fmt(v, lang)) if pd.api.types.is_numeric_dtype(column)
                       else column.fillna(""))


def difference_table(before: ScenarioResult, after: ScenarioResult, lang: str) -> pd.DataFrame:
    """Per municipality the three figures of two versions and their difference, with a total row (numbers)."""
    frame = version_differences(before, after)
    v_before, v_after = before.scenario.version, after.scenario.version
    columns = {"gemeentenaam": t("gemeente", lang)}
    for figure in DIFFERENCE_FIGURES:
        name = t(f"fig_{figure}", lang)
        columns[f"{figure}_before"] = f"{name} v{v_before}"
        columns[f"{figure}_after"] = f"{name} v{v_after}"
        columns[f"{figure}_difference"] = f"{name} {t('col_difference', lang)}"
    frame = frame.rename(columns=columns)
    frame.index.name = t("col_gemeentecode", lang)
    return _with_total(frame, t("total_row", lang))


def _versions(store, listing: pd.DataFrame, labels: dict, lang: str) -> None:
    st.subheader(t("versions_header", lang))
    chosen = st.selectbox(t("versions_scenario", lang), list(listing["id"]), format_func=lambda v: str(labels[v]),
                          key="versions_scenario")
    history = store.history(chosen)
    if len(history) < 2:
        show.caption(t("versions_one", lang))
        return
    numbers = [int(v) for v in history["version"]]
    about = {int(r.version): t("version_label", lang, version=int(r.version), author=r.author,
                               created=str(r.created)[:16].replace("T", " "))
             for r in history.itertuples()}
    # Per scenario, so choosing another scenario starts from its own versions (next to last, last).
    left, right = st.columns(2)
    before = left.selectbox(t("version_before", lang), numbers, index=len(numbers) - 2, format_func=lambda v: about[v],
                            key=f"version_before_{chosen}")
    after = right.selectbox(t("version_after", lang), numbers, index=len(numbers) - 1, format_func=lambda v: about[v],
                            key=f"version_after_{chosen}")
    if before == after:
        show.caption(t("versions_same", lang))
        return
    with st.spinner(t("computing", lang)):
        table = difference_table(_evaluated(store.location, chosen, before), _evaluated(store.location, chosen, after),
                                 lang)
    if len(table) == 1:
        show.write(t("versions_no_difference", lang))
        return
    show.caption(t("versions_caption", lang, before=before, after=after))
    st.dataframe(_formatted(table, lang), width="stretch")


def combined_tables(result: ScenarioResult, contributions: pd.DataFrame, lang: str) -> tuple[pd.DataFrame,
                                                                                                pd.DataFrame]:
    """The roll-up per municipality and what each scenario contributed, each with a total row (numbers)."""
    gemeenten = result.per_gemeente()
    regional = pd.DataFrame({t("gemeente", lang): gemeenten["gemeentenaam"]})
    for figure, column in DIFFERENCE_FIGURES.items():
        regional[t(f"fig_{figure}", lang)] = gemeenten[column].fillna(0.0).round()
    regional = regional[(regional.select_dtypes("number") != 0).any(axis=1)]
    regional.index.name = t("col_gemeentecode", lang)
    parts = contributions.round().rename(columns={
        "sites": t("col_sites", lang), "sites_elsewhere": t("col_sites_elsewhere", lang),
        "beds_to_find_p50": t("fig_demand", lang), "spare_capacity": t("col_spare", lang),
        "pipeline_beds": t("col_pipeline_beds", lang), "capacity": t("fig_capacity", lang)})
    parts[t("fig_capacity", lang)] = parts[t("col_spare", lang)] + parts[t("col_pipeline_beds", lang)]
    parts.index.name = t("col_scenario", lang)
    return _with_total(regional, t("total_row", lang)), _with_total(parts, t("total_row", lang))


#: The notes of :func:`planner.scenarios.combine`, as patterns -> catalogue keys.
_ROLLUP_NOTES = (
    (r"(?P<n>\d+) site\(s\) appear in more than one scenario and count once: (?P<names>.*)", "rollup_note_sites"),
    (r"(?P<n>\d+) pipeline project\(s\) appear twice and count once", "rollup_note_pipeline"),
)


def rollup_note(note: str, lang: str) -> str:
    """A note of the roll-up in the interface's language (an unknown note as it is)."""
    import re

    for pattern, key in _ROLLUP_NOTES:
        match = re.fullmatch(pattern, note)
        if match:
            return t(key, lang, **match.groupdict())
    return message(note, lang)


@st.cache_resource(show_spinner=False, max_entries=8)
def _rollup(location: str, chosen: tuple[tuple[str, int], ...], name: str):
    import warnings

    store = _store()
    scenarios = [store.open(scenario_id, version) for scenario_id, version in chosen]
    combined, notes = combine(scenarios, name, "regio", "planner")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = evaluate(combined)
    return result, rollup_contributions(scenarios, result), notes


def _combine(store, listing: pd.DataFrame, labels: dict, lang: str) -> None:
    st.subheader(t("combine_header", lang))
    chosen = st.multiselect(t("combine_choose", lang), list(listing["id"]), format_func=lambda v: str(labels[v]),
                            key="combine_scenarios")
    if len(chosen) < 2:
        show.caption(t("combine_need_two", lang))
        return
    versions = dict(zip(listing["id"], listing["version"].astype(int), strict=True))
    try:
        with st.spinner(t("computing", lang)):
            result, contributions, notes = _rollup(store.location, tuple((i, versions[i]) for i in chosen),
                                                   t("combine_name", lang))
    except InputError as exc:
        import re

        differ = re.match(r"the scenarios differ in (\w+)", str(exc))
        show.error(t("combine_differ", lang, what=differ.group(1)) if differ else _safe(exc, lang))
        return
    for note in notes:
        show.caption(rollup_note(note, lang))
    regional, parts = combined_tables(result, contributions, lang)
    st.markdown(f"**{t('combine_regional', lang)}**")
    show.caption(t("combine_regional_caption", lang))
    st.dataframe(_formatted(regional, lang), width="stretch")
    st.markdown(f"**{t('combine_contributions', lang)}**")
    show.caption(t("combine_contributions_caption", lang))
    st.dataframe(_formatted(parts, lang), width="stretch")


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
        show.error(_safe(exc, lang))
        return
    except InputError as exc:
        show.error(_safe(exc, lang))
        return
    show.success(t("saved", lang, name=saved.name, version=saved.version))


def render(lang: str) -> None:
    show.info(t("scenarios_intro", lang))
    try:
        store = _store()
        listing = store.list()
    except InputError as exc:
        show.error(_safe(exc, lang))
        return
    who = store.identity()
    where = store.location + (f" ({who.login}: {who.organisation})" if who is not None and who.verified else "")
    show.caption(t("scenario_store", lang, where=where))
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
            show.success(t("imported", lang, name=saved.name))
            listing = store.list()
        except InputError as exc:
            show.error(_safe(exc, lang))

    st.subheader(t("stored_scenarios", lang))
    if listing.empty:
        show.write(t("no_scenarios", lang))
        st.subheader(t("current_inputs", lang))
        names = input_names()
        inputs = pd.DataFrame({"": [term(k, lang) for k in names], " ": [message(v, lang) for v in names.values()]})
        st.dataframe(inputs, hide_index=True, width="stretch")
        return
    st.dataframe(display_table(listing, lang), hide_index=True, width="stretch")
    labels = dict(zip(listing["id"], listing["name"] + " v" + listing["version"].astype(str) + " ("
                      + listing["organisation"] + ")", strict=True))
    _versions(store, listing, labels, lang)
    _combine(store, listing, labels, lang)
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
