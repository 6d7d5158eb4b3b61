"""Scenarios: exchange files, both stores (SQLite and a real PostGIS), versions, conflicts, permissions,
compare and regional roll-up."""

from __future__ import annotations

import multiprocessing

import pandas as pd
import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.demo import load_demo_sites
from planner.errors import InputError
from planner.exchange import read_scenario, write_scenario
from planner.impact import assess, totals
from planner.paths import data_dir
from planner.scenarios import SCHEMA_VERSION, combine, compare, evaluate, make_scenario, sites_equal
from planner.store import ConflictError, PostgresStore, SQLiteStore, StorePermissionError, StoreUnavailableError


def case(case_id: str):
    """Register a test as the check of a case in docs/bad-input.md (the catalogue test reads the decorator)."""
    def register(func):
        return func
    return register


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("PLANNER_STORE", raising=False)
    return tmp_path / "data"




@pytest.fixture
def baseline(summary):
    return make_scenario("DC Trade Port Noord, fase 1", "Gemeente A", "Anna", load_demo_sites(),
                         housing_summary=summary, norm="roemer")


def _same(a, b) -> bool:
    import numpy as np

    return bool(np.allclose(pd.to_numeric(a).to_numpy(dtype=float), pd.to_numeric(b).to_numpy(dtype=float),
                            equal_nan=True))


def _bigger(scenario, factor=1.5, author="Anna"):
    sites = scenario.sites.copy()
    sites["floor_area_m2"] = sites["floor_area_m2"] * factor
    return scenario.edited(author=author, sites=sites)


# -- exchange files -------------------------------------------------------------------------------

def test_export_then_import_gives_identical_results(baseline, tmp_path):
    result = evaluate(baseline)
    path = write_scenario(baseline, tmp_path / "scenario.gpkg", result)
    again = read_scenario(path)
    assert again.meta() == baseline.meta()
    assert sites_equal(again.sites, baseline.sites)
    pd.testing.assert_series_equal(evaluate(again).totals(), result.totals())
    pd.testing.assert_frame_equal(evaluate(again).per_gemeente(), result.per_gemeente())


def test_every_input_of_a_site_survives_saving_and_counts_the_same(store, tmp_path, summary):
    """All of a site's inputs are kept (relocated jobs were dropped once, and then counted as new demand)."""
    from planner.impact import SITE_COLUMNS

    sites = load_demo_sites()
    rest = [None] * (len(sites) - 4)
    sites["relocated_jobs"] = pd.array([120, None, None, 10, *rest], dtype="Float64")
    sites["relocated_from"] = ["GM0983", None, None, "", *rest]
    sites["declared_beds"] = pd.array([40, None, None, None, *rest], dtype="Float64")
    sites["declared_jobs"] = pd.array([None, 300, None, None, *rest], dtype="Float64")
    entered = [c for c in SITE_COLUMNS if c in sites.columns]
    assert {"relocated_jobs", "relocated_from", "declared_jobs", "declared_migrants", "declared_beds",
            "ramp_up_years"} <= set(entered)
    scenario = make_scenario("Verhuizing", "Gemeente A", "Anna", sites, housing_summary=summary, norm="roemer")
    saved = store.save(scenario)
    again = read_scenario(write_scenario(store.open(saved.id), tmp_path / "verhuizing.gpkg", evaluate(saved)))
    for kept in (scenario, again):
        assert [c for c in entered if c in kept.sites.columns] == entered
        assert kept.sites["relocated_jobs"].fillna(0).tolist() == sites["relocated_jobs"].fillna(0).tolist()
        assert kept.sites.loc[0, "relocated_from"] == "GM0983"
        assert kept.sites["declared_jobs"].fillna(0).tolist() == sites["declared_jobs"].fillna(0).tolist()
    # What the scenario counts is what the sites entered count: 130 relocated jobs less, not gross demand.
    direct = totals(assess(sites))
    gross = totals(assess(sites.drop(columns=["relocated_jobs", "relocated_from"])))
    counted = evaluate(again).totals()
    assert counted["beds_needed_p50"] == pytest.approx(direct.loc["beds_needed", "p50"])
    assert counted["beds_needed_p50"] < gross.loc["beds_needed", "p50"]


def test_newer_schema_is_refused_with_a_clear_message(baseline, tmp_path):
    import pyogrio

    path = write_scenario(baseline, tmp_path / "nieuw.gpkg")
    meta = pyogrio.read_dataframe(path, layer="metadata")
    meta.loc[meta["key"] == "schema_version", "value"] = str(SCHEMA_VERSION + 1)
    pyogrio.write_dataframe(meta, path, layer="metadata", driver="GPKG")
    with pytest.raises(InputError, match=rf"newer planner \(scenario schema {SCHEMA_VERSION + 1}.*update planner"):
        read_scenario(path)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "not_planner"])
