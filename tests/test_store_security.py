"""The shared scenario store under attack from inside the region, and the store's other promises.

Two member organisations (roles ``org_a`` for Gemeente A and ``org_b`` for
Gemeente B) share one real PostgreSQL/PostGIS database. B tries everything a
member can type into psql to forge or delete A's scenarios: temporary tables
that shadow the membership table, views, functions, ``SET``, ``COPY``, and
plain SQL on every table. Then: passwords in every connection-string form,
refused edits that must never be lost, output files written by concurrent
runs, formula headers, and schema upgrades from the first layout planner
shipped. See docs/bad-input.md (security section).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import sqlite3
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.demo import load_demo_sites
from planner.errors import InputError, PlannerWarning
from planner.exchange import read_scenario, scenario_to_bytes
from planner.io import write_results
from planner.paths import data_dir
from planner.redaction import redact, safe_location
from planner.scenarios import make_scenario
from planner.store import (
    POSTGRES_MIGRATIONS,
    POSTGRES_SCHEMA_VERSION,
    SQLITE_MIGRATIONS,
    SQLITE_SCHEMA_VERSION,
    ConflictError,
    PostgresStore,
    SQLiteStore,
    StorePermissionError,
    StoreUnavailableError,
)

psycopg = pytest.importorskip("psycopg")

CASES: dict[str, str] = {}


def case(case_id: str):
    """Register a test as the check of a case in docs/bad-input.md (read by tests/test_bad_input.py)."""
    def register(func):
        CASES[case_id] = func.__name__
        return func
    return register


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("PLANNER_STORE", raising=False)
    monkeypatch.delenv("PLANNER_ORGANISATION", raising=False)
    return tmp_path / "data"


def _scenario(organisation="Gemeente A", name="DC Trade Port Noord, fase 1", author="Anna"):
    return make_scenario(name, organisation, author, load_demo_sites(), norm="roemer")


@pytest.fixture
def shared(postgis):
    """A set-up shared store with A's scenario in it; yields the URLs and A's saved scenario."""
    admin = PostgresStore(postgis["admin"])
    admin.setup()
    admin.add_member("org_a", "Gemeente A")
    admin.add_member("org_b", "Gemeente B")
    with psycopg.connect(postgis["admin"], autocommit=True) as connection:
        connection.execute("TRUNCATE planner.scenario_sites, planner.scenario_versions, planner.scenarios")
    saved = PostgresStore(postgis["org_a"]).save(_scenario())
    return {**postgis, "a_id": saved.id, "a_scenario": saved}


def _a_untouched(urls) -> None:
    """A's scenario still has exactly its one version, saved by org_a, with all its sites."""
    with psycopg.connect(urls["admin"], autocommit=True) as connection:
        rows = connection.execute("SELECT version, author, saved_by::text FROM planner.scenario_versions "
                                  "WHERE scenario_id = %s ORDER BY version", (urls["a_id"],)).fetchall()
        sites = connection.execute("SELECT count(*) FROM planner.scenario_sites WHERE scenario_id = %s",
                                   (urls["a_id"],)).fetchone()[0]
        owner = connection.execute("SELECT organisation FROM planner.scenarios WHERE id = %s",
                                   (urls["a_id"],)).fetchone()
    assert rows == [(1, "Anna", "org_a")]
    assert sites == len(urls["a_scenario"].sites)
    assert owner == ("Gemeente A",)


_FORGE_VERSION = ("INSERT INTO {t}scenario_versions (scenario_id, version, name, author, created, schema_version, "
                  "meta, data) SELECT scenario_id, 2, name, 'Anna', now(), 1, meta, data FROM {t}scenario_versions "
                  "WHERE scenario_id = %s AND version = 1")


# -- 1. forging through shadowed membership ---------------------------------------------------------

@case("S07")
def test_temp_table_shadowing_cannot_forge_or_delete(shared):
    """The attack that worked on planner 0.1: a temporary table naming B's role as Gemeente A."""
    with psycopg.connect(shared["org_b"], autocommit=True) as connection, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):  # members may not make temporary tables
        connection.execute("CREATE TEMP TABLE planner_members (role_name name, organisation text)")
    _a_untouched(shared)


@case("S08")
def test_shadowing_fails_even_where_an_administrator_allowed_temp_tables(shared):
    """Defence in depth: with TEMP granted by mistake, shadowed names still decide nothing."""
    database = shared["admin"].rsplit("/", 1)[1]
    with psycopg.connect(shared["admin"], autocommit=True) as admin:
        admin.execute(f'GRANT TEMPORARY ON DATABASE "{database}" TO org_b')
    try:
        with psycopg.connect(shared["org_b"], autocommit=True) as connection:
            for name in ("planner_members", "members", "scenarios"):
                connection.execute(f"CREATE TEMP TABLE {name} (role_name name, organisation text, id uuid)")
                connection.execute(f"INSERT INTO pg_temp.{name} (role_name, organisation) "
                                   "VALUES ('org_b', 'Gemeente A')")
            connection.execute("CREATE FUNCTION pg_temp.planner_organisation() RETURNS text LANGUAGE sql "
                               "AS $$ SELECT 'Gemeente A'::text $$")
            for path in ("pg_temp, planner, public", "planner, pg_temp", "pg_temp"):
                connection.execute(f"SET search_path = {path}")
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    connection.execute(_FORGE_VERSION.format(t="planner."), (shared["a_id"],))
                for table, key in (("scenario_versions", "scenario_id"), ("scenarios", "id")):
                    with pytest.raises(psycopg.errors.InsufficientPrivilege):
                        connection.execute(f"DELETE FROM planner.{table} WHERE {key} = %s", (shared["a_id"],))
                # The delete function runs as the owner; the shadowing tables in pg_temp decide nothing.
                assert connection.execute("SELECT planner.delete_scenario(%s)", (shared["a_id"],)).fetchone() == (0,)
        # Through planner itself, from that role: still B.
        assert PostgresStore(shared["org_b"]).identity().organisation == "Gemeente B"
    finally:
        with psycopg.connect(shared["admin"], autocommit=True) as admin:
            admin.execute(f'REVOKE TEMPORARY ON DATABASE "{database}" FROM org_b')
    _a_untouched(shared)


# -- 2. views, functions, SET, COPY -----------------------------------------------------------------

