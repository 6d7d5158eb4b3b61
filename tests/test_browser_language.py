"""Switching language in a real browser keeps the page and the column mapping (issue 18, part A).

AppTest drives the script, not the browser's widgets; this checks the same in Chromium, where the finding was
made: Woningvoorraad, a register with a column mapped by hand, then English, another page and back.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_browser import _go, _wait_idle, browser, server  # noqa: F401  (fixtures)

from planner.i18n import t
from planner.messages import term

#: Browser tests run on one pytest-xdist worker, one after another (each drives Chromium and a server).
pytestmark = pytest.mark.xdist_group("browser")

REGISTER = ("adres;opp;bewoners;gemeentecode\n"
            "Markt 1;120;4;GM0983\nKerkstraat 2;80;6;GM0983\nSteeg 3;200;5;GM0983\n")


def _box(page, header: str):
    """The mapping selectbox labelled ``header`` exactly (other selectboxes hold longer texts with the same letters)."""
    return page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text(header, exact=True)).first


def _expect_mapped(page, header: str, value: str) -> None:
    """The mapping selectbox of ``header`` comes to show ``value`` (the expander opened if needed).

    Streamlit keeps showing the previous run's elements until the new run replaces them, and on a busy machine the
    run may start after the idle check; so the value is waited for (up to 30 s), not read once. A mapping that is
    lost or keeps the other language's label still fails, with the value it showed.
    """
    box = _box(page, header)
    if not box.is_visible():
        page.locator('[data-testid="stExpander"] summary').filter(has_text=t("column_mapping", "nl")).or_(
            page.locator('[data-testid="stExpander"] summary').filter(has_text=t("column_mapping", "en"))).first.click()
        page.wait_for_timeout(300)
    expect(box.locator("input")).to_have_value(value, timeout=30_000)


def test_language_switch_keeps_the_page_and_the_mapping_in_a_browser(server, browser, tmp_path):  # noqa: F811
    register = tmp_path / "register.csv"
    register.write_text(REGISTER, encoding="utf-8")
    page = browser.new_page()
    page.goto(server, wait_until="domcontentloaded", timeout=90_000)
    _wait_idle(page)
    _go(page, t("page_housing", "nl"))
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(register))
    _wait_idle(page)
    box = _box(page, "opp")
    box.wait_for(timeout=60_000)  # the register is read and its mapping shown
    box.click()
    # The mapping targets are shown as labels in the interface's language.
    page.get_by_role("option", name=term("floor_area_m2", "nl"), exact=True).click()
    _wait_idle(page)
    _expect_mapped(page, "opp", term("floor_area_m2", "nl"))

    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="English").click()
    _wait_idle(page)
    page.get_by_role("heading", name=t("app_title", "en")).wait_for(timeout=30_000)
    expect(page.get_by_role("heading", name=t("page_housing", "en"))).to_be_visible(timeout=30_000)  # the same page
    _expect_mapped(page, "opp", term("floor_area_m2", "en"))  # the same choice, now labelled in English

    _go(page, t("page_sites", "en"))
    _go(page, t("page_housing", "en"))
    _expect_mapped(page, "opp", term("floor_area_m2", "en"))
    assert not page.locator('[data-testid="stException"]').count()
    page.close()
