"""Scenario stores: one interface, two back ends.

* :class:`SQLiteStore`: the embedded default, a SQLite file in the user's data
  directory (``scenarios.sqlite``).
* :class:`PostgresStore`: a region's shared store in PostgreSQL with PostGIS.
  Every member reads every scenario; only the organisation that owns a
  scenario can add versions to it or delete it. The database enforces this
  with row-level security, whatever the program does.

Versions are never overwritten: saving adds version n+1 to a scenario opened
at version n. When someone else saved n+1 first, the save is refused with a
:class:`ConflictError`, and the refused scenario is kept as an exchange file so
nothing is lost. A save is one transaction: interrupted, it leaves the store
as it was.

Each version is stored as its exchange GeoPackage (see
:mod:`planner.exchange`), plus listing columns; PostGIS also keeps the sites
as geometries (``scenario_sites``) for GIS users.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from abc import ABC, abstractmethod
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from .errors import InputError, Problem
from .exchange import scenario_from_bytes, scenario_to_bytes, write_scenario
from .geodata import data_directory
from .scenarios import SCHEMA_VERSION, Scenario

LIST_COLUMNS = ["id", "version", "name", "organisation", "author", "created", "note"]


class ConflictError(InputError):
    """Someone saved the next version first; the refused scenario is kept in ``kept``."""

    def __init__(self, message: str, kept: Path | None):
        super().__init__(Problem(message, fix=(f"your version is kept in {kept}; open the newer version, compare, "
                                               f"and save again (planner scenario import {kept})") if kept else
                                 "open the newer version and save again"))
        self.kept = kept


class StorePermissionError(InputError):
    """The store refused a change (another organisation's scenario)."""


class StoreUnavailableError(InputError):
    """The store cannot be reached."""


def safe_location(location: str) -> str:
    """A store location fit to show: passwords removed from URLs.

    >>> safe_location("postgresql://org_a:secret@127.0.0.1:5432/planner")
    'postgresql://org_a:***@127.0.0.1:5432/planner'
    """
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", location)


class Store(ABC):
    """Save, list, open and delete scenario versions."""

    location: str

    # -- what the back ends provide --------------------------------------------------------------
    @abstractmethod
    def _transaction(self):  # pragma: no cover - interface
        """A context manager giving a cursor inside one transaction."""

    placeholder = "?"

    def _q(self, sql: str) -> str:
        return sql.replace("?", self.placeholder)

    def _after_insert(self, cursor, scenario: Scenario) -> None:
        """Extra rows a back end keeps per version (PostGIS: site geometries); none by default."""
        del cursor, scenario

    def _is_conflict(self, exc: Exception) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def _is_permission(self, exc: Exception) -> bool:
        return False

    def _my_organisation(self, cursor) -> str | None:
        """The organisation the store knows the user by (shared store), or None."""
        del cursor
        return None

    # -- the interface ---------------------------------------------------------------------------
    def save(self, scenario: Scenario) -> Scenario:
        """Store ``scenario`` as the version after the one it was opened at; returns it with its new number."""
        new = scenario.edited(version=scenario.version + 1)
        new.created = datetime.now(UTC).isoformat(timespec="seconds")
        data = scenario_to_bytes(new)
        meta = new.meta()
        try:
            with self._transaction() as cursor:
                mine = self._my_organisation(cursor)
                if mine is not None and mine != new.organisation and new.version == 1:
                    raise StorePermissionError(Problem(
                        f"you save for {mine}, not for {new.organisation}",
                        fix=f"set the scenario's organisation to {mine}"), source=self.location)
                if new.version == 1:
                    cursor.execute(self._q("INSERT INTO scenarios (id, name, organisation, created) "
                                           "VALUES (?, ?, ?, ?)"), (new.id, new.name, new.organisation, new.created))
                else:
                    cursor.execute(self._q("SELECT organisation FROM scenarios WHERE id = ?"), (new.id,))
                    row = cursor.fetchone()
                    if row is None:
                        raise InputError(Problem(f"scenario {new.id} is not in this store",
                                                 fix="import it as a new scenario"), source=self.location)
                    if row[0] != new.organisation or (mine is not None and mine != row[0]):
                        raise StorePermissionError(Problem(
                            f"'{new.name}' belongs to {row[0]}; {mine or new.organisation} cannot add versions to it",
                            fix="save it under a new name for your own organisation"), source=self.location)
                cursor.execute(self._q(
                    "INSERT INTO scenario_versions (scenario_id, version, name, author, created, schema_version, "
                    "meta, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                    (new.id, new.version, new.name, new.author, new.created, SCHEMA_VERSION, json.dumps(meta),
                     self._blob(data)))
                self._after_insert(cursor, new)
        except (InputError, ConflictError):
            raise
        except Exception as exc:
            if self._is_conflict(exc):
                raise self._conflict(new) from None
            if self._is_permission(exc):
                raise StorePermissionError(Problem(
                    f"the store refused to save '{new.name}' for {new.organisation}: {str(exc).splitlines()[0]}",
                    fix="you can change only your own organisation's scenarios; save under a new name"),
                    source=self.location) from None
            raise
        return new

    def _blob(self, data: bytes):
        return data

    def _conflict(self, refused: Scenario) -> ConflictError:
        latest = self.history(refused.id).iloc[-1]
        folder = data_directory() / "conflicts"
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        kept = folder / f"{re.sub(r'[^A-Za-z0-9_-]+', '_', refused.name)[:60]}-{stamp}.gpkg"
        refused = refused.edited(version=refused.version - 1, note=(refused.note + " [refused save, kept]").strip())
        try:
            write_scenario(refused, kept)
        except OSError:  # pragma: no cover - nowhere to keep it; say so
            kept = None
        return ConflictError(f"version {refused.version + 1} of '{refused.name}' was already saved by "
                             f"{latest['author']} at {latest['created']} while you edited version "
                             f"{refused.version}", kept)

    def list(self, organisation: str | None = None) -> pd.DataFrame:
        """The latest version of every scenario (of one organisation, if given)."""
        sql = ("SELECT v.scenario_id, v.version, v.name, s.organisation, v.author, v.created, v.meta "
               "FROM scenario_versions v JOIN scenarios s ON s.id = v.scenario_id "
               "WHERE v.version = (SELECT max(w.version) FROM scenario_versions w WHERE w.scenario_id = v.scenario_id)")
        params: tuple = ()
        if organisation:
            sql += " AND s.organisation = ?"
            params = (organisation,)
        return self._frame(sql + " ORDER BY s.organisation, v.name", params)

    def history(self, scenario_id: str) -> pd.DataFrame:
        """Every version of one scenario, oldest first."""
        frame = self._frame("SELECT v.scenario_id, v.version, v.name, s.organisation, v.author, v.created, v.meta "
                            "FROM scenario_versions v JOIN scenarios s ON s.id = v.scenario_id "
                            "WHERE v.scenario_id = ? ORDER BY v.version", (str(scenario_id),))
        if frame.empty:
            raise InputError(Problem(f"no scenario {scenario_id}", fix="see 'planner scenario list'"),
                             source=self.location)
        return frame

    def _frame(self, sql: str, params: tuple) -> pd.DataFrame:
        with self._transaction() as cursor:
            cursor.execute(self._q(sql), params)
            rows = cursor.fetchall()
        frame = pd.DataFrame([(str(r[0]), int(r[1]), r[2], r[3], r[4], str(r[5]),
                               (json.loads(r[6]) if isinstance(r[6], str) else r[6] or {}).get("note", ""))
                              for r in rows], columns=LIST_COLUMNS)
        return frame

    def find(self, reference: str) -> tuple[str, int | None]:
        """``ID``, ``ID:VERSION``, a unique ID prefix or a unique name -> (id, version or None)."""
        ref, _, version = reference.partition(":")
        listing = self.list()
        match = listing[(listing["id"] == ref) | listing["id"].str.startswith(ref) | (listing["name"] == ref)]
        if len(match) != 1:
            raise InputError(Problem(f"'{ref}' matches {len(match)} scenarios",
                                     fix="give the id (or a longer part of it) from 'planner scenario list'"),
                             source=self.location)
        if version and not version.isdigit():
            raise InputError(Problem(f"'{version}' is not a version number", fix="write ID:3 for version 3"))
        return match["id"].iloc[0], int(version) if version else None

    def open(self, scenario_id: str, version: int | None = None) -> Scenario:
        """A stored version (the latest when ``version`` is None)."""
        sql = "SELECT data FROM scenario_versions WHERE scenario_id = ?"
        params: tuple = (str(scenario_id),)
        if version is None:
            sql += " ORDER BY version DESC LIMIT 1"
        else:
            sql += " AND version = ?"
            params += (int(version),)
        with self._transaction() as cursor:
            cursor.execute(self._q(sql), params)
            row = cursor.fetchone()
        if row is None:
            raise InputError(Problem(f"no version {version or 'at all'} of scenario {scenario_id}",
                                     fix="see 'planner scenario list' and 'planner scenario show ID'"),
                             source=self.location)
        return scenario_from_bytes(bytes(row[0]), source=f"{self.location} {scenario_id} v{version or 'latest'}")

    def delete(self, scenario_id: str) -> None:
        """Delete a scenario with all its versions (only its own organisation can)."""
        with self._transaction() as cursor:
            cursor.execute(self._q("DELETE FROM scenario_versions WHERE scenario_id = ?"), (str(scenario_id),))
            cursor.execute(self._q("DELETE FROM scenarios WHERE id = ?"), (str(scenario_id),))
            if cursor.rowcount == 0:
                raise StorePermissionError(Problem(f"scenario {scenario_id} was not deleted",
                                                   fix="it does not exist, or it belongs to another organisation"),
                                           source=self.location)


# -- SQLite ------------------------------------------------------------------------------------------

SQLITE_SCHEMA = """
CREATE TABLE IF NOT EXISTS scenarios (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, organisation TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS scenario_versions (
    scenario_id TEXT NOT NULL REFERENCES scenarios(id), version INTEGER NOT NULL CHECK (version > 0),
    name TEXT NOT NULL, author TEXT NOT NULL, created TEXT NOT NULL, schema_version INTEGER NOT NULL,
    meta TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (scenario_id, version));
CREATE TRIGGER IF NOT EXISTS versions_are_never_changed BEFORE UPDATE ON scenario_versions
BEGIN SELECT RAISE(ABORT, 'scenario versions are never changed; save a new version'); END;
"""


class SQLiteStore(Store):
    """The embedded store: one SQLite file (default ``<data directory>/scenarios.sqlite``)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else data_directory() / "scenarios.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.location = str(self.path)
        try:
            connection = sqlite3.connect(self.path, timeout=30)
            try:
                connection.executescript(SQLITE_SCHEMA)
            finally:
                connection.close()
        except sqlite3.Error as exc:
            raise StoreUnavailableError(Problem(f"cannot open the store ({exc})",
                                                fix="check the path and its rights"), source=self.location) from None

    @contextmanager
    def _transaction(self):
        try:
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreUnavailableError(Problem(f"cannot open the store ({exc})", fix="check the path and its rights"),
                                   source=self.location) from None
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("BEGIN IMMEDIATE")
            cursor = connection.cursor()
            yield cursor
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            connection.close()

    def _is_conflict(self, exc: Exception) -> bool:
        return isinstance(exc, sqlite3.IntegrityError) and "UNIQUE" in str(exc).upper()


# -- PostgreSQL / PostGIS ----------------------------------------------------------------------------

_OWNED_VIA_SCENARIO = ("EXISTS (SELECT 1 FROM scenarios s WHERE s.id = scenario_id "
                       "AND s.organisation = planner_organisation())")

POSTGRES_SCHEMA = """
CREATE EXTENSION IF NOT EXISTS postgis;
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'planner_region') THEN
        CREATE ROLE planner_region NOLOGIN;
    END IF;
