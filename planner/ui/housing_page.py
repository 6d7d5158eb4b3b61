"""Woningvoorraad: the housing register against a norm set, per location and per municipality."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..errors import InputError
from ..housing import housing_totals, load_norm_sets
from ..i18n import t
from ..io import HOUSING_ALIASES
from ..regional import capacity_by_gemeente
from . import state
from .format import fmt

SHOWN = ("locations", "capacity", "occupants", "spare_capacity", "persons_over_capacity", "overcrowded_locations",
         "unusable_rows")


def _mapping(lang: str) -> None:
    """Selectboxes for headers planner does not recognise."""
    headers = state.housing_headers(st.session_state["housing_upload"])
    if not headers:
        return
    with st.expander(t("column_mapping", lang)):
        st.caption(t("column_mapping_help", lang))
        mapping = {}
        options = ["", *HOUSING_ALIASES]
        for header in headers:
            choice = st.selectbox(header, options, key=f"map_{header}",
                                  format_func=lambda v: v or t("not_used", lang))
            if choice:
                mapping[header] = choice
        st.session_state["housing_mapping"] = mapping


def render(lang: str) -> None:
    before = st.session_state["housing_upload"]
    new = state.file_input(t("housing_file", lang), "housing_upload", "housing_file",
                           ["csv", "xlsx", "gpkg", "geojson", "json", "zip"], lang, t("housing_file_help", lang))
    if new != before:
        st.session_state["housing_mapping"] = {}
    if new is None:
        st.info(t("synthetic_notice", lang))
    _mapping(lang)
    norms = load_norm_sets()
    left, right = st.columns(2)
    left.selectbox(t("norm", lang), list(norms), key="norm",
                   format_func=lambda n: f"{n}: {getattr(norms[n], f'label_{lang}', n)}")
    right.selectbox(t("compare_norm", lang), ["", *norms], key="compare",
                    format_func=lambda n: t("no_compare", lang) if not n else
                    f"{n}: {getattr(norms[n], f'label_{lang}', n)}")
    try:
        checked = state.current_checked()
        summary, problems = capacity_by_gemeente(checked, state.boundary_layer())
    except InputError as exc:
        st.error(f"{t('input_error', lang)}: {exc}")
        return
    chosen = norms[st.session_state["norm"]]
    st.caption(f"{chosen.name}: {chosen.source}")
    total = housing_totals(summary)
    shown = list(SHOWN)
    if "capacity_lost" in summary.columns:
        shown.append("capacity_lost")
    columns = st.columns(4)
    for number, name in enumerate(("capacity", "spare_capacity", "persons_over_capacity",
                                   "capacity_lost" if "capacity_lost" in summary else "overcrowded_locations")):
        columns[number].metric(t(name, lang), fmt(total[name], lang))
    for problem in problems:
        st.warning(str(problem))

    st.subheader(t("per_gemeente", lang))
    names = state.regions().set_index("gemeentecode")["gemeentenaam"]
    table = summary[shown].copy()
    table.insert(0, t("gemeente", lang), [names.get(c, c) for c in table.index])
    table = table.rename(columns={c: t(c, lang) for c in shown})
    st.dataframe(table, width="stretch")

    bad = checked.loc[~checked["valid"].astype(bool), ["problem"]]
    if len(bad):
        st.subheader(f"{t('unusable_rows', lang)}: {len(bad)}")
        st.caption(t("unusable_caption", lang))
        st.dataframe(bad, width="stretch")
    with st.expander(t("per_location", lang)):
        st.dataframe(pd.DataFrame(checked.drop(columns="geometry", errors="ignore")).head(5000), width="stretch")