def test_damaged_files_are_refused(baseline, tmp_path, damage):
    path = write_scenario(baseline, tmp_path / "kapot.gpkg")
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 3])
    elif damage == "garbage":
        path.write_bytes(b"PK\x03\x04 this is a zip, not a geopackage")
    else:
        import geopandas as gpd

        path.unlink()
        gpd.GeoDataFrame({"a": [1]}, geometry=gpd.points_from_xy([5], [52]), crs=4326).to_file(path)
    with pytest.raises(InputError) as caught:
        read_scenario(path)
    assert "kapot.gpkg" in str(caught.value)
    assert any(word in str(caught.value) for word in ("damaged", "not a GeoPackage", "not a planner scenario",
                                                      "not a readable GeoPackage"))


# -- both stores ------------------------------------------------------------------------------------

@pytest.fixture(params=["sqlite", "postgis"])
def store(request, tmp_path):
    if request.param == "sqlite":
        return SQLiteStore(tmp_path / "scenarios.sqlite")
    urls = request.getfixturevalue("postgis")
    admin = PostgresStore(urls["admin"])
    admin.setup()
    admin.add_member("org_a", "Gemeente A")
    admin.add_member("org_b", "Gemeente B")
    import psycopg

    with psycopg.connect(urls["admin"], autocommit=True) as connection:  # each test starts from an empty store
        connection.execute("TRUNCATE planner.scenario_sites, planner.scenario_versions, planner.scenarios")
    return PostgresStore(urls["org_a"])


def test_versions_round_trip_through_the_store(store, baseline):
    first = store.save(baseline)
    assert first.version == 1
    second = store.save(_bigger(first))
    assert second.version == 2 and second.id == first.id
    history = store.history(first.id)
    assert history["version"].tolist() == [1, 2]
    assert store.list()["version"].tolist() == [2]
    opened_one = store.open(first.id, 1)
    assert sites_equal(opened_one.sites, first.sites)
    latest = store.open(first.id)
    assert latest.version == 2
    assert _same(latest.sites["floor_area_m2"], first.sites["floor_area_m2"] * 1.5)
    pd.testing.assert_series_equal(evaluate(opened_one).totals(), evaluate(baseline).totals())
    assert store.find(first.id[:8]) == (first.id, None)
    assert store.find(f"{first.id}:1") == (first.id, 1)


def _save_from_other_process(kind, location, scenario_id, author, barrier, results):
    import os

    os.environ["PLANNER_DATA_DIR"] = os.environ.get("PLANNER_DATA_DIR", "")
    store = SQLiteStore(location) if kind == "sqlite" else PostgresStore(location)
    opened = store.open(scenario_id, 1)
    edited = _bigger(opened, 2.0 if author == "Bob" else 3.0, author=author)
    barrier.wait()
    try:
        saved = store.save(edited)
        results.put((author, "saved", saved.version))
    except ConflictError as exc:
        results.put((author, "conflict", str(exc.kept)))


def test_two_processes_saving_the_same_version_conflict(store, baseline):
    first = store.save(baseline)
    kind = "sqlite" if isinstance(store, SQLiteStore) else "postgis"
    location = store.location if kind == "sqlite" else store.dsn
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_save_from_other_process,
                               args=(kind, location, first.id, author, barrier, results)) for author in ("Bob", "Cas")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    outcomes = sorted(results.get(timeout=10) for _ in workers)
    assert sorted(o[1] for o in outcomes) == ["conflict", "saved"]
    winner = next(o for o in outcomes if o[1] == "saved")
    loser = next(o for o in outcomes if o[1] == "conflict")
    assert winner[2] == 2
    assert store.history(first.id)["version"].tolist() == [1, 2]
    assert store.history(first.id)["author"].tolist() == ["Anna", winner[0]]
    kept = read_scenario(loser[2])  # nothing lost: the refused edit is in the kept file
    factor = 2.0 if loser[0] == "Bob" else 3.0
    assert kept.author == loser[0]
    assert _same(kept.sites["floor_area_m2"], first.sites["floor_area_m2"] * factor)


def test_same_process_conflict_names_who_saved_first(store, baseline):
    first = store.save(baseline)
    store.save(_bigger(first, author="Bob"))
    with pytest.raises(ConflictError, match=r"version 2 of 'DC Trade Port Noord, fase 1' was already saved by Bob"):
        store.save(_bigger(first, 1.2, author="Cas"))


# -- permissions in the shared store, enforced by the database ---------------------------------------

