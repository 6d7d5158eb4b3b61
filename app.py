"""planner in the browser: `make run` starts this with `streamlit run app.py`.

Thin by design: it sets up the page, the language and the navigation, and
hands over to the pages in planner.ui, which call the planner model.
"""

import logging

import streamlit as st

from planner.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from planner.ui import housing_page, library_page, report_page, scenarios_page, shortfall_page, show, sites_page, state

PAGES = {
    "page_sites": sites_page,
    "page_housing": housing_page,
    "page_shortfall": shortfall_page,
    "page_scenarios": scenarios_page,
    "page_library": library_page,
    "page_report": report_page,
}

st.set_page_config(page_title="planner", layout="wide")
state.init()
lang = st.sidebar.selectbox("Taal / Language", list(LANGUAGES), format_func=LANGUAGES.get,
                            index=list(LANGUAGES).index(DEFAULT_LANGUAGE), key="lang")
# The page is also kept outside the widget: where a Streamlit version (>=1.40 is allowed) gives a widget whose label
# changes with the language a new identity, the radio starts again from the page the user was on.
page = st.sidebar.radio(t("navigation", lang), list(PAGES), format_func=lambda key: t(key, lang), key="page",
                        index=list(PAGES).index(st.session_state.get("current_page", "page_sites")))
st.session_state["current_page"] = page
st.title(t("app_title", lang))
show.caption(t("app_intro", lang))
st.header(t(page, lang))
try:
    PAGES[page].render(lang)
except Exception:  # the last guard: words for the user, the traceback for the server log (st.rerun passes through)
    logging.getLogger("planner.app").exception("page %s failed", page)
    show.error(t("unexpected_error", lang))
# After the first page is drawn: the results the other pages need, computed while the user reads this one.
state.prepare_once()