@pytest.mark.parametrize("statement", [
    "CREATE VIEW public.alle_versies AS SELECT * FROM planner.scenario_versions",
    "CREATE VIEW planner.alle_versies AS SELECT * FROM planner.scenario_versions",
    "CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT now() $$",
    "CREATE FUNCTION planner.f() RETURNS text LANGUAGE sql AS $$ SELECT 'Gemeente A'::text $$",
    "CREATE TABLE public.members (role_name name, organisation text)",
    "CREATE SCHEMA eigen",
    "SET ROLE org_a",
    "SET SESSION AUTHORIZATION org_a",
    "ALTER TABLE planner.scenario_versions DISABLE ROW LEVEL SECURITY",
    "ALTER TABLE planner.scenario_versions NO FORCE ROW LEVEL SECURITY",
    "DROP POLICY owner_insert ON planner.scenario_versions",
    "CREATE POLICY open_up ON planner.scenario_versions FOR ALL USING (true)",
    "GRANT planner_region TO org_a",
    "INSERT INTO planner.members VALUES ('org_b', 'Gemeente A')",
    "UPDATE planner.members SET organisation = 'Gemeente A' WHERE role_name = 'org_b'",
    "DELETE FROM planner.members",
    "INSERT INTO planner.schema_migrations (version, description) VALUES (99, 'x')",
    "UPDATE planner.scenarios SET organisation = 'Gemeente B'",
    "UPDATE planner.scenario_versions SET author = 'Bert'",
    "UPDATE planner.scenario_sites SET name = 'namaak'",
    "TRUNCATE planner.scenario_sites",
    "TRUNCATE planner.scenario_versions CASCADE",
    "TRUNCATE planner.scenarios CASCADE",
    "DROP TABLE planner.scenario_sites",
])
@case("S09")
def test_member_ddl_and_direct_sql_are_refused(shared, statement):
    refusals = (psycopg.errors.InsufficientPrivilege, psycopg.errors.UndefinedObject,
                psycopg.errors.DependentObjectsStillExist)
    with psycopg.connect(shared["org_b"], autocommit=True) as connection, pytest.raises(refusals):
        connection.execute(statement)
    _a_untouched(shared)


@pytest.mark.parametrize("table", ["scenarios", "scenario_versions", "scenario_sites"])
@case("S10")
def test_inserting_rows_for_another_organisation_is_refused_on_every_table(shared, table):
    statements = {
        "scenarios": ("INSERT INTO planner.scenarios (id, name, organisation, created) "
                      "VALUES (gen_random_uuid(), 'namaak', 'Gemeente A', now())", ()),
        "scenario_versions": (_FORGE_VERSION.format(t="planner."), (shared["a_id"],)),
        "scenario_sites": ("INSERT INTO planner.scenario_sites (scenario_id, version, site, name) "
                           "VALUES (%s, 1, 999, 'namaak')", (shared["a_id"],)),
    }
    sql, params = statements[table]
    with psycopg.connect(shared["org_b"], autocommit=True) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(sql, params)
        # Members have no DELETE right at all (it would let them lock the tables); they delete through
        # planner.delete_scenario, which deletes only their own organisation's scenarios.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(f"DELETE FROM planner.{table} WHERE "
                               + ("id" if table == "scenarios" else "scenario_id") + " = %s", (shared["a_id"],))
        assert connection.execute("SELECT planner.delete_scenario(%s)", (shared["a_id"],)).fetchone() == (0,)
    _a_untouched(shared)


@case("S11")
def test_set_role_to_the_group_role_and_row_security_off_do_not_help(shared):
    with psycopg.connect(shared["org_b"], autocommit=True) as connection:
        connection.execute("SET ROLE planner_region")  # allowed: B is a member of it, but it is no organisation
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(_FORGE_VERSION.format(t="planner."), (shared["a_id"],))
        connection.execute("RESET ROLE")
        connection.execute("SET row_security = off")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # policies can be refused, never skipped
            connection.execute("SELECT count(*) FROM planner.scenario_versions")
    _a_untouched(shared)


@case("S12")
def test_copy_cannot_write_rows(shared):
    with psycopg.connect(shared["org_b"], autocommit=True) as connection:
        row = connection.execute("SELECT scenario_id, name, meta::text, data FROM planner.scenario_versions "
                                 "WHERE scenario_id = %s", (shared["a_id"],)).fetchone()
        with pytest.raises((psycopg.errors.FeatureNotSupported, psycopg.errors.InsufficientPrivilege)), \
                connection.cursor() as cursor, cursor.copy(
                    "COPY planner.scenario_versions (scenario_id, version, name, author, created, schema_version, "
                    "meta, data, saved_by) FROM STDIN") as copy:
            copy.write_row((row[0], 2, row[1], "Anna", "2026-01-01", 1, row[2], row[3], "org_a"))
        # Reading with COPY is what every member may do anyway (and it passes through the read policy).
        with connection.cursor() as cursor, cursor.copy("COPY (SELECT name FROM planner.scenarios) TO STDOUT") as copy:
            assert b"DC Trade Port Noord" in b"".join(bytes(chunk) for chunk in copy)
    _a_untouched(shared)


@case("S13")
def test_saved_by_cannot_be_forged_even_on_ones_own_scenario(shared):
    b = PostgresStore(shared["org_b"])
    mine = b.save(_scenario("Gemeente B", name="Horst: glas"))
    with psycopg.connect(shared["org_b"], autocommit=True) as connection, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute("INSERT INTO planner.scenario_versions (scenario_id, version, name, author, created, "
                           "schema_version, meta, data, saved_by) SELECT scenario_id, 2, name, author, now(), 1, "
                           "meta, data, 'org_a' FROM planner.scenario_versions WHERE scenario_id = %s", (mine.id,))
    assert b.history(mine.id)["saved_by"].tolist() == ["org_b"]


# -- 3. the planner API, as B ----------------------------------------------------------------------

@case("S14")
def test_planner_api_refuses_b_on_a_and_records_who_saved(shared):
    a, b = PostgresStore(shared["org_a"]), PostgresStore(shared["org_b"])
    assert (a.identity().login, a.identity().organisation, a.identity().verified) == ("org_a", "Gemeente A", True)
    opened = b.open(shared["a_id"])
    assert opened.organisation == "Gemeente A"  # every member reads every scenario
    with pytest.raises(StorePermissionError, match="belongs to Gemeente A"):
        b.save(opened.edited(author="Anna"))  # B claims to be Anna: the store still knows B
    with pytest.raises(StorePermissionError, match="you save for Gemeente B, not for Gemeente A"):
        b.save(_scenario("Gemeente A", name="namaak"))
    with pytest.raises(StorePermissionError, match="belongs to Gemeente A"):
        b.delete(shared["a_id"])
    second = a.save(opened.edited(author="Anna"))
    history = a.history(shared["a_id"])
    assert history["saved_by"].tolist() == ["org_a", "org_a"] and second.version == 2
    _ = b.list()  # B lists both
    assert set(b.list()["organisation"]) == {"Gemeente A"}


@case("S21")
def test_a_role_that_is_no_member_cannot_save(shared):
    with psycopg.connect(shared["admin"], autocommit=True) as admin:
        admin.execute("DROP ROLE IF EXISTS stranger")
        admin.execute("CREATE ROLE stranger LOGIN PASSWORD 'stranger-secret'")
    port = shared["port"]
    stranger = PostgresStore(f"postgresql://stranger:stranger-secret@127.0.0.1:{port}/planner_test")
    with pytest.raises((StorePermissionError, StoreUnavailableError, InputError)):
        stranger.save(_scenario("Gemeente A", name="namaak"))
    _a_untouched(shared)


