"""A download that cannot hurt: bad answers from a local WFS never replace the stored layer.

A local HTTP server on 127.0.0.1 plays a WFS that misbehaves: it drip-feeds,
ignores paging, sends an endless body, sends features without geometry, or
sends RD New coordinates without saying so. Each download must fail with a
clear message within its time limit and leave the stored layer byte-identical.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import geopandas as gpd
import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.errors import InputError, PlannerWarning
from planner.fetch import FetchLimits
from planner.geodata import download_boundaries, import_boundaries, load_boundaries

#: Short limits so that every test ends within seconds.
LIMITS = FetchLimits(connect_timeout=2, read_timeout=1.5, total_timeout=3, max_bytes=20 * 1024 * 1024)


class _BadWFS(BaseHTTPRequestHandler):
    """Answers GetFeature requests in the manner named by ``mode``."""

    mode: ClassVar[str] = "good"
    wgs84: ClassVar[list] = []  # the real 2024 features in longitude/latitude
    rd: ClassVar[list] = []  # the same in RD New metres
    requests: ClassVar[list] = []

    def _page(self, features: list, start: int, count: int, crs: str | None) -> bytes:
        page = {"type": "FeatureCollection", "numberMatched": len(features),
                "numberReturned": len(features[start:start + count]), "features": features[start:start + count]}
        if crs:
            page["crs"] = {"type": "name", "properties": {"name": crs}}
        return json.dumps(page).encode()

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        count, start = int(query["count"][0]), int(query.get("startIndex", ["0"])[0])
        type(self).requests.append(start)
        mode = self.mode
        try:
            if mode == "good":
                self._send(self._page(self.rd, start, count, "urn:ogc:def:crs:EPSG::28992"))
            elif mode == "drip":  # a byte at a time, each well within the read time-out
                body = self._page(self.wgs84, start, count, None)
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.2)
            elif mode == "ignore_paging":  # always the first page, whatever startIndex says
                self._send(self._page(self.wgs84, 0, count, None))
            elif mode == "endless":  # no length, never ends
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"type": "FeatureCollection", "features": [')
                while True:
                    self.wfile.write(b" " * 65536)
            elif mode == "null_geometries":
                features = [{**f, "geometry": None} for f in self.wgs84]
                self._send(self._page(features, start, count, None))
            elif mode == "unlabelled_rd":  # RD New metres without a "crs" member
                self._send(self._page(self.rd, start, count, None))
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def bad_wfs(shared_geodata):
    raw = gpd.read_file(shared_geodata / "cbs_gemeenten_2024.geojson", engine="pyogrio")
    columns = ["gemeentecode", "gemeentenaam", "geometry"]
    _BadWFS.wgs84 = json.loads(raw[columns].to_json())["features"]
    _BadWFS.rd = json.loads(raw[columns].to_crs(28992).to_json())["features"]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BadWFS)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address
    yield f"http://{host}:{port}/wfs?service=WFS&request=GetFeature&typeName=wijkenbuurten:gemeenten"
    server.shutdown()
    server.server_close()


@pytest.fixture
def stored(tmp_path, monkeypatch, shared_geodata):
    """A data directory that already holds a good exact layer of 2024; yields its bytes."""
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    with pytest.warns(PlannerWarning):
        import_boundaries(shared_geodata / "cbs_gemeenten_2024.geojson")
    folder = tmp_path / "data" / "boundaries"
    return {p.name: p.read_bytes() for p in folder.iterdir()}, folder


def _unchanged(stored) -> None:
    before, folder = stored
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert load_boundaries(2024).source == "imported from cbs_gemeenten_2024.geojson"


@pytest.mark.parametrize(("mode", "message"), [
    ("drip", r"took longer than the limit of 3 s"),
    ("ignore_paging", r"sent the same 100 features again for startIndex=100: it ignores paging"),
    ("endless", r"larger than the limit of 1 MB"),
    ("null_geometries", r"none of the 342 municipalities has a geometry"),
    ("unlabelled_rd", r"look like RD New metres \(EPSG:28992\), but the layer says they are longitude/latitude"),
])
def test_a_bad_answer_leaves_the_stored_layer_byte_identical(bad_wfs, stored, mode, message):
    _BadWFS.mode = mode
    limits = FetchLimits(**{**LIMITS.__dict__, "max_bytes": 1024 * 1024}) if mode == "endless" else LIMITS
    began = time.monotonic()
    with pytest.raises(InputError, match=rf"(?s){message}.*the cached layer is unchanged"):
        download_boundaries(2024, url=bad_wfs, page_size=100, limits=limits)
    assert time.monotonic() - began < LIMITS.total_timeout + 2
    _unchanged(stored)


def test_a_good_answer_replaces_the_stored_layer(bad_wfs, stored):
    _BadWFS.mode = "good"
    with pytest.warns(PlannerWarning, match="invalid geometries repaired"):
        layer = download_boundaries(2024, url=bad_wfs, page_size=200, limits=LIMITS)
    assert layer.year == 2024 and len(layer.boundaries) == 342
    assert load_boundaries(2024).source.startswith("CBS/PDOK wijken en buurten 2024")


def test_a_download_of_the_wrong_year_is_refused(bad_wfs, stored):
    _BadWFS.mode = "good"
    with pytest.raises(InputError, match=r"(?s)not municipalities of 2022: GM1992; the codes are those of "
                                         r"2023, 2024, 2025.*--year 2024"):
        download_boundaries(2022, url=bad_wfs, page_size=400, limits=LIMITS)
    _unchanged(stored)


def test_the_cli_shows_progress_and_a_clear_error(bad_wfs, stored):
    _BadWFS.mode = "ignore_paging"
    result = CliRunner().invoke(main, ["geodata", "download", "--url", bad_wfs, "--page-size", "100",
                                       "--timeout", "2", "--time-limit", "5"])
    assert result.exit_code == 2
    assert "ignores paging" in result.output and "the cached layer is unchanged" in result.output
    _unchanged(stored)


def test_a_stored_layer_without_geometries_is_refused_on_load(stored):
    _, folder = stored
    frame = gpd.read_file(folder / "gemeenten_2024.gpkg")
    frame = gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=[None] * len(frame), crs=28992)
    frame.to_file(folder / "gemeenten_2024.gpkg", layer="gemeenten", driver="GPKG")
    with pytest.raises(InputError, match=r"unusable.*planner geodata forget --year 2024"):
        load_boundaries(2024)
