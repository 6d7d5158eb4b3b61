"""Boundary layers: the bundled schematic layer, download from a WFS, import, boundary years.

The download is tested against a local HTTP server on 127.0.0.1 that answers
like the PDOK WFS (paged GeoJSON, ``count``/``startIndex``, RD New with a
"crs" member) with the real CBS 2024 municipalities.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

from planner import schematic
from planner.cli import main
from planner.errors import InputError, PlannerWarning
from planner.geodata import (
    download_boundaries,
    forget_boundaries,
    import_boundaries,
    load_boundaries,
    region_table,
    schematic_layer,
    unknown_codes,
)
from planner.paths import data_dir
from planner.places import normalise_name
from planner.regions import assign_gemeente, repair_boundaries, rollup


@pytest.fixture(scope="module")
def real(shared_geodata):
    raw = gpd.read_file(shared_geodata / "cbs_gemeenten_2024.geojson", engine="pyogrio")
    with pytest.warns(PlannerWarning):
        return repair_boundaries(raw)


@pytest.fixture(scope="module")
def cbs_regions(shared_geodata):
    return pd.read_csv(shared_geodata / "cbs_regio_indeling_2024.csv", dtype=str)


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


# -- the bundled region table and schematic layer ------------------------------------------------

def test_bundled_region_table_equals_cbs(cbs_regions):
    bundled = region_table(2024)
    key = "gemeentecode"
    pd.testing.assert_frame_equal(bundled.sort_values(key).reset_index(drop=True),
                                  cbs_regions[bundled.columns].sort_values(key).reset_index(drop=True))
    assert len(bundled) == 342
    assert bundled["corop_code"].nunique() == 40
    assert bundled["provincie_code"].nunique() == 12


def test_corop_nests_in_one_province(cbs_regions):
    table = pd.read_csv(data_dir("geodata") / "corop_provincie.csv", dtype=str, comment="#")
    expected = cbs_regions.drop_duplicates("corop_code").set_index("corop_code")["provincie_code"]
    assert table.set_index("corop_code")["provincie_code"].sort_index().equals(expected.sort_index())


def test_schematic_layer_covers_every_municipality(real):
    layer = schematic_layer()
    frame = layer.boundaries
    assert layer.kind == "schematic"
    assert "schematische grenzen" in layer.label("nl") and "schematic" in layer.label("en")
    assert len(frame) == 342 and frame["gemeentecode"].is_unique
    assert set(frame["gemeentecode"]) == set(real["gemeentecode"])
    assert frame.is_valid.all() and not frame.is_empty.any()
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
    assert (frame["grens"] == "schematisch").all()
    names = real.set_index("gemeentecode")["gemeentenaam"]
    assert (frame.set_index("gemeentecode")["gemeentenaam"] == names.reindex(frame["gemeentecode"])).all()
    # Schematic polygons do not overlap (one coverage): total area equals the area of the union.
    assert frame.area.sum() == pytest.approx(frame.union_all().area, rel=1e-6)


def test_schematic_layer_approximates_the_real_borders(real):
    """How good is the approximation? Measured: 98% of municipalities' interior points and 81% of the land
    fall in the right schematic polygon. The test guards these figures against a worse rebuild."""
    frame = schematic_layer().boundaries
    probes = gpd.GeoDataFrame(real[["gemeentecode"]], geometry=real.representative_point(), crs=real.crs)
    found = assign_gemeente(probes, frame)
    assert (found == real["gemeentecode"]).mean() >= 0.97
    overlay = gpd.overlay(real[["gemeentecode", "geometry"]], frame[["gemeentecode", "geometry"]],
                          how="intersection", keep_geom_type=True)
    right = overlay.loc[overlay["gemeentecode_1"] == overlay["gemeentecode_2"]].area.sum()
    assert right / real.area.sum() >= 0.75


def test_schematic_population_tracks_cbs(shared_geodata):
    frame = schematic_layer().boundaries
    cbs = gpd.read_file(shared_geodata / "cbs_gemeenten_2024.geojson", engine="pyogrio", ignore_geometry=True)
    merged = frame.merge(cbs[["gemeentecode", "aantal_inwoners"]], on="gemeentecode")
    assert merged["inwoners_geonames"].corr(merged["aantal_inwoners"]) > 0.9


def test_fallback_points_lie_in_their_real_municipality(real):
    points = pd.read_csv(data_dir("geodata") / "schematic_fallback_points.csv", comment="#")
    frame = gpd.GeoDataFrame(points, geometry=gpd.points_from_xy(points["lon"], points["lat"]), crs="EPSG:4326")
    assert assign_gemeente(frame, real).tolist() == points["gemeentecode"].tolist()


def test_committed_schematic_files_equal_a_fresh_build(tmp_path):
    """The bundled files are what planner/schematic.py makes from the registry packages."""
    built = schematic.build(tmp_path)
    bundled = data_dir("geodata")
    for name in ("regions", "points"):
        assert built[name].read_text() == (bundled / built[name].name).read_text(), name
    fresh = gpd.read_file(built["layer"]).set_index("gemeentecode")
    committed = gpd.read_file(bundled / built["layer"].name).set_index("gemeentecode")
    assert fresh.index.equals(committed.index)
    assert fresh.geom_equals_exact(committed.geometry, tolerance=1e-5).all()
    assert fresh["inwoners_geonames"].equals(committed["inwoners_geonames"])


def test_name_matching_helpers():
    assert normalise_name("'s-Hertogenbosch") == "s hertogenbosch"
    assert normalise_name("Súdwest-Fryslân") == "sudwest fryslan"


# -- roll-ups on the bundled table ----------------------------------------------------------------

def test_rollup_with_bundled_table_conserves_real_totals(shared_geodata):
    cbs = gpd.read_file(shared_geodata / "cbs_gemeenten_2024.geojson", engine="pyogrio", ignore_geometry=True)
    figures = cbs.loc[cbs["gemeentecode"] != "GM0998", ["gemeentecode", "aantal_inwoners", "huishoudens"]]
    table = region_table()
    for level, count in (("corop", 40), ("provincie", 12)):
        out = rollup(figures, table, level)
        assert len(out) == count
        assert out["aantal_inwoners"].sum() == figures["aantal_inwoners"].sum()
    assert rollup(figures, table, "provincie").loc["PV28", "provincie"] == "Zuid-Holland"


# -- download from a WFS that answers like PDOK ----------------------------------------------------

class _FakeWFS(BaseHTTPRequestHandler):
    """Pages of real CBS features in RD New, like PDOK's GetFeature with outputFormat=json."""

    features: ClassVar[list] = []
    requests: ClassVar[list] = []
    break_at: int | None = None  # startIndex at which the answer is cut short

    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        count, start = int(query["count"][0]), int(query.get("startIndex", ["0"])[0])
        type(self).requests.append((query["typeName"][0], count, start))
        page = {"type": "FeatureCollection", "numberMatched": len(self.features),
                "numberReturned": len(self.features[start:start + count]),
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
                "features": self.features[start:start + count]}
        body = json.dumps(page).encode()
        if self.break_at is not None and start >= self.break_at:
            body = body[: len(body) // 2]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def wfs(shared_geodata):
    raw = gpd.read_file(shared_geodata / "cbs_gemeenten_2024.geojson", engine="pyogrio").to_crs(28992)
    _FakeWFS.features = json.loads(raw[["gemeentecode", "gemeentenaam", "aantal_inwoners", "geometry"]].to_json())[
        "features"]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeWFS)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address
    yield (f"http://{host}:{port}/cbs/wijkenbuurten/2024/wfs/v1_0?service=WFS&version=2.0.0&request=GetFeature"
           "&typeName=wijkenbuurten:gemeenten&outputFormat=json")
    server.shutdown()
    server.server_close()


