"""Rapport: the council report (PDF) and all results (Excel, GeoPackage) of the current inputs."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from ..errors import InputError
from ..housing import housing_totals
from ..i18n import t
from ..io import write_results
from ..regional import capacity_by_gemeente
from ..report import build_report
from ..tables import assessment_layers, shortfall_layers
from . import show, state
from .reading import error_text, inputs_of_other_pages_ok


def input_names() -> dict[str, str]:
    """Which inputs the results come from, for the report and the about table."""
    s = st.session_state
    sites = s["sites_upload"][0] if s["sites_upload"] else ("demo/sites.geojson (invented)" if state.demo_sites_on()
                                                            else "")
    if s["manual_sites"]:
        sites += f" + {len(s['manual_sites'])} entered"
    return {
        "sites": sites.strip(" +"),
        "housing": s["housing_upload"][0] if s["housing_upload"] else "demo/woningvoorraad_synthetisch.csv (synthetic)",
        "pipeline": s["pipeline_upload"][0] if s["pipeline_upload"] else (
            "demo/pijplijn_voorbeeld.csv (invented)" if state.demo_pipeline_on() else "(none)"),
        "norm": s["norm"],
    }


def all_layers() -> dict:
    """Every result table of the current inputs, for one Excel or GeoPackage file."""
    library = state.current_library()
    sites = state.current_sites()
    regional = state.current_regional()
    names = input_names()
    layers = {f"impact_{k}": v for k, v in assessment_layers(sites, library, names["sites"]).items()
              if k != "about"}
    layers.update(shortfall_layers(regional, library, names))
    return layers


def _file_name(stem: str, kind: str) -> str:
    """A download's file name; it says so when the results contain invented data."""
    return f"{stem}-met-verzonnen-voorbeelddata.{kind}" if state.invented_parts("nl") else f"{stem}.{kind}"


def _file(kind: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"planner.{kind}"
        write_results(target, all_layers())
        return target.read_bytes()


def inputs_digest(lang: str, title: str) -> str:
    """A digest of everything the report and the result files are built from: uploads, choices, borders, language
    and title. The same digest means the same files, so they are built once per change of inputs."""
    import hashlib

    s = st.session_state
    digest = hashlib.sha256()
    for part in (s["sites_upload"], state.demo_sites_on(), s["manual_sites"], s["housing_upload"],
                 s["housing_mapping"], s["norm"], s["compare"], s["pipeline_upload"], state.demo_pipeline_on(),
                 s["mode"], s["level"], s["regions_upload"], s["mean_distance"], s["max_distance"],
                 state.layer_key(), tuple(s.get("objects_uploads", [])), lang, title, state.invented_parts(lang)):
        _feed(digest, part)
    return digest.hexdigest()


def _feed(digest, part: object) -> None:
    """Add ``part`` to ``digest``: bytes as they are (uploads can be large), containers item by item."""
    if isinstance(part, bytes):
        digest.update(b"B%d:" % len(part))
        digest.update(part)
    elif isinstance(part, list | tuple):
        digest.update(b"(%d:" % len(part))
        for item in part:
            _feed(digest, item)
        digest.update(b")")
    else:
        digest.update(repr(part).encode("utf-8", "replace") + b";")


#: How many times the files were built in this server process (tests read it).
BUILDS = {"count": 0}


def _build(lang: str, title: str) -> tuple[bytes, bytes, bytes]:
    BUILDS["count"] += 1
    sites = state.current_sites()
    regional = state.current_regional()
    summary, _ = capacity_by_gemeente(state.current_checked(), state.boundary_layer())
    pdf = build_report(sites, state.current_library(), housing_totals(summary), regional, lang,
                       state.titled(title, lang), input_names(), housing_summary=summary)
    return pdf, _file("xlsx"), _file("gpkg")


def render(lang: str) -> None:
    show.write(t("report_intro", lang))
    st.session_state.setdefault("report_title", t("report_default_title", lang))
    title = st.text_input(t("report_title", lang), max_chars=150, key="report_title")
    if not inputs_of_other_pages_ok(lang):
        return
    digest = inputs_digest(lang, title)
    kept = st.session_state.get("report_files")
    if kept is not None and kept[0] == digest:
        pdf, excel, gpkg = kept[1]
    else:
        try:
            with st.spinner(t("computing", lang)):
                pdf, excel, gpkg = _build(lang, title)
        except InputError as exc:
            show.error(error_text(exc, lang))
            return
        st.session_state["report_files"] = (digest, (pdf, excel, gpkg))
    parts = state.invented_parts(lang)
    if parts:
        show.warning(state.titled(t("report_default_title", lang), lang))
    st.download_button(state.titled(t("download_pdf", lang), lang), pdf, file_name=_file_name("planner-rapport", "pdf"),
                       mime="application/pdf", key="download_pdf")
    left, right = st.columns(2)
    left.download_button(state.titled(t("download_all_excel", lang), lang), excel,
                         file_name=_file_name("planner-resultaten", "xlsx"),
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         key="download_excel")
    right.download_button(state.titled(t("download_all_gpkg", lang), lang), gpkg,
                          file_name=_file_name("planner-resultaten", "gpkg"),
                          mime="application/geopackage+sqlite3", key="download_gpkg")
