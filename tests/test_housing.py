"""Housing-stock check: capacities by hand for every norm set, norm change, totals, messy imports."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from shapely.geometry import Point

from planner.cli import main
from planner.errors import InputError
from planner.housing import (
    HousingParameters,
    NormSet,
    check_housing,
    housing_totals,
    load_norm_sets,
    normalise_gemeentecode,
    normalise_type,
    summarise_housing,
)
from planner.io import read_housing
from planner.synthetic import MUNICIPALITIES, SYNTHETIC_LABEL, demo_housing_path, synthetic_housing, write_demo_housing

FIXTURE = Path(__file__).parent / "fixtures" / "woningvoorraad_gemeente_export.csv"


def case(case_id: str):
    """Mark a test as the check of a case in docs/bad-input.md (read by tests/test_bad_input.py)."""
    def register(func):
        return func
    return register


def register() -> gpd.GeoDataFrame:
    """Four locations whose capacities are worked out by hand below."""
    return gpd.GeoDataFrame({
        "type": ["woning", "short_stay", "recreatie", "woning"],
        "floor_area_m2": [90.0, 600.0, 48.0, 36.0],
        "bedrooms": [4.0, 20.0, np.nan, 2.0],
        "occupants": [7.0, 45.0, 4.0, 3.0],
        "licensed_beds": [np.nan, 40.0, np.nan, np.nan],
        "bedroom_area_m2": [np.nan, 150.0, np.nan, np.nan],
        "toilets": [np.nan, 5.0, np.nan, np.nan],
        "showers": [np.nan, 4.0, np.nan, np.nan],
        "gemeentecode": ["GM0983", "GM0983", "GM1507", "GM1507"],
    }, geometry=[Point(207_000 + i, 380_000) for i in range(4)], crs="EPSG:28992")


@pytest.mark.parametrize(("norm", "expected", "binding"), [
    # 90/12 = 7; 600/12 = 50 but 40 licensed; 48/12 = 4; 36/12 = 3 exactly.
    ("bouwbesluit", [7, 40, 4, 3], ["floor_area", "licence", "floor_area", "floor_area"]),
    # 15 m2 and one per bedroom: 4 bedrooms; 20 bedrooms; 1 estimated bedroom (48 / 33); 2 bedrooms (36/15 = 2 too).
    ("roemer", [4, 20, 1, 2], ["bedrooms", "bedrooms", "bedrooms", "floor_area"]),
    # SNF before 2025: 12 m2 in regular dwellings, 10 m2 elsewhere, 3.5 m2 bedroom area, 8 per toilet/shower, and
    # no cap per bedroom (two per room was only the holiday-park exception that ended on 1-1-2024):
    # 90/12 = 7; min(60, 150/3.5 = 42, min(5, 4) x 8 = 32, 40) = 32; 48/10 = 4; 36/12 = 3.
    ("snf", [7, 32, 4, 3], ["floor_area", "sanitary", "floor_area", "floor_area"]),
    # SNF 2025: 15 m2 and one per bedroom: 90/15 = 6 but 4 bedrooms; min(40, 20, 42, 32, 40) = 20 bedrooms;
    # 1 estimated bedroom; 36/15 = 2 and 2 bedrooms (floor area comes first).
    ("snf_2025", [4, 20, 1, 2], ["bedrooms", "bedrooms", "bedrooms", "floor_area"]),
    ("wgv_1pk", [4, 20, 1, 2], ["bedrooms", "bedrooms", "bedrooms", "bedrooms"]),
])
def test_capacity_by_hand_for_every_norm_set(norm, expected, binding):
    out = check_housing(register(), norm)
    assert out["capacity"].tolist() == expected
    assert out["binding_limit"].tolist() == binding
    assert out["persons_over_capacity"].tolist() == [max(o - c, 0) for o, c in zip([7, 45, 4, 3], expected,
                                                                                    strict=True)]
    assert out["compliant"].tolist() == [o <= c for o, c in zip([7, 45, 4, 3], expected, strict=True)]


def test_every_norm_set_carries_a_version_date_and_snf_has_no_two_per_room_rule():
    norms = load_norm_sets()
    assert all(len(n.version_date) == 10 for n in norms.values())
    assert norms["snf"].version_date == "2024-01-01" and np.isnan(norms["snf"].max_persons_per_bedroom)
    assert norms["roemer"].min_bedroom_m2_per_person == 5.5
    assert norms["snf_2025"].m2_per_person == 15.0
    assert (check_housing(register(), "snf")["norm_version_date"] == "2024-01-01").all()


def test_estimated_bedrooms_are_flagged_only_where_the_norm_counts_bedrooms():
    assert check_housing(register(), "roemer")["bedrooms_estimated"].tolist() == [False, False, True, False]
    assert not check_housing(register(), "bouwbesluit")["bedrooms_estimated"].any()


def test_capacity_lost_by_the_stricter_norm():
    out = check_housing(register(), "roemer", compare="bouwbesluit")
    assert out["capacity_compare"].tolist() == [7, 40, 4, 3]
    assert out["capacity_lost"].tolist() == [3, 20, 3, 1]
    summary = summarise_housing(out)
    assert summary.loc["GM0983", "capacity_lost"] == 23
    assert housing_totals(summary)["capacity_lost"] == 27


def test_summary_per_municipality_and_conservation():
    out = check_housing(register(), "roemer")
    summary = summarise_housing(out)
    assert summary.loc["GM0983", ["capacity", "occupants", "persons_over_capacity"]].tolist() == [24, 52, 28]
    assert summary.loc["GM1507", ["capacity", "occupants", "persons_over_capacity", "spare_capacity"]].tolist() == [
        3, 7, 4, 0]
    for column in ("capacity", "occupants", "spare_capacity", "persons_over_capacity"):
        assert summary[column].sum() == out[column].sum()
    assert summary["net_spare_capacity"].tolist() == (summary["spare_capacity"]
                                                      - summary["persons_over_capacity"]).tolist()


def test_signal_of_many_persons_on_one_address():
    out = check_housing(register(), "roemer", params=HousingParameters(signal_persons_per_address=7))
    assert out["signal_many_persons"].tolist() == [True, True, False, False]


def test_a_user_defined_norm_set():
    strict = NormSet(name="gemeente_18", label_nl="18 m2", label_en="18 m2", m2_per_person=18.0,
                     max_persons_per_bedroom=1.0)
    out = check_housing(register(), strict)
    assert out["capacity"].tolist() == [4, 20, 1, 2]  # 90/18 = 5 > 4 bedrooms; 36/18 = 2
    with pytest.raises(InputError, match=r"unknown norm set 'streng'.*bouwbesluit, roemer, snf"):
        check_housing(register(), "streng")


def test_norm_set_file_of_a_municipality(tmp_path):
    own = tmp_path / "normen.csv"
    base = (Path(__file__).resolve().parent.parent / "norms" / "norm_sets.csv").read_text().splitlines()[0]
    own.write_text(base + "\ngemeente_15_2pk,15 m2 2 pk,15 m2 2 per room,15,,2,,,assumption,,own\n")
    norms = load_norm_sets([own])
    assert check_housing(register(), "gemeente_15_2pk", norms=norms)["capacity"].tolist() == [6, 40, 2, 2]


def test_messy_dutch_export_is_read_and_bad_rows_are_counted_not_dropped():
    locations = read_housing(FIXTURE)
    assert locations.index.tolist() == list(range(2, 10))  # file lines
    assert locations.crs.to_epsg() == 28992
    out = check_housing(locations, "roemer")
    assert len(out) == 8
    assert out["type"].tolist() == ["woning", "kamerverhuur", "short_stay", "recreatie", "woning", "woning",
                                    "woning", "agrarisch"]
    assert out["gemeentecode"].tolist()[:4] == ["GM0983", "GM0983", "GM1507", "GM1507"]
    assert out.loc[9, "floor_area_m2"] == 1250.0  # "1.250": a thousands dot in a Dutch export
    assert out.loc[3, "floor_area_m2"] == 112.5  # "112,5": a decimal comma
    assert out.loc[9, "address"] == "Boerderij Hoeve Één"  # cp1252 accents
    bad = out.loc[~out["valid"], "problem"]
    assert bad.index.tolist() == [6, 7, 8]
    assert "usable floor area missing" in bad[6]  # 'onbekend': no value, never 0 m2
    assert "negative number of occupants" in bad[7]
    assert "no coordinates and no gemeentecode" in bad[8]
    assert out.loc[9, "valid"]  # no coordinates, but a gemeentecode: counted in its municipality
    summary = summarise_housing(out)
    total = housing_totals(summary)
    # By hand under 15 m2 and one per bedroom: 4 + 5 + 20 + 1 + 30 = 60 places for 7 + 9 + 45 + 4 + 50 = 115.
    assert total["capacity"] == 60
    assert total["occupants"] == 115
    assert total["persons_over_capacity"] == 55
    assert total["unusable_rows"] == 3
    assert total["locations"] + total["unusable_rows"] == len(out)
    assert summary.loc["GM0983", "capacity"] == 39
    assert summary.loc["GM0983", "unusable_rows"] == 2
    assert summary.loc["(unknown)", "unusable_rows"] == 1


def test_check_housing_command_lists_bad_rows_and_writes_excel(tmp_path):
    target = tmp_path / "toets.xlsx"
    result = CliRunner().invoke(main, ["check-housing", str(FIXTURE), "--norm", "roemer", "--compare", "bouwbesluit",
                                       "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "3 row(s) could not be used" in result.output
    assert "line 6: usable floor area missing" in result.output
    assert "floor_area_m2: 1 cell(s) read as empty, as a blank cell would be ('onbekend')" in result.output
    assert "capacity                     60" in result.output
    sheets = pd.read_excel(target, sheet_name=None)
    assert set(sheets) == {"locations", "summary", "totals", "unusable_rows", "norms", "about"}
    assert sheets["summary"]["capacity"].sum() == 60
    assert len(sheets["unusable_rows"]) == 3
    assert set(sheets["norms"]["name"]) == {"roemer", "bouwbesluit"}


def test_unknown_norm_on_the_command_line():
    result = CliRunner().invoke(main, ["check-housing", str(FIXTURE), "--norm", "streng"])
    assert result.exit_code == 2
    assert "unknown norm set 'streng'" in result.output


def test_normalising_codes_and_types():
    codes = normalise_gemeentecode(pd.Series(["983", "0983", "gm0983", " GM0983 ", None, "", 983.0]))
    assert codes.tolist() == ["GM0983"] * 4 + [None, None, "GM0983"]
    types = normalise_type(pd.Series(["Eengezinswoning", "Hotel", "chalet", "op het erf", "iets", None]))
    assert types.tolist() == ["woning", "short_stay", "recreatie", "agrarisch", "overig", "overig"]


def test_synthetic_stock_is_seeded_labelled_and_shipped(tmp_path):
    first, second = synthetic_housing(500, seed=7), synthetic_housing(500, seed=7)
    pd.testing.assert_frame_equal(pd.DataFrame(first), pd.DataFrame(second))
    assert (first["synthetic"] == SYNTHETIC_LABEL).all()
    write_demo_housing(tmp_path / "stock.csv")
    assert (tmp_path / "stock.csv").read_bytes() == demo_housing_path().read_bytes()


def test_synthetic_stock_matches_the_documented_national_figures():
    stock = synthetic_housing()
    dwellings = stock[stock["type"] == "woning"]
    rooms = dwellings["bedrooms"].dropna()
    assert 3.2 <= rooms.mean() <= 4.0  # about 3.6 rooms per dwelling (Flexwonen)
    per_room = dwellings["occupants"] / dwellings["bedrooms"]
    known = per_room.dropna()
    assert ((known <= 2).mean()) == pytest.approx(0.94, abs=0.04)  # 94% of bedrooms hold 1 or 2 (SNF)
    assert 0.2 <= dwellings["bedrooms"].isna().mean() <= 0.3  # bedrooms unknown for about a quarter
    assert stock["gemeentecode"].isna().mean() < 0.05


def test_synthetic_municipalities_exist_in_the_real_2024_boundaries(shared_geodata):
    real = gpd.read_file(shared_geodata / "cbs_gemeenten_2024.geojson", engine="pyogrio")
    real["geometry"] = real.make_valid()
    names = dict(zip(real["gemeentecode"], real["gemeentenaam"], strict=True))
    points = gpd.GeoDataFrame({"code": [m[0] for m in MUNICIPALITIES]},
                              geometry=[Point(m[2], m[3]) for m in MUNICIPALITIES], crs="EPSG:4326")
    joined = gpd.sjoin(points, real[["gemeentecode", "geometry"]], predicate="within")
    assert joined["gemeentecode"].tolist() == joined["code"].tolist()
    assert all(names[m[0]] == m[1] for m in MUNICIPALITIES)


def test_vectorised_on_a_larger_stock():
    stock = synthetic_housing(50_000, seed=1)
    out = check_housing(stock, "snf", compare="roemer")
    summary = summarise_housing(out)
    assert summary["capacity"].sum() == out["capacity"].sum()
    assert summary["locations"].sum() + summary["unusable_rows"].sum() == 50_000


def test_unrecognised_headers_are_mapped_by_the_user(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text("Adres;Opp. netto;Kamers om te slapen;Pers. op adres;Gemeentecode\nA 1;90;4;7;0983\n")
    plain = CliRunner().invoke(main, ["check-housing", str(export)])
    assert "usable floor area missing" in plain.output  # 'Opp. netto' is not a known header
    mapped = CliRunner().invoke(main, ["check-housing", str(export), "--map", "Opp. netto=floor_area_m2",
                                       "--map", "Kamers om te slapen=bedrooms", "--map", "Pers. op adres=occupants"])
    assert mapped.exit_code == 0, mapped.output
    assert "capacity                      4" in mapped.output
    assert "persons_over_capacity         3" in mapped.output
    bad = CliRunner().invoke(main, ["check-housing", str(export), "--map", "zonder-is-teken"])
    assert bad.exit_code == 2 and "is not HEADER=COLUMN" in bad.output


def test_synthetic_input_is_announced():
    result = CliRunner().invoke(main, ["check-housing", str(demo_housing_path())])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Synthetic data (synthetisch)")


# -- where each location counts, and rows to check -------------------------------------------------------------------

#: Points without a gemeentecode or woonplaats (a GIS export): Horst aan de Maas twice, Venlo, Venray.
POINTS = [(203_450, 386_512), (204_000, 386_100), (209_700, 376_000), (192_800, 394_000)]


def _points_register(path: Path) -> Path:
    gpd.GeoDataFrame({"adres": ["Kerkstraat 1", "Venrayseweg 12", "Markt 1", "Grotestraat 5"],
                      "gebruiksoppervlakte": [90, 600, 120, 200], "slaapkamers": [4, 20, 5, 8],
                      "bewoners": [6, 38, 7, 12]},
                     geometry=[Point(x, y) for x, y in POINTS], crs="EPSG:28992").to_file(path, engine="pyogrio")
    return path


def _summary_sheet(path: Path) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name="summary").set_index("gemeentecode")


@case("B62")
def test_points_without_codes_count_in_the_municipality_of_the_chosen_layer(tmp_path, monkeypatch, shared_geodata):
    """Before: all four under (unknown). Now where the shortfall counts them, on the real CBS borders."""
    import warnings

    from planner.demo import load_demo_sites
    from planner.errors import PlannerWarning
    from planner.geodata import import_boundaries, load_boundaries
    from planner.plan import Plan

    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlannerWarning)
        import_boundaries(shared_geodata / "cbs_gemeenten_2024.geojson", 2024)
    register_file = _points_register(tmp_path / "punten.gpkg")
    result = CliRunner().invoke(main, ["check-housing", str(register_file), "--year", "2024",
                                       "-o", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 0, result.output
    assert "Boundaries: exact borders, 2024: imported from cbs_gemeenten_2024.geojson" in result.output
    summary = _summary_sheet(tmp_path / "out.xlsx")
    assert "(unknown)" not in summary.index
    assert summary["locations"].to_dict() == {"GM0983": 1, "GM0984": 1, "GM1507": 2}  # Venlo, Venray, Horst
    assert summary["capacity"].sum() == 37 and summary["occupants"].sum() == 63  # the totals of before
    locations = pd.read_excel(tmp_path / "out.xlsx", sheet_name="locations")
    assert locations["gemeentecode"].tolist() == ["GM1507", "GM1507", "GM0983", "GM0984"]
    assert set(locations["placed_by"]) == {"coordinates"}
    # The same municipalities and figures as the shortfall's capacity per municipality.
    checked = check_housing(read_housing(register_file), "roemer")
    plan = Plan(load_demo_sites(), checked_housing=checked, boundaries=load_boundaries(2024))
    assert plan.boundaries.kind == "exact"
    shortfall = plan.capacity()
    pd.testing.assert_series_equal(summary["capacity"].astype(float), shortfall["capacity"], check_names=False)


def test_the_layer_the_user_chose_places_a_point_near_a_border(tmp_path, monkeypatch, shared_geodata):
    """Schematic borders (bundled) and exact borders (imported) may disagree near a border; both paths follow the
    layer in use, and a code the point contradicts is reported."""
    import warnings

    from planner.errors import PlannerWarning
    from planner.geodata import import_boundaries

    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    register_file = tmp_path / "grens.csv"
    register_file.write_text("adres;gebruiksoppervlakte;bewoners;gemeentecode;x;y\nA;90;4;GM0983;207100;379900\n"
                             "B;60;2;;207100;379900\n")
    schematic = CliRunner().invoke(main, ["check-housing", str(register_file), "-o", str(tmp_path / "s.xlsx")])
    assert schematic.exit_code == 0, schematic.output
    assert _summary_sheet(tmp_path / "s.xlsx")["locations"].to_dict() == {"GM1507": 2}, schematic.output
    assert "1 row(s) have a point in another municipality than their code" in schematic.output
    assert "line 2: GM0983 given, but the point lies in GM1507 (Horst aan de Maas) on the schematic borders" \
        in schematic.output
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlannerWarning)
        import_boundaries(shared_geodata / "cbs_gemeenten_2024.geojson", 2024)
    exact = CliRunner().invoke(main, ["check-housing", str(register_file), "-o", str(tmp_path / "e.xlsx")])
    assert exact.exit_code == 0, exact.output
    assert _summary_sheet(tmp_path / "e.xlsx")["locations"].to_dict() == {"GM0983": 2}  # Venlo, as the code says
    assert "another municipality" not in exact.output


def test_placing_is_pure_and_says_how_each_row_was_placed():
    from planner.geodata import load_boundaries
    from planner.plan import place_locations

    frame = gpd.GeoDataFrame({"gemeentecode": [None, "0983", None, "GM0501", "GM9999"],
                              "placed_by": ["coordinates", "gemeentecode", "woonplaats", "gemeentecode",
                                            "gemeentecode"]},
                             geometry=[Point(209_700, 376_000), None, None, None, None], crs="EPSG:28992")
    frame.loc[2, "gemeentecode"] = "GM1507"  # as the reader fills it in from a woonplaats
    before = frame.copy()
    codes, placed_by, notes, problems = place_locations(frame, load_boundaries(2024))
    pd.testing.assert_frame_equal(frame, before)  # nothing changed in the input
    assert codes.index.equals(frame.index)
    # A point, a code, a woonplaats, a code of a municipality merged since (Brielle -> Voorne aan Zee), no such code.
    assert codes.fillna("none").tolist() == ["GM0983", "GM0983", "GM1507", "GM1992", "none"]
    assert placed_by.fillna("none").tolist() == ["coordinates", "gemeentecode", "woonplaats", "gemeentecode", "none"]
    assert ["GM0501 is counted as GM1992" in note.message for note in notes] == [True]
    assert [problem.row for problem in problems] == ["housing row 4"]


def _absurd() -> gpd.GeoDataFrame:
    """The tester's rows: 5,000 persons in 40 m2, a licence of 0 beds, 0.9 m2, a normal row, 40 bedrooms in 90 m2."""
    return gpd.GeoDataFrame({
        "floor_area_m2": [40.0, 90.0, 0.9, 90.0, 90.0, 8.0],
        "bedrooms": [2.0, 4.0, 4.0, 4.0, 40.0, 1.0],
        "occupants": [5000.0, 6.0, 6.0, 6.0, 6.0, 2.0],
        "licensed_beds": [np.nan, 0.0, np.nan, np.nan, np.nan, np.nan],
        "bedroom_area_m2": [np.nan, np.nan, np.nan, 95.0, np.nan, np.nan],
        "gemeentecode": ["GM0983"] * 6,
    }, geometry=[None] * 6, crs="EPSG:28992")