def test_download_pages_through_all_features(wfs, data_home, real):
    _FakeWFS.requests, _FakeWFS.break_at = [], None
    seen = []
    with pytest.warns(PlannerWarning, match="7 invalid geometries repaired"):
        layer = download_boundaries(2024, url=wfs, page_size=100, progress=lambda done, total: seen.append(done))
    assert [r[2] for r in _FakeWFS.requests] == [0, 100, 200, 300]
    assert seen == [100, 200, 300, 343]
    assert layer.kind == "exact" and len(layer.boundaries) == 342
    again = load_boundaries(2024)
    assert again.kind == "exact" and "exacte grenzen" in again.label("nl")
    assert set(again.boundaries["gemeentecode"]) == set(real["gemeentecode"])
    assert again.boundaries.crs.to_epsg() == 28992
    assert again.boundaries.area.sum() == pytest.approx(real.area.sum(), rel=1e-9)
    assert (data_home / "boundaries" / "gemeenten_2024.gpkg").is_file()
    assert forget_boundaries(2024) and load_boundaries(2024).kind == "schematic"


def test_cut_short_download_leaves_cache_as_it_was(wfs, data_home, shared_geodata):
    with pytest.warns(PlannerWarning):
        import_boundaries(shared_geodata / "cbs_gemeenten_2024.geojson", 2024)
    before = (data_home / "boundaries" / "gemeenten_2024.gpkg").read_bytes()
    _FakeWFS.break_at = 200
    try:
        with pytest.raises(InputError, match=r"features 200\+ is not complete GeoJSON.*cached layer is unchanged"):
            download_boundaries(2024, url=wfs, page_size=100)
    finally:
        _FakeWFS.break_at = None
    assert (data_home / "boundaries" / "gemeenten_2024.gpkg").read_bytes() == before
    assert load_boundaries(2024).source == "imported from cbs_gemeenten_2024.geojson"
    assert sorted(p.name for p in (data_home / "boundaries").iterdir()) == ["gemeenten_2024.gpkg",
                                                                           "gemeenten_2024.json"]


