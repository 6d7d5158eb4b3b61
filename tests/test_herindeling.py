"""Boundary years and municipal mergers, proved on the real CBS layers of 2022 and 2024.

The 2022 layer has 345 municipalities, among them Brielle (GM0501),
Hellevoetsluis (GM0530) and Westvoorne (GM0614), which merged into Voorne aan
Zee (GM1992) on 1 January 2023, and Weesp (GM0457), added to Amsterdam
(GM0363) on 24 March 2022.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.errors import InputError, PlannerWarning
from planner.geodata import import_boundaries, load_boundaries, region_table, schematic_layer
from planner.herindeling import codes_by_year, load_crosswalk, recognise_year, update_codes
from planner.housing import check_housing
from planner.io import read_housing, read_table
from planner.regional import PIPELINE_ALIASES, capacity_by_gemeente, custom_regions, prepare_pipeline
from planner.regions import rollup

#: Municipalities on 1 January, as CBS published them (the sources in geodata/herindelingen.csv).
CBS_COUNTS = {2015: 393, 2016: 390, 2017: 388, 2018: 380, 2019: 355, 2020: 355, 2021: 352, 2022: 345, 2023: 342,
              2024: 342}
MERGED_2022 = {"GM0501": "GM1992", "GM0530": "GM1992", "GM0614": "GM1992", "GM0457": "GM0363"}


@pytest.fixture(scope="module")
def codes_2022(shared_geodata) -> dict[str, str]:
    features = json.loads((shared_geodata / "cbs_gemeenten_2022.geojson").read_text())["features"]
    return {f["properties"]["statcode"]: f["properties"]["statnaam"] for f in features}


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_every_crosswalk_row_has_a_source():
    table = load_crosswalk()
    assert table["source"].str.len().gt(0).all()
    assert set(table["status"]) <= {"verified", "unverified"}
    verified = table[table["status"] == "verified"]
    assert verified["source"].str.match(r"^https?://").all()
    assert (table.loc[table["status"] == "unverified", "source"].str.contains("none found")).all()
    assert table["date"].min().year == 2015 and table["date"].max().year == 2023


def test_code_sets_per_year_have_the_counts_cbs_published():
    years = codes_by_year()
    assert {year: len(years[year]) for year in CBS_COUNTS} == CBS_COUNTS


def test_the_2022_codes_follow_from_2024_and_the_crosswalk(codes_2022):
    """Undoing the mergers of 2022 and 2023 on the 342 municipalities of 2024 gives exactly CBS's 2022 layer."""
    assert set(codes_by_year()[2022]) == set(codes_2022)  # names differ in spelling only ("Beek (L.)")


def test_year_recognised_from_the_real_layers(shared_geodata, codes_2022):
    assert recognise_year(codes_2022).exact == [2022]
    cbs_2024 = pd.read_csv(shared_geodata / "cbs_regio_indeling_2024.csv", dtype=str)["gemeentecode"]
    assert recognise_year([*cbs_2024, "GM0998"]).exact == [2023, 2024, 2025]  # no mergers since 2023


def test_a_2022_layer_is_stored_and_labelled_as_2022(data_home, shared_geodata):
    """The finding: a 2022 import was stored as "exacte grenzen, 2024" with four codes that no longer exist."""
    layer = import_boundaries(shared_geodata / "cbs_gemeenten_2022.geojson")
    assert layer.year == 2022 and len(layer.boundaries) == 345
    assert (data_home / "boundaries" / "gemeenten_2022.gpkg").is_file()
    assert not (data_home / "boundaries" / "gemeenten_2024.gpkg").exists()
    assert "exacte grenzen, 2022" in load_boundaries(2022).label("nl")
    assert load_boundaries(2024).kind == "schematic"
    with pytest.raises(InputError, match=r"4 code\(s\) are not municipalities of 2024: GM0457, GM0501.*--year 2022"):
        import_boundaries(shared_geodata / "cbs_gemeenten_2022.geojson", 2024)


def test_cli_import_says_the_year(data_home, shared_geodata):
    result = CliRunner().invoke(main, ["geodata", "import", str(shared_geodata / "cbs_gemeenten_2022.geojson")])
    assert result.exit_code == 0, result.output
    assert "Stored 345 municipalities; exact borders, 2022" in result.output
    status = CliRunner().invoke(main, ["geodata", "status", "--year", "2022"])
    assert "345 municipalities; exact borders, 2022" in status.output and "Stored exact layers: 2022" in status.output


def _register_2022(codes_2022: dict[str, str], path) -> pd.DataFrame:
    """One dwelling per municipality of 2022, keyed by its 2022 code only (no coordinates)."""
    rows = [{"location_id": f"L{n}", "type": "woning", "floor_area_m2": 120, "bedrooms": 3,
             "occupants": 1 + n % 5, "gemeentecode": code} for n, code in enumerate(sorted(codes_2022))]
    pd.DataFrame(rows).to_csv(path, index=False)
    return pd.DataFrame(rows)


