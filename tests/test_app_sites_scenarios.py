"""The app's scenario versions and regional roll-up, and the sites page's edit, remove and drawn polygon
(issue 18, part D), driven by streamlit's AppTest against the API's numbers."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from planner.demo import load_demo_sites
from planner.errors import PlannerWarning
from planner.i18n import t

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """The bundled schematic layer and an empty SQLite store in a temporary folder."""
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PLANNER_STORE", raising=False)
    return tmp_path


def _page(at, key):
    return at.radio(key="page").set_value(key).run()


def _number(text: str, lang: str = "nl") -> float:
    """A number as the app shows it (Dutch: 1.234,5; English: 1,234.5) back as a float."""
    if lang == "nl":
        text = text.replace(".", "").replace(",", ".")
    return float(text.replace(",", ""))


def _table(at, column: str) -> pd.DataFrame:
    """The first table shown with ``column``."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with {column!r}: {[list(f.value.columns) for f in at.dataframe]}")


def _scenario(name, organisation, rows, summary):
    from planner.scenarios import make_scenario

    return make_scenario(name, organisation, "Anna", load_demo_sites().iloc[rows], housing_summary=summary,
                         norm="roemer")


# -- scenarios: two versions compared -------------------------------------------------------------------

def test_two_versions_show_the_differences_per_municipality(isolated, summary):
    from planner.scenarios import evaluate
    from planner.store import SQLiteStore

    store = SQLiteStore(isolated / "scenarios.sqlite")
    first = store.save(_scenario("Trade Port", "Gemeente Venlo", [0, 6], summary))
    sites = first.sites.copy()
    sites["floor_area_m2"] = sites["floor_area_m2"] * 2
    store.save(first.edited(author="Bob", sites=sites))

    at = _page(AppTest.from_file(APP, default_timeout=120).run(), "page_scenarios")
    assert not at.exception, at.exception
    assert at.selectbox(key=f"version_before_{first.id}").value == 1
    assert at.selectbox(key=f"version_after_{first.id}").value == 2
    table = _table(at, f"{t('fig_shortfall', 'nl')} v2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlannerWarning)
        one = evaluate(store.open(first.id, 1)).per_gemeente()
        two = evaluate(store.open(first.id, 2)).per_gemeente()
    total = table.index == t("total_row", "nl")
    assert total.sum() == 1 and total[-1]
    rows = table[~total]
    assert len(rows) > 0
    for figure, column in (("fig_demand", "demand_p50"), ("fig_capacity", "capacity"),
                           ("fig_shortfall", "shortfall_p50")):
        name = t(figure, "nl")
        for code, row in rows.iterrows():
            before, after = round(float(one.loc[code, column])), round(float(two.loc[code, column]))
            assert _number(row[f"{name} v1"]) == before, (code, figure)
            assert _number(row[f"{name} v2"]) == after, (code, figure)
            assert _number(row[f"{name} {t('col_difference', 'nl')}"]) == after - before, (code, figure)
        # The total row is the sum of the rows shown, and nothing with a figure is left out.
        for suffix in ("v1", "v2", t("col_difference", "nl")):
            shown = rows[f"{name} {suffix}"].map(_number)
            assert _number(table[total][f"{name} {suffix}"].iloc[0]) == shown.sum(), (figure, suffix)
        assert _number(table[total][f"{name} v2"].iloc[0]) == two[column].round().sum()
    # Twice the floor area: more beds needed in total, and the difference is what was added.
    demand = t("fig_demand", "nl")
    assert _number(table[total][f"{demand} {t('col_difference', 'nl')}"].iloc[0]) > 0
    venlo = rows.loc["GM0983"]
    assert venlo[t("gemeente", "nl")] == "Venlo"
    at.selectbox(key="lang").set_value("en").run()  # the same table in English, numbers in English format
    assert not at.exception, at.exception
    english = _table(at, f"{t('fig_shortfall', 'en')} v2")
    assert english.index[-1] == "Total"
    assert _number(english.iloc[-1][f"{t('fig_demand', 'en')} v2"], "en") == two["demand_p50"].round().sum()


def test_combined_scenarios_add_up_to_their_parts(isolated, summary, library):
    from planner.impact import assess
    from planner.store import SQLiteStore

    store = SQLiteStore(isolated / "scenarios.sqlite")
    a = store.save(_scenario("Venlo", "Gemeente Venlo", [0, 6], summary))
    b = store.save(_scenario("Horst", "Gemeente Horst aan de Maas", [6, 7], summary))  # site 6 is in both

    at = _page(AppTest.from_file(APP, default_timeout=120).run(), "page_scenarios")
    at.multiselect(key="combine_scenarios").set_value([a.id, b.id]).run()
    assert not at.exception, at.exception
    parts = _table(at, t("col_sites_elsewhere", "nl"))
    total = parts.index == t("total_row", "nl")
    assert total.sum() == 1
    rows, total_row = parts[~total], parts[total].iloc[0]
    assert len(rows) == 2
    for column in parts.columns:  # every column's total is the sum of the scenarios' contributions
        assert _number(total_row[column]) == rows[column].map(_number).sum(), column
    assert rows[t("col_sites", "nl")].map(_number).tolist() == [2, 1]  # the shared site counts once, for Venlo
    assert rows[t("col_sites_elsewhere", "nl")].map(_number).tolist() == [0, 1]
    sites = assess(load_demo_sites().iloc[[0, 6, 7]], library)
    expected = [round(sites["beds_to_find_p50"].iloc[:2].sum()), round(sites["beds_to_find_p50"].iloc[2])]
    assert rows[t("fig_demand", "nl")].map(_number).tolist() == expected
    # The regional table per municipality: its total is the sum of its rows, and its capacity that of the parts.
    regional = _table(at, t("fig_shortfall", "nl"))
    last = regional.index == t("total_row", "nl")
    for column in (t("fig_demand", "nl"), t("fig_capacity", "nl"), t("fig_shortfall", "nl")):
        assert _number(regional[last][column].iloc[0]) == regional[~last][column].map(_number).sum(), column
    assert _number(regional[last][t("fig_capacity", "nl")].iloc[0]) == _number(total_row[t("fig_capacity", "nl")])
    assert _number(total_row[t("fig_capacity", "nl")]) == round(summary["spare_capacity"].clip(lower=0).sum())
    # What was merged is said in the interface's language.
    assert any(c.value.startswith("1 locatie(s) staan in meer dan één scenario") for c in at.caption)
    at.selectbox(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    parts = _table(at, t("col_sites_elsewhere", "en"))
    assert parts.index[-1] == "Total" and _number(parts.iloc[-1][t("col_sites", "en")], "en") == 3
    assert any(c.value.startswith("1 site(s) appear in more than one scenario") for c in at.caption)


def test_scenarios_that_cannot_be_combined_say_why(isolated, summary):
    from planner.store import SQLiteStore

    store = SQLiteStore(isolated / "scenarios.sqlite")
    a = store.save(_scenario("Venlo", "Gemeente Venlo", [0], summary))
    other = _scenario("Horst", "Gemeente Horst aan de Maas", [7], summary)
    other.norm = "snf"
    b = store.save(other)
    at = _page(AppTest.from_file(APP, default_timeout=120).run(), "page_scenarios")
    at.multiselect(key="combine_scenarios").set_value([a.id, b.id]).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t("combine_differ", "nl", what="norm")]


def test_rollup_notes_are_translated():
    """The notes combine() writes, in Dutch (the sites note is checked end to end above)."""
    from planner.ui.scenarios_page import rollup_note

    assert rollup_note("2 pipeline project(s) appear twice and count once", "nl") == t("rollup_note_pipeline", "nl",
                                                                                        n="2")
    note = "capacity of GM0983 differs between scenarios: the newest figure, of 'Gemeente B', is used"
    assert rollup_note(note, "nl") == "capaciteit van GM0983 verschilt tussen scenario's: het nieuwste cijfer, van " \
                                      "'Gemeente B', telt"
    assert rollup_note("something new", "nl") == "something new"


# -- sites: edit or remove one entered site ----------------------------------------------------------------

def _add_site(at, name, floor, code="GM0983"):
    at.text_input(key="form_name").set_value(name)
    at.selectbox(key="form_subtype").set_value(("logistiek", "ecommerce_dc"))
    at.number_input(key="form_floor").set_value(floor)
    at.radio(key="form_place").set_value("gemeente")
    at.selectbox(key="form_gemeente").set_value(code)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def _site(name, floor, code="GM0983"):
    import geopandas as gpd

    from planner.geodata import load_boundaries

    where = load_boundaries().boundaries.set_index("gemeentecode").loc[[code]].representative_point()
    return gpd.GeoDataFrame({"name": [name], "sector": ["logistiek"], "subtype": ["ecommerce_dc"],
                             "floor_area_m2": [floor], "start_year": [2028], "ramp_up_years": [2]},
                            geometry=where.to_crs(4326).to_numpy(), crs=4326)


def _shown_totals(at) -> dict[str, str]:
    """The totals' metrics (the last four: a new site's own estimate, when shown, comes first)."""
    return {m.label: m.value for m in list(at.metric)[-4:]}


def test_editing_a_sites_floor_area_changes_its_beds(isolated, library):
    from planner.impact import assess, totals

    at = _add_site(AppTest.from_file(APP, default_timeout=120).run(), "DC Testweg", 60_000.0)
    before = totals(assess(_site("DC Testweg", 60_000.0), library)).loc["beds_needed", "p50"]
    assert _shown_totals(at)[t("beds_needed", "nl")] == _fmt(before)
    assert at.number_input(key="edit_floor").value == 60_000.0  # the form holds the chosen site's values
    at.number_input(key="edit_floor").set_value(20_000.0)
    at.button(key="edit_save").click().run()
    assert not at.exception, at.exception
    after = totals(assess(_site("DC Testweg", 20_000.0), library)).loc["beds_needed", "p50"]
    assert after < before
    assert _shown_totals(at)[t("beds_needed", "nl")] == _fmt(after)
    assert at.session_state["manual_sites"][0]["floor_area_m2"] == 20_000.0
    assert any(s.value == t("site_updated", "nl", name="DC Testweg") for s in at.success)
    assert at.number_input(key="edit_floor").value == 20_000.0


def test_removing_one_site_removes_its_beds_from_the_total(isolated, library):
    from planner.impact import assess, totals

    at = AppTest.from_file(APP, default_timeout=120).run()
    at = _add_site(at, "DC Groot", 60_000.0)
    at = _add_site(at, "DC Klein", 15_000.0, code="GM1507")
    both = pd.concat([_site("DC Groot", 60_000.0), _site("DC Klein", 15_000.0, "GM1507")], ignore_index=True)
    assert _shown_totals(at)[t("beds_needed", "nl")] == _fmt(totals(assess(both, library)).loc["beds_needed", "p50"])
    at.selectbox(key="edit_site").set_value(0)
    at.run()
    assert at.text_input(key="edit_name").value == "DC Groot"
    at.button(key="edit_remove").click().run()
    assert not at.exception, at.exception
    left = totals(assess(_site("DC Klein", 15_000.0, "GM1507"), library)).loc["beds_needed", "p50"]
    assert _shown_totals(at)[t("beds_needed", "nl")] == _fmt(left)
    assert [row["name"] for row in at.session_state["manual_sites"]] == ["DC Klein"]
    assert any(s.value == t("site_removed", "nl", name="DC Groot") for s in at.success)


def _fmt(value):
    from planner.formatting import fmt

    return fmt(value, "nl")


# -- sites: a polygon drawn on the map's grid points ---------------------------------------------------------

def _grid_square(code="GM0983", near=None):
    """Four grid points of a municipality that are the corners of a 1 km square (lon, lat as the map has them),
    the one nearest to ``near`` (lon, lat) if given."""
    import geopandas as gpd

    from planner.geodata import load_boundaries
    from planner.ui import maps

    polygon = load_boundaries().boundaries.to_crs("EPSG:28992").set_index("gemeentecode").geometry[code]
    data = pd.DataFrame(maps.grid_layer(polygon).data)
    rd = gpd.GeoSeries(gpd.points_from_xy(data["lon"], data["lat"]), crs=4326).to_crs("EPSG:28992")
    cells = {(round(x / 10) * 10, round(y / 10) * 10): (lon, lat)
             for x, y, lon, lat in zip(rd.x, rd.y, data["lon"], data["lat"], strict=True)}
    squares = [[cells[c] for c in ((x, y), (x + 1000, y), (x + 1000, y + 1000), (x, y + 1000))] for x, y in cells
               if all(c in cells for c in ((x + 1000, y), (x + 1000, y + 1000), (x, y + 1000)))]
    assert squares, "no square of grid points"
    if near is not None:
        squares.sort(key=lambda corners: (corners[0][0] - near[0]) ** 2 + (corners[0][1] - near[1]) ** 2)
    return squares[0]


def _click(at, lon, lat):
    """A grid point clicked on the map: the map's selection puts it into the session as the pending pick."""
    at.session_state["pending_pick"] = {"lon": float(lon), "lat": float(lat)}
    return at.run()


def _drawing(at, code="GM0983"):
    at.session_state["pending_pick"] = {"gemeentecode": code, "gemeentenaam": "Venlo"}
    at.run()
    at.toggle(key="draw_mode").set_value(True).run()
    assert not at.exception, at.exception
    return at


def test_a_square_drawn_on_four_grid_points_has_its_plot_area(isolated, library):
    from pyproj import Transformer
    from shapely.geometry import Polygon

    at = _drawing(AppTest.from_file(APP, default_timeout=120).run())
    at.text_input(key="draw_name").set_value("Kavel Noord")
    square = _grid_square()
    for lon, lat in square:
        at = _click(at, lon, lat)
    assert at.session_state["draw_points"] == [[lon, lat] for lon, lat in square]
    assert "pending_pick" not in at.session_state  # each pick consumed once
    deck = at.get("deck_gl_json_chart")[0].proto.json
    assert "PathLayer" in deck and "draw_path" in deck
    at.button(key="draw_close").click().run()
    assert not at.exception, at.exception
    to_rd = Transformer.from_crs(4326, 28992, always_xy=True)
    expected = Polygon([to_rd.transform(lon, lat) for lon, lat in square]).area / 10_000
    assert expected == pytest.approx(100.0, abs=0.5)  # a 1 km square, its corners rounded to about a metre
    assert any(s.value == t("draw_added", "nl", name="Kavel Noord", area=_fmt_1(expected)) for s in at.success)
    site = at.session_state["manual_sites"][-1]
    assert site["plot_area_ha"] == pytest.approx(expected, abs=1e-3)
    assert site["wkt"].startswith("POLYGON")
    assert at.session_state["draw_points"] == [] and at.session_state["draw_mode"] is False
    # The site counts in the totals with the form's kind and floor area, placed inside the polygon.
    import json

    from planner.impact import assess, totals
    from planner.ui.state import manual_frame

    drawn = manual_frame(json.dumps([site]))
    assert drawn.geometry.iloc[0].geom_type == "Polygon"
    beds = totals(assess(drawn, library)).loc["beds_needed", "p50"]
    assert _shown_totals(at)[t("beds_needed", "nl")] == _fmt(beds)


def _fmt_1(value):
    from planner.formatting import fmt

    return fmt(value, "nl", 1)


def test_a_self_intersecting_polygon_gives_a_clear_message(isolated):
    at = _drawing(AppTest.from_file(APP, default_timeout=120).run())
    a, b, c, d = _grid_square()
    for lon, lat in (a, c, b, d):  # corners crosswise: a bow tie
        at = _click(at, lon, lat)
    at.button(key="draw_close").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t("draw_self_intersecting", "nl")]
    assert at.session_state["manual_sites"] == []
    assert len(at.session_state["draw_points"]) == 4  # kept, to undo the last point
    at.button(key="draw_undo").click().run()
    assert len(at.session_state["draw_points"]) == 3
    at.button(key="draw_cancel").click().run()
    assert at.session_state["draw_points"] == []