def test_unreachable_service_is_a_clear_error(data_home):
    with pytest.raises(InputError, match=r"download failed.*check the internet connection"):
        download_boundaries(2024, url="http://127.0.0.1:9/wfs?service=WFS", timeout=2)
    with pytest.raises(InputError, match="not an http"):
        download_boundaries(2024, url="file:///etc/passwd")
    assert load_boundaries(2024).kind == "schematic"


def test_cli_download_and_status(wfs, data_home):
    runner = CliRunner()
    result = runner.invoke(main, ["geodata", "download", "--year", "2024", "--url", wfs, "--page-size", "200"])
    assert result.exit_code == 0, result.output
    assert "Stored 342 municipalities; exact borders, 2024" in result.output
    status = runner.invoke(main, ["geodata", "status"])
    assert "342 municipalities; exact borders" in status.output
    runner.invoke(main, ["geodata", "forget"])
    assert "schematic borders" in runner.invoke(main, ["geodata", "status"]).output


# -- import ----------------------------------------------------------------------------------------

def test_import_zipped_shapefile(tmp_path, data_home, real):
    folder = tmp_path / "shp"
    folder.mkdir()
    # As in the CBS wijk- en buurtkaart shapefiles: GM_CODE, GM_NAAM.
    shp = real[["gemeentecode", "gemeentenaam", "geometry"]].rename(columns={"gemeentecode": "GM_CODE",
                                                                           "gemeentenaam": "GM_NAAM"})
    shp.to_file(folder / "gemeenten.shp", engine="pyogrio")
    archive = tmp_path / "gemeenten.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)
    layer = import_boundaries(archive, 2024)
    assert layer.kind == "exact" and len(layer.boundaries) == 342
    assert load_boundaries(2024).boundaries["gemeentecode"].is_unique


