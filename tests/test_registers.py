"""Real-looking municipal and SNF register exports: every header variant read, every row counted.

Each case writes a real file (cp1252 or UTF-8; ``;`` ``,`` tab or ``|``;
decimal commas, thousands dots, trailing delimiters, accented and unit-laden
headers; Excel with text or number cells; GeoJSON with text properties) of the
same three locations, and checks the columns planner recognised, the number
of usable rows and the capacity. The expected capacity is worked out here by
hand from the norm (Bouwbesluit: floor(usable floor area / 12 m2) persons),
never by calling the code under test.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import openpyxl
import pytest

from planner.housing import check_housing, housing_totals, summarise_housing
from planner.io import read_housing, reading_of

#: The three locations of every file: usable floor area, bedrooms, occupants, type, RD x/y, lon/lat, place.
AREAS = (96.0, 1250.0, 48.5)
LOCATIONS = [
    {"area": 96.0, "bedrooms": 4, "occupants": 6, "type": "Woning", "x": 207100, "y": 379900,
     "lon": 6.1386, "lat": 51.3992, "place": "Venlo", "code": "GM0983", "postcode": "5911 AB", "snf": "ja"},
    {"area": 1250.0, "bedrooms": 30, "occupants": 50, "type": "Short stay (locatie)", "x": 200400, "y": 385900,
     "lon": 6.0426, "lat": 51.4631, "place": "Tienray", "code": "GM1507", "postcode": "5973 NA", "snf": "nee"},
    {"area": 48.5, "bedrooms": None, "occupants": 4, "type": "Recreatiewoningen", "x": 200500, "y": 386000,
     "lon": 6.0441, "lat": 51.4640, "place": "Horst", "code": "GM1507", "postcode": "5961 AA", "snf": "x"},
]
#: Bouwbesluit 2012 art. 7.18: 12 m2 usable floor area per person, whole persons.
BOUWBESLUIT_CAPACITY = sum(math.floor(area / 12.0) for area in AREAS)  # 8 + 104 + 4 = 116


def dutch(value: float | None, thousands: bool = True) -> str:
    """A number as a Dutch export writes it: 1.250 / 48,5 / 96."""
    if value is None:
        return ""
    whole, fraction = f"{value:.1f}".split(".")
    whole = f"{int(whole):,}".replace(",", ".") if thousands else whole
    return whole if fraction == "0" else f"{whole},{fraction}"


def english(value: float | None) -> str:
    if value is None:
        return ""
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


# Each case: name, file suffix, encoding, delimiter, headers, cell writer per header, recognised (header -> target),
# and extras (trailing delimiter, ...).
def _cells(location: dict, fields: list[str], numbers) -> list[str]:
    out = []
    for field in fields:
        value = location.get(field, "")
        if field in ("area",):
            out.append(numbers(value))
        elif value is None:
            out.append("")
        else:
            out.append(str(value))
    return out


CASES = [
    # The register of the issue: accented, unit-laden headers, cp1252, semicolons, decimal commas, thousands dots.
    dict(id="issue_register_cp1252", encoding="cp1252", sep=";",
         headers=["X-coördinaat (RD)", "Y-coördinaat (RD)", "Gebruiksoppervlakte (m²)", "Aantal slaapkamers",
                  "Aantal bewoners", "Type huisvesting", "Woonplaats", "SNF-gecertificeerd"],
         fields=["x", "y", "area", "bedrooms", "occupants", "type", "place", "snf"], numbers=dutch,
         targets=["x", "y", "floor_area_m2", "bedrooms", "occupants", "type", "woonplaats", "snf_certified"]),
    dict(id="issue_register_trailing_semicolon", encoding="cp1252", sep=";", trailing=True,
         headers=["X-coördinaat (RD)", "Y-coördinaat (RD)", "Gebruiksoppervlakte (m²)", "Aantal slaapkamers",
                  "Aantal bewoners", "Type huisvesting", "Woonplaats", "SNF-gecertificeerd"],
         fields=["x", "y", "area", "bedrooms", "occupants", "type", "place", "snf"], numbers=dutch,
         targets=["x", "y", "floor_area_m2", "bedrooms", "occupants", "type", "woonplaats", "snf_certified"]),
    dict(id="utf8_comma_english", encoding="utf-8-sig", sep=",",
         headers=["Location ID", "Usable floor area (m2)", "Number of bedrooms", "Residents", "Type", "Lon", "Lat"],
         fields=["postcode", "area", "bedrooms", "occupants", "type", "lon", "lat"], numbers=english,
         targets=["location_id", "floor_area_m2", "bedrooms", "occupants", "type", "lon", "lat"], unique_ids=False),
    dict(id="tab_dutch_postcode_code", encoding="utf-8", sep="\t",
         headers=["Oppervlakte m2", "Slaapkamers", "Bewoners", "Soort", "Postcode", "Gemeentecode"],
         fields=["area", "bedrooms", "occupants", "type", "postcode", "code"], numbers=dutch,
         targets=["floor_area_m2", "bedrooms", "occupants", "type", "postcode", "gemeentecode"]),
    dict(id="pipe_bvo_lat_lon", encoding="utf-8", sep="|",
         headers=["BVO", "Aantal personen", "Lat", "Lon"],
         fields=["area", "occupants", "lat", "lon"], numbers=dutch,
         targets=["floor_area_m2", "occupants", "lat", "lon"]),
    dict(id="breedtegraad_lengtegraad_decimal_comma", encoding="cp1252", sep=";",
         headers=["Gebruiksoppervlakte", "Aantal bewoners", "Breedtegraad", "Lengtegraad"],
         fields=["area", "occupants", "lat", "lon"], numbers=dutch, degrees_comma=True,
         targets=["floor_area_m2", "occupants", "lat", "lon"]),
    dict(id="woonplaats_only", encoding="utf-8", sep=";",
         headers=["Adres", "Woonplaats", "Gebruiksoppervlakte (m²)", "Aantal bewoners"],
         fields=["type", "place", "area", "occupants"], numbers=dutch,
         targets=["address", "woonplaats", "floor_area_m2", "occupants"]),
    dict(id="gemeentecode_empty_trailing_columns", encoding="utf-8", sep=";", trailing=True, header_trailing=2,
         headers=["Gemeentecode", "Gebruiksoppervlakte", "Bewoners"],
         fields=["code", "area", "occupants"], numbers=dutch,
         targets=["gemeentecode", "floor_area_m2", "occupants"]),
    dict(id="brackets_units_rd", encoding="utf-8", sep=";",
         headers=["GBO [m2]", "X (RD)", "Y (RD)", "Aantal bewoners"],
         fields=["area", "x", "y", "occupants"], numbers=dutch,
         targets=["floor_area_m2", "x", "y", "occupants"]),
    dict(id="unit_suffix_in_values", encoding="utf-8", sep=";",
         headers=["Oppervlakte (m2)", "Aantal slaapkamers", "Aantal bewoners", "X", "Y"],
         fields=["area", "bedrooms", "occupants", "x", "y"], numbers=lambda v: dutch(v) + " m²",
         targets=["floor_area_m2", "bedrooms", "occupants", "x", "y"]),
    dict(id="snf_register_export", encoding="cp1252", sep=";",
         headers=["SNF-nummer", "Adres", "Postcode", "Plaats", "Gebruiksoppervlakte", "Aantal bewoners",
                  "SNF gecertificeerd"],
         fields=["postcode", "type", "postcode", "place", "area", "occupants", "snf"], numbers=dutch,
         targets=["location_id", "address", "postcode", "woonplaats", "floor_area_m2", "occupants", "snf_certified"],
         unique_ids=False),
    dict(id="coordinates_found_by_values", encoding="utf-8", sep=";",
         headers=["Punt 1", "Punt 2", "Gebruiksoppervlakte", "Bewoners"],
         fields=["x", "y", "area", "occupants"], numbers=dutch,
         targets=["x", "y", "floor_area_m2", "occupants"]),
    dict(id="english_cp1252_municipality_code", encoding="cp1252", sep=";",
         headers=["Usable floor area", "Bedrooms", "Occupants", "Municipality code"],
         fields=["area", "bedrooms", "occupants", "code"], numbers=dutch,
         targets=["floor_area_m2", "bedrooms", "occupants", "gemeentecode"]),
    dict(id="woonoppervlakte_rd_x_rd_y", encoding="utf-8", sep=";",
         headers=["Woonoppervlakte", "Slaapkamers", "Ingeschrevenen", "Huisvestingstype", "RD X", "RD Y"],
         fields=["area", "bedrooms", "occupants", "type", "x", "y"], numbers=dutch,
         targets=["floor_area_m2", "bedrooms", "occupants", "type", "x", "y"]),
    dict(id="nbsp_thousands", encoding="utf-8", sep=";",
         headers=["Vloeroppervlakte (m²)", "Bewoners", "Gemeentecode"],
         fields=["area", "occupants", "code"], numbers=lambda v: dutch(v).replace(".", "\u00a0"),
         targets=["floor_area_m2", "occupants", "gemeentecode"]),
    dict(id="upper_case_underscores", encoding="utf-8", sep=",",
         headers=["GEBRUIKSOPPERVLAKTE", "AANTAL_SLAAPKAMERS", "BEWONERS", "X_RD", "Y_RD"],
         fields=["area", "bedrooms", "occupants", "x", "y"], numbers=english,
         targets=["floor_area_m2", "bedrooms", "occupants", "x", "y"]),
    dict(id="qualified_counts", encoding="utf-8", sep=";",
         headers=["Gebruiksoppervlakte in m2", "Aantal bewoners (BRP)", "Aantal slaapkamers", "Gemeente"],
         fields=["area", "occupants", "bedrooms", "place"], numbers=dutch,
         targets=["floor_area_m2", "occupants", "bedrooms", "gemeentenaam"]),
    dict(id="tab_cp1252_trailing_tab", encoding="cp1252", sep="\t", trailing=True,
         headers=["Gebruiksoppervlakte (m²)", "Aantal bewoners", "X-coördinaat", "Y-coördinaat"],
         fields=["area", "occupants", "x", "y"], numbers=dutch,
         targets=["floor_area_m2", "occupants", "x", "y"]),
    dict(id="rd_with_thousands_dots", encoding="utf-8", sep=";",
         headers=["Gebruiksoppervlakte", "Bewoners", "X-coördinaat (RD)", "Y-coördinaat (RD)"],
         fields=["area", "occupants", "x", "y"], numbers=dutch, rd_dots=True,
         targets=["floor_area_m2", "occupants", "x", "y"]),
    dict(id="pipe_english_thousands_comma", encoding="utf-8", sep="|",
         headers=["Floor area", "Persons", "Gemeentecode", "Type"],
         fields=["area", "occupants", "code", "type"], numbers=english,
         targets=["floor_area_m2", "occupants", "gemeentecode", "type"]),
]


def _write(case: dict, path: Path) -> Path:
    sep = case["sep"]
    lines = [sep.join(case["headers"]) + sep * case.get("header_trailing", 0)]
    for location in LOCATIONS:
        location = dict(location)
        if case.get("degrees_comma"):
            location["lat"], location["lon"] = str(location["lat"]).replace(".", ","), \
                str(location["lon"]).replace(".", ",")
        if case.get("rd_dots"):
            location["x"], location["y"] = dutch(location["x"]), dutch(location["y"])
        cells = _cells(location, case["fields"], case["numbers"])
        if sep == ",":
            cells = [f'"{c}"' if "," in c else c for c in cells]
        lines.append(sep.join(cells) + (sep if case.get("trailing") else ""))
    path.write_bytes(("\n".join(lines) + "\n").encode(case["encoding"]))
    return path


def _check(path: Path, case: dict) -> None:
    register = read_housing(path)
    reading = reading_of(register)
    expected = dict(zip(case["headers"], case["targets"], strict=True))
    recognised = {m.header: m.target for m in reading.columns if m.target}
    assert recognised == expected, reading.lines()
    checked = check_housing(register, "bouwbesluit")
    assert int(checked["valid"].sum()) == 3, checked["problem"].tolist()
    total = housing_totals(summarise_housing(checked))
    assert total["capacity"] == BOUWBESLUIT_CAPACITY
    assert total["occupants"] == 6 + 50 + 4


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_register_export_variants(tmp_path, case):
    _check(_write(case, tmp_path / f"{case['id']}.csv"), case)


def _excel(path: Path, headers: list[str], rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_excel_with_number_cells(tmp_path):
    headers = ["X-coördinaat (RD)", "Y-coördinaat (RD)", "Gebruiksoppervlakte (m²)", "Aantal slaapkamers",
               "Aantal bewoners", "Type huisvesting"]
    rows = [[loc["x"], loc["y"], loc["area"], loc["bedrooms"], loc["occupants"], loc["type"]] for loc in LOCATIONS]
    case = {"headers": headers, "targets": ["x", "y", "floor_area_m2", "bedrooms", "occupants", "type"]}
    _check(_excel(tmp_path / "register.xlsx", headers, rows), case)


def test_excel_with_text_cells_in_dutch_notation(tmp_path):
    headers = ["X-coördinaat (RD)", "Y-coördinaat (RD)", "Gebruiksoppervlakte (m²)", "Aantal bewoners", "Woonplaats"]
    rows = [[dutch(loc["x"]), dutch(loc["y"]), dutch(loc["area"]), str(loc["occupants"]), loc["place"]]
            for loc in LOCATIONS]
    case = {"headers": headers, "targets": ["x", "y", "floor_area_m2", "occupants", "woonplaats"]}
    _check(_excel(tmp_path / "register.xlsx", headers, rows), case)


def test_geojson_with_text_properties(tmp_path):
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [loc["lon"], loc["lat"]]},
                 "properties": {"Gebruiksoppervlakte (m²)": dutch(loc["area"]),
                                "Aantal bewoners": str(loc["occupants"]), "Type huisvesting": loc["type"]}}
                for loc in LOCATIONS]
    path = tmp_path / "register.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    case = {"headers": ["Gebruiksoppervlakte (m²)", "Aantal bewoners", "Type huisvesting"],
            "targets": ["floor_area_m2", "occupants", "type"]}
    _check(path, case)


def test_types_and_snf_flag_of_the_issue_register(tmp_path):
    path = _write(CASES[0], tmp_path / "register.csv")
    checked = check_housing(read_housing(path), "snf")
    assert checked["type"].tolist() == ["woning", "short_stay", "recreatie"]
    assert checked["snf_certified"].tolist() == [True, False, True]
    summary = summarise_housing(checked)
    assert summary["snf_certified_locations"].sum() == 2


def test_places_without_coordinates_count_in_their_municipality(tmp_path):
    from planner.geodata import load_boundaries
    from planner.regional import capacity_by_gemeente

    case = next(c for c in CASES if c["id"] == "woonplaats_only")
    checked = check_housing(read_housing(_write(case, tmp_path / "register.csv")), "bouwbesluit")
    assert checked["gemeentecode"].tolist() == ["GM0983", "GM1507", "GM1507"]
    assert checked["placed_by"].tolist() == ["woonplaats"] * 3
    summary = summarise_housing(checked)
    assert summary.loc["GM0983", "capacity"] == math.floor(96 / 12)
    assert summary.loc["GM1507", "capacity"] == math.floor(1250 / 12) + math.floor(48.5 / 12)
    regional, problems = capacity_by_gemeente(checked, load_boundaries())
    assert regional.loc["GM1507", "capacity"] == math.floor(1250 / 12) + math.floor(48.5 / 12)
    assert not problems


def test_shipped_woonplaats_table_equals_a_fresh_build():
    pytest.importorskip("woningwaardering")
    from planner.paths import data_dir
    from planner.places import TABLE_FILE
    from planner.schematic import build_woonplaats_table as build_table

    shipped = (data_dir("geodata") / TABLE_FILE).read_text(encoding="utf-8")
    assert build_table().to_csv(index=False, lineterminator="\n") == shipped
