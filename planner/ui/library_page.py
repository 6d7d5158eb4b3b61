"""Referentie-objecten: the library with its sources; a municipality adds its own objects."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..display import display_table
from ..errors import InputError
from ..i18n import t
from ..messages import message
from ..tables import library_table
from . import state
from .reading import error_text


def render(lang: str) -> None:
    upload = state.file_input(t("objects_file", lang), "objects_upload", "objects_file", ["csv"], lang,
                              t("objects_file_help", lang))
    st.session_state["objects_uploads"] = [] if upload is None else [upload]
    try:
        library = state.current_library()
    except InputError as exc:
        st.error(error_text(exc, lang))
        st.session_state["objects_uploads"] = []
        st.session_state["objects_upload"] = None
        return
    if upload is not None:
        st.success(t("objects_added", lang, n=len(library.objects) - len(state.library().objects)))
    st.subheader(t("reference_objects", lang))
    st.dataframe(display_table(pd.DataFrame(library.objects), lang), hide_index=True, width="stretch")
    st.subheader(t("derived_ratios", lang))
    st.caption(t("assumptions", lang))
    for note in library.ratios["objects_note"]:
        if note:
            st.warning(t("no_objects", lang, note=message(note, lang)))
    other = "en" if lang == "nl" else "nl"
    st.dataframe(display_table(library_table(library).drop(columns=["sector", "subtype", f"label_{other}"]), lang),
                 hide_index=True, width="stretch")
    st.caption(t("library_hash", lang, hash=library.content_hash[:12]))
