"""Referentie-objecten: the library with its sources; a municipality adds its own objects."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..display import display_table
from ..errors import InputError
from ..i18n import t
from ..messages import message
from ..tables import library_table
from . import show, state
from .reading import error_text


def render(lang: str) -> None:
    upload = state.file_input(t("objects_file", lang), "objects_upload", "objects_file", ["csv"], lang,
                              t("objects_file_help", lang))
    st.session_state["objects_uploads"] = [] if upload is None else [upload]
    try:
        library = state.current_library()
    except InputError as exc:
        show.error(error_text(exc, lang))
        st.session_state["objects_uploads"] = []
        st.session_state["objects_upload"] = None
        return
    if upload is not None:
        show.success(t("objects_added", lang, n=len(library.objects) - len(state.library().objects)))
    labels = library.ratios[f"label_{lang}"]
    st.subheader(t("reference_objects", lang))
    objects = pd.DataFrame(library.objects)
    # The kind of business by its name in the interface's language (the file holds codes such as ecommerce_dc).
    keys = pd.MultiIndex.from_arrays([objects["sector"], objects["subtype"]])
    objects["subtype"] = pd.Series(labels.reindex(keys).to_numpy(), index=objects.index).fillna(objects["subtype"])
    st.dataframe(display_table(objects, lang), hide_index=True, width="stretch")
    st.subheader(t("derived_ratios", lang))
    show.caption(t("assumptions", lang))
    for (sector, subtype), note in zip(library.ratios.index, library.ratios["objects_note"], strict=True):
        if note:
            # The subtype by its name, not its code.
            note = str(note).replace(f"{sector}/{subtype}", str(labels.loc[(sector, subtype)]))
            show.warning(t("no_objects", lang, note=message(note, lang)))
    other = "en" if lang == "nl" else "nl"
    table = library_table(library).drop(columns=["sector", "subtype", f"label_{other}"])
    # Derived ratios to two decimals: more would suggest a precision the few objects behind them do not have.
    ratios = [c for c in table.columns if c.startswith("ratio_p")]
    table[ratios] = table[ratios].round(2)
    st.dataframe(display_table(table, lang), hide_index=True, width="stretch")
    show.caption(t("library_hash", lang, hash=library.content_hash[:12]))
