"""The built-in demo: invented sites at real places."""

from __future__ import annotations

import geopandas as gpd
import pytest

from planner.demo import EXAMPLE_LABEL, demo_sites, demo_sites_path, load_demo_sites, main


def test_shipped_demo_file_matches_its_generator(tmp_path):
    main([str(tmp_path / "sites.geojson")])
    assert (tmp_path / "sites.geojson").read_bytes() == demo_sites_path().read_bytes()


def test_every_demo_site_is_labelled_as_an_invented_example():
    sites = load_demo_sites()
    assert (sites["example"] == EXAMPLE_LABEL).all()
    assert sites["name"].str.startswith("Voorbeeld").all()


def test_demo_sites_lie_in_the_intended_real_municipalities(shared_geodata):
    municipalities = gpd.read_file(shared_geodata / "cbs_gemeenten_2024.geojson", engine="pyogrio")
    municipalities["geometry"] = municipalities.make_valid()
    sites = demo_sites()
    sites["geometry"] = sites.representative_point()
    joined = gpd.sjoin(sites, municipalities[["gemeentenaam", "geometry"]], how="left", predicate="within")
    assert joined["gemeentenaam"].tolist() == [
        "Venlo", "Waalwijk", "Lelystad", "Westland", "Hollands Kroon", "Boxtel", "Horst aan de Maas", "Helmond"]


def test_demo_covers_every_sector(library):
    assert set(load_demo_sites()["sector"]) == set(library.sectors)


@pytest.mark.parametrize("column", ["floor_area_m2", "plot_area_ha", "declared_migrants", "declared_beds"])
def test_demo_numbers_are_read_as_numbers(column):
    assert load_demo_sites()[column].dtype.kind == "f"
