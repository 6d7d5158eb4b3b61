"""The national housing check: GeoParquet in, the same numbers as the ordinary check out, also on Dask.

Real CBS 2024 boundaries from ../shared/geodata; registers from the seeded
synthetic generator (with deliberately unusable rows).
"""

from __future__ import annotations

import json
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import shapely
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.cli import main
from planner.errors import InputError, PlannerWarning, Problem
from planner.geodata import BoundaryLayer, load_boundaries, region_table
from planner.housing import check_housing
from planner.national import (
    ParquetSource,
    check_national,
    check_national_dask,
    geo_metadata,
    national_layers,
    write_geoparquet,
)
from planner.regional import capacity_by_gemeente
from planner.regions import PointIndex, assign_gemeente, repair_boundaries
from planner.synthetic import national_register


@pytest.fixture(scope="module")
def layer(shared_geodata) -> BoundaryLayer:
    raw = gpd.read_file(shared_geodata / "cbs_gemeenten_2024.geojson", engine="pyogrio")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlannerWarning)
        boundaries = repair_boundaries(raw)
    return BoundaryLayer(boundaries, 2024, "exact", "CBS wijk- en buurtkaart 2024 (test copy)")


@pytest.fixture(scope="module")
def register(layer) -> pd.DataFrame:
    return national_register(40_000, layer.boundaries, seed=7, bad_share=0.01)


@pytest.fixture(scope="module")
def register_file(register, tmp_path_factory):
    return write_geoparquet(tmp_path_factory.mktemp("national") / "register.parquet", register)


def _reference(path, layer, norm="roemer", compare="bouwbesluit") -> pd.DataFrame:
    """The ordinary, per-location check of the same file, read by geopandas."""
    frame = gpd.read_parquet(path)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    summary, _ = capacity_by_gemeente(check_housing(frame, norm, compare), layer)
    return summary


def _comparable(result) -> pd.DataFrame:
    table = result.per_gemeente.drop(columns=["gemeentenaam", "outside_boundaries"])
    return table[(table["locations"] + table["unusable_rows"]) > 0].sort_index()


def test_point_index_answers_like_point_in_polygon_on_real_borders(layer):
    boundaries = layer.boundaries
    index = PointIndex(boundaries.geometry.to_numpy(), cell=100)
    rng = np.random.default_rng(1)
    xmin, ymin, xmax, ymax = boundaries.total_bounds
    x, y = rng.uniform(xmin, xmax, 150_000), rng.uniform(ymin, ymax, 150_000)
    # Points exactly on the borders (vertices shared by two municipalities) and just beside them.
    vertices = shapely.get_coordinates(boundaries.geometry.to_numpy())[::7]
    x = np.concatenate([x, vertices[:, 0], vertices[:, 0] + 0.01])
    y = np.concatenate([y, vertices[:, 1], vertices[:, 1] - 0.01])
    found = index.locate(x, y)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=boundaries.crs)
    expected = assign_gemeente(points, boundaries).to_numpy(dtype=object)
    codes = boundaries["gemeentecode"].to_numpy(dtype=object)
    mine = np.where(found >= 0, codes[np.maximum(found, 0)], None)
    assert (mine == expected).all(), f"{int((mine != expected).sum())} points differ"
    assert (found >= 0).sum() > 60_000 and (found < 0).sum() > 60_000  # both land and sea were tried
    assert index.border_share < 0.06  # only a few percent of the cells need an exact test


def test_point_index_on_borders_along_cell_edges_and_through_corners():
    """Borders on the grid's own lines and corners: points on them and a hair beside them are found exactly."""
    squares = np.array([shapely.box(0, 0, 1000, 1000), shapely.box(1000, 0, 2000, 1000),
                        shapely.Polygon([(0, 1000), (2000, 1000), (1000, 1500)]),
                        shapely.box(300, 300, 700, 700)], dtype=object)  # the last lies inside the first
    index = PointIndex(squares, cell=100)
    rng = np.random.default_rng(3)
    edges = np.array([0.0, 300.0, 700.0, 1000.0, 1500.0, 2000.0])
    offsets = np.array([0.0, 1e-9, -1e-9, 1e-6, -1e-6, 0.01, -0.01, 50.0])
    x = (rng.choice(edges, 20_000) + rng.choice(offsets, 20_000)) * np.where(rng.random(20_000) < 0.5, 1, 0) \
        + np.where(rng.random(20_000) < 0.5, 0, rng.uniform(-100, 2100, 20_000))
    y = rng.choice(edges, 20_000) + rng.choice(offsets, 20_000)
    expected = np.full(len(x), -1)
    for position in range(len(squares) - 1, -1, -1):  # the lowest position wins, as in the index
        expected[shapely.intersects_xy(squares[position], x, y)] = position
    assert (index.locate(x, y) == expected).all()