@case("S15")
def test_names_are_looked_up_in_the_callers_organisation(shared):
    """B names its scenario after A's; A still finds, shows and deletes its own by name."""
    a, b = PostgresStore(shared["org_a"]), PostgresStore(shared["org_b"])
    copycat = b.save(_scenario("Gemeente B"))  # same name as A's
    assert a.find("DC Trade Port Noord, fase 1") == (shared["a_id"], None)
    assert b.find("DC Trade Port Noord, fase 1") == (copycat.id, None)
    assert a.find("DC Trade Port Noord, fase 1", organisation="Gemeente B") == (copycat.id, None)
    assert b.find(shared["a_id"]) == (shared["a_id"], None)  # a full id reaches any scenario, to read
    runner = CliRunner()
    shown = runner.invoke(main, ["scenario", "show", "DC Trade Port Noord, fase 1", "--store", shared["org_a"]])
    assert shown.exit_code == 0, shown.output
    assert "Gemeente A" in shown.output and "Gemeente B" not in shown.output
    deleted = runner.invoke(main, ["scenario", "delete", "DC Trade Port Noord, fase 1", "--store", shared["org_a"]])
    assert deleted.exit_code == 0, deleted.output
    assert shared["a_id"] in deleted.output
    assert b.list()["id"].tolist() == [copycat.id]


# -- 4. identity and lookups in the embedded store --------------------------------------------------

@case("S16")
def test_sqlite_delete_keeps_to_its_help_text(tmp_path):
    path = tmp_path / "scenarios.sqlite"
    venlo = SQLiteStore(path, organisation="Gemeente Venlo").save(_scenario("Gemeente Venlo", name="Venlo DC"))
    SQLiteStore(path, organisation="Gemeente Horst").save(_scenario("Gemeente Horst", name="Venlo DC"))
    with pytest.raises(StorePermissionError, match="which organisation you are"):
        SQLiteStore(path).delete(venlo.id)
    with pytest.raises(StorePermissionError, match="belongs to Gemeente Venlo"):
        SQLiteStore(path, organisation="Gemeente Horst").delete(venlo.id)
    runner = CliRunner()
    refused = runner.invoke(main, ["scenario", "delete", venlo.id, "--store", str(path),
                                   "--organisation", "Gemeente Horst"])
    assert refused.exit_code == 2 and "belongs to Gemeente Venlo" in refused.output
    ambiguous = runner.invoke(main, ["scenario", "show", "Venlo DC", "--store", str(path)])
    assert ambiguous.exit_code == 2 and "matches 2 scenarios" in ambiguous.output
    own = runner.invoke(main, ["scenario", "delete", "Venlo DC", "--store", str(path),
                               "--organisation", "Gemeente Venlo"])
    assert own.exit_code == 0, own.output
    assert SQLiteStore(path).list()["organisation"].tolist() == ["Gemeente Horst"]


# -- 5. passwords never shown -----------------------------------------------------------------------

def _forms(port: int) -> list[str]:
    return [
        f"postgresql://org_a:org_a-secret@127.0.0.1:{port}/planner_test",
        f"postgresql://org_a@127.0.0.1:{port}/planner_test?password=org_a-secret",
        f"postgresql://127.0.0.1:{port}/planner_test?user=org_a&password=org_a-secret&sslmode=disable",
        f"host=127.0.0.1 port={port} dbname=planner_test user=org_a password=org_a-secret",
        f"host=127.0.0.1 port={port} dbname=planner_test user=org_a password='org_a-secret'",
        f"dbname=planner_test password = org_a-secret host=127.0.0.1 port={port} user=org_a",
    ]


@pytest.mark.parametrize("form", range(6))
@case("S17")
def test_no_password_form_is_printed_by_the_cli(shared, form, tmp_path):
    dsn = _forms(shared["port"])[form]
    assert "secret" not in safe_location(dsn)
    runner = CliRunner()
    demo = data_dir("demo")
    outputs = [runner.invoke(main, ["scenario", "save", "--name", f"Vorm {form}", "--sites",
                                    str(demo / "sites.geojson"), "--store", dsn]),
               runner.invoke(main, ["scenario", "list", "--store", dsn]),
               runner.invoke(main, ["store", "status", "--store", dsn])]
    for result in outputs:
        assert result.exit_code == 0, result.output
        assert "secret" not in result.output
    assert "Saved 'Vorm" in outputs[0].output and "org_a" in outputs[2].output
    # The same through the environment, and in an error (an unknown scenario).
    failed = runner.invoke(main, ["scenario", "show", "no-such-scenario"], env={"PLANNER_STORE": dsn})
    assert failed.exit_code == 2 and "secret" not in failed.output


@pytest.mark.parametrize("dsn", [
    "postgresql://org_a:very-secret@127.0.0.1:9/planner",
    "postgresql://org_a@127.0.0.1:9/planner?password=very-secret",
    "host=127.0.0.1 port=9 dbname=planner user=org_a password=very-secret",
    "host=127.0.0.1 port=9 dbname=planner user=org_a password='very secret'",
    "host=127.0.0.1 port=9 dbname=planner user=org_a sslpassword=very-secret password=very-secret",
])
@case("S18")
def test_unreachable_store_errors_show_no_password(dsn):
    runner = CliRunner()
    result = runner.invoke(main, ["scenario", "list", "--store", dsn])
    assert result.exit_code == 2
    assert "cannot reach the shared store" in result.output
    assert "very" not in result.output.replace("every", "")


def test_redaction_of_free_text():
    text = ("failed: postgresql://u:p%40ss@h/db and host=h password='a b' user=u and "
            "postgresql://h/db?user=u&password=zz9&sslmode=require")
    cleaned = redact(text)
    assert "p%40ss" not in cleaned and "'a b'" not in cleaned and "zz9" not in cleaned
    assert redact("the word p@ss leaked", "postgresql://u:p%40ss@h/db") == "the word *** leaked"