def test_other_organisation_reads_but_cannot_change(postgis, baseline):
    import psycopg

    admin = PostgresStore(postgis["admin"])
    admin.setup()
    admin.add_member("org_a", "Gemeente A")
    admin.add_member("org_b", "Gemeente B")
    a, b = PostgresStore(postgis["org_a"]), PostgresStore(postgis["org_b"])
    mine = a.save(baseline)
    # B sees A's scenario and can open and evaluate it.
    assert mine.id in set(b.list()["id"])
    assert b.open(mine.id).organisation == "Gemeente A"
    # Through the program: refused.
    with pytest.raises(StorePermissionError, match="belongs to Gemeente A"):
        b.save(_bigger(b.open(mine.id), author="Bert"))
    with pytest.raises(StorePermissionError):
        b.delete(mine.id)
    # From the database side, whatever a program does: B's role cannot change A's rows.
    with psycopg.connect(postgis["org_b"], autocommit=True) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("UPDATE planner.scenario_versions SET author = 'Bert' WHERE scenario_id = %s",
                               (mine.id,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # row-level security on insert
            connection.execute("INSERT INTO planner.scenario_versions (scenario_id, version, name, author, created, "
                               "schema_version, meta, data) SELECT scenario_id, 99, name, 'Bert', now(), 1, meta, data "
                               "FROM planner.scenario_versions WHERE scenario_id = %s AND version = 1", (mine.id,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("INSERT INTO planner.scenarios (id, name, organisation, created) VALUES "
                               "(gen_random_uuid(), 'namaak', 'Gemeente A', now())")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # members delete only through the function
            connection.execute("DELETE FROM planner.scenario_versions WHERE scenario_id = %s", (mine.id,))
        assert connection.execute("SELECT planner.delete_scenario(%s)", (mine.id,)).fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM planner.scenario_sites WHERE scenario_id = %s",
                                  (mine.id,)).fetchone()[0] == len(baseline.sites)
    # A still has its version, and may delete its own scenario.
    assert a.history(mine.id)["version"].tolist() == [1]
    a.delete(mine.id)
    assert mine.id not in set(b.list()["id"])


def test_unreachable_store_is_a_clear_error(baseline):
    store = PostgresStore("postgresql://org_a:very-secret@127.0.0.1:9/planner", connect_timeout=2)
    with pytest.raises(StoreUnavailableError) as caught:
        store.save(baseline)
    assert "cannot reach the shared store" in str(caught.value)
    assert "very-secret" not in str(caught.value)


# -- compare and roll-up ------------------------------------------------------------------------------

def test_compare_shows_totals_and_differences(baseline, library):
    bigger = _bigger(baseline)
    comparison = compare([evaluate(baseline), evaluate(bigger)])
    workers_a = totals(assess(baseline.sites, library)).loc["workers", "p50"]  # P50 of the sum of the draws
    workers_b = totals(assess(bigger.sites, library)).loc["workers", "p50"]
    row = comparison.totals.loc["workers_p50"]
    assert row.iloc[0] == pytest.approx(workers_a) and row.iloc[1] == pytest.approx(workers_b)
    assert row.iloc[2] == pytest.approx(workers_b - workers_a)
    difference = comparison.per_gemeente.filter(like="shortfall_difference").iloc[:, 0]
    municipal = comparison.per_gemeente.filter(like="shortfall_p50 [")  # each municipality's own P50
    assert difference.sum() == pytest.approx(municipal.iloc[:, 1].sum() - municipal.iloc[:, 0].sum())
    shortfall = comparison.totals.loc["shortfall_p50"]  # the P50 of the sum of the draws
    assert shortfall.iloc[1] > shortfall.iloc[0]
    assert len(comparison.difference_map) == 342


def test_regional_rollup_counts_nothing_twice(baseline, library):
    sites = baseline.sites
    venlo = baseline.edited(name="Venlo", sites=sites.iloc[[0, 6]])
    venlo.organisation = "Gemeente A"
    horst = baseline.edited(name="Horst", sites=sites.iloc[[6, 7]])  # site 7 is in both
    horst.organisation = "Gemeente B"
    combined, notes = combine([venlo, horst], "Regio Noord-Limburg", "Regio", "Rita")
    assert len(combined.sites) == 3
    assert any("count once" in n for n in notes)
    expected = totals(assess(sites.iloc[[0, 6, 7]], library)).loc["beds_to_find", "p50"]
    result = evaluate(combined)
    assert result.totals()["demand_p50"] == pytest.approx(expected)
    # Capacity was given by both (the same register): counted once.
    assert result.totals()["spare_capacity"] == pytest.approx(baseline.capacity["spare_capacity"].sum())


@case("S39")
def test_a_municipalitys_own_capacity_wins_the_rollup(baseline):
    """Round 5: a member saved a later scenario with invented spare capacity in another member's municipality, and
    the roll-up took it (newest wins), crediting Venlo with 400 places instead of its own 10."""
    own = baseline.capacity.iloc[[0]].assign(gemeentecode="GM0983", spare_capacity=10.0, net_spare_capacity=10.0,
                                             persons_over_capacity=0.0)
    venlo = baseline.edited(name="Venlo", capacity=own)
    venlo.organisation, venlo.created = "Gemeente Venlo", "2026-01-01T00:00:00"
    other = baseline.edited(name="Later", capacity=own.assign(spare_capacity=400.0, net_spare_capacity=400.0))
    other.organisation, other.created = "Gemeente Horst aan de Maas", "2026-06-01T00:00:00"
    for order in ([venlo, other], [other, venlo]):
        combined, notes = combine(order, "Regio", "Regio", "Rita")
        assert combined.capacity.set_index("gemeentecode").at["GM0983", "spare_capacity"] == 10
        assert "capacity of GM0983 differs between scenarios: the figure of 'Gemeente Venlo', the municipality " \
               "itself, is used" in notes, notes
    # Two organisations both named after Venlo: neither speaks for it alone, so the newest figure is used, and said.
    twin = other.edited(name="Ook Venlo")
    twin.organisation, twin.created = "venlo", "2026-06-01T00:00:00"
    combined, notes = combine([venlo, twin], "Regio", "Regio", "Rita")
    assert combined.capacity.set_index("gemeentecode").at["GM0983", "spare_capacity"] == 400
    assert any("the newest figure, of 'venlo', is used" in n for n in notes), notes
    # Without the municipality's own scenario the newest figure is used, and whose it is is said.
    third = other.edited(name="Eerder", capacity=own.assign(spare_capacity=50.0, net_spare_capacity=50.0))
    third.organisation, third.created = "Regio Noord-Limburg", "2025-01-01T00:00:00"
    combined, notes = combine([third, other], "Regio", "Regio", "Rita")
    assert combined.capacity.set_index("gemeentecode").at["GM0983", "spare_capacity"] == 400
    assert "capacity of GM0983 differs between scenarios: the newest figure, of 'Gemeente Horst aan de Maas', is " \
           "used" in notes
    from planner.messages import message

    assert message(notes[-1], "nl").startswith("capaciteit van GM0983 verschilt tussen scenario's: het nieuwste")


def test_rollup_refuses_different_norms(baseline):
    other = baseline.edited(norm="snf")
    with pytest.raises(InputError, match="differ in norm"):
        combine([baseline, other], "x", "Regio", "Rita")


# -- the command line --------------------------------------------------------------------------------

def test_cli_save_list_show_compare_export_import(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_STORE", str(tmp_path / "store.sqlite"))
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(main, ["scenario", *args])
        assert result.exit_code == 0, result.output
        return result.output

    demo = data_dir("demo")
    out = run("save", "--name", "Basis", "--organisation", "Gemeente Venlo", "--author", "Anna",
              "--sites", str(demo / "sites.geojson"), "--housing", str(demo / "woningvoorraad_synthetisch.csv"))
    assert "Saved 'Basis' version 1" in out
    scenario_id = SQLiteStore(tmp_path / "store.sqlite").list()["id"].iloc[0]
    bigger = tmp_path / "groter.csv"
    # The file as a planner gets it, in Dutch notation: "80.000" m2 is eighty thousand (read by planner, not pandas).
    bigger.write_bytes((demo / "voorbeeld_bedrijven.csv").read_bytes())
    out = run("save", "--from", scenario_id, "--author", "Bob", "--sites", str(bigger))
    assert "version 2" in out
    second = SQLiteStore(tmp_path / "store.sqlite").open(scenario_id, 2)
    assert sorted(second.sites["floor_area_m2"].dropna()) == [80_000.0]
    assert sorted(second.sites["plot_area_ha"].dropna()) == [40.0]
    first = SQLiteStore(tmp_path / "store.sqlite").open(scenario_id, 1)
    assert len(first.sites) == 8 and len(second.sites) == 2
    listing = run("list")
    assert "Basis" in listing and "Gemeente Venlo" in listing
    show = run("show", f"{scenario_id}:1")
    assert "Anna" in show and "workers" in show
    compared = run("compare", f"{scenario_id}:1", f"{scenario_id}:2", "-o", str(tmp_path / "vergelijk.xlsx"))
    assert "workers_p50" in compared
    sheets = pd.read_excel(tmp_path / "vergelijk.xlsx", sheet_name=None)
    assert {"totals", "per_gemeente"} <= set(sheets)
    run("export", scenario_id, str(tmp_path / "basis.gpkg"))
    imported = run("import", str(tmp_path / "basis.gpkg"), "--store", str(tmp_path / "other.sqlite"))
    assert "Imported" in imported
    assert SQLiteStore(tmp_path / "other.sqlite").list()["name"].tolist() == ["Basis"]