def test_point_index_where_polygons_overlap_nest_and_have_holes():
    """Overlapping discs, a polygon inside another (either first), rings with holes, multipolygons: the index
    gives what testing every point against every polygon gives, the lowest position winning."""
    rng = np.random.default_rng(5)
    centres = rng.uniform(0, 5_000, (25, 2))
    discs = list(shapely.buffer(shapely.points(centres), rng.uniform(150, 900, 25)))
    discs[3] = shapely.difference(discs[3], shapely.buffer(shapely.Point(*centres[3]), 100))  # a hole
    discs[7] = shapely.union(shapely.box(6_000, 0, 6_400, 400), shapely.box(6_600, 0, 7_000, 400))  # two parts
    discs.insert(0, shapely.box(2_010, 2_010, 2_290, 2_290))  # small and first, inside a larger one below
    discs.append(shapely.box(1_000, 1_000, 4_000, 4_000))  # large and last, over many others
    polygons = np.array(discs, dtype=object)
    x, y = rng.uniform(-200, 7_200, 200_000), rng.uniform(-200, 5_200, 200_000)
    vertices = shapely.get_coordinates(polygons)
    x, y = np.concatenate([x, vertices[:, 0]]), np.concatenate([y, vertices[:, 1]])
    expected = np.full(len(x), -1)
    for position in range(len(polygons) - 1, -1, -1):
        expected[shapely.intersects_xy(polygons[position], x, y)] = position
    for cell in (37.0, 100.0):
        assert (PointIndex(polygons, cell=cell).locate(x, y) == expected).all()


def test_national_check_equals_the_ordinary_check(register_file, register, layer):
    result = check_national(register_file, layer, "roemer", "bouwbesluit", regions=region_table(2024),
                            batch_rows=7_000)  # several batches, the last one short
    pd.testing.assert_frame_equal(_comparable(result), _reference(register_file, layer)[_comparable(result).columns],
                                  check_dtype=False, check_names=False)
    total = result.totals()
    assert total["locations"] + total["unusable_rows"] == len(register)  # every row counted once
    assert 300 <= total["unusable_rows"] <= 500  # 1% made unusable on purpose
    assert total["capacity_lost"] == total["capacity_compare"] - total["capacity"]
    for level, regions in (("corop", 40), ("provincie", 12)):
        rolled = result.per_region(level)
        assert len(rolled) == regions
        known = result.per_gemeente.drop(index="(unknown)", errors="ignore")
        assert rolled["capacity"].sum() == known["capacity"].sum()
        assert rolled["locations"].sum() == known["locations"].sum()
    reasons = dict(zip(result.problems["problem"], result.problems["rows"], strict=True))
    assert sum(reasons.values()) == total["unusable_rows"]
    assert any("cannot be placed" in r for r in reasons) and any("floor area missing" in r for r in reasons)
    first = result.problems.iloc[0]["examples"].split(", ")[0]
    row = int(first)  # the example names a real row of the file (1 = the first data row)
    assert pd.isna(register.loc[row - 1, "floor_area_m2"]) or pd.isna(register.loc[row - 1, "x"])


def test_geoparquet_from_geopandas_in_any_encoding_and_crs(register, layer, tmp_path):
    sample = register.iloc[:5_000]
    rd = write_geoparquet(tmp_path / "rd.parquet", sample)
    expected = _comparable(check_national(rd, layer, "roemer"))
    frame = gpd.GeoDataFrame(sample.drop(columns=["x", "y"]), geometry=gpd.points_from_xy(sample["x"], sample["y"]),
                             crs="EPSG:28992")
    frame.to_crs("EPSG:4326").to_parquet(tmp_path / "wgs84.parquet")
    frame.to_parquet(tmp_path / "geoarrow.parquet", geometry_encoding="geoarrow")
    # Building outlines instead of points: each is placed by a point on its surface.
    frame.set_geometry(frame.buffer(3)).to_parquet(tmp_path / "polygons.parquet")
    assert geo_metadata(tmp_path / "geoarrow.parquet")["columns"]["geometry"]["encoding"] == "point"
    for name in ("wgs84", "geoarrow", "polygons"):
        got = _comparable(check_national(tmp_path / f"{name}.parquet", layer, "roemer"))
        pd.testing.assert_frame_equal(got, expected, check_dtype=False, obj=name)
    # Read back by geopandas: our own writer makes standard GeoParquet.
    back = gpd.read_parquet(rd)
    assert back.crs.to_epsg() == 28992 and len(back) == 5_000
    assert np.allclose(back.geometry.x.to_numpy(), sample["x"].to_numpy(), equal_nan=True)


