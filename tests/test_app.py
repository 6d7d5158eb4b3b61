"""The Streamlit app, driven by streamlit's AppTest: numbers shown equal the API's."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from planner.demo import load_demo_sites
from planner.formatting import fmt
from planner.i18n import TEXTS, t
from planner.impact import assess, totals

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
        assert shown[t(quantity, "nl")] == fmt(expected.loc[quantity, "p50"], "nl")
    assert app.info[0].value == t("demo_notice", "nl")
    assert app.title[0].value == t("app_title", "nl")


def test_english_switch_changes_the_labels(app, library):
    app.selectbox(key="lang").set_value("en").run()
    expected = totals(assess(load_demo_sites(), library))
    shown = _metrics(app)
    assert shown[t("beds_needed", "en")] == fmt(expected.loc["beds_needed", "p50"], "en")
    assert app.title[0].value == t("app_title", "en")


def test_every_text_exists_in_both_languages():
    for key, texts in TEXTS.items():
        assert set(texts) == {"nl", "en"}, key
        assert texts["nl"] and texts["en"], key


# -- every page drives the model and shows the API's numbers ----------------------------------------

@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """The bundled schematic layer, whatever a developer has downloaded."""
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path))
    return tmp_path


def _page(at, key):
    return at.radio(key="page").set_value(key).run()


def test_entered_site_is_estimated_at_once(isolated, library):
    import geopandas as gpd
    import pandas as pd

    from planner.geodata import load_boundaries

    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input(key="form_name").set_value("DC Testweg")
    at.selectbox(key="form_subtype").set_value(("logistiek", "ecommerce_dc"))
    at.number_input(key="form_floor").set_value(60_000.0)
    at.selectbox(key="form_gemeente").set_value("GM0983")
    at.number_input(key="form_declared").set_value(900)
    at.button[0].click().run()
    assert not at.exception
    assert at.success[0].value == t("site_added", "nl", name="DC Testweg")
    venlo = load_boundaries().boundaries.set_index("gemeentecode").loc[["GM0983"]].representative_point()
    site = gpd.GeoDataFrame({"name": ["DC Testweg"], "sector": ["logistiek"], "subtype": ["ecommerce_dc"],
                             "floor_area_m2": [60_000.0], "start_year": [2028], "ramp_up_years": [2],
                             "declared_migrants": [900]}, geometry=venlo.to_crs(4326).to_numpy(), crs=4326)
    alone = assess(site, library)
    shown = [m.value for m in at.metric]
    assert shown[0] == fmt(alone["workers_p50"].iloc[0], "nl")  # the new site's own estimate first
    # Issue 15: with a site of the user's own, the invented example sites are off: the totals are the site's.
    assert shown[4] == fmt(alone["workers_p50"].iloc[0], "nl")
    assert at.checkbox(key="include_demo").value is False
    table = at.dataframe[0].value
    assert table[t("col_check", "nl")].iloc[0] == t(alone["declared_check"].iloc[0], "nl")
    at.checkbox(key="include_demo").check().run()  # ticked on again by hand: both, and the title says so
    both = totals(assess(pd.concat([load_demo_sites().to_crs(4326), site], ignore_index=True), library))
    assert [m.value for m in at.metric][4] == fmt(both.loc["workers", "p50"], "nl")
    assert any("verzonnen" in h.value for h in at.subheader)


def test_housing_page_matches_the_housing_check(isolated):
    from planner.geodata import load_boundaries
    from planner.housing import check_housing, housing_totals
    from planner.io import read_housing
    from planner.paths import data_dir
    from planner.regional import capacity_by_gemeente

    at = _page(AppTest.from_file(APP, default_timeout=60).run(), "page_housing")
    assert not at.exception
    assert at.info[0].value == t("synthetic_notice", "nl")
    register = read_housing(data_dir("demo") / "woningvoorraad_synthetisch.csv")
    for norm, compare in (("roemer", "bouwbesluit"), ("snf", "roemer")):
        at.selectbox(key="norm").set_value(norm)
        at.selectbox(key="compare").set_value(compare).run()
        summary, _ = capacity_by_gemeente(check_housing(register, norm, compare), load_boundaries())
        total = housing_totals(summary)
        shown = _metrics(at)
        assert shown[t("capacity", "nl")] == fmt(total["capacity"], "nl"), norm
        assert shown[t("capacity_lost", "nl")] == fmt(total["capacity_lost"], "nl"), norm


def test_a_geoparquet_register_is_checked_in_batches_with_progress(isolated):
    from planner.geodata import load_boundaries, region_table
    from planner.national import check_national, write_geoparquet
    from planner.synthetic import national_register

    layer = load_boundaries()
    path = write_geoparquet(isolated / "bag.parquet", national_register(30_000, layer.boundaries, seed=5))
    at = _page(AppTest.from_file(APP, default_timeout=60).run(), "page_housing")
    at.selectbox(key="compare").set_value("bouwbesluit").run()
    at.file_uploader(key="housing_file").set_value(("bag.parquet", path.read_bytes(),
                                                    "application/octet-stream")).run()
    assert not at.exception
    expected = check_national(path, layer, "roemer", "bouwbesluit", regions=region_table(2024))
    shown = _metrics(at)
    assert shown[t("capacity", "nl")] == fmt(expected.totals()["capacity"], "nl")
    assert shown[t("capacity_lost", "nl")] == fmt(expected.totals()["capacity_lost"], "nl")
    assert any(h.value == t("per_provincie", "nl") for h in at.subheader)
    assert any(h.value.startswith(t("national_problems", "nl")) for h in at.subheader)


def test_shortfall_page_matches_the_api(isolated, library):
    from planner.allocation import load_allocation_parameters
    from planner.geodata import load_boundaries, region_table
    from planner.housing import check_housing
    from planner.io import read_housing, read_table
    from planner.paths import data_dir
    from planner.regional import PIPELINE_ALIASES, capacity_by_gemeente, prepare_pipeline, run_shortfall

    at = _page(AppTest.from_file(APP, default_timeout=60).run(), "page_shortfall")
    assert not at.exception
    layer = load_boundaries()
    summary, _ = capacity_by_gemeente(check_housing(read_housing(data_dir("demo") / "woningvoorraad_synthetisch.csv"),
                                                    "roemer"), layer)
    frame, decimal = read_table(data_dir("demo") / "pijplijn_voorbeeld.csv", PIPELINE_ALIASES, strict=False)
    pipeline = prepare_pipeline(frame, layer, decimal)
    sites = assess(load_demo_sites(), library)
    for mode, level, maximum in (("decay", "gemeente", 50.0), ("capacity", "provincie", 30.0)):
        at.radio(key="mode").set_value(mode)
        at.radio(key="level").set_value(level)
        at.number_input(key="max_distance_input").set_value(maximum).run()
        assert not at.exception
        params = load_allocation_parameters().with_values(max_distance_km=maximum)
        result = run_shortfall(sites, layer, region_table(), housing_summary=summary, pipeline=pipeline, mode=mode,
                               parameters=params, level=level)
        total = result.totals()
        shown = _metrics(at)
        assert shown[t("shortfall", "nl")] == fmt(total["shortfall_p50"], "nl"), mode
        assert shown[t("unmet", "nl")] == fmt(total["unmet_p50"], "nl"), mode
        assert shown[t("capacity_total", "nl")] == fmt(total["capacity"], "nl")
        assert any("schematische grenzen" in c.value for c in at.caption)
        region_rows = at.dataframe[0].value
        assert len(region_rows) == int((result.table["demand_p50"] >= 0.5).sum())
    deck = at.get("deck_gl_json_chart")[0].proto.json
    assert "basemap-blank.json" in deck and "GeoJsonLayer" in deck


def test_shortfall_map_without_any_region_short(isolated):
    """Under another norm, capacity mode per province leaves no province of the demo short: the map is drawn with no
    labels (building the labels of no region failed, and the page showed the unexpected-error message instead)."""
    import json

    at = _page(AppTest.from_file(APP, default_timeout=60).run(), "page_housing")
    norm = at.selectbox(key="norm")
    norm.set_value(next(option for option in norm.options if option != norm.value)).run()
    at = _page(at, "page_shortfall")
    at.radio(key="mode").set_value("capacity")
    at.radio(key="level").set_value("provincie").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    layers = {layer["id"]: layer for layer in deck["layers"]}
    shortfalls = [f["properties"]["tekort"] for f in layers["regions"]["data"]["features"]]
    assert len(layers["labels"]["data"]) == sum(value > 0 for value in shortfalls) == 0


def test_own_reference_object_changes_the_estimate(isolated, library):
    header = ("id,sector,subtype,name,place,year,basis,amount,unit,counted,workers_low,workers_high,peak_factor,"
              "migrant_share,notes,source\n")
    own = header + "EIGEN1,metaal,metaal,Eigen metaalbedrijf,Helmond,2025,floor_area,20000,m2,workers,100,100,,,"\
        "Telling gemeente,https://example.org/telling\n"
    at = _page(AppTest.from_file(APP, default_timeout=60).run(), "page_library")
    at.file_uploader(key="objects_file").set_value(("eigen.csv", own.encode(), "text/csv")).run()
    assert not at.exception
    assert at.success[0].value == t("objects_added", "nl", n=1)
    at = _page(at, "page_sites")
    from planner.library import load_library

    with_own = load_library([_write(isolated / "eigen.csv", own)])
    expected = totals(assess(load_demo_sites(), with_own))
    assert _metrics(at)[t("workers", "nl")] == fmt(expected.loc["workers", "p50"], "nl")
    assert expected.loc["workers", "p50"] != totals(assess(load_demo_sites(), library)).loc["workers", "p50"]


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_upload_names_the_file_and_line(isolated):
    at = AppTest.from_file(APP, default_timeout=60).run()
    bad = "naam;sector;bvo;x;y\nA;logistiek;veel;190000;375000\n"
    at.file_uploader(key="sites_file").set_value(("plannen.csv", bad.encode(), "text/csv")).run()
    assert not at.exception
    message = at.error[0].value  # in the interface's language (Dutch by default), with file, line and column
    assert "plannen.csv" in message and "regel 2" in message and "'veel' is geen getal" in message
    at.selectbox(key="lang").set_value("en").run()
    message = at.error[0].value
    assert "plannen.csv" in message and "line 2" in message and "'veel' is not a number" in message


def test_scenarios_page_saves_versions_and_compares(isolated, library):
    from planner.store import SQLiteStore

    at = _page(AppTest.from_file(APP, default_timeout=60).run(), "page_scenarios")
    assert not at.exception and at.info[0].value == t("scenarios_intro", "nl")
    at.text_input(key="scenario_name").set_value("DC Trade Port Noord, fase 1")
    at.text_input(key="scenario_organisation").set_value("Gemeente Venlo")
    at.text_input(key="scenario_author").set_value("Anna")
    at.button[0].click().run()
    assert not at.exception
    assert at.success[0].value == t("saved", "nl", name="DC Trade Port Noord, fase 1", version=1)
    store = SQLiteStore(isolated / "scenarios.sqlite")
    first = store.list()["id"].iloc[0]
    # Change an input (no example sites: only an entered one), save as version 2, compare both.
    at = _page(at, "page_sites")
    at.checkbox(key="include_demo").uncheck()
    at.button[0].click().run()  # add the form's default site
    at = _page(at, "page_scenarios")
    at.text_input(key="scenario_author").set_value("Bob")
    at.selectbox(key="scenario_base").set_value(first)
    at.button[0].click().run()
    assert not at.error, [e.value for e in at.error]
    assert at.success[0].value == t("saved", "nl", name="DC Trade Port Noord, fase 1", version=2)
    assert store.history(first)["author"].tolist() == ["Anna", "Bob"]
    from planner.scenarios import evaluate

    one, two = evaluate(store.open(first, 1)), evaluate(store.open(first, 2))
    assert one.totals()["workers_p50"] == pytest.approx(totals(assess(load_demo_sites(), library)).loc[
        "workers", "p50"])
    assert two.totals()["workers_p50"] < one.totals()["workers_p50"]


def test_report_page_offers_the_downloads(isolated, library, monkeypatch, tmp_path):
    """The three downloads are real files with the API's figures, and say that they hold invented data."""
    import io

    import pyogrio
    import streamlit.testing.v1.app_test as app_test_module
    from pypdf import PdfReader
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    stored: dict[str, bytes] = {}

    class Keeping(MemoryMediaFileStorage):  # AppTest drops its media store after a run: keep what was offered
        def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
            file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
            stored[file_id] = self.get_file(file_id).content
            return file_id

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Keeping)
    at = _page(AppTest.from_file(APP, default_timeout=60).run(), "page_report")
    assert not at.exception
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    expected = [t("download_pdf", "nl"), t("download_all_excel", "nl"), t("download_all_gpkg", "nl")]
    assert [label.split(" (bevat")[0] for label in labels] == expected
    assert all("verzonnen voorbeelddata" in label for label in labels)  # the demo's invented data, said in the title
    pdf, excel, gpkg = (stored[b.proto.url.rsplit("/", 1)[-1].split(".")[0]] for b in buttons)
    workers = totals(assess(load_demo_sites(), library)).loc["workers", "p50"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert fmt(workers, "nl") in text
    sheets = pd.read_excel(io.BytesIO(excel), sheet_name=None)
    impact = sheets["impact_totals"].set_index("quantity")
    assert impact.loc["workers", "p50"] == pytest.approx(workers)
    assert sheets["gemeenten"]["demand_p50"].sum() > 0 and len(sheets["parameters"]) > 0
    (tmp_path / "alles.gpkg").write_bytes(gpkg)
    assert {"sites", "gemeenten"} <= {str(name) for name in pyogrio.list_layers(tmp_path / "alles.gpkg")[:, 0]}


def test_uploads_and_choices_survive_a_visit_to_another_page(isolated, library):
    from planner.io import read_sites
    from planner.paths import data_dir

    path = data_dir("demo") / "voorbeeld_bedrijven.csv"
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.file_uploader(key="sites_file").set_value((path.name, path.read_bytes(), "text/csv")).run()
    expected = fmt(totals(assess(read_sites(path), library)).loc["workers", "p50"], "nl")
    assert _metrics(at)[t("workers", "nl")] == expected
    at = _page(at, "page_housing")
    at.selectbox(key="norm").set_value("snf").run()
    at = _page(at, "page_sites")
    at = _page(at, "page_housing")
    assert at.selectbox(key="norm").value == "snf"
    at = _page(at, "page_sites")
    assert _metrics(at)[t("workers", "nl")] == expected
    assert any(path.name in c.value for c in at.caption)


def test_borders_imported_elsewhere_are_used_at_once_and_the_year_can_be_chosen(isolated, shared_geodata):
    """The finding: a 'planner geodata import' needed a server restart, and nothing said so; no year choice."""
    from planner.geodata import import_boundaries

    at = _page(AppTest.from_file(APP, default_timeout=60).run(), "page_shortfall")
    assert not at.exception
    assert any("schematische grenzen" in c.value for c in at.caption)
    import_boundaries(shared_geodata / "cbs_gemeenten_2022.geojson")  # as the command line does, app running
    at.run()
    years = at.selectbox(key="boundary_year")
    assert years.options == ["2022", "2024"]
    at.radio(key="mode").set_value("capacity")  # the 2022 layer has no inhabitants for the decay mode
    years.set_value(2022).run()
    assert not at.exception
    assert any("exacte grenzen, 2022" in c.value for c in at.caption)
    assert any("345 gemeenten" in c.value for c in at.caption)
    assert _metrics(at)[t("shortfall", "nl")]  # computed on the 2022 municipalities, regions derived for 2022
    # Back to 2024: the bundled schematic layer.
    at.selectbox(key="boundary_year").set_value(2024).run()
    assert any("schematische grenzen" in c.value for c in at.caption)


def test_a_sites_sheet_written_for_people_is_read_in_the_app(isolated, library, tmp_path):
    """A questionnaire workbook: a title above the header, sectors in words, a plot without floor area, a totals-free
    sheet after an explanation sheet. The app shows the API's figures and says in Dutch how it read the words."""
    import openpyxl

    from planner.io import read_sites

    book = openpyxl.Workbook()
    book.active.title = "Toelichting"
    book.active.append(["Vul per locatie een rij in."])
    sheet = book.create_sheet("Plannen")
    for row in (["Nieuwe bedrijvigheid regio Noord-Limburg"], [],
                ["Naam", "Sector", "Type", "BVO (m2)", "Kavel (ha)", "Startjaar"],
                ["DC Noord", "Distributiecentrum", None, 40000, None, "Q3 2027"],
                ["Kwekerij", "Tuinbouw onder glas", "Potplanten", None, 6, 2028],
                ["Slachterij", "Vleesverwerking", None, None, 3, 2028]):
        sheet.append(row)
    path = tmp_path / "vragenlijst.xlsx"
    book.save(path)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.file_uploader(key="sites_file").set_value((path.name, path.read_bytes(),
                                                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    at.run()
    assert not at.exception and not at.error
    expected = fmt(totals(assess(read_sites(path), library)).loc["beds_needed", "p50"], "nl")
    assert _metrics(at)[t("beds_needed", "nl")] == expected
    captions = " ".join(c.value for c in at.caption)
    assert "sector 'Distributiecentrum' gelezen als logistiek/dc" in captions
    assert "Aanname: een distributiecentrum" in captions and "Excel-blad 'Plannen'" in captions
    assert "kolomkoppen op Excel-rij 3" in captions


def test_an_estimate_error_names_the_line_of_the_uploaded_file(isolated):
    """The app puts an upload and entered sites in one table; its messages still name the line of the user's file
    (before: "rij 2", the place in that table, where the file has the site on line 3)."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    sites = "naam;sector;subtype;bvo\nA;logistiek;dc;4000\nB;kapsalon;;5000\n"
    at.file_uploader(key="sites_file").set_value(("plannen.csv", sites.encode(), "text/csv")).run()
    assert not at.exception
    assert any("regel 3 ('B'), kolom 'Sector': onbekende sector 'kapsalon'" in e.value for e in at.error)
