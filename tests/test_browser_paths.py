"""Every page in both languages, and the three users' paths, in a real browser (issue 18, part E).

The tour visits each page in Dutch and in English on the demo data and saves a full-page screenshot of each
(``pages-nl-page_sites.png`` ...) into the test artifacts. On every page: no Streamlit exception element, no
"Traceback" or last-guard message in the page's text, no failed network request and no response >= 400 from the
app, and no traceback or error in the server's log. The time of each page switch (from the click until the
script run it started has finished, read from the app's own run state) goes to ``page-timings.md``; it is not
asserted (a shared CPU makes any threshold flaky).

The paths, in Dutch and in English (one test each, each with its own session):

- planner: a municipality picked by a click on the map, the questionnaire filled (a declaration far above the
  estimate) and added: the site's estimate and the flag appear;
- council: a housing register uploaded whose floor-area column has a header planner does not know, mapped by hand:
  the page's capacity is the housing check's; the shortfall at municipality, COROP and province level; the PDF
  report downloaded, whose capacity and shortfall are the figures the pages showed;
- region: a scenario saved, saved again after the register changed the capacity (two versions), the versions
  compared per municipality, a second municipality's scenario saved and the two combined.

The polygon drawn on the map has its own browser test (tests/test_app_sites_scenarios.py).
"""

from __future__ import annotations

import io
import re
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_browser import (  # noqa: F401  (fixtures)
    ARTIFACTS,
    _click_until_picked,
    _metric,
    _number,
    _shot,
    _wait_idle,
    browser,
    log_faults,
    server,
    server_log,
)

from planner.formatting import fmt
from planner.i18n import t
from planner.messages import term

#: Browser tests run on one pytest-xdist worker, one after another (each drives Chromium and a server).
pytestmark = pytest.mark.xdist_group("browser")

PAGES = ("page_sites", "page_housing", "page_shortfall", "page_scenarios", "page_library", "page_report")

#: Records each change of the app's run state ("running", "notRunning", ...) with the browser's clock (polled every
#: 10 ms, so that a re-rendered root element does not lose the record).
_OBSERVE = """() => {
  window.__runs = [];
  let last = null;
  setInterval(() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const now = app ? app.getAttribute('data-test-script-state') : null;
    if (now !== last) { window.__runs.push([now, performance.now()]); last = now; }
  }, 10);
}"""
#: The time the first run after the action finished, or null while it has not.
_FINISHED = """() => {
  const runs = window.__runs, start = runs.findIndex(r => r[0] === 'running');
  if (start < 0) return null;
  const end = runs.slice(start).find(r => r[0] === 'notRunning');
  return end ? end[1] : null;
}"""


class Watch:
    """What must not happen while a user works: failed requests, errors on the page or in the server log."""

    def __init__(self, page, url: str):
        self.page, self.url, self.failed = page, url, []
        self.log_start = len(server_log(url))
        page.on("requestfailed", lambda request: self.failed.append(f"{request.url} ({request.failure})"))
        page.on("response", lambda response: self.failed.append(f"{response.url} ({response.status})")
                if response.status >= 400 and response.url.startswith(url) else None)

    def check(self, where: str) -> None:
        exceptions = self.page.locator('[data-testid="stException"]')
        assert not exceptions.count(), f"{where}: {exceptions.first.inner_text()[:500]}"
        text = self.page.locator("body").inner_text()
        assert "Traceback" not in text, where
        for lang in ("nl", "en"):
            assert t("unexpected_error", lang) not in text, where
        assert not self.failed, f"{where}: failed network requests: " + "; ".join(self.failed)
        faults = log_faults(server_log(self.url, self.log_start))
        assert not faults, f"{where}: the server log has " + "\n".join(faults[:10])


def _open(browser, url: str):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="nl-NL")
    page = context.new_page()
    watch = Watch(page, url)
    page.goto(url, wait_until="domcontentloaded", timeout=90_000)  # a cold server on a busy machine
    page.locator('[data-testid="stMetric"]').first.wait_for(timeout=120_000)
    _wait_idle(page)
    page.evaluate(_OBSERVE)
    _settled(page)
    return context, page, watch


def _settled(page) -> None:
    """Wait until the script is not running (the status widget can be hidden while the first run still goes on)."""
    page.wait_for_function("""() => document.querySelector('[data-testid="stApp"]')
                                      .getAttribute('data-test-script-state') === 'notRunning'""",
                           timeout=120_000, polling=50)
    _wait_idle(page)