def test_bad_geoparquet_is_refused_with_the_file_row_and_fix(register, layer, tmp_path):
    plain = tmp_path / "plain.parquet"
    register.iloc[:10].to_parquet(plain)
    with pytest.raises(InputError, match="no GeoParquet 'geo' metadata") as caught:
        check_national(plain, layer)
    assert "plain.parquet" in str(caught.value)
    lying = tmp_path / "lying.parquet"
    write_geoparquet(lying, register.iloc[:10], crs="EPSG:4326")  # RD metres labelled as degrees
    with pytest.raises(InputError, match="holds metres") as caught:
        check_national(lying, layer)
    assert "row 1" in str(caught.value) and "EPSG:28992" in str(caught.value)
    nameless = tmp_path / "nameless.parquet"
    write_geoparquet(nameless, register.iloc[:10].rename(columns={"floor_area_m2": "m2"}))
    with pytest.raises(InputError, match="no column for floor_area_m2") as caught:
        check_national(nameless, layer)
    assert "m2" in str(caught.value) and "--map" in str(caught.value)
    mapped = check_national(nameless, layer, mapping={"m2": "floor_area_m2"})
    assert mapped.totals()["locations"] + mapped.totals()["unusable_rows"] == 10
    with pytest.raises(InputError, match="not found"):
        check_national(tmp_path / "nothing.parquet", layer)


def test_dask_refuses_what_the_in_memory_check_refuses(register, layer, tmp_path):
    """RD metres labelled as degrees: the same error, naming the file and row, on a cluster as in memory."""
    lying = tmp_path / "lying.parquet"
    write_geoparquet(lying, register.iloc[:10], crs="EPSG:4326")
    with pytest.raises(InputError, match="holds metres") as in_memory:
        check_national(lying, layer)
    with pytest.raises(InputError, match="holds metres") as on_dask:
        check_national_dask(lying, layer, n_workers=1, memory_limit="1GiB")
    assert str(on_dask.value) == str(in_memory.value)


def test_dask_local_cluster_with_two_workers_gives_identical_results(register_file, layer):
    memory = check_national(register_file, layer, "roemer", "bouwbesluit", regions=region_table(2024))
    on_dask = check_national_dask(register_file, layer, "roemer", "bouwbesluit", regions=region_table(2024),
                                  n_workers=2, memory_limit="1GiB")
    assert on_dask.engine.startswith("dask LocalCluster(2 workers")
    pd.testing.assert_frame_equal(on_dask.per_gemeente, memory.per_gemeente)
    pd.testing.assert_frame_equal(on_dask.per_region("provincie"), memory.per_region("provincie"))
    assert on_dask.problems["rows"].tolist() == memory.problems["rows"].tolist()
    assert on_dask.problems["problem"].tolist() == memory.problems["problem"].tolist()