@case("S19")
def test_app_scenario_page_shows_no_password(shared, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    app = str(Path(__file__).resolve().parent.parent / "app.py")
    monkeypatch.setenv("PLANNER_STORE", _forms(shared["port"])[3])
    at = AppTest.from_file(app, default_timeout=120).run()
    at = at.radio(key="page").set_value("page_scenarios").run()
    assert not at.exception
    text = " ".join(str(element.value) for kind in ("caption", "markdown", "error", "info", "success")
                    for element in at.get(kind))
    assert "org_a" in text and "Gemeente A" in text  # who the store knows you as
    assert "secret" not in text


# -- 6. refused edits are never lost ----------------------------------------------------------------

def _race(kind, location, scenario_id, author, factor, barrier, results):
    store = SQLiteStore(location) if kind == "sqlite" else PostgresStore(location)
    opened = store.open(scenario_id, 1)
    sites = opened.sites.copy()
    sites["floor_area_m2"] = sites["floor_area_m2"] * factor
    barrier.wait()
    try:
        saved = store.save(opened.edited(author=author, sites=sites))
        results.put((author, "saved", saved.version, factor))
    except ConflictError as exc:
        results.put((author, "conflict", str(exc.kept), factor))


@pytest.mark.parametrize("kind", ["sqlite", "postgis"])
@case("F04")
def test_four_simultaneous_refusals_keep_four_files(kind, tmp_path, request):
    """Refusals in the same second (here: the same instant) each keep their own file."""
    if kind == "sqlite":
        location = str(tmp_path / "scenarios.sqlite")
        first = SQLiteStore(location).save(_scenario())
    else:
        urls = request.getfixturevalue("shared")
        location, first = urls["org_a"], urls["a_scenario"]
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(5), context.Queue()
    workers = [context.Process(target=_race, args=(kind, location, first.id, f"Editor {n}", 1.0 + n, barrier, results))
               for n in range(5)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(180)
    outcomes = [results.get(timeout=10) for _ in workers]
    refused = [o for o in outcomes if o[1] == "conflict"]
    assert sorted(o[1] for o in outcomes) == ["conflict"] * 4 + ["saved"]
    kept = [o[2] for o in refused]
    assert len(set(kept)) == 4  # four different files
    for author, _, path, factor in refused:
        scenario = read_scenario(path)
        assert scenario.author == author
        assert np.allclose(scenario.sites["floor_area_m2"].to_numpy(dtype=float),
                           first.sites["floor_area_m2"].to_numpy(dtype=float) * factor, equal_nan=True)


# -- 7. output files ---------------------------------------------------------------------------------

def _write_many(path, marker, barrier, results):
    layers = {f"laag_{n}": pd.DataFrame({"run": [marker] * 50, "n": range(50)}) for n in range(6)}
    barrier.wait()
    write_results(path, layers)
    results.put(marker)


@case("F05")
def test_concurrent_runs_writing_one_output_leave_a_complete_file(tmp_path):
    target = tmp_path / "uitkomst.gpkg"
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(4), context.Queue()
    workers = [context.Process(target=_write_many, args=(target, n, barrier, results)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert sorted(results.get(timeout=10) for _ in workers) == [0, 1, 2, 3]
    layers = {str(name) for name in pyogrio.list_layers(target)[:, 0]}
    assert layers == {f"laag_{n}" for n in range(6)}
    runs = {int(pyogrio.read_dataframe(target, layer=name)["run"].iloc[0]) for name in layers}
    assert len(runs) == 1  # every layer from the same run: one whole file, not a mix
    assert [p.name for p in tmp_path.iterdir()] == ["uitkomst.gpkg"]  # no temporary left behind


@pytest.mark.parametrize("command", [
    ["assess", "{input}", "-o", "{input}"],
    ["check-housing", "{input}", "-o", "{input}"],
])
@case("F08")
def test_output_that_is_the_input_is_refused(tmp_path, command):
    demo = data_dir("demo")
    source = demo / ("voorbeeld_bedrijven.csv" if command[0] == "assess" else "woningvoorraad_synthetisch.csv")
    copy = tmp_path / source.name
    copy.write_bytes(source.read_bytes())
    before = copy.read_bytes()
    result = CliRunner().invoke(main, [part.replace("{input}", str(copy)) for part in command])
    assert result.exit_code == 2
    assert "is also an input" in result.output
    assert copy.read_bytes() == before


@case("F09")
def test_shortfall_output_onto_the_housing_register_is_refused(tmp_path):
    demo = data_dir("demo")
    register = tmp_path / "register.csv"
    register.write_bytes((demo / "woningvoorraad_synthetisch.csv").read_bytes())
    before = register.read_bytes()
    result = CliRunner().invoke(main, ["shortfall", "--sites", str(demo / "sites.geojson"), "--housing",
                                       str(register), "-o", str(tmp_path / "." / "register.csv")])
    assert result.exit_code == 2 and "is also an input" in result.output
    assert register.read_bytes() == before


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@case("S20")
def test_formula_headers_are_neutralised(tmp_path, suffix):
    frame = pd.DataFrame({'=HYPERLINK("http://evil.example","klik")': ["=1+1", "gewoon"], "+SUM(A1)": [1, 2]})
    target = write_results(tmp_path / f"uit{suffix}", {"tabel": frame})
    if suffix == ".xlsx":
        import openpyxl

        sheet = openpyxl.load_workbook(target).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert all(cell.data_type != "f" for cell in cells)
        assert sheet["A1"].value.startswith("'=HYPERLINK")
    else:
        text = target.read_text(encoding="utf-8-sig")
        header = text.splitlines()[0]
        assert not re.search(r'(^|,)"?[=+]', header)
        assert "'=HYPERLINK" in header and "'+SUM(A1)" in header


# -- 8. schema versions: from the first layout to the newest -----------------------------------------

_SQLITE_V1 = """
CREATE TABLE IF NOT EXISTS scenarios (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, organisation TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS scenario_versions (
    scenario_id TEXT NOT NULL REFERENCES scenarios(id), version INTEGER NOT NULL CHECK (version > 0),
    name TEXT NOT NULL, author TEXT NOT NULL, created TEXT NOT NULL, schema_version INTEGER NOT NULL,
    meta TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (scenario_id, version));
CREATE TRIGGER IF NOT EXISTS versions_are_never_changed BEFORE UPDATE ON scenario_versions
BEGIN SELECT RAISE(ABORT, 'scenario versions are never changed; save a new version'); END;
"""  # the layout planner 0.1 wrote, exactly as shipped


@case("F06")
def test_sqlite_store_of_planner_0_1_is_upgraded_with_its_scenarios(tmp_path):
    path = tmp_path / "oud.sqlite"
    old = _scenario()
    old.version = 1
    with sqlite3.connect(path) as connection:
        connection.executescript(_SQLITE_V1)
        connection.execute("INSERT INTO scenarios VALUES (?, ?, ?, ?)", (old.id, old.name, old.organisation,
                                                                          old.created))
        connection.execute("INSERT INTO scenario_versions VALUES (?, 1, ?, ?, ?, 1, ?, ?)",
                           (old.id, old.name, old.author, old.created, "{}", scenario_to_bytes(old)))
    store = SQLiteStore(path)
    assert store.schema_version() == SQLITE_SCHEMA_VERSION == max(SQLITE_MIGRATIONS)
    assert store.history(old.id)["saved_by"].tolist() == [""]  # not recorded before
    second = store.save(store.open(old.id).edited(author="Bob"))
    assert store.history(old.id)["version"].tolist() == [1, 2] and second.version == 2
    assert store.history(old.id)["saved_by"].iloc[1] != ""
    assert SQLiteStore(path).migrate() == []  # once only
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {SQLITE_SCHEMA_VERSION + 1}")
    with pytest.raises(StoreUnavailableError, match="newer than this planner"):
        SQLiteStore(path)


@case("F07")
def test_postgres_store_of_planner_0_1_is_upgraded_with_its_scenarios(postgis):
    admin_url = postgis["admin"].rsplit("/", 1)[0] + "/planner_legacy"
    with psycopg.connect(postgis["admin"], autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS planner_legacy")
        connection.execute("CREATE DATABASE planner_legacy")
    member_url = postgis["org_a"].rsplit("/", 1)[0] + "/planner_legacy"
    old = _scenario()
    old.version = 1
    with psycopg.connect(admin_url, autocommit=True) as connection:  # the 0.1 layout, its policies and data
        connection.execute(POSTGRES_MIGRATIONS[1][1])
        connection.execute("""
CREATE OR REPLACE FUNCTION planner_organisation() RETURNS text LANGUAGE sql STABLE SECURITY INVOKER
    SET search_path = public AS $f$ SELECT organisation FROM planner_members WHERE role_name = current_user $f$;
ALTER TABLE scenarios ENABLE ROW LEVEL SECURITY;
CREATE POLICY members_read ON scenarios FOR SELECT TO planner_region USING (true);
CREATE POLICY owner_insert ON scenarios FOR INSERT TO planner_region WITH CHECK (organisation = planner_organisation());
GRANT SELECT, INSERT, DELETE ON scenarios, scenario_versions, scenario_sites TO planner_region;
GRANT SELECT ON planner_members TO planner_region;
GRANT planner_region TO org_a;
INSERT INTO planner_members VALUES ('org_a', 'Gemeente A');""")
        connection.execute("INSERT INTO scenarios VALUES (%s, %s, %s, now())", (old.id, old.name, old.organisation))
        connection.execute("INSERT INTO scenario_versions VALUES (%s, 1, %s, %s, now(), 1, '{}', %s)",
                           (old.id, old.name, old.author, scenario_to_bytes(old)))
    member = PostgresStore(member_url)
    with pytest.raises(StoreUnavailableError, match=r"schema version 1; this planner needs \d.*planner store setup"):
        member.list()
    result = CliRunner().invoke(main, ["store", "setup", "--store", admin_url])
    assert result.exit_code == 0, result.output
    assert f"Applied migration {POSTGRES_SCHEMA_VERSION}" in result.output
    member = PostgresStore(member_url)
    assert member.schema_version() == POSTGRES_SCHEMA_VERSION
    history = member.history(old.id)
    assert history[["version", "author", "saved_by"]].values.tolist() == [[1, "Anna", ""]]
    assert member.open(old.id).name == old.name
    member.save(member.open(old.id).edited(author="Anna"))
    assert member.history(old.id)["saved_by"].tolist() == ["", "org_a"]
    again = CliRunner().invoke(main, ["store", "setup", "--store", admin_url])
    assert "up to date" in again.output
    with psycopg.connect(member_url, autocommit=True) as connection, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):  # the upgraded store is hardened too
        connection.execute("CREATE TEMP TABLE planner_members (role_name name, organisation text)")
    with psycopg.connect(postgis["admin"], autocommit=True) as connection:
        connection.execute("DROP DATABASE planner_legacy WITH (FORCE)")


def test_fresh_postgres_store_reaches_the_newest_schema_through_every_migration(postgis):
    admin_url = postgis["admin"].rsplit("/", 1)[0] + "/planner_fresh"
    with psycopg.connect(postgis["admin"], autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS planner_fresh")
        connection.execute("CREATE DATABASE planner_fresh")
    try:
        store = PostgresStore(admin_url)
        assert store.schema_version() == 0
        assert store.setup() == list(range(1, POSTGRES_SCHEMA_VERSION + 1))
        with psycopg.connect(admin_url, autocommit=True) as connection:
            recorded = connection.execute("SELECT version FROM planner.schema_migrations ORDER BY version").fetchall()
        assert [r[0] for r in recorded] == list(range(1, POSTGRES_SCHEMA_VERSION + 1))
        assert store.setup() == []
    finally:
        with psycopg.connect(postgis["admin"], autocommit=True) as connection:
            connection.execute("DROP DATABASE planner_fresh WITH (FORCE)")


def test_conflict_message_names_login_and_kept_files_differ(tmp_path):
    store = SQLiteStore(tmp_path / "s.sqlite")
    first = store.save(_scenario())
    store.save(first.edited(author="Bob"))
    kept = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlannerWarning)
        for _ in range(3):
            with pytest.raises(ConflictError, match=r"already saved by Bob \(login ") as caught:
                store.save(first.edited(author="Cas"))
            kept.add(caught.value.kept)
    assert len(kept) == 3 and all(os.path.exists(path) for path in kept)



@case("S25")
@pytest.mark.parametrize("mode", ["ACCESS EXCLUSIVE", "EXCLUSIVE", "SHARE ROW EXCLUSIVE", "SHARE"])
def test_a_member_cannot_lock_the_others_out(shared, mode):
    """A member with the DELETE right could lock the shared tables (LOCK TABLE needs only that) and, keeping its
    transaction open, made every other member's planner and the app wait without end. Members now delete through
    planner.delete_scenario and have no such right; planner also waits at most PLANNER_LOCK_WAIT for any lock."""
    import threading

    from planner.messages import error_text

    for table in ("scenarios", "scenario_versions", "scenario_sites"):
        with psycopg.connect(shared["org_b"]) as locker, pytest.raises(psycopg.errors.InsufficientPrivilege):
            locker.execute(f"LOCK TABLE planner.{table} IN {mode} MODE")
    # A member still deletes its own scenario, and only that.
    own = PostgresStore(shared["org_b"]).save(_scenario(organisation="Gemeente B", name="Eigen plan", author="Bert"))
    PostgresStore(shared["org_b"]).delete(own.id)
    assert [s for s in PostgresStore(shared["org_a"]).list()["id"]] == [shared["a_id"]]
    with pytest.raises(StorePermissionError):
        PostgresStore(shared["org_b"]).delete(shared["a_id"])
    # A lock planner cannot prevent (the database owner's maintenance, an old planner's member role): the wait is
    # limited, nothing is written, and the holder is named.
    with psycopg.connect(shared["admin"]) as locker:
        locker.execute(f"LOCK TABLE planner.scenario_versions IN {mode} MODE")
        outcome: dict[str, object] = {}

        def save_as_a() -> None:
            try:
                outcome["saved"] = PostgresStore(shared["org_a"], lock_wait=2).save(
                    shared["a_scenario"].edited(author="Anna", note="tijdens de vergrendeling"))
            except Exception as exc:  # the test looks at what came out
                outcome["error"] = exc

        worker = threading.Thread(target=save_as_a, daemon=True)
        started = time.perf_counter()
        worker.start()
        worker.join(30)
        assert not worker.is_alive(), "the lock still holds the other planner after 30 s"
        assert time.perf_counter() - started < 15
        error = outcome.get("error")
        assert isinstance(error, StoreUnavailableError), outcome
        text = str(error)
        assert "locked by another session (role " in text and "longer than 2 s" in text, text
        assert "pg_terminate_backend" in text and "password" not in text.lower()
        assert "vergrendeld door een andere sessie" in error_text(error, "nl")
        locker.rollback()
    assert len(PostgresStore(shared["org_a"], lock_wait=1).list()) == 1
    _a_untouched(shared)


# -- 9. one member against the server and the other members (red-team round 2) ---------------------

_OWN_VERSION = ("INSERT INTO planner.scenario_versions (scenario_id, version, name, author, created, schema_version, "
                "meta, data) SELECT scenario_id, %s, {name}, {author}, {created}, schema_version, {meta}, {data} "
                "FROM planner.scenario_versions WHERE scenario_id = %s AND version = 1")


def _own_version(url: str, scenario_id: str, version: int = 2, name: str = "name", author: str = "author",
                 created: str = "now()", meta: str = "meta", data: str = "data", params: tuple = ()) -> None:
    """A member writes, with SQL, a version of its own scenario (the row policies allow it) with crafted values."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(_OWN_VERSION.format(name=name, author=author, created=created, meta=meta, data=data),
                           (version, *params, scenario_id))


def _as_before_the_upgrade(urls, constraints: list[str], statement: str, params: tuple) -> None:
    """Rows a store holds from before schema migration 5: written with the named checks briefly lifted."""
    with psycopg.connect(urls["admin"]) as connection:
        kept = {name: connection.execute("SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM "
                                         "pg_constraint WHERE conname = %s", (name,)).fetchone()
                for name in constraints}
        for name, (table, _) in kept.items():
            connection.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        connection.execute(statement, params)
        for name, (table, definition) in kept.items():
            connection.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        connection.commit()


def _planner(urls, *args: str, timeout: float = 120, **env: str):
    """The planner CLI in its own process, as org_b, stopped after ``timeout`` seconds."""
    import subprocess
    import sys

    environment = {**os.environ, "PLANNER_STORE": urls["org_b"], **env}
    return subprocess.run([sys.executable, "-m", "planner.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=environment, cwd=Path(__file__).resolve().parent.parent)


@case("S27")
def test_a_member_cannot_take_advisory_locks_or_large_objects(shared):
    """org_a took ~12,000 session advisory locks and idled: the server's shared lock table was full and nobody,
    not even the superuser, could connect. Holding planner's migration key, it also blocked 'planner store setup'.
    Large objects (lo_*) outlived the scenario they were made with."""
    with psycopg.connect(shared["org_a"], autocommit=True) as hog:
        for statement in ("SELECT count(pg_advisory_lock(g)) FROM generate_series(1, 200) g",
                          "SELECT count(pg_advisory_lock_shared(g, g)) FROM generate_series(1, 200) g",
                          "SELECT pg_try_advisory_lock(7346202611)",
                          "SELECT count(pg_advisory_xact_lock(g)) FROM generate_series(1, 200) g",
                          "SELECT lo_from_bytea(0, 'vulling')", "SELECT lo_create(0)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied for function"):
                hog.execute(statement)
        assert hog.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone() == (0,)
        # The administrator's upgrade is not held up by a member, and finishes at once.
        started = time.perf_counter()
        setup = CliRunner().invoke(main, ["store", "setup", "--store", shared["admin"]], env={"PLANNER_LOCK_WAIT": "3"})
        assert setup.exit_code == 0 and "up to date" in setup.output, setup.output
        assert time.perf_counter() - started < 10
    # What planner cannot take away in this database is named: other databases members may connect to.
    status = CliRunner().invoke(main, ["store", "status", "--store", shared["org_b"]])
    assert status.exit_code == 0, status.output
    assert "may connect to other databases of this server (postgres" in status.output
    assert "may take advisory locks" not in status.output and "without a connection limit" not in status.output
    # Where the revoke did not happen (migration 4 run without a superuser's rights), status says so and a
    # superuser's setup revokes them then.
    with psycopg.connect(shared["admin"], autocommit=True) as admin:
        admin.execute("GRANT EXECUTE ON FUNCTION pg_advisory_lock(bigint), lo_from_bytea(oid, bytea) TO PUBLIC")
    status = CliRunner().invoke(main, ["store", "status", "--store", shared["org_b"]])
    assert "members may take advisory locks or make large objects" in status.output, status.output
    setup = CliRunner().invoke(main, ["store", "setup", "--store", shared["admin"]])
    assert setup.exit_code == 0 and "may take advisory locks" not in setup.output, setup.output
    with psycopg.connect(shared["org_a"], autocommit=True) as hog, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
        hog.execute("SELECT pg_advisory_lock(1)")


@case("S40")
def test_a_member_that_resets_its_own_limits_is_named(shared):
    """A member may reset its own role defaults in the store's database (ALTER ROLE itself RESET ALL): planner's
    statement and idle timeouts were gone for good, and 'store status' did not notice."""
    database = shared["org_b"].rsplit("/", 1)[1]
    with psycopg.connect(shared["org_b"], autocommit=True) as connection:
        connection.execute(f"ALTER ROLE org_b IN DATABASE {database} RESET ALL")
    status = CliRunner().invoke(main, ["store", "status", "--store", shared["org_a"]])
    assert status.exit_code == 0, status.output
    assert "member role(s) without planner's limits in this database (org_b: statement_timeout, " \
           "idle_in_transaction_session_timeout" in status.output, status.output
    assert "none of planner's limits hold" in status.output  # the other databases, said with what they lack
    PostgresStore(shared["admin"]).add_member("org_b", "Gemeente B")  # the administrator sets them again
    status = CliRunner().invoke(main, ["store", "status", "--store", shared["org_a"]])
    assert "without planner's limits" not in status.output, status.output


@case("S42")
def test_two_members_named_after_one_municipality_are_warned(shared):
    """A municipality's own scenario gives its capacity in a roll-up (S39); two members named after Venlo ("Gemeente
    Venlo" and "venlo") would both be its own, and the newest would win under an authoritative label."""
    admin = PostgresStore(shared["admin"])
    assert not any("named after municipality" in w for w in admin.add_member("org_a", "Gemeente Venlo"))
    warned = admin.add_member("org_b", "venlo")
    assert any("organisation 'venlo' is named after municipality GM0983, as 'Gemeente Venlo' (role org_a) is" in w
               for w in warned), warned
    admin.add_member("org_a", "Gemeente A")
    admin.add_member("org_b", "Gemeente B")


@case("S28")
def test_a_member_cannot_take_every_connection(shared):
    """Member roles had no connection limit: org_a opened every free slot and everyone else's planner failed."""
    from planner.store import MEMBER_CONNECTION_LIMIT

    held = []
    try:
        with pytest.raises(psycopg.OperationalError, match="too many connections for role"):
            for _ in range(MEMBER_CONNECTION_LIMIT + 1):
                held.append(psycopg.connect(shared["org_a"], autocommit=True))
        assert len(held) == MEMBER_CONNECTION_LIMIT
        listing = PostgresStore(shared["org_b"]).list()  # the other members still work
        assert listing["id"].tolist() == [shared["a_id"]]
        settings = {name: held[0].execute(f"SHOW {name}").fetchone()[0]
                    for name in ("statement_timeout", "idle_in_transaction_session_timeout", "temp_file_limit")}
        assert settings == {"statement_timeout": "5min", "idle_in_transaction_session_timeout": "1min",
                            "temp_file_limit": "1GB"}
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # only a superuser may raise this one
            held[0].execute("SET temp_file_limit = -1")
    finally:
        for connection in held:
            connection.close()


@pytest.mark.parametrize("meta", ["'[1]'::jsonb", "'null'::jsonb", "'{\"note\": [1, 2]}'::jsonb",
                                  "(repeat('[', 5000) || repeat(']', 5000))::jsonb",
                                  "jsonb_build_object('note', 'x', 'pad', repeat('x', 2000000))"])
@case("S29")
def test_crafted_metadata_of_a_version_breaks_no_listing(shared, meta):
    """org_a wrote (with SQL, into its own scenario) a version whose metadata is a list, null, 5000-deep nesting
    or megabytes: every member's 'scenario list', 'show NAME' and the app's Scenarios page crashed
    (AttributeError, RecursionError) or slowed down. Now the store refuses such metadata, and rows from before the
    upgrade are listed with an empty note."""
    with pytest.raises(psycopg.errors.CheckViolation, match="versions_meta_object"):
        _own_version(shared["org_a"], shared["a_id"], meta=meta)
    _as_before_the_upgrade(shared, ["versions_meta_object"],
                           _OWN_VERSION.format(name="name", author="author", created="now()", meta=meta,
                                               data="data"), (2, shared["a_id"]))
    b = PostgresStore(shared["org_b"])
    mine = b.save(_scenario("Gemeente B", name="Woningplan B", author="Bert"))
    listed = CliRunner().invoke(main, ["scenario", "list", "--store", shared["org_b"]])
    assert listed.exit_code == 0, listed.output
    assert "Woningplan B" in listed.output and "DC Trade Port Noord" in listed.output
    note = "x" if "pad" in meta else ""  # megabytes of metadata with a note: the note, and nothing else, is read
    assert b.list().set_index("id").loc[shared["a_id"], ["version", "note"]].tolist() == [2, note]
    shown = CliRunner().invoke(main, ["scenario", "show", "Woningplan B", "--store", shared["org_b"]])
    assert shown.exit_code == 0 and mine.id in shown.output, shown.output
    assert b.history(shared["a_id"])["note"].tolist() == ["", note]


@case("S30")
def test_a_version_cannot_pass_itself_off_as_another_organisations(shared, tmp_path):
    """org_a stored, under its own scenario, bytes claiming to be Gemeente B's scenario (B's id, organisation and
    author, saved in 2099). B's 'scenario show' printed Gemeente B, the export claimed to be B's, 'save --from'
    wrote a version of B's own scenario, and the 2099 date won every roll-up. Now the store's rows decide."""
    import dataclasses

    b = PostgresStore(shared["org_b"])
    real_b = b.save(_scenario("Gemeente B", name="Woningplan B", author="Bert"))
    forged = dataclasses.replace(_scenario("Gemeente B", name="Woningplan B", author="Bert"), id=real_b.id,
                                 version=1, created="2099-01-01T00:00:00+00:00", note="goedgekeurd door college B")
    forged.sites = forged.sites.iloc[:1]
    _own_version(shared["org_a"], shared["a_id"], created="'2099-01-01'", data="%s",
                 params=(scenario_to_bytes(forged),))
    with pytest.warns(PlannerWarning, match="carries the identity of another scenario"):
        opened = b.open(shared["a_id"])
    assert (opened.id, opened.version, opened.organisation, opened.author) == (shared["a_id"], 2, "Gemeente A", "Anna")
    assert opened.created < "2099" and b.history(shared["a_id"])["created"].iloc[-1] < "2099"
    runner = CliRunner()
    shown = runner.invoke(main, ["scenario", "show", shared["a_id"], "--store", shared["org_b"]])
    assert shown.exit_code == 0, shown.output
    assert re.search(r"^organisation\s+Gemeente A$", shown.output, re.M)
    said = [line for line in shown.output.splitlines() if "Gemeente B" in line]
    assert len(said) == 1 and said[0].startswith("Warning:") and "carries the identity of another" in said[0]
    exported = runner.invoke(main, ["scenario", "export", shared["a_id"], str(tmp_path / "a.gpkg"),
                                    "--store", shared["org_b"]])
    assert exported.exit_code == 0, exported.output
    assert (read_scenario(tmp_path / "a.gpkg").id, read_scenario(tmp_path / "a.gpkg").organisation) == (
        shared["a_id"], "Gemeente A")
    derived = runner.invoke(main, ["scenario", "save", "--from", shared["a_id"], "--store", shared["org_b"]])
    assert derived.exit_code == 2 and "belongs to Gemeente A" in derived.output, derived.output
    assert b.history(real_b.id)["version"].tolist() == [1]
    assert len(b.open(real_b.id).sites) == len(real_b.sites)


def _view_metadata(path: Path) -> None:
    """Make a scenario GeoPackage's metadata layer a view over a query that counts to 10^12 (hours of CPU)."""
    with sqlite3.connect(path) as db:
        db.executescript("""
ALTER TABLE metadata RENAME TO metadata_real;
CREATE VIEW metadata AS SELECT fid, key, value FROM metadata_real WHERE
  (SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000000)
                         SELECT x FROM c)) > 0;""")


@case("S31")
def test_a_geopackage_that_runs_its_own_query_is_refused_before_it_is_read(shared, tmp_path):
    """A stored version's bytes, or an exchange file, whose metadata layer is a view over an endless recursive
    query: whoever opened it (show, compare, export, roll-up, import; the app) hung at 100% CPU."""
    evil = tmp_path / "regionale_verdeling.gpkg"
    evil.write_bytes(scenario_to_bytes(_scenario()))
    _view_metadata(evil)
    _own_version(shared["org_a"], shared["a_id"], data="%s", params=(evil.read_bytes(),))
    for command in (["scenario", "show", shared["a_id"]], ["scenario", "import", str(evil)]):
        started = time.perf_counter()
        result = _planner(shared, *command, timeout=90, PLANNER_DATA_DIR=str(tmp_path / "data"))
        assert time.perf_counter() - started < 60
        assert result.returncode == 2, result.stdout + result.stderr
        assert "contains a view (metadata)" in result.stderr and "could run its own queries" in result.stderr
    assert "regionale_verdeling.gpkg" in result.stderr  # the exchange file is named
    listing = PostgresStore(shared["org_b"]).list()
    assert listing["id"].tolist() == [shared["a_id"]]  # nothing imported; the list still works
    # A computed (generated) column runs on every read in the same way.
    computed = tmp_path / "berekend.gpkg"
    computed.write_bytes(scenario_to_bytes(_scenario()))
    with sqlite3.connect(computed) as db:
        db.execute("ALTER TABLE metadata ADD COLUMN extra TEXT GENERATED ALWAYS AS (upper(value)) VIRTUAL")
    with pytest.raises(InputError, match=r"berekend.gpkg.*computed \(generated\) column"):
        read_scenario(computed)


@case("S32")
def test_names_with_terminal_escapes_cannot_spoof_the_listing(shared):
    """org_a wrote an author '\\x1b[11DGemeente B   Bert' (cursor back 11 columns): in a terminal, 'scenario list'
    then showed that row's organisation as Gemeente B. Names of 5 MB were accepted too."""
    crafted = [("author", "\x1b[11DGemeente B   Bert"), ("name", "Woningplan \u202eB tnemeeG"),
               ("name", "x" * 5_000_000), ("author", "Anna\x08\x08\x08\x08Bert")]
    for column, value in crafted:
        with pytest.raises(psycopg.errors.CheckViolation, match=f"versions_{column}_shown"):
            _own_version(shared["org_a"], shared["a_id"], **{column: "%s"}, params=(value,))
    with pytest.raises(InputError, match="contains a control character"):
        _scenario(author="\x1b[11DGemeente B   Bert")
    # A row from before the upgrade is shown with its control characters made visible, not run.
    _as_before_the_upgrade(shared, ["versions_author_shown"], _OWN_VERSION.format(
        name="name", author="%s", created="now()", meta="meta", data="data"),
        (2, "\x1b[11DGemeente B   Bert", shared["a_id"]))
    listed = CliRunner().invoke(main, ["scenario", "list", "--store", shared["org_b"]])
    assert listed.exit_code == 0, listed.output
    assert "\x1b" not in listed.output and "\ufffd[11DGemeente B   Bert" in listed.output
    row = [line for line in listed.output.splitlines() if shared["a_id"] in line]
    assert len(row) == 1 and re.search(r"Gemeente A\s+\ufffd\[11DGemeente B", row[0])


@case("S33")
def test_a_member_cannot_fill_the_store(shared):
    """No quota: org_a stored 100 MB versions, large objects that outlived delete, 300,000 scenarios in seconds
    (every member's list slowed down), temporary files without limit."""
    from planner.store import MAX_SCENARIOS_PER_ORGANISATION

    with pytest.raises(psycopg.errors.CheckViolation, match="versions_data_size"):
        _own_version(shared["org_a"], shared["a_id"], data="convert_to(repeat('x', 201 * 1024 * 1024), 'UTF8')")
    with psycopg.connect(shared["org_a"], autocommit=True) as connection:
        with pytest.raises(psycopg.errors.CheckViolation, match="already has 1000 scenarios"):
            connection.execute("INSERT INTO planner.scenarios (id, name, organisation, created) SELECT "
                               "gen_random_uuid(), 'spam ' || g, 'Gemeente A', now() FROM generate_series(1, %s) g",
                               (MAX_SCENARIOS_PER_ORGANISATION + 1,))
        assert connection.execute("SELECT count(*) FROM planner.scenarios").fetchone() == (1,)
        with pytest.raises(psycopg.errors.CheckViolation, match="already has 1000 versions"):
            connection.execute(_OWN_VERSION.replace("SELECT scenario_id, %s", "SELECT scenario_id, g").format(
                name="name", author="author", created="now()", meta="meta", data="'x'::bytea").replace(
                "FROM planner.scenario_versions WHERE", "FROM planner.scenario_versions, generate_series(2, 1002) g "
                "WHERE"), (shared["a_id"],))
    _a_untouched(shared)


@case("S38")
def test_a_member_cannot_fill_or_forge_the_sites_table(shared):
    """Members inserted rows into scenario_sites directly: a 381 MB site name and two million rows in a minute (the
    server's disk), with no check of the text. Now only planner.add_sites writes them: once per version of the
    caller's own organisation, bounded, with control characters made spaces."""
    from planner.store import MAX_SITES_PER_VERSION

    b_saved = PostgresStore(shared["org_b"]).save(_scenario("Gemeente B", "Plan B", "Bert"))
    with psycopg.connect(shared["org_b"], autocommit=True) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("INSERT INTO planner.scenario_sites (scenario_id, version, site, name) "
                               "VALUES (%s, 1, 999, repeat('x', 1000000))", (b_saved.id,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="own organisation"):
            connection.execute("SELECT planner.add_sites(%s, 1, '[{\"name\": \"namaak\"}]')", (shared["a_id"],))
        with pytest.raises(psycopg.errors.CheckViolation, match="stored already"):
            connection.execute("SELECT planner.add_sites(%s, 1, '[{\"name\": \"meer\"}]')", (b_saved.id,))
        # B's next version (saved with SQL, no sites yet): too many sites, too many bytes, or no array: refused.
        _own_version(shared["org_b"], b_saved.id)
        for sites in (f"(SELECT jsonb_agg(jsonb_build_object('name', g)) FROM generate_series(1, "
                      f"{MAX_SITES_PER_VERSION + 1}) g)", "jsonb_build_array(jsonb_build_object('name', "
                      "repeat('x', 60 * 1024 * 1024)))", "'{\"name\": \"geen lijst\"}'::jsonb"):
            with pytest.raises(psycopg.errors.CheckViolation, match="one JSON array of at most"):
                connection.execute(f"SELECT planner.add_sites(%s, 2, {sites})", (b_saved.id,))
        # Figures that are no numbers (NaN, Infinity as text), names that are no text, another coordinate system.
        for site in ({"floor_area_m2": "NaN"}, {"plot_area_ha": "-Infinity"}, {"name": {"x": 1}}, "geen object"):
            with pytest.raises(psycopg.errors.CheckViolation, match="names are text and whose figures are numbers"):
                connection.execute("SELECT planner.add_sites(%s, 2, %s::jsonb)", (b_saved.id, json.dumps([site])))
        rd = "0101000020407100000000000000DB0A4100000000006A1841"  # EWKB POINT(220000 400000) in EPSG:28992
        with pytest.raises(psycopg.errors.CheckViolation, match="WGS84"):
            connection.execute("SELECT planner.add_sites(%s, 2, %s::jsonb)", (b_saved.id, json.dumps([{"wkb": rd}])))
        added = connection.execute("SELECT planner.add_sites(%s, 2, %s::jsonb)", (
            b_saved.id, json.dumps([{"name": "Hal\u001b[11D 3\u202e", "sector": "logistiek"}]))).fetchone()
        assert added == (1,)
        assert connection.execute("SELECT name FROM planner.scenario_sites WHERE scenario_id = %s AND version = 2",
                                  (b_saved.id,)).fetchone() == ("Hal [11D 3 ",)
    # planner's own save still fills the table with every site of the version.
    with psycopg.connect(shared["admin"], autocommit=True) as connection:
        assert connection.execute("SELECT count(*) FROM planner.scenario_sites WHERE scenario_id = %s AND "
                                  "version = 1", (b_saved.id,)).fetchone() == (len(b_saved.sites),)
    _a_untouched(shared)


@pytest.mark.parametrize(("dsn", "secret_parts"), [
    ("postgresql://org_a:geheim@2026@127.0.0.1:{port}/planner_test", ["geheim", "2026"]),
    ("postgresql://org_a:p@ss#word@127.0.0.1:{port}/planner_test", ["ss#word", "ss#"]),
    ("postgresql://org_a:Zomer/2026!x@127.0.0.1:{port}/planner_test", ["Zomer", "2026!x"]),
    ("host=127.0.0.1 port={port} dbname=planner_test user=org_a password=org_a- secret", ["secret"]),
    ("host=127.0.0.1 port={port} dbname=planner_test user=org_a password=hunter2 bogus=1", ["hunter2"]),
    ("postgresql://org_a:s3cr%ZZetpw@127.0.0.1:{port}/planner_test", ["s3cr", "etpw"]),
])
@case("S34")
def test_a_connection_string_that_does_not_read_cleanly_is_not_shown(shared, dsn, secret_parts):
    """An unencoded '@', '#' or '/' in a URL's password, or an unquoted space in a keyword password: part of the
    password was printed (as a host name, or left over by masking)."""
    dsn = dsn.format(port=shared["port"])
    assert safe_location(dsn) == "(connection string not shown)"
    runner = CliRunner()
    for result in (runner.invoke(main, ["store", "status", "--store", dsn]),
                   runner.invoke(main, ["scenario", "list"], env={"PLANNER_STORE": dsn})):
        assert result.exit_code == 2, result.output
        assert "does not read cleanly" in result.output and "%40" in result.output
        for part in secret_parts:
            assert part not in result.output
