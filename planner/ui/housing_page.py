"""Woningvoorraad: the housing register against a norm set, per location and per municipality."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from ..columns import COORDINATE_ALIASES
from ..display import display_table
from ..errors import InputError
from ..formatting import fmt
from ..housing import housing_totals, load_norm_sets
from ..i18n import TEXTS, t
from ..io import HOUSING_ALIASES, TABLE_TYPES
from ..messages import layer_label, message, problem_text, term
from ..plan import place_locations
from ..regional import capacity_by_gemeente
from ..usable import rows_used
from . import show, state
from .reading import error_text, read_upload, show_reading, too_few_box

SHOWN = ("locations", "capacity", "occupants", "spare_capacity", "persons_over_capacity", "overcrowded_locations",
         "to_check", "unusable_rows")


def _label(name: str, lang: str) -> str:
    """A figure's heading: the interface text where there is one, else the column's term."""
    return t(name, lang) if name in TEXTS else term(name, lang)


def _mapping(headers: list[str], upload: tuple[str, bytes], lang: str, expanded: bool = False) -> None:
    """Selectboxes for headers planner does not recognise; coordinates (x, y, lon, lat) included.

    The choices live in ``housing_mapping``; a selectbox that was not drawn (another page was open) starts from
    them again, so the mapping survives a visit to another page and a switch of language. Each file's mapping is
    also kept by its content, so uploading the same file again (after another one) brings its mapping back.
    """
    if not headers:
        return
    saved = st.session_state["housing_mapping"]
    with st.expander(t("column_mapping", lang), expanded=expanded):
        show.caption(t("column_mapping_help", lang))
        mapping = {}
        options = ["", *HOUSING_ALIASES, *COORDINATE_ALIASES]
        for header in headers:
            # Starts from the saved choice: after a visit to another page, and after a switch of language, which
            # gives the selectbox a key of its own (with one key the browser kept showing the other language's label).
            start = options.index(saved[header]) if saved.get(header) in options else 0
            choice = st.selectbox(show.plain(header), options, key=f"map_{lang}_{header}", index=start,
                                  format_func=lambda v: term(v, lang) if v else t("not_used", lang))
            if choice:
                mapping[header] = choice
        st.session_state["housing_mapping"] = mapping
        st.session_state.setdefault("housing_mappings", {})[_digest(upload)] = mapping


def _digest(upload: tuple[str, bytes]) -> str:
    return hashlib.sha256(upload[1]).hexdigest()


def _new_register(upload: tuple[str, bytes] | None) -> None:
    """Another register: its columns start as mapped the last time this file was used, else unmapped."""
    for key in [k for k in st.session_state if str(k).startswith("map_")]:
        del st.session_state[key]
    known = st.session_state.get("housing_mappings", {})
    st.session_state["housing_mapping"] = dict(known.get(_digest(upload), {})) if upload is not None else {}


def _too_few() -> bool:
    """Fewer than half of the uploaded register's rows are usable (opens the column mapping)."""
    if st.session_state["housing_upload"] is None:
        return False
    try:
        return rows_used(state.current_checked(), "housing", "", state.current_housing_reading()).too_few
    except InputError:
        return False