@pytest.mark.slow
def test_a_partitioned_dataset_larger_than_the_workers_memory(layer, tmp_path):
    """80 files of 100,000 locations: about 2.5 GB as the pipeline holds them, on two workers of 700 MiB."""
    import subprocess
    import sys

    from distributed import Client, LocalCluster

    folder = tmp_path / "bag"
    folder.mkdir()
    for part in range(80):
        piece = national_register(100_000, layer.boundaries, seed=100 + part)
        piece["location_id"] += part * 100_000  # ids unique over the whole dataset, as in BAG
        write_geoparquet(folder / f"part-{part:03d}.parquet", piece)
    # What a partition costs in memory as the workers hold it (a GeoDataFrame), measured in a fresh process.
    probe = ("import sys, gc, psutil, geopandas as gpd; p = psutil.Process(); gc.collect(); a = p.memory_info().rss; "
             "held = [gpd.read_parquet(f) for f in sys.argv[1:]]; gc.collect(); "
             "print((p.memory_info().rss - a) / len(held))")
    measured = subprocess.run([sys.executable, "-c", probe, *map(str, sorted(folder.iterdir())[:4])],
                              capture_output=True, text=True, check=True)
    per_partition = float(measured.stdout.strip())
    limit = 700 * 2**20
    assert per_partition * 80 > 2 * limit, f"{per_partition * 80 / 2**30:.2f} GiB is not larger"
    with LocalCluster(n_workers=2, threads_per_worker=1, memory_limit=limit, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        workers = set(client.scheduler_info()["workers"])
        on_dask = check_national_dask(folder, layer, "roemer", scheduler=cluster.scheduler_address)
        assert set(client.scheduler_info()["workers"]) == workers  # no worker ran out of memory and restarted
    in_memory = check_national(folder, layer, "roemer")
    pd.testing.assert_frame_equal(on_dask.per_gemeente, in_memory.per_gemeente)
    assert on_dask.totals()["locations"] + on_dask.totals()["unusable_rows"] == 8_000_000


def test_cli_check_national_prints_totals_and_writes_every_level(register_file, tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))  # the bundled schematic borders
    target = tmp_path / "national.xlsx"
    run = CliRunner().invoke(main, ["check-national", str(register_file), "--compare", "bouwbesluit",
                                    "-o", str(target)])
    assert run.exit_code == 0, run.output
    expected = check_national(register_file, load_boundaries(2024), "roemer", "bouwbesluit",
                              regions=region_table(2024))
    total = expected.totals()
    assert f"{int(total['capacity']):,}" in run.output and f"{int(total['capacity_lost']):,}" in run.output
    assert "schematic" in run.output and "could not be used" in run.output
    sheets = pd.read_excel(target, sheet_name=None)
    assert set(sheets) == {"per_gemeente", "per_corop", "per_provincie", "problems", "about"}
    assert sheets["per_provincie"]["capacity"].sum() == pytest.approx(
        expected.per_gemeente.drop(index="(unknown)", errors="ignore")["capacity"].sum())
    assert sheets["problems"]["rows"].sum() == total["unusable_rows"]
    on_dask = CliRunner().invoke(main, ["check-national", str(register_file), "--compare", "bouwbesluit", "--dask",
                                        "--workers", "2", "--memory-limit", "1GiB"])
    assert on_dask.exit_code == 0, on_dask.output
    assert "engine: dask LocalCluster(2 workers, 1GiB each)" in on_dask.output

    def totals_block(output: str) -> str:
        return output[output.index("Totals:"):].split("\n\n")[0]

    assert totals_block(on_dask.output) == totals_block(run.output)  # the same figures, line for line


def test_national_layers_map_every_municipality(register_file, layer, tmp_path):
    result = check_national(register_file, layer, regions=region_table(2024))
    layers = national_layers(result, layer)
    assert isinstance(layers["per_gemeente"], gpd.GeoDataFrame)
    assert layers["per_gemeente"].geometry.notna().sum() == 342
    about = dict(zip(layers["about"]["item"], layers["about"]["value"], strict=True))
    assert about["norm"] == "roemer" and "CBS" in about["boundaries"]
    meta = json.loads(pq.read_schema(register_file).metadata[b"geo"])
    assert meta["columns"]["geometry"]["crs"]["id"]["code"] == 28992
    assert ParquetSource.open(register_file).rows == 40_000


ODD_NUMBER = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                       st.sampled_from([0.0, -1.0, 1e12, 0.5, 2.0, 15.0, 5001.0, 100_001.0]))


class _Quiet:
    """The layer and setup for the property test, with a short repr for hypothesis' reports."""

    def __init__(self, layer):
        from planner.national import Setup

        self.layer, self.setup = layer, Setup.make(layer, "roemer", "bouwbesluit")

    def __repr__(self) -> str:
        return "<CBS 2024 layer and its setup>"


@pytest.fixture(scope="module")
def odd(layer):
    return _Quiet(layer)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(ODD_NUMBER, ODD_NUMBER, ODD_NUMBER, ODD_NUMBER,
                               st.sampled_from(["woning", "chalet", "Short stay", "", "?"]),
                               st.booleans()), min_size=1, max_size=40))
