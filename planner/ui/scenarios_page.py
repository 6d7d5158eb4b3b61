"""Scenario's: until the scenario store exists, what the current inputs are and how to keep them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..i18n import t
from . import state
from .report_page import input_names


def render(lang: str) -> None:
    st.info(t("scenarios_pending", lang))
    st.subheader(t("current_inputs", lang))
    names = input_names()
    names["library"] = state.current_library().content_hash[:12]
    names["boundaries"] = state.boundary_layer().label(lang)
    st.dataframe(pd.DataFrame({"": list(names), " ": list(names.values())}), hide_index=True, width="stretch")