def test_fewer_than_three_points_give_a_clear_message(isolated):
    at = _drawing(AppTest.from_file(APP, default_timeout=120).run())
    a, b, _, _ = _grid_square()
    for lon, lat in (a, b, b):  # the same point twice counts once
        at = _click(at, lon, lat)
    at.button(key="draw_close").click().run()
    assert [e.value for e in at.error] == [t("draw_too_few", "nl")]


def test_a_map_selection_is_handled_once():
    """Streamlit hands a chart's selection to every later run: handled again, it reran the page forever."""
    from planner.ui.own_sites import selection_pick

    session: dict = {}
    grid = {"grid": [{"lon": 6.17, "lat": 51.37, "tip": "6.17, 51.37"}]}
    assert selection_pick(grid, session) == {"lon": 6.17, "lat": 51.37}
    assert selection_pick(grid, session) is None  # the next run sees the same selection: nothing to do
    assert selection_pick({}, session) is None  # the map redrawn: the browser sends an empty selection ...
    assert selection_pick(grid, session) is None  # ... and then the old one again, which is no new click
    other = {"grid": [{"lon": 6.18, "lat": 51.37, "tip": "6.18, 51.37"}]}
    assert selection_pick(other, session) == {"lon": 6.18, "lat": 51.37}
    region = {"regions": [{"properties": {"gemeentecode": "GM0983", "gemeentenaam": "Venlo"}}]}
    assert selection_pick(region, session) == {"gemeentecode": "GM0983", "gemeentenaam": "Venlo"}
    session["pick_gemeente"] = "GM0983"
    assert selection_pick(region, {**session, "sites_map_handled": None}) is None  # already chosen


