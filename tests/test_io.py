"""Reading site files in the formats planners use, and writing results."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import box

from planner.errors import InputError
from planner.impact import assess, totals
from planner.io import neutralise_formulas, read_sites, write_results
from planner.library import load_library
from planner.tables import assessment_layers

DUTCH_CSV = (
    "Naam;Sector;Subtype;BVO (m2);Kavel (ha);Startjaar;X;Y;Opgave arbeidsmigranten\n"
    "Distributiecentrum Noordpoort;logistiek;dc;60.000;;2027;207032;379807;250\n"
    "Kassen De Lier;glastuinbouw;kas;;12,5;2028;75852;444694;\n"
    "Vleesverwerker Één;voeding;meat_processing;25.000,5;;2027;149998;401236;\n"
)


def test_dutch_csv_export_in_cp1252_with_decimal_commas_and_rd_columns(tmp_path, library):
    path = tmp_path / "bedrijven.csv"
    path.write_bytes(DUTCH_CSV.encode("cp1252"))
    frame = read_sites(path)
    assert frame.crs.to_epsg() == 28992
    assert frame.index.tolist() == [2, 3, 4]  # lines in the file, after the header
    assert frame["floor_area_m2"].tolist()[0] == 60_000.0
    assert frame["plot_area_ha"].tolist()[1] == 12.5
    assert frame["floor_area_m2"].tolist()[2] == 25_000.5
    assert frame["name"].tolist()[2] == "Vleesverwerker Één"
    assert frame.geometry.iloc[0].x == 207032
    out = assess(frame, library)
    assert out.loc[3, "basis_amount"] == 12.5


def test_utf8_bom_csv_with_lon_lat(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("name,sector,floor_area_m2,lon,lat\nDC,metaal,\"12,000\",5.05,51.70\n", encoding="utf-8-sig")
    frame = read_sites(path)
    assert frame.crs.to_epsg() == 4326
    assert frame["floor_area_m2"].tolist() == [12_000.0]


def test_swapped_latitude_and_longitude_are_reported(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("sector,floor_area_m2,lon,lat\nmetaal,1000,51.70,5.05\n")
    with pytest.raises(InputError, match="look swapped"):
        read_sites(path)


def test_text_in_a_number_column_names_line_and_column(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("sector;bvo\nmetaal;1000\nmetaal;heel groot\n")
    with pytest.raises(InputError) as err:
        read_sites(path)
    assert "sites.csv" in str(err.value)
    assert "line 3, column 'floor_area_m2': 'heel groot' is not a number" in str(err.value)
    # A word that says the value is not known is an empty cell: the estimate names the missing floor area.
    path.write_text("sector;bvo\nmetaal;1000\nmetaal;onbekend\n")
    with pytest.raises(InputError) as err:
        assess(read_sites(path))
    assert "line 3, column 'floor_area_m2'" in str(err.value) and "which is missing" in str(err.value)


def test_excel_with_dutch_headers(tmp_path, library):
    path = tmp_path / "sites.xlsx"
    pd.DataFrame({"Naam": ["DC"], "Sector": ["logistiek"], "Subtype": ["dc"], "Vloeroppervlak m2": [50_000],
                  "X": [131689], "Y": [412413]}).to_excel(path, index=False)
    frame = read_sites(path)
    out = assess(frame, library)
    assert out.loc[2, "workers_p50"] == pytest.approx(assess(
        pd.DataFrame({"sector": ["logistiek"], "subtype": ["dc"], "floor_area_m2": [50_000]}), library
    ).loc[0, "workers_p50"])


def test_questionnaire_columns_with_dutch_headers_are_read_as_such(tmp_path, library):
    """A municipality's sheet of questionnaire answers: announced jobs, relocated jobs, declared migrants."""
    path = tmp_path / "opgaven.xlsx"
    pd.DataFrame({"Naam": ["DC Noord", "DC Zuid"], "Sector": ["logistiek"] * 2, "Subtype": ["dc"] * 2,
                  "Vloeroppervlak m2": [60_000, 60_000], "Opgave banen": [500, None],
                  "Verplaatste banen": [50, None], "Opgave arbeidsmigranten": [200, None]}).to_excel(path, index=False)
    out = assess(read_sites(path), library)
    told, estimated = out.iloc[0], out.iloc[1]
    assert told["declared_jobs"] == 500 and pd.isna(estimated["declared_jobs"])
    assert told["workers_basis"] == "declared_jobs" and estimated["workers_basis"] == "floor_area"
    assert told["relocated_jobs"] == 50 and told["declared_migrants"] == 200
    share = library.ratios.loc[("logistiek", "dc"), "realised_over_announced_p50"]
    assert told["workers_net_p50"] == pytest.approx(500 * share - 50, rel=0.01)


