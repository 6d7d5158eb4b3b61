"""The borders section: which municipal layer is in use, the boundary year, import or download exact borders.

Shown on the sites and shortfall pages. An import or download is stored by
:mod:`planner.geodata` (checked in full, replaced atomically) and used at once:
the layer caches of :mod:`planner.ui.state` are keyed on the stored file, so
neither this section nor a ``planner geodata import`` on the command line needs
a server restart.
"""

from __future__ import annotations

import streamlit as st

from ..errors import InputError
from ..geodata import download_boundaries, forget_boundaries, import_boundaries
from ..herindeling import known_years
from ..i18n import t
from ..messages import error_text, layer_label
from . import show, state
from .reading import UploadError


def _chosen(lang: str) -> None:
    """The boundary year: its widget state is the session's ``boundary_year`` (the same on every page)."""
    st.selectbox(t("borders_year", lang), state.layer_years(), key="boundary_year", help=t("borders_year_help", lang))


def _import(lang: str, key: str) -> None:
    upload = st.file_uploader(t("borders_import", lang), type=["gpkg", "geojson", "json", "zip"],
                              key=f"{key}_upload", help=t("borders_import_help", lang))
    if upload is None or not st.button(t("borders_import_button", lang), key=f"{key}_import"):
        return
    try:
        state.check_upload_size(upload.name, upload.size)
        layer = state.with_file((upload.name, upload.getvalue()), import_boundaries)
    except UploadError as exc:
        show.error(exc.text(lang))
        return
    except InputError as exc:
        show.error(f"{t('borders_failed', lang)}: {error_text(exc, lang)}")
        return
    _use(layer.year, layer_label(layer, lang), lang)


def _download(lang: str, key: str) -> None:
    left, right = st.columns([1, 2])
    year = left.selectbox(t("borders_download_year", lang), list(reversed(known_years())),
                          index=list(reversed(known_years())).index(2024), key=f"{key}_download_year")
    right.caption(t("borders_download_help", lang))
    if not right.button(t("borders_download_button", lang, year=year), key=f"{key}_download"):
        return
    bar = st.progress(0.0, text=t("borders_downloading", lang))

    def progress(done: int, total: int | None) -> None:
        bar.progress(min(done / total, 1.0) if total else 0.5, text=f"{done} / {total or '?'}")

    try:
        layer = download_boundaries(year, progress=progress)
    except InputError as exc:
        bar.empty()
        show.error(f"{t('borders_failed', lang)}: {error_text(exc, lang)}")
        return
    bar.empty()
    _use(layer.year, layer_label(layer, lang), lang)


def _use(year: int, label: str, lang: str) -> None:
    """Switch to a layer just stored and say so."""
    state.layer_changed()
    st.session_state["pending_boundary_year"] = year
    st.session_state["borders_message"] = t("borders_stored", lang, label=label)
    st.rerun()


def render(lang: str, key: str = "borders") -> None:
    """The borders section (an expander), ``key`` keeping its widgets apart on each page."""
    layer = state.boundary_layer()
    message = st.session_state.pop("borders_message", None)
    with st.expander(show.plain(f"{t('borders_section', lang)}: {layer_label(layer, lang)}"),
                     expanded=bool(message)):
        if message:
            show.success(message)
        show.caption(t("borders_in_use", lang, label=layer_label(layer, lang), n=len(layer.boundaries)))
        if layer.kind == "schematic":
            show.info(t("borders_schematic_note", lang))
        _chosen(lang)
        _import(lang, key)
        _download(lang, key)
        if layer.kind == "exact" and st.button(t("borders_forget", lang, year=layer.year), key=f"{key}_forget"):
            forget_boundaries(layer.year)
            state.layer_changed()
            st.session_state["pending_boundary_year"] = 2024
            st.rerun()
