"""The Streamlit app, driven by streamlit's AppTest: numbers shown equal the API's."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.demo import load_demo_sites
from planner.i18n import TEXTS, t
from planner.impact import assess, totals
from planner.ui.format import fmt

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app():
    return AppTest.from_file(APP, default_timeout=60).run()


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_demo_opens_in_dutch_with_the_api_totals(app, library):
    assert not app.exception
    expected = totals(assess(load_demo_sites(), library))
    shown = _metrics(app)
    for quantity in ("workers", "migrants", "beds_needed", "beds_to_find"):
        assert shown[t(quantity, "nl")] == fmt(expected.loc[quantity, "typical"], "nl")
    assert app.info[0].value == t("demo_notice", "nl")
    assert app.title[0].value == t("app_title", "nl")


def test_english_switch_changes_the_labels(app, library):
    app.selectbox(key="lang").set_value("en").run()
    expected = totals(assess(load_demo_sites(), library))
    shown = _metrics(app)
    assert shown[t("beds_needed", "en")] == fmt(expected.loc["beds_needed", "typical"], "en")
    assert app.title[0].value == t("app_title", "en")


def test_every_text_exists_in_both_languages():
    for key, texts in TEXTS.items():
        assert set(texts) == {"nl", "en"}, key
        assert texts["nl"] and texts["en"], key