def _shown(page, text: str, timeout: int = 60_000, exact: bool = False) -> None:
    """Wait for ``text``, then for the run to end; at rest it is on the page once.

    While Streamlit reruns, the element of the previous run can stay in the page beside the new one for a
    moment, so the text is first awaited as "at least once" and counted only when the script has stopped.
    """
    found = page.get_by_text(text, exact=exact)
    found.first.wait_for(timeout=timeout)
    _settled(page)
    assert found.count() == 1, f"{text!r} is shown {found.count()} times"


def _timed(page, action) -> float:
    """Seconds from ``action`` (a click) until the script run it started has finished (then idle)."""
    start = page.evaluate("""() => {
      const app = document.querySelector('[data-testid="stApp"]');
      window.__runs = [[app ? app.getAttribute('data-test-script-state') : null, performance.now()]];
      return performance.now();
    }""")
    action()
    try:
        end = page.wait_for_function(_FINISHED, timeout=30_000, polling=50).json_value()
    except PlaywrightTimeout:  # no run seen (the run states are printed): not measured, the walk goes on
        print("no run seen:", page.evaluate("() => window.__runs"))
        end = None
    _settled(page)
    return float("nan") if end is None else (end - start) / 1000


def _choose_language(page, name: str) -> None:
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=name).click()


def _nav(page, label: str) -> None:
    page.locator('[data-testid="stSidebar"]').get_by_text(label, exact=True).click()


def _maps_drawn(page) -> None:
    """Wait for the page's maps (deck.gl canvases) before a screenshot."""
    charts = page.locator('[data-testid="stDeckGlJsonChart"]')
    for number in range(charts.count()):
        charts.nth(number).locator("canvas").first.wait_for(timeout=30_000)
    if charts.count():
        page.wait_for_timeout(1000)


def test_every_page_in_both_languages(server, browser):  # noqa: F811
    started = time.perf_counter()
    context, page, watch = _open(browser, server)
    timings = [("nl", "first load (demo)", time.perf_counter() - started)]
    watch.check("first load")
    for lang in ("nl", "en"):
        if lang == "en":
            seconds = _timed(page, lambda: _choose_language(page, "English"))
            page.get_by_role("heading", name=t("app_title", "en")).wait_for(timeout=30_000)
            timings.append(("en", "language switch", seconds))
        # The app opens on the sites page: visit it last, so that it too is reached by a switch.
        for key in (*PAGES[1:], PAGES[0]):
            seconds = _timed(page, lambda key=key, lang=lang: _nav(page, t(key, lang)))
            page.get_by_role("heading", name=t(key, lang)).first.wait_for(timeout=120_000)
            _maps_drawn(page)
            watch.check(f"{lang} {key}")
            _full_shot(page, f"pages-{lang}-{key}")
            timings.append((lang, t(key, lang), seconds))
    context.close()
    table = ["| language | page switch | seconds (click to idle) |", "|---|---|---:|"]
    table += [f"| {lang} | {what} | {seconds:.2f} |" for lang, what, seconds in timings]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "page-timings.md").write_text(
        "# Page switches on the demo data (Chromium, measured by tests/test_browser_paths.py)\n\n"
        "The first visit to the report page builds the report; later visits with the same inputs reuse it.\n\n"
        + "\n".join(table) + "\n", encoding="utf-8")
    print("\n" + "\n".join(table))
    assert len(timings) == 2 + 2 * len(PAGES)


REGISTER = ("adres;opp;bewoners;gemeentecode\n"
            "Markt 1;120;4;GM0983\nKerkstraat 2;80;6;GM0983\nSteeg 3;200;5;GM0983\nPoort 4;450;9;GM0983\n")


def _box(page, within, label: str, kind: str = "stSelectbox"):
    """The selectbox (or multiselect) in ``within`` whose label is ``label`` exactly."""
    return within.locator(f'[data-testid="{kind}"]').filter(has=page.get_by_text(label, exact=True)).first