def render(lang: str) -> None:
    before = st.session_state["housing_upload"]
    new = state.file_input(t("housing_file", lang), "housing_upload", "housing_file",
                           [*TABLE_TYPES, "gpkg", "geojson", "json", "zip", "parquet"], lang,
                           t("housing_file_help", lang))
    if new != before:
        _new_register(new)
    if new is None:
        show.info(t("synthetic_notice", lang))
    national = new is not None and new[0].lower().endswith(".parquet")
    if new is not None and not national:
        headers = read_upload(lambda: state.housing_headers(new), lang)
        if headers is None:  # the file cannot be read: said here, under the uploader; nothing else to show
            return
        _mapping(headers, new, lang, expanded=_too_few())
    norms = load_norm_sets()
    left, right = st.columns(2)
    left.selectbox(t("norm", lang), list(norms), key="norm",
                   format_func=lambda n: f"{n}: {getattr(norms[n], f'label_{lang}', n)}")
    right.selectbox(t("compare_norm", lang), ["", *norms], key="compare",
                    format_func=lambda n: t("no_compare", lang) if not n else
                    f"{n}: {getattr(norms[n], f'label_{lang}', n)}")
    if national:
        _national(new, lang, norms)
        return
    try:
        checked = state.current_checked().copy()  # the cached frame stays as it is
        summary, problems = capacity_by_gemeente(checked, state.boundary_layer())
        # Each location in the municipality the summary counts it in, and how it was placed.
        checked["gemeentecode"], checked["placed_by"], _, _ = place_locations(checked, state.boundary_layer())
    except InputError as exc:
        show.error(error_text(exc, lang))
        return
    reading = state.current_housing_reading()
    used = rows_used(checked, "housing register", reading.source if reading else "register", reading)
    too_few_box(checked, reading, used, lang)
    show_reading(reading, lang, used)
    chosen = norms[st.session_state["norm"]]
    show.caption(f"{chosen.name}: {chosen.source}")
    total = housing_totals(summary)
    shown = list(SHOWN)
    if "capacity_lost" in summary.columns:
        shown.append("capacity_lost")
    columns = st.columns(4)
    for number, name in enumerate(("capacity", "spare_capacity", "persons_over_capacity",
                                   "capacity_lost" if "capacity_lost" in summary else "overcrowded_locations")):
        columns[number].metric(t(name, lang), fmt(total[name], lang))
    for problem in problems:
        show.warning(problem_text(problem, lang))

    st.subheader(state.titled(t("per_gemeente", lang), lang, sites=False, pipeline=False))
    names = state.regions().set_index("gemeentecode")["gemeentenaam"]
    table = summary[shown].copy()
    table.insert(0, t("gemeente", lang), [term(names.get(c, c), lang) for c in table.index])
    table = table.rename(columns={c: _label(c, lang) for c in shown})
    st.dataframe(display_table(table, lang), width="stretch")

    bad = checked.loc[~checked["valid"].astype(bool), ["problem"]]
    if len(bad):
        st.subheader(f"{t('unusable_rows', lang)}: {len(bad)}")
        show.caption(t("unusable_caption", lang))
        st.dataframe(display_table(bad, lang), width="stretch")
    odd = checked.loc[checked["to_check"].astype(str).ne(""), ["to_check"]]
    if len(odd):
        st.subheader(f"{term('to_check', lang)}: {len(odd)}")
        show.caption(message("values in these rows do not fit together; they are counted as they are", lang))
        st.dataframe(display_table(odd, lang), width="stretch")
    with st.expander(state.titled(t("per_location", lang), lang, sites=False, pipeline=False)):
        st.dataframe(display_table(pd.DataFrame(checked.drop(columns="geometry", errors="ignore")).head(5000), lang),
                     width="stretch")


def _national(upload, lang: str, norms) -> None:
    """A GeoParquet register: the batch check with a progress bar, then the sums per area."""
    from ..national import check_national

    st.subheader(t("national_title", lang))
    show.caption(t("national_help", lang))
    norm, compare = st.session_state["norm"], st.session_state["compare"] or None
    key = (hash(upload[1]), upload[0], norm, compare)
    cached = st.session_state.get("national_result")
    if cached is None or cached[0] != key:
        bar = st.progress(0.0, text=t("national_progress", lang, done=0, total="?"))

        def progress(done: int, total: int) -> None:
            bar.progress(min(1.0, done / max(total, 1)),
                         text=t("national_progress", lang, done=fmt(done, lang), total=fmt(total, lang)))

        try:
            result = state.with_file(upload, lambda path: check_national(
                path, state.boundary_layer(), norm, compare, regions=state.regions(), progress=progress,
                batch_rows=250_000, processes=1))  # a web server's process is not forked
        except InputError as exc:
            bar.empty()
            show.error(error_text(exc, lang))
            return
        bar.empty()
        st.session_state["national_result"] = (key, result)
        cached = st.session_state["national_result"]
    result = cached[1]
    show.caption(f"{t('borders', lang)}: {layer_label(state.boundary_layer(), lang)}")
    total = result.totals()
    columns = st.columns(4)
    for number, name in enumerate(("capacity", "spare_capacity", "persons_over_capacity",
                                   "capacity_lost" if "capacity_lost" in total else "overcrowded_locations")):
        columns[number].metric(t(name, lang), fmt(total[name], lang))
    shown = [c for c in (*SHOWN, "capacity_lost") if c in result.per_gemeente.columns]
    st.subheader(t("per_provincie", lang))
    provinces = result.per_region("provincie")
    st.dataframe(display_table(provinces[["provincie", *shown]].rename(
        columns={"provincie": t("level_provincie", lang), **{c: _label(c, lang) for c in shown}}), lang),
        width="stretch")
    st.subheader(t("per_gemeente", lang))
    table = result.per_gemeente[["gemeentenaam", *shown]].rename(
        columns={"gemeentenaam": t("gemeente", lang), **{c: _label(c, lang) for c in shown}})
    st.dataframe(display_table(table, lang), width="stretch")
    if len(result.problems):
        st.subheader(f"{t('national_problems', lang)}: {fmt(result.problems['rows'].sum(), lang)}")
        st.dataframe(display_table(result.problems, lang), width="stretch", hide_index=True)
