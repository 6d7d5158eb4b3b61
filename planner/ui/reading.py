"""How a file was read, and how many of its rows were used: shown above every page's figures."""

from __future__ import annotations

from pathlib import PurePath

import pandas as pd
import streamlit as st

from ..columns import Reading
from ..formatting import fmt
from ..i18n import t
from ..messages import message, term
from ..usable import RowsUsed, likely_cause


def reading_table(reading: Reading, lang: str) -> pd.DataFrame:
    """The reading as a table with translated headings."""
    table = reading.table()
    table["how"] = [t(f"how_{how}", lang) for how in table["how"]]
    table["meaning"] = [term(meaning, lang) if meaning else meaning for meaning in table["meaning"]]
    table["note"] = [message(note, lang) if isinstance(note, str) else note for note in table["note"]]
    return table.rename(columns={"header": t("col_header", lang), "meaning": t("col_meaning", lang),
                                 "confidence": t("col_confidence", lang), "how": t("col_how", lang),
                                 "note": t("col_note", lang)})


def show_reading(reading: Reading | None, lang: str, used: RowsUsed | None = None, expanded: bool = False) -> None:
    """An expander with header -> meaning and confidence, the file notes, and a caption with the rows used."""
    if reading is None:
        return
    name = PurePath(reading.source).name
    if used is not None:
        st.caption(t("rows_used", lang, used=fmt(used.used, lang), rows=fmt(used.rows, lang), name=name))
    with st.expander(t("how_read", lang, name=name), expanded=expanded):
        st.caption(t("how_read_help", lang))
        st.dataframe(reading_table(reading, lang), hide_index=True, width="stretch")
        for note in reading.notes:
            st.caption(message(note, lang))


def too_few_box(checked: pd.DataFrame, reading: Reading | None, used: RowsUsed, lang: str) -> None:
    """The error box shown above the results when fewer than half of a file's rows are usable."""
    if not used.too_few:
        return
    cause = likely_cause(checked, reading, used)
    text = f"{message(cause.message, lang)}. {t('too_few_fix', lang)}"
    st.error(t("too_few_usable", lang, name=PurePath(used.source).name, used=fmt(used.used, lang),
               rows=fmt(used.rows, lang), cause=text))
