"""The app in a real browser: Debian's Chromium driven by Playwright.

Starts ``streamlit run app.py`` on a free port, enters a site, checks the
estimate and the maps, switches to English, visits every page and downloads
the PDF report, whose totals must match the figures the app showed. Any failed
network request fails the test: the app must work offline. Screenshots of each
page go to ``test-artifacts/`` (or ``$PLANNER_ARTIFACTS``).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, require

#: Browser tests run on one pytest-xdist worker, one after another (each drives Chromium and a server).
pytestmark = pytest.mark.xdist_group("browser")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("PLANNER_ARTIFACTS", ROOT / "test-artifacts"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: The server log (stdout and stderr of ``streamlit run``) of each running test server, by its URL.
LOGS: dict[str, Path] = {}


def server_log(url: str, start: int = 0) -> str:
    """What the server at ``url`` has written to its log so far, from character ``start`` on."""
    return LOGS[url].read_text(encoding="utf-8", errors="replace")[start:]


def log_faults(text: str) -> list[str]:
    """The lines of a server log that show a fault: a traceback or a message logged as an error."""
    return [line for line in text.splitlines() if re.search(r"Traceback|\bERROR\b|\bException\b", line)]


def _start(data_dir: Path):
    """``streamlit run app.py`` on a free port with its own data directory; yields the URL.

    The server's output goes to a log file next to the data directory (:func:`server_log`), so a test can check
    that a walk through the app left no traceback or error in it.
    """
    port = _free_port()
    env = {**os.environ, "PLANNER_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    log_path = data_dir.with_name(data_dir.name + "-streamlit.log")
    log = log_path.open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    LOGS[url] = log_path
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        log.close()
        pytest.fail("streamlit did not start: " + server_log(url)[-2000:])
    yield url
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:  # pragma: no cover
        process.kill()
    log.close()
    LOGS.pop(url, None)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from _start(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def exact_server(tmp_path_factory, shared_geodata):
    """The app with the exact CBS 2024 borders imported (as 'planner geodata import' does), offline."""
    import warnings

    from planner.geodata import import_boundaries

    data = tmp_path_factory.mktemp("exact-data")
    os.environ["PLANNER_DATA_DIR"], before = str(data), os.environ.get("PLANNER_DATA_DIR")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import_boundaries(shared_geodata / "cbs_gemeenten_2024.geojson")
    finally:
        if before is None:
            del os.environ["PLANNER_DATA_DIR"]
        else:
            os.environ["PLANNER_DATA_DIR"] = before
    yield from _start(data)


@pytest.fixture(scope="module")
def browser():
    require(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM} (make test installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        require(False, "the playwright package is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=["--no-sandbox", "--disable-background-networking",
                                                    "--disable-component-update", "--disable-gpu-sandbox"])
        yield chromium
        chromium.close()


def _number(text: str) -> float:
    """'2.142' (nl) or '2,142' (en) -> 2142."""
    return float(re.sub(r"[.,]", "", text.strip()))


def _metric(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def _wait_idle(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=60_000)
    page.wait_for_timeout(300)


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _go(page, label: str) -> None:
    page.locator('[data-testid="stSidebar"]').get_by_text(label, exact=True).click()
    _wait_idle(page)


def test_the_whole_job_in_a_browser(server, browser, library):
    from planner.demo import load_demo_sites
    from planner.i18n import t
    from planner.impact import assess, totals

    failed: list[str] = []
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="nl-NL")
    page = context.new_page()
    page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})"))
    page.on("response", lambda response: failed.append(f"{response.url} ({response.status})")
            if response.status >= 400 else None)
    page.goto(server, wait_until="domcontentloaded", timeout=90_000)
    page.locator('[data-testid="stMetric"]').first.wait_for(timeout=120_000)
    _wait_idle(page)

    # The demo opens with the API's totals.
    expected = totals(assess(load_demo_sites(), library))
    assert _number(_metric(page, t("workers", "nl"))) == round(expected.loc["workers", "p50"])
    page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for(timeout=30_000)
    _shot(page, "01-bedrijvigheid")

    # Click a municipality on the map: the form takes it as the place of the new site.
    chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
    chart.scroll_into_view_if_needed()
    picked = page.get_by_text(re.compile(t("picked", "nl", place="") + ".+")).first
    # The map may still be drawing its polygons: click (a little further each time) until a municipality is hit.
    for attempt in range(8):
        page.wait_for_timeout(1500)
        box = chart.bounding_box()
        page.mouse.click(box["x"] + box["width"] * (0.5 + 0.01 * attempt), box["y"] + box["height"] * 0.55)
        _wait_idle(page)
        if picked.is_visible():
            break
    picked.wait_for(timeout=30_000)
    _shot(page, "01b-plaats-op-kaart")

    # Enter a site; its estimate appears at once and the totals grow.
    before = _number(_metric(page, t("workers", "nl")))
    page.get_by_label(t("site_name", "nl")).fill("Testlocatie DC")
    page.get_by_role("button", name=t("submit_site", "nl")).click()
    _wait_idle(page)
    page.get_by_text(t("new_site_estimate", "nl", name="Testlocatie DC")).wait_for(timeout=30_000)
    after = _number(page.locator('[data-testid="stMetric"]').filter(has_text=t("workers", "nl")).nth(1)
                    .locator('[data-testid="stMetricValue"]').inner_text())
    own = _number(page.locator('[data-testid="stMetric"]').filter(has_text=t("workers", "nl")).nth(0)
                  .locator('[data-testid="stMetricValue"]').inner_text())
    # The invented example sites are off once the user has a site of their own (issue 15): the totals are the
    # new site's, no longer the examples'.
    assert after == own and after != before
    _shot(page, "02-locatie-ingevoerd")

    # English everywhere after the switch.
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="English").click()
    _wait_idle(page)
    page.get_by_role("heading", name=t("app_title", "en")).wait_for(timeout=30_000)
    workers_en = _number(page.locator('[data-testid="stMetric"]').filter(has_text=t("workers", "en")).last
                         .locator('[data-testid="stMetricValue"]').inner_text())
    assert workers_en == after

    for number, key in enumerate(("page_housing", "page_shortfall", "page_scenarios", "page_library"), start=3):
        _go(page, t(key, "en"))
        page.get_by_role("heading", name=t(key, "en")).first.wait_for(timeout=120_000)
        if key == "page_shortfall":
            page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for(timeout=30_000)
            assert page.get_by_text("schematic borders").first.is_visible()
            shortfall_shown = _number(_metric(page, t("shortfall", "en")))
        _shot(page, f"0{number}-{key}")

    # The report: a valid PDF with the totals the app showed.
    _go(page, t("page_report", "en"))
    page.get_by_role("button", name=t("download_pdf", "en")).wait_for(timeout=60_000)
    _shot(page, "07-page_report")
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name=t("download_pdf", "en")).click()
    path = ARTIFACTS / "planner-rapport.pdf"
    download_info.value.save_as(path)
    from pypdf import PdfReader

    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    workers_line = next(line for line in text.splitlines() if line.startswith(t("workers", "en")))
    assert f"{workers_en:,.0f}" in workers_line
    shortfall_line = next(line for line in text.splitlines() if line.startswith(t("shortfall", "en") + " "))
    assert f"{shortfall_shown:,.0f}" in shortfall_line
    assert "schematic borders" in text
    context.close()
    assert not failed, "failed network requests: " + "; ".join(failed)


def _click_until_picked(page, picked, attempts: int = 8) -> int:
    """Click the sites map as a person does (point, pause, click) until a municipality is picked; the clicks it took.

    deck.gl counts a press as a click only if the button comes up within
    250 ms of going down, and finds the object under the pointer in between:
    on a heavy layer that search takes longer and the click never registers.
    """
    chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
    chart.scroll_into_view_if_needed()
    for attempt in range(attempts):
        page.wait_for_timeout(1500)
        box = chart.bounding_box()
        x, y = box["x"] + box["width"] * (0.5 + 0.01 * attempt), box["y"] + box["height"] * 0.55
        page.mouse.move(x, y)
        page.wait_for_timeout(1000)
        page.mouse.click(x, y)
        _wait_idle(page)
        try:  # the run a click starts may begin after the status widget was checked: give it a few seconds
            picked.wait_for(timeout=4000)
        except Exception:  # playwright's TimeoutError (playwright is imported only where Chromium runs)
            continue
        return attempt + 1
    return 0


def test_a_click_picks_a_municipality_on_exact_borders(exact_server, browser):
    """The finding: with exact borders loaded, clicking a municipality on the sites map never selected it."""
    from planner.i18n import t

    failed: list[str] = []
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})"))
    page.goto(exact_server, wait_until="domcontentloaded", timeout=90_000)
    page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for(timeout=120_000)
    _wait_idle(page)
    assert page.get_by_text(re.compile("exacte grenzen, 2024")).first.is_visible()
    picked = page.get_by_text(re.compile(t("picked", "nl", place="") + ".+")).first
    clicks = _click_until_picked(page, picked, attempts=4)
    _shot(page, "08-exacte-grenzen-klik")
    assert clicks, "no municipality was picked on the exact borders"
    context.close()
    assert not failed, "failed network requests: " + "; ".join(failed)


def test_borders_imported_in_the_app_are_used_at_once(server, browser, shared_geodata):
    """Upload a boundary file in the borders section: stored under its own year and in use without a restart."""
    from planner.i18n import t

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.goto(server, wait_until="domcontentloaded", timeout=90_000)
    page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for(timeout=120_000)
    _wait_idle(page)
    section = page.locator('[data-testid="stExpander"]').filter(has_text=t("borders_section", "nl")).first
    section.locator("summary").click()
    section.locator('input[type="file"]').set_input_files(str(shared_geodata / "cbs_gemeenten_2022.geojson"))
    _wait_idle(page)
    section.get_by_role("button", name=t("borders_import_button", "nl")).click()
    _wait_idle(page)
    page.get_by_text(re.compile("Opgeslagen en meteen in gebruik: exacte grenzen, 2022")).first.wait_for(
        timeout=120_000)
    _shot(page, "09-grenzen-geimporteerd")
    assert page.get_by_text(re.compile(r"Grenzen: exacte grenzen, 2022")).first.is_visible()
    context.close()