def _full_shot(page, name: str) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main block, so the window is made as tall."""
    height = page.evaluate("""() => {
      const main = document.querySelector('[data-testid="stMain"]') || document.body;
      return main.scrollHeight; }""")
    page.set_viewport_size({"width": 1400, "height": max(1000, min(int(height) + 100, 12_000))})
    page.wait_for_timeout(800)
    _shot(page, name)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.wait_for_timeout(300)


def _select(page, container, option: str) -> None:
    """Choose ``option`` in a selectbox or multiselect (``container``), as a user does.

    A rerun of the script (a save, an upload finishing) can redraw the open list while it is clicked: the option
    is then detached from the page. The choice is made again on a settled page, at most four times, and checked:
    the container shows the option afterwards.
    """
    choice = page.get_by_role("option", name=option, exact=True)
    for attempt in range(4):
        _settled(page)
        try:
            if not choice.is_visible():  # a multiselect's list stays open after a choice
                container.click()
                page.wait_for_timeout(300)
                if not choice.is_visible():  # a long list is drawn in part: narrow it by typing, as a user does
                    page.keyboard.type(option)
            choice.click(timeout=10_000)
        except PlaywrightTimeout:
            if attempt == 3:
                raise
            page.keyboard.press("Escape")
            continue
        _wait_idle(page)
        shown = container.inner_text() + " " + " ".join(
            container.locator("input").evaluate_all("inputs => inputs.map(i => i.value)"))
        if option in shown:
            return
    raise AssertionError(f"{option!r} could not be chosen")


def _save_scenario(page, lang: str, name: str, organisation: str, base: str | None) -> None:
    form = page.locator('[data-testid="stForm"]').filter(has_text=t("save_scenario", lang)).first
    form.get_by_label(t("scenario_name", lang)).fill(name)
    form.get_by_label(t("organisation", lang)).fill(organisation)
    form.get_by_label(t("author", lang)).fill("test")
    _select(page, _box(page, form, t("new_version_of", lang)), base or t("new_scenario", lang))
    form.get_by_role("button", name=t("save", lang), exact=True).click()
    _wait_idle(page)


def _pdf_row(text: str, label: str) -> list[str]:
    """The figures of the report's line that starts with ``label``."""
    line = next(line for line in text.splitlines() if line.startswith(label + " "))
    return line[len(label):].split()