def _plots() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"naam": ["Kas A", "Kas B"], "sector": ["glastuinbouw"] * 2},
                            geometry=[box(75_000, 444_000, 75_500, 444_400), box(76_000, 444_000, 76_100, 444_100)],
                            crs="EPSG:28992")


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_vector_files(tmp_path, library, suffix):
    path = tmp_path / f"sites{suffix}"
    _plots().to_file(path, engine="pyogrio")
    frame = read_sites(path)
    assert frame.index.name == "feature" and frame.index.tolist() == [1, 2]
    out = assess(frame, library)
    assert out["basis_amount"].tolist() == pytest.approx([20.0, 1.0], rel=1e-6)
    assert out["name"].tolist() == ["Kas A", "Kas B"]


def test_zipped_shapefile(tmp_path, library):
    folder = tmp_path / "shp"
    folder.mkdir()
    _plots().to_file(folder / "kassen.shp", engine="pyogrio")
    archive = tmp_path / "kassen.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)
    out = assess(read_sites(archive), library)
    assert out["basis_amount"].sum() == pytest.approx(21.0)


def test_zip_entries_that_escape_the_folder_are_refused(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../etc/sites.shp", b"x")
    with pytest.raises(InputError, match="point outside it"):
        read_sites(archive)


def test_damaged_files_give_a_clear_error(tmp_path):
    broken = tmp_path / "sites.gpkg"
    broken.write_bytes(b"SQLite format 3\x00 truncated")
    with pytest.raises(InputError, match="cannot read the file"):
        read_sites(broken)
    empty = tmp_path / "sites.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        read_sites(empty)
    with pytest.raises(InputError, match=r"unsupported file type '\.docx'"):
        (tmp_path / "a.docx").write_text("x")
        read_sites(tmp_path / "a.docx")


def test_results_round_trip_through_every_output_format(tmp_path, library):
    sites = gpd.GeoDataFrame({"name": ["=HYPERLINK(\"x\")", "Kas"], "sector": ["metaal", "glastuinbouw"],
                              "floor_area_m2": [20_000.0, None], "start_year": [2027, 2028]},
                             geometry=[box(150_000, 400_000, 150_200, 400_100), box(75_000, 444_000, 75_500, 444_400)],
                             crs="EPSG:28992")
    out = assess(sites, load_library())
    layers = assessment_layers(out, library, "test")
    expected = out["beds_needed_p50"].sum()  # the sites' own P50s survive every format
    assert totals(out).loc["beds_needed", "p50"] <= out["beds_needed_p90"].sum()

    gpkg = write_results(tmp_path / "r.gpkg", layers)
    assert {name for name, _ in pyogrio.list_layers(gpkg)} == {"sites", "totals", "phasing", "sources", "about"}
    back = gpd.read_file(gpkg, layer="sites")
    assert back["beds_needed_p50"].sum() == pytest.approx(expected)
    assert back.crs.to_epsg() == 28992

    xlsx = write_results(tmp_path / "r.xlsx", layers)
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["sites", "totals", "phasing", "sources", "about"]
    sheet = pd.read_excel(xlsx, sheet_name="sites")
    assert sheet["beds_needed_p50"].sum() == pytest.approx(expected)
    assert sheet["name"][0].startswith("'=")  # a formula in a name is neutralised
    assert {"x_rd", "y_rd"} <= set(sheet.columns)

    csv = write_results(tmp_path / "r.csv", layers)
    table = pd.read_csv(csv, encoding="utf-8-sig")
    assert table["beds_needed_p50"].sum() == pytest.approx(expected)

    geojson = write_results(tmp_path / "r.geojson", layers)
    assert gpd.read_file(geojson)["beds_needed_p50"].sum() == pytest.approx(expected)
    assert not list(tmp_path.glob(".*partial*"))


def test_formula_cells_are_neutralised():
    frame = pd.DataFrame({"a": ["=1+1", "+31 6", "-x", "@SUM(A1)", "plain"], "n": [1, 2, 3, 4, 5]})
    assert neutralise_formulas(frame)["a"].tolist() == ["'=1+1", "'+31 6", "'-x", "'@SUM(A1)", "plain"]


def test_sites_without_coordinates_export_to_geopackage_as_a_plain_table(tmp_path, library):
    source = tmp_path / "sites.csv"
    source.write_text("name,sector,floor_area_m2\nDC,metaal,10000\n")
    out = assess(read_sites(source), library)
    target = write_results(tmp_path / "r.gpkg", assessment_layers(out, library, str(source)))
    assert dict(pyogrio.list_layers(target))["sites"] is None  # no geometry, no CRS warning
    back = pyogrio.read_dataframe(target, layer="sites", read_geometry=False)
    assert back["workers_p50"].tolist() == pytest.approx(out["workers_p50"].tolist())


# -- exports in RD New beside WGS84 (issue 17) ------------------------------------------------------

def _sites_wgs84() -> gpd.GeoDataFrame:
    from shapely.geometry import Point

    return gpd.GeoDataFrame({"name": ["Venlo", "Tilburg"]}, geometry=[Point(6.1483, 51.3928), Point(5.0913, 51.5555)],
                            crs="EPSG:4326")


@pytest.mark.parametrize(("suffix", "crs", "epsg"), [(".gpkg", "rd", 28992), (".gpkg", "wgs84", 4326),
                                                     (".geojson", "rd", 28992), (".geojson", "wgs84", 4326),
                                                     (".geojson", None, 4326), (".gpkg", None, 4326)])
def test_geo_exports_in_rd_or_wgs84(tmp_path, suffix, crs, epsg):
    from planner.io import write_results

    path = write_results(tmp_path / f"out{suffix}", {"sites": _sites_wgs84()}, crs=crs)
    back = gpd.read_file(path)
    assert back.crs.to_epsg() == epsg
    venlo = back.geometry.iloc[0]
    if epsg == 28992:
        assert venlo.x == pytest.approx(207_972, abs=1) and venlo.y == pytest.approx(378_459, abs=1)
    else:
        assert venlo.x == pytest.approx(6.1483, abs=1e-6)


def test_table_exports_in_rd_or_wgs84(tmp_path):
    from planner.io import write_results

    rd = pd.read_csv(write_results(tmp_path / "rd.csv", {"sites": _sites_wgs84()}, crs="rd"))
    wgs = pd.read_csv(write_results(tmp_path / "wgs.csv", {"sites": _sites_wgs84()}, crs="wgs84"))
    assert {"x_rd", "y_rd"} <= set(rd.columns) and {"lon", "lat"} <= set(wgs.columns)
    assert wgs.loc[0, "lon"] == pytest.approx(6.1483, abs=1e-5)
    with pytest.raises(InputError, match="unknown output CRS 'utm'"):
        write_results(tmp_path / "x.csv", {"sites": _sites_wgs84()}, crs="utm")


def test_cli_writes_rd(tmp_path):
    from click.testing import CliRunner

    from planner.cli import main

    out = tmp_path / "assess.geojson"
    root = Path(__file__).resolve().parent.parent
    result = CliRunner().invoke(main, ["assess", str(root / "demo" / "sites.geojson"), "-o", str(out),
                                       "--crs", "rd"])
    assert result.exit_code == 0, result.output
    frame = gpd.read_file(out)
    assert frame.crs.to_epsg() == 28992 and frame.total_bounds[0] > 1000


def test_site_headers_as_municipalities_write_them(tmp_path):
    """Plot, start and job headers of planning spreadsheets; a count in FTE or a bare "Oppervlakte (m2)" (floor or
    plot?) is not guessed."""
    from planner.io import read_sites, reading_of

    headers = {"Kavelgrootte (ha)": "plot_area_ha", "Aantal arbeidsplaatsen": "declared_jobs",
               "Aantal verplaatste arbeidsplaatsen": "relocated_jobs", "Opleverdatum": "start_year",
               "Werkgelegenheid (fte)": None, "Oppervlakte (m2)": None}
    path = tmp_path / "plannen.csv"
    path.write_text("Naam;Sector;Subtype;BVO;" + ";".join(headers) + "\nA;logistiek;dc;40000;12;300;100;2028;200;5\n",
                    encoding="utf-8")
    sites = read_sites(path)
    found = {m.header: m.target for m in reading_of(sites).columns}
    assert {h: found[h] for h in headers} == headers
    assert sites[["plot_area_ha", "declared_jobs", "relocated_jobs", "start_year"]].iloc[0].tolist() == [12, 300, 100,
                                                                                                         2028]