END $$;
CREATE TABLE IF NOT EXISTS planner_members (role_name name PRIMARY KEY, organisation text NOT NULL);
CREATE OR REPLACE FUNCTION planner_organisation() RETURNS text
    LANGUAGE sql STABLE SECURITY INVOKER SET search_path = public
    AS $f$ SELECT organisation FROM planner_members WHERE role_name = current_user $f$;
CREATE TABLE IF NOT EXISTS scenarios (
    id uuid PRIMARY KEY, name text NOT NULL, organisation text NOT NULL, created timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS scenario_versions (
    scenario_id uuid NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,
    version integer NOT NULL CHECK (version > 0), name text NOT NULL, author text NOT NULL,
    created timestamptz NOT NULL, schema_version integer NOT NULL, meta jsonb NOT NULL, data bytea NOT NULL,
    PRIMARY KEY (scenario_id, version));
CREATE TABLE IF NOT EXISTS scenario_sites (
    scenario_id uuid NOT NULL, version integer NOT NULL, site integer NOT NULL, name text, sector text,
    subtype text, floor_area_m2 double precision, plot_area_ha double precision, start_year integer,
    geom geometry(Geometry, 4326),
    PRIMARY KEY (scenario_id, version, site),
    FOREIGN KEY (scenario_id, version) REFERENCES scenario_versions ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS scenario_sites_geom ON scenario_sites USING gist (geom);
""" + "".join(f"""ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS members_read ON {table};
DROP POLICY IF EXISTS owner_insert ON {table};
DROP POLICY IF EXISTS owner_delete ON {table};
CREATE POLICY members_read ON {table} FOR SELECT TO planner_region USING (true);
CREATE POLICY owner_insert ON {table} FOR INSERT TO planner_region WITH CHECK ({owned});
CREATE POLICY owner_delete ON {table} FOR DELETE TO planner_region USING ({owned});
""" for table, owned in (  # every member reads everything; only the owning organisation adds or deletes
    ("scenarios", "organisation = planner_organisation()"),
    ("scenario_versions", _OWNED_VIA_SCENARIO),
    ("scenario_sites", _OWNED_VIA_SCENARIO),
)) + """-- Versions are never changed: members get no UPDATE right at all.
REVOKE ALL ON scenarios, scenario_versions, scenario_sites, planner_members FROM PUBLIC;
GRANT SELECT, INSERT, DELETE ON scenarios, scenario_versions, scenario_sites TO planner_region;
GRANT SELECT ON planner_members TO planner_region;
GRANT EXECUTE ON FUNCTION planner_organisation() TO planner_region;
"""


class PostgresStore(Store):
    """A region's shared store in PostgreSQL/PostGIS.

    ``dsn`` is a libpq connection string or URL; by default
    ``$PLANNER_STORE``. Passwords come from the URL, ``$PGPASSWORD`` or a
    ``.pgpass`` file and are never shown.
    """

    placeholder = "%s"

    def __init__(self, dsn: str | None = None, connect_timeout: int = 10):
        self.dsn = dsn or os.environ.get("PLANNER_STORE", "")
        if not self.dsn:
            raise StoreUnavailableError(Problem("no shared store given", fix="set PLANNER_STORE=postgresql://user@host/db"))
        self.location = safe_location(self.dsn)
        self.connect_timeout = connect_timeout

    def _connect(self):
        import psycopg

        try:
            return psycopg.connect(self.dsn, connect_timeout=self.connect_timeout, application_name="planner")
        except psycopg.OperationalError as exc:
            reason = safe_location(str(exc).strip().splitlines()[-1] if str(exc).strip() else "no answer")
            raise StoreUnavailableError(Problem(f"cannot reach the shared store ({reason})",
                                           fix="check the connection settings (PLANNER_STORE) and the network; "
                                               "nothing was saved"), source=self.location) from None

    @contextmanager
    def _transaction(self):
        import psycopg

        connection = self._connect()
        try:
            with connection.transaction(), connection.cursor() as cursor:
                yield cursor
        except psycopg.OperationalError as exc:
            raise StoreUnavailableError(Problem(f"the connection to the shared store was lost ({type(exc).__name__})",
                                           fix="try again; the transaction was rolled back, nothing half-written"),
                                   source=self.location) from None
        finally:
            connection.close()

    def _blob(self, data: bytes):
        return data

    def _is_conflict(self, exc: Exception) -> bool:
        import psycopg

        return isinstance(exc, psycopg.errors.UniqueViolation)

    def _is_permission(self, exc: Exception) -> bool:
        import psycopg

        return isinstance(exc, psycopg.errors.InsufficientPrivilege)

    def _my_organisation(self, cursor) -> str | None:
        cursor.execute("SELECT planner_organisation()")
        row = cursor.fetchone()
        return row[0] if row else None

    def _after_insert(self, cursor, scenario: Scenario) -> None:
        sites = scenario.sites
        rows = []
        for number, (index, row) in enumerate(sites.iterrows(), start=1):
            del index
            rows.append((scenario.id, scenario.version, number, _text(row.get("name")), _text(row.get("sector")),
                         _text(row.get("subtype")), _float(row.get("floor_area_m2")), _float(row.get("plot_area_ha")),
                         _int(row.get("start_year")), row.geometry.wkb if row.geometry is not None else None))
        cursor.executemany(
            "INSERT INTO scenario_sites (scenario_id, version, site, name, sector, subtype, floor_area_m2, "
            "plot_area_ha, start_year, geom) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, "
            "ST_SetSRID(ST_GeomFromWKB(%s), 4326))", rows)

    # -- administration (by the region's database administrator) --------------------------------
    def setup(self) -> None:
        """Create the tables, policies and the member role ``planner_region`` (run once, as an administrator)."""
        with self._transaction() as cursor:
            cursor.execute(POSTGRES_SCHEMA)

    def add_member(self, role: str, organisation: str) -> None:
        """Let database role ``role`` read all scenarios and change those of ``organisation``."""
        from psycopg import sql

        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", role):
            raise InputError(Problem(f"'{role}' is not a plain role name", fix="use letters, digits and _"))
        with self._transaction() as cursor:
            cursor.execute(sql.SQL("GRANT planner_region TO {}").format(sql.Identifier(role)))
            cursor.execute("INSERT INTO planner_members (role_name, organisation) VALUES (%s, %s) "
                           "ON CONFLICT (role_name) DO UPDATE SET organisation = excluded.organisation",
                           (role, organisation))


def _text(value) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _float(value) -> float | None:
    try:
        return None if value is None or pd.isna(value) else float(value)
    except (TypeError, ValueError):
        return None


def _int(value) -> int | None:
    number = _float(value)
    return None if number is None else int(number)


def open_store(location: str | None = None) -> Store:
    """The store at ``location`` (a postgresql:// URL or a SQLite path), else ``$PLANNER_STORE``, else embedded."""
    location = location or os.environ.get("PLANNER_STORE") or ""
    if location.startswith(("postgresql://", "postgres://")) or "host=" in location or "dbname=" in location:
        return PostgresStore(location)
    return SQLiteStore(location or None)


__all__ = ["ConflictError", "PostgresStore", "SQLiteStore", "Store", "StorePermissionError", "StoreUnavailableError",
           "open_store", "safe_location"]