# -- in a real browser: a grid click settles, and a polygon drawn by clicking --------------------------------

def _pixel(lon: float, lat: float, view) -> tuple[float, float]:
    """Where deck.gl draws (lon, lat) relative to the centre of the map, in CSS pixels (Web Mercator, 512 tiles)."""
    import math

    scale = 512 * 2 ** view.zoom

    def project(x, y):
        mercator = math.log(math.tan(math.pi / 4 + math.radians(y) / 2))
        return scale * (x + 180) / 360, scale * (1 - mercator / math.pi) / 2

    (x, y), (cx, cy) = project(lon, lat), project(view.longitude, view.latitude)
    return x - cx, y - cy


@pytest.mark.xdist_group("browser")  # with the other browser tests on one worker
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_in_a_browser_a_grid_click_settles_and_a_drawn_square_becomes_a_site(tmp_path_factory, lang):
    """The finding: after a click on a 1-km grid point the page reran forever. Now it settles, and four clicks in
    draw mode make a site of about 100 ha, in Dutch and in English."""
    import re

    import test_browser as tb

    from planner.geodata import load_boundaries
    from planner.ui import maps

    tb.require(Path(tb.CHROMIUM).exists(), f"Chromium not found at {tb.CHROMIUM}")
    playwright_api = pytest.importorskip("playwright.sync_api")
    server = tb._start(tmp_path_factory.mktemp("draw-data"))
    url = next(server)
    failed: list[str] = []
    try:
        with playwright_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=tb.CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-background-networking",
                                                       "--disable-component-update", "--disable-gpu-sandbox"])
            page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL").new_page()
            page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})"))
            page.goto(url, wait_until="domcontentloaded", timeout=90_000)
            page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for(timeout=120_000)
            tb._wait_idle(page)
            if lang == "en":
                page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
                page.get_by_role("option", name="English").click()
                page.get_by_role("heading", name=t("app_title", "en")).wait_for(timeout=30_000)
                page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for(timeout=120_000)
                tb._wait_idle(page)
            picked = page.get_by_text(re.compile(t("picked", lang, place="") + ".+")).first
            assert tb._click_until_picked(page, picked), "no municipality was picked"
            name = picked.inner_text().split(": ", 1)[1].strip()
            boundaries = load_boundaries().boundaries.to_crs("EPSG:28992").set_index("gemeentenaam")
            if re.fullmatch(r"\d+\.\d+, \d+\.\d+", name):  # a later click hit a grid point: its municipality
                import geopandas as gpd
                import shapely

                point = gpd.GeoSeries([shapely.Point(*map(float, name.split(", ")))], crs="EPSG:4326")
                name = boundaries.index[boundaries.contains(point.to_crs("EPSG:28992").iloc[0])][0]
            polygon = boundaries.geometry[name]
            view = maps.view_of(polygon)
            code = boundaries.loc[name, "gemeentecode"]
            square = _grid_square(code, near=(view.longitude, view.latitude))
            canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first

            def click(lon, lat):
                box = canvas.bounding_box()
                dx, dy = _pixel(lon, lat, view)
                x, y = box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy
                page.mouse.move(x, y)
                page.wait_for_timeout(1000)
                page.mouse.click(x, y)
                tb._wait_idle(page)

            page.wait_for_timeout(2000)  # the map moves to the municipality
            click(*square[0])
            point = re.compile(re.escape(t("picked", lang, place="")) + r"\d+\.\d{5}, \d+\.\d{5}")
            page.get_by_text(point).first.wait_for(timeout=30_000)
            page.wait_for_timeout(3000)  # it stays settled: no run after the pick was applied
            assert not page.locator('[data-testid="stStatusWidget"]').is_visible()

            page.get_by_text(t("draw_mode", lang), exact=True).click()
            tb._wait_idle(page)
            page.get_by_role("button", name=t("draw_close", lang)).wait_for(timeout=30_000)
            page.get_by_text(t("draw_count", lang, n=0)).wait_for(timeout=30_000)
            canvas.scroll_into_view_if_needed()
            page.wait_for_timeout(1000)  # the controls moved the map down
            # Clicking the point already selected would deselect it (deck.gl): start at the next corner.
            for number, (lon, lat) in enumerate(square[1:] + square[:1], start=1):
                # A point is a few pixels wide at this zoom and deck.gl drops a click whose picking is slow: click
                # again (as a person does) until the corner counts.
                for _ in range(8):
                    click(lon, lat)
                    try:  # the run a click starts can begin late on a busy machine: wait for it before clicking again
                        page.get_by_text(t("draw_count", lang, n=number)).wait_for(timeout=4000)
                        break
                    except Exception:  # playwright's TimeoutError
                        continue
                page.get_by_text(t("draw_count", lang, n=number)).wait_for(timeout=30_000)
            tb._shot(page, f"09-veelhoek-getekend-{lang}")
            page.get_by_role("button", name=t("draw_close", lang)).click()
            tb._wait_idle(page)
            message = re.escape(t("draw_added", lang, name=t("draw_default_name", lang), area="AREA"))
            number = r"(\d+,\d)" if lang == "nl" else r"(\d+\.\d)"  # the area in the language's format
            added = page.get_by_text(re.compile(message.replace("AREA", number))).first
            added.wait_for(timeout=30_000)
            area = re.search(message.replace("AREA", number), added.inner_text()).group(1)
            assert 99.5 <= float(area.replace(",", ".")) <= 100.5
            tb._shot(page, f"09-getekende-locatie-{lang}")
            browser.close()
    finally:
        next(server, None)
    assert not failed, "failed network requests: " + "; ".join(failed)
