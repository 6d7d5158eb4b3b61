"""The regional shortfall end to end: files in, tables and map layers out (CLI and API)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner
from shapely.geometry import box

from planner.cli import main
from planner.errors import InputError, PlannerWarning
from planner.geodata import import_boundaries, load_boundaries, region_table
from planner.impact import assess, totals
from planner.io import read_housing, read_sites, read_table
from planner.paths import data_dir
from planner.regional import PIPELINE_ALIASES, custom_regions, prepare_pipeline, run_shortfall

DEMO = data_dir("demo")


def case(case_id: str):
    """Mark a test as the check of a case in docs/bad-input.md (read by tests/test_bad_input.py)."""
    def register(func):
        return func
    return register


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


def test_cli_shortfall_per_province_conserves_and_writes_a_map_layer(tmp_path, data_home, library):
    out = tmp_path / "tekort.gpkg"
    result = _run("shortfall", "--sites", str(DEMO / "sites.geojson"), "--housing",
                  str(DEMO / "woningvoorraad_synthetisch.csv"), "--pipeline", str(DEMO / "pijplijn_voorbeeld.csv"),
                  "--level", "provincie", "-o", str(out))
    assert "Boundaries: schematic borders" in result.output
    assert "capacity   950 (spare places 140, pipeline 810)" in result.output
    assessed = assess(read_sites(DEMO / "sites.geojson"), library)
    layers = set(pyogrio.list_layers(out)[:, 0])
    assert {"shortfall", "gemeenten", "sites", "flows", "per_year", "parameters", "about"} <= layers
    provinces = gpd.read_file(out, layer="shortfall")
    assert len(provinces) == 12 and provinces.geometry.notna().all()
    assert provinces["grenzen"].str.startswith("schematische grenzen").all()
    municipal = pyogrio.read_dataframe(out, layer="gemeenten")
    # Percentiles come from the sum of the draws: they do not add up over regions, but the regions' P10s and
    # P90s bracket the P50 of all sites, and the P50s of the municipalities and provinces place the same demand.
    expected = totals(assessed).loc["beds_to_find", "p50"]
    for table in (provinces, municipal):
        assert table["demand_p10"].sum() <= expected <= table["demand_p90"].sum()
        assert (table["shortfall_p50"] <= table["demand_p50"] + 1e-9).all()
    assert provinces["demand_p50"].sum() == pytest.approx(municipal["demand_p50"].sum(), rel=0.15)
    assert provinces["pipeline_beds"].sum() == 810
    about = pyogrio.read_dataframe(out, layer="about").set_index("item")["value"]
    assert about["boundary_kind"] == "schematic" and about["region_level"] == "provincie"
    assert about["allocation_mode"] == "decay" and "calibrated" in about["mean_distance_km"]
    parameters = pyogrio.read_dataframe(out, layer="parameters").set_index("parameter")
    assert parameters.loc["max_distance_km", "status"] == "assumption"
    years = pyogrio.read_dataframe(out, layer="per_year")
    final = years[years["year"] == years["year"].max()]
    assert final["capacity"].sum() == pytest.approx(950)


def test_cli_capacity_mode_with_exact_boundaries(tmp_path, data_home, shared_geodata):
    with pytest.warns(PlannerWarning):
        import_boundaries(shared_geodata / "cbs_gemeenten_2024.geojson", 2024)
    out = tmp_path / "tekort.xlsx"
    result = _run("shortfall", "--sites", str(DEMO / "sites.geojson"), "--housing",
                  str(DEMO / "woningvoorraad_synthetisch.csv"), "--mode", "capacity", "--max-distance", "30",
                  "-o", str(out))
    assert "Boundaries: exact borders, 2024: imported from cbs_gemeenten_2024.geojson" in result.output
    sheets = pd.read_excel(out, sheet_name=None)
    table = sheets["shortfall"]
    assert len(table) == 342
    # In capacity mode no municipality gets more placed than it has room for; the rest is unmet at home.
    placed = table["demand_p50"] - table["unmet_p50"]
    assert (placed <= table["capacity"] + 1e-6).all()
    assert table["unmet_p50"].sum() > 0
    about = sheets["about"].set_index("item")["value"]
    assert about["boundary_kind"] == "exact"
    params = sheets["parameters"].set_index("parameter")
    assert params.loc["max_distance_km", "value"] == "30.0" and params.loc["max_distance_km", "status"] == "set by user"


def test_cli_custom_region_table(tmp_path, data_home):
    regions = tmp_path / "regio.csv"
    regions.write_text("gemeentecode;regio\nGM0983;Noord-Limburg Oost\nGM1507;Noord-Limburg Oost\n"
                       "GM0867;Langstraat\n", encoding="utf-8")
    out = tmp_path / "regio.csv.out.csv"
    _run("shortfall", "--sites", str(DEMO / "sites.geojson"), "--level", str(regions), "-o", str(out))
    table = pd.read_csv(out)
    assert set(table["region"]) == {"Noord-Limburg Oost", "Langstraat", "(not in a region)"}
    assessed = assess(read_sites(DEMO / "sites.geojson"))
    total = totals(assessed).loc["beds_to_find", "p50"]
    assert table["demand_p10"].sum() <= total <= table["demand_p90"].sum()
    assert table.set_index("region").loc["(not in a region)", "demand_p50"] > 0


def test_custom_regions_from_polygons(data_home):
    layer = load_boundaries(2024)
    west = layer.boundaries.total_bounds
    polygon = gpd.GeoDataFrame({"naam": ["Oost"]}, geometry=[box(180_000, west[1], west[2], west[3])],
                               crs="EPSG:28992")
    table, column = custom_regions(polygon, layer)
    assert column == "region" and set(table["region"]) == {"Oost"}
    assert "GM0983" in set(table["gemeentecode"]) and "GM0363" not in set(table["gemeentecode"])  # Venlo, Amsterdam


def test_custom_region_table_with_unknown_code_is_refused(data_home):
    layer = load_boundaries(2024)
    with pytest.raises(InputError, match=r"GM0999 is not a municipality in 2024"):
        custom_regions(pd.DataFrame({"gemeentecode": ["GM0983", "GM0999"], "regio": ["A", "A"]}), layer)
    with pytest.raises(InputError, match=r"GM0788 \(Haaren\) was split"):
        custom_regions(pd.DataFrame({"gemeentecode": ["GM0983", "GM0788"], "regio": ["A", "A"]}), layer)


def test_pipeline_problems_are_all_reported(tmp_path, data_home):
    path = tmp_path / "pijplijn.csv"
    path.write_text("naam;gemeentecode;bedden;jaar\nA;GM0983;100;2027\nB;GM0983;veel;2027\nC;GM0999;50;2028\n"
                    "D;;40;2028\nE;GM0867;-5;3030\nF;GM0788;10;2028\n", encoding="utf-8")
    frame, decimal = read_table(path, PIPELINE_ALIASES, strict=False)
    with pytest.raises(InputError) as caught:
        prepare_pipeline(frame, load_boundaries(2024), decimal, source=str(path))
    text = str(caught.value)
    assert "line 3" in text and "'veel' is not a number" in text
    assert "line 4" in text and "GM0999 is not a municipality in 2024" in text
    assert "line 7" in text and "GM0788 (Haaren) was split" in text
    assert "line 5" in text and "no location and no gemeentecode" in text
    assert "line 6" in text and "-5 beds" in text and "year 3030" in text


def test_run_shortfall_without_housing_is_all_shortfall(data_home, library):
    assessed = assess(read_sites(DEMO / "sites.geojson"), library)
    result = run_shortfall(assessed, load_boundaries(2024), region_table(), level="corop")
    summary = result.totals()
    assert summary["capacity"] == 0
    # No capacity anywhere: every bed is short, so the shortfall is the whole demand in every draw.
    assert summary["shortfall_p50"] == pytest.approx(totals(assessed).loc["beds_to_find", "p50"])
    assert summary["demand_p90"] == pytest.approx(totals(assessed).loc["beds_to_find", "p90"])
    # Once every site is at full staffing, the year's totals are the totals of the draws.
    last = result.year_totals.iloc[-1]
    assert last["demand_p50"] == pytest.approx(summary["demand_p50"])
    assert last["shortfall_p90"] == pytest.approx(summary["shortfall_p90"])
    assert (result.year_totals["demand_p50"].diff().dropna() >= 0).all()  # sites ramp up, demand grows
    assert len(result.map_layer()) == 40


@case("B79")
@pytest.mark.parametrize("mode", ["decay", "capacity"])
def test_per_year_at_full_staffing_is_the_totals_at_every_abroad_share(data_home, library, mode):
    """Before, capacity mode set every bed in the Netherlands in the years: 1,914 short in 2029 against 891 in total."""
    from dataclasses import replace

    from planner.allocation import load_allocation_parameters
    from planner.plan import Plan

    assessed = assess(read_sites(DEMO / "sites.geojson"), library)
    housing = read_housing(DEMO / "woningvoorraad_synthetisch.csv")
    last_years = []
    for abroad in (0.0, 0.2, 0.5):
        plan = Plan(assessed, assessment=assessed, housing=housing, mode=mode, library=library,
                    parameters=replace(load_allocation_parameters(), abroad_share=abroad))
        result = plan.shortfall()
        summary = result.totals()
        last = result.year_totals.iloc[-1]  # 2029: every site at full staffing
        for level in ("p10", "p50", "p90"):
            assert last[f"demand_{level}"] == pytest.approx(summary[f"demand_{level}"]), (abroad, level)
            assert last[f"shortfall_{level}"] == pytest.approx(summary[f"shortfall_{level}"]), (abroad, level)
        # ... and each municipality's last year in the per_year layer is its row of the gemeenten layer.
        final = result.years[result.years["year"] == result.years["year"].max()].set_index("gemeentecode")
        for column in ("demand_p50", "shortfall_p50"):
            expected = result.gemeenten[column]
            got = final[column.removesuffix("_p50")].reindex(expected.index)
            assert got.to_numpy() == pytest.approx(expected.to_numpy(), abs=1e-6), (abroad, column)
        last_years.append(last["shortfall_p50"])
    assert last_years[0] > last_years[1] > last_years[2]


NOYEAR = "Naam;Sector;Subtype;BVO (m2);Startjaar;X;Y\nmet jaar;logistiek;dc;50.000;2027;207032;379807\n" \
         "zonder jaar;logistiek;dc;80.000;;130246;537037\n"


@case("B78")
def test_a_site_without_start_year_is_named_and_the_others_still_phased(tmp_path, data_home):
    """Before, one site without a start year removed the per-year output of every site, and nothing said so."""
    sites = tmp_path / "noyear.csv"
    sites.write_text(NOYEAR, encoding="utf-8")
    out = tmp_path / "tekort.gpkg"
    shown = _run("shortfall", "--sites", str(sites), "--housing", str(DEMO / "woningvoorraad_synthetisch.csv"),
                 "-o", str(out)).output
    assert "Per year (P50 of the sum; without the sites that have no start year, see the note)" in shown
    assert "2027: " in shown
    note = "no start year for 1 of 2 site(s): line 3 ('zonder jaar'); the per-year figures leave them out"
    assert note in shown
    layers = set(pyogrio.list_layers(out)[:, 0])
    assert {"per_year", "per_year_totals", "notes"} <= layers
    assert pyogrio.read_dataframe(out, layer="per_year")["year"].unique().tolist() == [2027]
    assert any(note in text for text in pyogrio.read_dataframe(out, layer="notes")["note"])
    assert note in pyogrio.read_dataframe(out, layer="about").set_index("item").loc["per_year", "value"]

    workbook = tmp_path / "impact.xlsx"
    shown = _run("assess", str(sites), "-o", str(workbook)).output
    assert "Beds needed per year (P50, without the sites that have no start year): 2027: " in shown
    assert note in shown
    sheets = pd.read_excel(workbook, sheet_name=None)
    assert sheets["phasing"]["year"].tolist() == [2027]
    assert sheets["phasing"]["beds_needed_p50"].iloc[0] < sheets["totals"].set_index("quantity").loc[
        "beds_needed", "p50"]  # the undated site is in the totals, not in the year
    assert note in sheets["notes"]["note"].iloc[0]


def test_the_app_names_a_site_without_start_year_beside_its_per_year_figures(data_home):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=90).run()
    app.selectbox(key="lang").set_value("en").run()
    app.file_uploader(key="sites_file").set_value(("noyear.csv", NOYEAR.encode(), "text/csv")).run()
    assert not app.exception

    def said() -> str:
        return " ".join(w.value for w in app.warning)

    assert "('zonder jaar')" in said() and "the per-year figures leave them out" in said()
    assert app.get("arrow_bar_chart") or app.get("vega_lite_chart")  # the other site is still phased
    app.radio(key="page").set_value("page_shortfall").run()
    assert not app.exception
    assert "('zonder jaar')" in said() and "beds to place in the Netherlands" in said()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_region_table_shown_in_the_app_keeps_each_regions_capacity_and_unmet_beds(lang):
    """The shown table sorts by shortfall; its capacity and unmet columns must stay with their own region (they
    were aligned by index onto a renumbered table and came out empty: "None" in the Dutch per-region table)."""
    from planner.display import region_display
    from planner.formatting import fmt
    from planner.i18n import t

    table = pd.DataFrame({"provincie": ["Limburg", "Gelderland", "Utrecht"],
                          "demand_p10": [50.0, 900.0, 10.0], "demand_p50": [100.0, 1_500.0, 20.0],
                          "demand_p90": [200.0, 2_600.0, 40.0], "shortfall_p10": [0.0, 400.0, 0.0],
                          "shortfall_p50": [20.0, 1_000.0, 5.0], "shortfall_p90": [120.0, 2_100.0, 25.0],
                          "capacity": [80.0, 500.0, 15.0], "unmet_p50": [20.0, 1_000.0, 5.0]},
                         index=pd.Index(["PV31", "PV25", "PV26"], name="provinciecode"))
    shown = region_display(table, lang)
    assert list(shown[t("per_region", lang)]) == ["Gelderland", "Limburg", "Utrecht"]
    assert list(shown[t("capacity_total", lang)]) == [fmt(500.0, lang), fmt(80.0, lang), fmt(15.0, lang)]
    assert list(shown[t("unmet", lang)]) == [fmt(1_000.0, lang), fmt(20.0, lang), fmt(5.0, lang)]