def test_import_refuses_a_layer_without_codes(tmp_path, data_home, real):
    path = tmp_path / "wijken.gpkg"
    real.rename(columns={"gemeentecode": "code"})[["code", "geometry"]].to_file(path, engine="pyogrio")
    with pytest.raises(InputError, match=r"(?s)wijken.gpkg.*no column 'gemeentecode'"):
        import_boundaries(path, 2024)
    assert not (data_home / "boundaries" / "gemeenten_2024.gpkg").exists()


def test_import_of_codes_from_another_year_is_refused(tmp_path, data_home, real):
    path = tmp_path / "oud.gpkg"
    older = real[["gemeentecode", "gemeentenaam", "geometry"]].copy()
    older.loc[older["gemeentecode"] == "GM1992", "gemeentecode"] = "GM0501"  # Voorne aan Zee back to Brielle
    older.to_file(path, engine="pyogrio")
    with pytest.raises(InputError, match=r"1 code\(s\) are not municipalities of 2024: GM0501"):
        import_boundaries(path, 2024)
    assert not (data_home / "boundaries").exists() or not list((data_home / "boundaries").iterdir())
    # Without a year, its codes are those of part of 2022 (Brielle without Hellevoetsluis and Westvoorne).
    with pytest.warns(PlannerWarning, match=r"holds 342 of the 345 municipalities of 2022; GM0457, GM0530, GM0614"):
        assert import_boundaries(path).year == 2022
    older.loc[0, "gemeentecode"] = "GM9999"
    older.to_file(path, engine="pyogrio")
    with pytest.raises(InputError, match=r"1 code\(s\) fit no boundary year planner knows \(2015-2025\): GM9999"):
        import_boundaries(path)


def test_codes_from_another_year_are_reported(real):
    layer = schematic_layer()
    problems = unknown_codes(["GM0363", "GM0501", None, "GM9999"], layer, labels=["line 2", "line 3", "line 4",
                                                                                  "line 5"])
    assert [p.row for p in problems] == ["line 3", "line 5"]
    assert "GM0501 is not a municipality in 2024" in str(problems[0])
    assert "merged" in problems[0].fix


def test_year_without_layer_says_what_to_do(data_home):
    with pytest.raises(InputError, match=r"no municipal boundaries for 2019.*planner geodata download --year 2019"):
        load_boundaries(2019)


def test_schematic_agreement_matches_the_readme(real):
    """The figures in geodata/README.md are what planner.schematic.agreement measures on the real 2024 layer."""
    import re

    figures = schematic.agreement(schematic_layer().boundaries, real)
    text = (data_dir("geodata") / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| ([^|]+?) \| ([\d.]+) % \|$", text, flags=re.MULTILINE))
    expected = {
        "area in the right municipality": (figures["area"], 1),
        "area covered by the schematic layer": (figures["covered"], 2),
        "municipalities whose interior point lies in their own polygon": (figures["interior_points"], 2),
        "households in the right municipality, spread evenly over each municipality": (figures["huishoudens"], 1),
        "BAG dwelling addresses in the right municipality, spread evenly (30 municipalities with the figure)":
            (figures["bag_adressen_woon"], 1),
    }
    for label, (value, digits) in expected.items():
        assert table[label] == f"{100 * value:.{digits}f}", label
    assert figures["bag_adressen_woon_municipalities"] == 30


def test_schematic_layer_covers_all_land_including_flevoland_and_the_wadden(real):
    """The finding: the schematic layer left most of Flevoland empty."""
    import shapely

    cells = shapely.union_all(schematic_layer().boundaries.geometry.to_numpy())
    table = region_table(2024).set_index("gemeentecode")
    parts = {"Flevoland": table.index[table["provincie"] == "Flevoland"],
             "Wadden": ["GM0448", "GM0096", "GM0093", "GM0060", "GM0088"]}
    for name, codes in parts.items():
        land = shapely.union_all(real.set_index("gemeentecode").loc[codes].geometry.to_numpy())
        assert shapely.area(shapely.intersection(land, cells)) / land.area > 0.999, name