def test_register_keyed_by_2022_codes_rolls_up_to_2024(tmp_path, codes_2022):
    register = _register_2022(codes_2022, tmp_path / "register.csv")
    checked = check_housing(read_housing(tmp_path / "register.csv"), "roemer")
    summary, notes = capacity_by_gemeente(checked, schematic_layer())
    assert len(summary) == 342 and "(unknown)" not in summary.index
    assert summary["occupants"].sum() == register["occupants"].sum()
    assert summary["capacity"].sum() == checked["capacity"].sum()
    expected = register.groupby(register["gemeentecode"].replace(MERGED_2022))["occupants"].sum()
    assert summary.loc["GM1992", "locations"] == 3
    assert summary.loc["GM1992", "occupants"] == expected["GM1992"]
    assert summary.loc["GM0363", "occupants"] == expected["GM0363"]
    # A note for every row whose code changed, naming the row, the old and the new municipality.
    changed = [str(n) for n in notes]
    assert len(changed) == 4
    brielle = register.index[register["gemeentecode"] == "GM0501"][0] + 2  # the register's line number
    assert any(f"line {brielle}" in n or f"row {brielle}" in n for n in changed), changed
    assert any("GM0501 is counted as GM1992 (Voorne aan Zee)" in n and "GM0501 Brielle" in n for n in changed)
    # And on to COROP regions and provinces of 2024, totals conserved.
    for level, count in (("corop", 40), ("provincie", 12)):
        out = rollup(summary[["occupants", "capacity"]], region_table(2024), level)
        assert len(out) == count
        assert out["occupants"].sum() == register["occupants"].sum()


def test_region_table_of_2022_rolls_up_like_2024(codes_2022, shared_geodata):
    table_2022 = region_table(2022)
    assert len(table_2022) == 345 and table_2022["provincie_code"].notna().all()
    assert table_2022.set_index("gemeentecode").loc["GM0501", "corop_code"] == \
        region_table(2024).set_index("gemeentecode").loc["GM1992", "corop_code"]
    figures = pd.DataFrame({"gemeentecode": sorted(codes_2022), "n": range(345)})
    carried = figures.assign(gemeentecode=figures["gemeentecode"].replace(MERGED_2022))
    old = rollup(figures, table_2022, "provincie")["n"]
    new = rollup(carried.groupby("gemeentecode").sum(), region_table(2024), "provincie")["n"]
    pd.testing.assert_series_equal(old.sort_index(), new.sort_index())


def test_pipeline_with_a_2022_code(tmp_path):
    path = tmp_path / "pipeline.csv"
    path.write_text("naam;gemeentecode;bedden;opleverjaar\nHotel Brielle;GM0501;80;2027\nUnits Venlo;GM0983;40;2028\n")
    frame, decimal = read_table(path, PIPELINE_ALIASES, strict=False)
    with pytest.warns(PlannerWarning, match=r"GM0501 is counted as GM1992 \(Voorne aan Zee\)"):
        out = prepare_pipeline(frame, schematic_layer(), decimal, source=str(path))
    assert out["gemeentecode"].tolist() == ["GM1992", "GM0983"]
    assert out["beds"].sum() == 120


def test_custom_regions_with_old_codes():
    table = pd.DataFrame({"gemeentecode": ["GM0501", "GM0530", "GM0983"], "region": ["Voorne", "Voorne", "Venlo"]})
    with pytest.warns(PlannerWarning) as caught:
        out, _column = custom_regions(table, schematic_layer())
    assert [str(w.message).split(": ", 1)[1][:34] for w in caught] == [
        "row 1, column 'gemeentecode': GM05", "row 2, column 'gemeentecode': GM05"]
    assert out.set_index("gemeentecode")["region"].to_dict() == {"GM1992": "Voorne", "GM0983": "Venlo"}


def test_codes_that_cannot_be_carried_are_reported_with_the_fix():
    codes, notes, problems = update_codes(pd.Series(["GM0788", "GM1992", "GM0014"]), 2022,
                                          ["line 2", "line 3", "line 4"])
    assert codes.tolist() == ["GM0788", "GM1992", "GM0014"] and not notes
    assert [p.row for p in problems] == ["line 2", "line 3"]
    assert "split on 2021-01-01 over GM0757 Boxtel, GM0824 Oisterwijk" in str(problems[0])
    assert "exists from 2023-01-01 on, after the boundary year 2022" in str(problems[1])
    assert "choose a later boundary year" in problems[1].fix


def test_check_housing_counts_older_codes_under_2024(tmp_path, codes_2022):
    _register_2022(codes_2022, tmp_path / "register.csv")
    result = CliRunner().invoke(main, ["check-housing", str(tmp_path / "register.csv")])
    assert result.exit_code == 0, result.output
    assert "4 row(s) have the code of a municipality merged since" in result.output
    assert "GM0501 is counted as GM1992 (Voorne aan Zee)" in result.output
    table = result.output.split("Totals:")[0]
    assert "\nGM1992 " in table and "\nGM0501 " not in table