def test_odd_registers_give_the_same_sums_in_batches_as_row_by_row(rows, odd):
    """Generated registers with odd values: nothing crashes, no row is lost, both paths agree."""
    from planner.national import check_batch

    frame = pd.DataFrame(rows, columns=["floor_area_m2", "bedrooms", "occupants", "licensed_beds", "type",
                                        "placed"])
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    x = np.where(frame.pop("placed"), 150_000.0, np.nan)  # Utrecht, or nowhere
    frame["x"], frame["y"] = x, np.where(np.isfinite(x), 455_000.0, np.nan)
    summary, problems = check_batch(frame, odd.setup)
    assert summary["locations"].sum() + summary["unusable_rows"].sum() == len(frame)
    assert len(problems) == summary["unusable_rows"].sum()
    assert (summary["capacity"] >= 0).all()
    located = gpd.GeoDataFrame(frame.drop(columns=["x", "y"]),
                               geometry=gpd.points_from_xy(frame["x"], frame["y"]), crs="EPSG:28992")
    expected, _ = capacity_by_gemeente(check_housing(located, "roemer", "bouwbesluit"), odd.layer)
    summary = summary.loc[(summary["locations"] + summary["unusable_rows"]) > 0]
    pd.testing.assert_frame_equal(summary.drop(columns="outside_boundaries").sort_index(),
                                  expected[summary.columns.drop("outside_boundaries")].sort_index(),
                                  check_dtype=False, check_names=False, check_index_type=False)


def test_a_location_repeated_in_a_later_batch_or_file_counts_once(register, layer, tmp_path):
    sample = register.iloc[:3_000].copy()
    sample.loc[2_500, "location_id"] = sample.loc[10, "location_id"]  # the same id far apart
    sample.loc[2_600, "location_id"] = sample.loc[2_599, "location_id"]  # and next to each other
    path = write_geoparquet(tmp_path / "repeats.parquet", sample)
    in_batches = check_national(path, layer, "roemer", batch_rows=1_000)
    pd.testing.assert_frame_equal(_comparable(in_batches), _reference(path, layer, compare=None)[
        _comparable(in_batches).columns], check_dtype=False, check_names=False)
    repeated = in_batches.problems[in_batches.problems["problem"].str.contains("already on row")]
    assert sorted(repeated["examples"].astype(int)) == [2_501, 2_601]  # rows are counted from 1
    assert (f"location_id '{sample.loc[10, 'location_id']}' already on row 11 (a location is counted once)"
            in set(repeated["problem"]))
    # The same rows as two files on a cluster: the repeat across the files is found too.
    folder = tmp_path / "parts"
    folder.mkdir()
    write_geoparquet(folder / "a.parquet", sample.iloc[:2_000])
    write_geoparquet(folder / "b.parquet", sample.iloc[2_000:])
    on_dask = check_national_dask(folder, layer, "roemer", n_workers=2, memory_limit="1GiB")
    pd.testing.assert_frame_equal(on_dask.per_gemeente, in_batches.per_gemeente)
    pd.testing.assert_frame_equal(on_dask.problems, in_batches.problems)  # the same rows, numbered as in the file


def test_rows_with_older_codes_count_in_their_municipality_of_the_layer_year(odd):
    """Registers keyed by codes from before a merger (Brielle, Weesp) roll up to the municipalities of 2024."""
    from planner.national import check_batch

    frame = pd.DataFrame({"floor_area_m2": [100.0, 100.0, 100.0], "bedrooms": [3, 3, 3], "occupants": [2, 3, 4],
                          "type": ["woning"] * 3, "gemeentecode": ["GM0501", "457", "GM1992"],
                          "x": [np.nan] * 3, "y": [np.nan] * 3})
    summary, _ = check_batch(frame, odd.setup)
    assert summary.loc["GM1992", "locations"] == 2 and summary.loc["GM1992", "occupants"] == 6
    assert summary.loc["GM0363", "locations"] == 1
    assert ("GM0501", "GM1992") in odd.setup.carried and ("GM0788", "GM0757") not in odd.setup.carried