# The full path in both languages, each in its own browser session.
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_three_users_paths(server, browser, lang, tmp_path):  # noqa: F811
    from pypdf import PdfReader

    from planner.geodata import load_boundaries
    from planner.housing import check_housing, housing_totals
    from planner.io import read_housing
    from planner.regional import capacity_by_gemeente

    context, page, watch = _open(browser, server)
    if lang == "en":
        _choose_language(page, "English")
        _wait_idle(page)
        page.get_by_role("heading", name=t("app_title", "en")).wait_for(timeout=30_000)
    scenario = {"nl": ("Venlo", "Horst"), "en": ("Venlo EN", "Horst EN")}[lang]

    # -- the planner: a place by a click on the map, the questionnaire, the estimate ----------------------------
    page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for(timeout=120_000)
    picked = page.get_by_text(re.compile(re.escape(t("picked", lang, place="")) + ".+")).first
    assert _click_until_picked(page, picked), "no municipality was picked on the map"
    site = f"Koelhuis {lang}"
    page.get_by_label(t("site_name", lang)).fill(site)
    page.get_by_label(t("declared_migrants", lang)).fill("5000")
    page.get_by_label(t("declared_migrants", lang)).press("Tab")
    page.get_by_role("button", name=t("submit_site", lang)).click()
    _wait_idle(page)
    _shown(page, t("new_site_estimate", lang, name=site), 30_000)
    flag = re.escape(t("flag_above_range", lang, name=site, declared=fmt(5000, lang), low="LOW", high="HIGH"))
    page.get_by_text(re.compile(flag.replace("LOW", ".+").replace("HIGH", ".+"))).first.wait_for(timeout=30_000)
    watch.check("site added")
    _full_shot(page, f"path-{lang}-1-questionnaire")

    # -- the region: a first version of a scenario ---------------------------------------------------------------
    _nav(page, t("page_scenarios", lang))
    _wait_idle(page)
    _save_scenario(page, lang, scenario[0], scenario[0], None)
    _shown(page, t("saved", lang, name=scenario[0], version=1), 60_000)

    # -- the council: a register with a header planner does not know, mapped by hand -----------------------------
    register = tmp_path / "register.csv"
    register.write_text(REGISTER, encoding="utf-8")
    _nav(page, t("page_housing", lang))
    _wait_idle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(register))
    page.locator('[data-testid="stExpander"] summary').filter(has_text=t("column_mapping", lang)).wait_for(
        timeout=60_000)
    _settled(page)
    box = _box(page, page, "opp")
    for _ in range(3):  # the mapping's expander is open when few rows are usable; open it otherwise
        if box.is_visible():
            break
        page.locator('[data-testid="stExpander"] summary').filter(has_text=t("column_mapping", lang)).click()
        page.wait_for_timeout(500)
    _select(page, box, term("floor_area_m2", lang))
    checked = check_housing(read_housing(register, {"opp": "floor_area_m2"}), "roemer")
    capacity = housing_totals(capacity_by_gemeente(checked, load_boundaries())[0])["capacity"]
    assert capacity > 0
    assert _metric(page, t("capacity", lang)) == fmt(capacity, lang)
    watch.check("register mapped")
    _full_shot(page, f"path-{lang}-2-register")

    # -- the shortfall at every level --------------------------------------------------------------------------
    _nav(page, t("page_shortfall", lang))
    _wait_idle(page)
    levels = page.locator('[data-testid="stRadio"]').filter(has_text=t("level", lang)).first
    shortfall = {}
    for level in ("gemeente", "corop", "provincie"):
        levels.get_by_text(t(f"level_{level}", lang), exact=True).click()
        _wait_idle(page)
        assert levels.locator("input:checked").count() == 1
        _maps_drawn(page)
        assert _metric(page, t("capacity_total", lang))
        shortfall[level] = _metric(page, t("shortfall", lang))
        watch.check(f"shortfall per {level}")
        _full_shot(page, f"path-{lang}-3-shortfall-{level}")

    # -- the region: a second version (the register changed the capacity), compared; a second scenario; combined --
    _nav(page, t("page_scenarios", lang))
    _wait_idle(page)
    _save_scenario(page, lang, scenario[0], scenario[0], f"{scenario[0]} v1")
    _shown(page, t("saved", lang, name=scenario[0], version=2), 60_000)
    _select(page, _box(page, page, t("versions_scenario", lang)), f"{scenario[0]} v2 ({scenario[0]})")
    _shown(page, t("versions_caption", lang, before=1, after=2), 60_000)
    _save_scenario(page, lang, scenario[1], scenario[1], None)
    _shown(page, t("saved", lang, name=scenario[1], version=1), 60_000)
    combine = _box(page, page, t("combine_choose", lang), "stMultiSelect")
    chosen = (f"{scenario[0]} v2 ({scenario[0]})", f"{scenario[1]} v1 ({scenario[1]})")
    for _ in range(3):  # a choice made while the list was closing can be lost: choose again what is missing
        for label in chosen:
            if not combine.get_by_text(label, exact=True).count():
                _select(page, combine, label)
        page.keyboard.press("Escape")
        _settled(page)
    _shown(page, t("combine_contributions", lang), 60_000, exact=True)
    # The questionnaire's site is in both scenarios: the roll-up counts it once and says so.
    _shown(page, t("rollup_note_sites", lang, n=1, names=site), 30_000)
    differ = re.escape(t("combine_differ", lang, what="WHAT")).replace("WHAT", ".+")
    assert not page.get_by_text(re.compile(differ)).count()
    watch.check("scenarios compared and combined")
    _full_shot(page, f"path-{lang}-4-scenarios")

    # -- the report: downloaded, its figures those the pages showed ---------------------------------------------
    _nav(page, t("page_report", lang))
    _wait_idle(page)
    download = page.get_by_role("button", name=t("download_pdf", lang))
    download.wait_for(timeout=90_000)
    with page.expect_download(timeout=60_000) as download_info:
        download.click()
    path = ARTIFACTS / f"path-{lang}-rapport.pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    download_info.value.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert fmt(capacity, lang) == _pdf_row(text, t("capacity", lang))[0]
    # The report is of the level chosen last (province): its P50 shortfall is the one the page showed.
    assert shortfall["provincie"] in _pdf_row(text, t("shortfall", lang))
    watch.check("report downloaded")
    _full_shot(page, f"path-{lang}-5-report")
    context.close()
    assert _number(shortfall["provincie"]) >= 0
