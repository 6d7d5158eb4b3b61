"""The impact-assessment page: sites in, workers, migrants and beds out."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from ..demo import load_demo_sites
from ..errors import InputError
from ..i18n import t
from ..impact import assess, phase, totals
from ..io import read_sites, write_results
from ..library import LEVELS, SectorLibrary, load_library
from ..tables import assessment_layers, library_table
from .format import fmt


@st.cache_resource(show_spinner=False)
def cached_library() -> SectorLibrary:
    return load_library()


@st.cache_data(show_spinner=False)
def _assessed(name: str, data: bytes | None) -> pd.DataFrame:
    """The assessed sites of an upload (``data``), or of the demo when there is none."""
    if data is None:
        sites = load_demo_sites()
    else:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(name).name
            path.write_bytes(data)
            sites = read_sites(path)
    return assess(sites, cached_library())


@st.cache_data(show_spinner=False)
def _export(kind: str, name: str, data: bytes | None) -> bytes:
    layers = assessment_layers(_assessed(name, data), cached_library(), name)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"planner-impact.{kind}"
        write_results(target, layers)
        return target.read_bytes()


def _range_table(result: pd.DataFrame, lang: str) -> pd.DataFrame:
    names = result["name"] if "name" in result.columns else result.index.astype(str)
    table = pd.DataFrame({t("col_site", lang): names,
                          t("col_sector", lang): result["sector"] + "/" + result["subtype"]})
    for quantity in ("workers", "migrants", "migrants_peak", "beds_needed", "beds_to_find"):
        table[t(quantity, lang)] = [
            f"{fmt(typ, lang)} ({fmt(low, lang)}–{fmt(high, lang)})"
            for low, typ, high in zip(*(result[f"{quantity}_{lvl}"] for lvl in LEVELS), strict=True)]
    table[t("col_declared", lang)] = result["declared_migrants"].map(lambda v: fmt(v, lang))
    table[t("col_check", lang)] = result["declared_check"].map(lambda v: t(v, lang) if v else "")
    return table


def render(lang: str) -> None:
    library = cached_library()
    upload = st.file_uploader(t("sites_file", lang), help=t("sites_file_help", lang),
                              type=["gpkg", "geojson", "json", "zip", "csv", "xlsx"])
    if upload is None:
        st.info(t("demo_notice", lang))
        name, data = "demo/sites.geojson", None
    else:
        name, data = upload.name, upload.getvalue()
    try:
        result = _assessed(name, data)
    except InputError as exc:
        st.error(f"{t('input_error', lang)}: {exc}")
        return

    total = totals(result)
    st.subheader(t("totals", lang, n=len(result)))
    columns = st.columns(4)
    for column, quantity in zip(columns, ("workers", "migrants", "beds_needed", "beds_to_find"), strict=True):
        row = total.loc[quantity]
        column.metric(t(quantity, lang), fmt(row["typical"], lang),
                      help=t("range", lang, low=fmt(row["low"], lang), high=fmt(row["high"], lang)))
        column.caption(t("range", lang, low=fmt(row["low"], lang), high=fmt(row["high"], lang)))
    st.caption(t("range_caption", lang))

    stays = pd.DataFrame({t(lvl, lang): [total.loc[f"beds_{s}_stay", lvl] for s in ("short", "mid", "long")]
                          for lvl in LEVELS}, index=[t(f"beds_{s}_stay", lang) for s in ("short", "mid", "long")])
    st.dataframe(stays.map(lambda v: fmt(v, lang)), width="stretch")

    st.subheader(t("per_site", lang))
    st.dataframe(_range_table(result, lang), hide_index=True, width="stretch")

    if result["start_year"].notna().all():
        st.subheader(t("per_year", lang))
        per_year = phase(result, "beds_needed")
        per_year.index = per_year.index.astype(str)
        st.bar_chart(per_year["typical"], y_label=t("beds_needed", lang))

    st.subheader(t("sources", lang))
    st.caption(t("assumptions", lang))
    sources = library_table(library, result)
    st.dataframe(sources[["sector", "subtype", f"label_{lang}", "ratio_unit", "ratio_low", "ratio_typical",
                          "ratio_high", "ratio_status", "ratio_source", "migrant_share_typical",
                          "migrant_share_source", "peak_factor_typical", "peak_factor_source"]],
                 hide_index=True, width="stretch")
    st.caption(t("library_hash", lang, hash=library.content_hash[:12]))

    left, right = st.columns(2)
    left.download_button(t("download_excel", lang), _export("xlsx", name, data), file_name="planner-impact.xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    right.download_button(t("download_gpkg", lang), _export("gpkg", name, data), file_name="planner-impact.gpkg",
                          mime="application/geopackage+sqlite3")