def test_rows_to_check_are_counted_alike_in_batches_and_change_no_sum(odd):
    """Implausible rows (5,000 persons in 40 m2, 0.9 m2, 40 bedrooms in 90 m2, a licence of 0 beds) count as they
    are in both paths, and both count the same rows to check."""
    from planner.national import check_batch

    frame = pd.DataFrame({"floor_area_m2": [40.0, 90.0, 0.9, 90.0, 90.0], "bedrooms": [2.0, 4.0, 4.0, 40.0, 3.0],
                          "occupants": [5000.0, 6.0, 6.0, 6.0, 3.0],
                          "licensed_beds": [np.nan, 0.0, np.nan, np.nan, 8.0],
                          "type": ["woning"] * 5, "x": [150_000.0] * 5, "y": [455_000.0] * 5})
    frame.index = pd.RangeIndex(1, 6, name="row")
    summary, problems = check_batch(frame, odd.setup)
    located = gpd.GeoDataFrame(frame.drop(columns=["x", "y"]), geometry=gpd.points_from_xy(frame["x"], frame["y"]),
                               crs="EPSG:28992")
    checked = check_housing(located, "roemer", "bouwbesluit")
    assert checked["to_check"].ne("").tolist() == [True, True, True, True, False]
    assert summary["to_check"].sum() == 4 and len(problems) == 0 and summary["locations"].sum() == 5
    assert summary["capacity"].sum() == checked["capacity"].sum() == 2 + 0 + 0 + 6 + 3


def test_two_processes_give_exactly_the_answer_of_one(register, layer, tmp_path):
    """Row groups split over this process and a forked copy: the same sums, problems and row numbers, a
    location repeated across the split counted once, and progress that ends at every row."""
    sample = register.iloc[:20_000].copy()
    sample.loc[15_000, "location_id"] = sample.loc[10, "location_id"]  # repeats a row of the first half
    sample.loc[4_000, "location_id"] = sample.loc[3_999, "location_id"]
    path = write_geoparquet(tmp_path / "groups.parquet", sample, row_group_rows=2_500)
    one = check_national(path, layer, "roemer", "bouwbesluit", processes=1, batch_rows=1_000)
    seen: list[tuple[int, int]] = []
    two = check_national(path, layer, "roemer", "bouwbesluit", processes=2, batch_rows=1_000,
                         progress=lambda done, total: seen.append((done, total)))
    assert two.engine == "in memory (2 processes)" and one.engine == "in memory (2 threads)"
    pd.testing.assert_frame_equal(two.per_gemeente, one.per_gemeente)
    pd.testing.assert_frame_equal(two.problems, one.problems)
    repeated = two.problems[two.problems["problem"].str.contains("already on row")]
    assert sorted(repeated["examples"].astype(int)) == [4_001, 15_001]
    assert two.totals()["locations"] + two.totals()["unusable_rows"] == len(sample)
    assert seen[-1] == (len(sample), len(sample))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    # A file of one row group cannot be split: it is checked in this process.
    single = write_geoparquet(tmp_path / "one.parquet", sample, row_group_rows=len(sample))
    assert check_national(single, layer, "roemer", processes=2).engine.startswith("in memory (2 thread")


def test_a_copy_that_fails_or_dies_is_reported_never_as_fewer_rows(register, layer, tmp_path, monkeypatch):
    import os

    import planner.national as national

    path = write_geoparquet(tmp_path / "groups.parquet", register.iloc[:8_000], row_group_rows=2_000)
    parent = os.getpid()
    checked = national.check_batch

    def failing(frame, setup, repeated=None):
        if os.getpid() != parent:  # only in the forked copy
            raise InputError(Problem("a broken batch", column="floor_area_m2"), source="part two")
        return checked(frame, setup, repeated)

    monkeypatch.setattr(national, "check_batch", failing)
    with pytest.raises(InputError, match="a broken batch"):
        check_national(path, layer, "roemer", processes=2)

    def dying(frame, setup, repeated=None):
        if os.getpid() != parent:
            os._exit(3)  # as if killed for memory
        return checked(frame, setup, repeated)

    monkeypatch.setattr(national, "check_batch", dying)
    with pytest.raises(RuntimeError, match=r"stopped \(exit code 3\)"):
        check_national(path, layer, "roemer", processes=2)


def test_point_index_puts_points_without_or_beyond_coordinates_outside():
    index = PointIndex([shapely.box(0, 0, 1000, 1000)], cell=100)
    x = np.array([np.nan, 5.0, np.inf, -np.inf, 5.0, 1e300, 999.0])
    y = np.array([5.0, np.nan, 5.0, 5.0, 5.0, 5.0, 1000.0])
    assert index.locate(x, y).tolist() == [-1, -1, -1, -1, 0, -1, 0]