@case("B63")
def test_implausible_rows_are_flagged_with_the_reason_and_still_counted():
    out = check_housing(_absurd(), "roemer")
    assert out["valid"].all()  # before and after: nothing made unusable
    assert out["to_check"].tolist() == [
        "more than one occupant per 4 m2 of floor area",
        "licence for 0 beds on an occupied location, so its capacity is 0 (0 often means no licence is needed: "
        "leave the cell empty then)",
        "more than one occupant per 4 m2 of floor area; floor area below 6 m2 for a whole location (check the unit)"
        "; more than one bedroom per 5 m2 of floor area",
        "bedroom area larger than the floor area",
        "more than one bedroom per 5 m2 of floor area",
        "",  # 2 persons in 8 m2 is one per 4 m2 exactly: not above the threshold
    ]
    # Flags change no figure: the capacities are those of the norm (2, 0, 0, 4, 6, 0) and the sums hold them.
    assert out["capacity"].tolist() == [2, 0, 0, 4, 6, 0]
    total = housing_totals(summarise_housing(out))
    assert total["to_check"] == 5 and total["locations"] == 6 and total["unusable_rows"] == 0
    assert total["capacity"] == 12 and total["occupants"] == 5026


def test_thresholds_of_the_flags_are_assumptions_in_the_parameter_file():
    from planner.housing import load_housing_parameters, to_check
    from planner.paths import data_dir

    table = pd.read_csv(data_dir("norms") / "housing_parameters.csv").set_index("parameter")
    for name in ("to_check_m2_per_person", "to_check_floor_area_m2", "to_check_m2_per_bedroom"):
        assert table.loc[name, "status"] == "assumption" and table.loc[name, "note"]
    assert load_housing_parameters().to_check_m2_per_person == 4
    loose = HousingParameters(to_check_m2_per_person=0.001, to_check_floor_area_m2=0.5,
                              to_check_m2_per_bedroom=0.1)
    out = check_housing(_absurd(), "roemer", params=loose)
    assert out["to_check"].ne("").tolist() == [False, True, False, True, False, False]
    assert to_check(out, loose).tolist() == out["to_check"].tolist()
