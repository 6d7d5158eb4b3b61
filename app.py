"""planner in the browser: `make run` starts this with `streamlit run app.py`.

Thin by design: it sets up the page and the language, and hands over to the
pages in planner.ui, which call the planner model.
"""

import streamlit as st

from planner.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from planner.ui import impact_page

st.set_page_config(page_title="planner", layout="wide")
lang = st.sidebar.selectbox("Taal / Language", list(LANGUAGES), format_func=LANGUAGES.get,
                            index=list(LANGUAGES).index(DEFAULT_LANGUAGE), key="lang")
st.title(t("app_title", lang))
st.write(t("app_intro", lang))
impact_page.render(lang)
