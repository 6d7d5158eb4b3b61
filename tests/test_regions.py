"""Boundaries, assignment and region roll-ups on the real CBS 2024 municipalities."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from planner.demo import demo_sites
from planner.errors import InputError, PlannerWarning
from planner.housing import check_housing, summarise_housing
from planner.regions import assign_gemeente, region_table_from_csv, repair_boundaries, rollup
from planner.synthetic import synthetic_housing


@pytest.fixture(scope="module")
def real(shared_geodata):
    raw = gpd.read_file(shared_geodata / "cbs_gemeenten_2024.geojson", engine="pyogrio")
    with pytest.warns(PlannerWarning, match="7 invalid municipal geometries repaired"):
        boundaries = repair_boundaries(raw)
    return raw, boundaries


@pytest.fixture(scope="module")
def regions(shared_geodata):
    return pd.read_csv(shared_geodata / "cbs_regio_indeling_2024.csv", dtype=str)


def test_real_boundaries_are_repaired_and_complete(real):
    raw, boundaries = real
    assert (~raw.is_valid).sum() == 8  # one of them is "Buitenland" (GM0998), which is dropped
    assert len(boundaries) == 342
    assert boundaries.is_valid.all()
    assert boundaries.crs.to_epsg() == 28992
    assert set(boundaries.geom_type) <= {"Polygon", "MultiPolygon"}
    assert "GM0998" not in set(boundaries["gemeentecode"])


def test_every_municipality_finds_itself(real):
    _, boundaries = real
    probes = gpd.GeoDataFrame(geometry=boundaries.representative_point(), crs=boundaries.crs)
    assert assign_gemeente(probes, boundaries).tolist() == boundaries["gemeentecode"].tolist()


def test_points_outside_and_missing_geometries_are_reported_not_dropped(real):
    _, boundaries = real
    locations = gpd.GeoDataFrame({"name": ["Venlo", "Noordzee", "geen"]},
                                 geometry=[Point(6.1483, 51.3928), Point(3.0, 53.5), None], crs="EPSG:4326")
    codes = assign_gemeente(locations, boundaries)
    assert codes.tolist() == ["GM0983", None, None]
    assert codes.index.tolist() == [0, 1, 2]


def test_polygons_take_the_municipality_they_overlap_most(real):
    _, boundaries = real
    sites = demo_sites()
    assert assign_gemeente(sites, boundaries).tolist() == [
        "GM0983", "GM0867", "GM0995", "GM1783", "GM1911", "GM0757", "GM1507", "GM0794"]
    venlo = boundaries.loc[boundaries["gemeentecode"] == "GM0983"].geometry.iloc[0]
    x, y = venlo.representative_point().coords[0]
    straddling = gpd.GeoDataFrame(geometry=[box(x - 10, y - 10, x + 10, y + 10)], crs="EPSG:28992")
    assert assign_gemeente(straddling, boundaries).tolist() == ["GM0983"]


def test_province_and_corop_rollups_equal_the_municipal_totals(real, regions):
    _, boundaries = real
    figures = boundaries[["gemeentecode", "aantal_inwoners", "huishoudens", "opp_bedrijventerrein_ha"]]
    provinces = rollup(figures, regions, "provincie")
    corop = rollup(figures, regions, "corop")
    assert len(provinces) == 12 and len(corop) == 40
    for column in ("aantal_inwoners", "huishoudens", "opp_bedrijventerrein_ha"):
        assert provinces[column].sum() == pytest.approx(figures[column].sum())
        assert corop[column].sum() == pytest.approx(figures[column].sum())
    # COROP regions nest in provinces: rolling COROP up gives the provinces again.
    corop_to_province = regions.drop_duplicates("corop_code")[["corop_code", "provincie_code"]]
    again = corop["aantal_inwoners"].groupby(corop.index.map(
        corop_to_province.set_index("corop_code")["provincie_code"])).sum()
    assert again.sort_index().tolist() == provinces["aantal_inwoners"].sort_index().tolist()
    assert provinces.loc["PV24", "provincie"] == "Flevoland"


def test_custom_region_from_a_csv_table(real):
    _, boundaries = real
    table = region_table_from_csv(pd.DataFrame({
        "gemeentecode": ["983", "0889", "GM1894", "gm1507", "GM0984"],
        "region": ["Noord-Limburg"] * 5}))
    figures = boundaries[["gemeentecode", "aantal_inwoners"]]
    out = rollup(figures, table, "region")
    assert out.loc["Noord-Limburg", "aantal_inwoners"] == figures.set_index("gemeentecode").loc[
        ["GM0983", "GM0889", "GM1894", "GM1507", "GM0984"], "aantal_inwoners"].sum()
    assert out["aantal_inwoners"].sum() == figures["aantal_inwoners"].sum()  # the rest: "(not in a region)"
    with pytest.raises(InputError, match="GM0983 is put in more than one region"):
        region_table_from_csv(pd.DataFrame({"gemeentecode": ["GM0983", "983"], "region": ["A", "B"]}))


def test_housing_capacity_rolls_up_from_locations_to_provinces(real, regions):
    _, boundaries = real
    stock = synthetic_housing(5_000, seed=3)
    stock["gemeentecode"] = assign_gemeente(stock, boundaries)
    checked = check_housing(stock, "roemer")
    per_gemeente = summarise_housing(checked)
    per_province = rollup(per_gemeente.drop(index="(unknown)", errors="ignore"), regions, "provincie",
                          columns=["capacity", "occupants", "persons_over_capacity"])
    outside = per_gemeente.loc["(unknown)", "capacity"] if "(unknown)" in per_gemeente.index else 0
    assert per_province["capacity"].sum() + outside == checked["capacity"].sum()
