"""Scenario stores: one interface, two back ends.

* :class:`SQLiteStore`: the embedded default, a SQLite file in the user's data
  directory (``scenarios.sqlite``). It trusts whoever can open the file: the
  organisation it acts for is the one the user states (``organisation=``,
  ``--organisation`` or ``$PLANNER_ORGANISATION``).
* :class:`PostgresStore`: a region's shared store in PostgreSQL with PostGIS.
  Every member reads every scenario; only the organisation that owns a
  scenario can add versions to it or delete it. The database decides who a
  user is (their login role, mapped to an organisation in ``planner.members``)
  and enforces the rules with row-level security, whatever a program does.

Versions are never overwritten: saving adds version n+1 to a scenario opened
at version n. When someone else saved n+1 first, the save is refused with a
:class:`ConflictError`, and the refused scenario is kept as an exchange file
under a name no other refusal can take, so nothing is lost. A save is one
transaction: interrupted, it leaves the store as it was.

Both stores carry a schema version and upgrade themselves through numbered
migrations (:data:`SQLITE_MIGRATIONS`, :data:`POSTGRES_MIGRATIONS`), from the
first layout planner shipped to the newest.
"""

from __future__ import annotations

import getpass
import json
import math
import os
import re
import sqlite3
import tempfile
import warnings
from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from .errors import InputError, PlannerWarning, Problem
from .exchange import scenario_from_bytes, scenario_to_bytes, write_scenario
from .geodata import user_data_directory
from .redaction import NOT_SHOWN, is_clean, is_connection_string, redact, safe_location
from .scenarios import NAME_LIMIT, NOTE_LIMIT, SCHEMA_VERSION, Scenario, hidden_class, printable

LIST_COLUMNS = ["id", "version", "name", "organisation", "author", "saved_by", "created", "note"]

# -- what one member may take of the shared store (README, "A shared store for a region") -------------------
# The limits below are written into schema migration 5; changing one for existing stores needs a new migration.
#: The largest version (its GeoPackage bytes) a store accepts: a region's scenario is a few megabytes.
MAX_VERSION_BYTES = 200 * 1024 * 1024
#: The largest metadata (JSON) of a version; planner writes about a kilobyte.
MAX_META_BYTES = 1024 * 1024
#: Scenarios per organisation, and versions per scenario, the shared store keeps.
MAX_SCENARIOS_PER_ORGANISATION = 1000
MAX_VERSIONS_PER_SCENARIO = 1000
#: The sites of one version in the shared store's ``scenario_sites`` table (a copy for GIS users; the version's
#: own data holds every site): at most this many, in at most this many bytes of JSON.
MAX_SITES_PER_VERSION = 50_000
MAX_SITES_BYTES = 50 * 1024 * 1024
#: Sessions one member role may hold at once (``ALTER ROLE ... CONNECTION LIMIT``, set by ``add-member``).
#: planner opens one per read or save and closes it; the app one per page load. Keep the sum over all members
#: below the server's ``max_connections`` minus its reserved connections.
MEMBER_CONNECTION_LIMIT = 10
#: Settings of every member role in the store's database (``ALTER ROLE ... IN DATABASE ... SET``, by
#: ``add-member``): no statement runs longer than five minutes, a transaction left open ends after one minute,
#: and no query writes more than 1 GB of temporary files. A member can lower the first two for its own
#: session, and raise them too (they are defaults, not limits); ``temp_file_limit`` only a superuser can change.
MEMBER_SETTINGS = {"statement_timeout": "5min", "idle_in_transaction_session_timeout": "1min",
                   "temp_file_limit": "1GB"}


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
    """The store cannot be reached, or its schema does not fit this planner."""


@dataclass(frozen=True)
class Identity:
    """Who the store acts for: a login (database role or user name) and the organisation it belongs to."""

    login: str
    organisation: str | None
    #: True when the store itself vouches for it (the shared store's database role); False when stated by the user.
    verified: bool


def _kept_file(name: str) -> Path:
    """A new, unique file in ``<data directory>/conflicts`` for a refused save; never one already there."""
    folder = user_data_directory() / "conflicts"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%f")
    handle, path = tempfile.mkstemp(prefix=f"{re.sub(r'[^A-Za-z0-9_-]+', '_', name)[:60]}-{stamp}-",
                                    suffix=".gpkg", dir=folder)
    os.close(handle)
    return Path(path)


class Store(ABC):
    """Save, list, open and delete scenario versions."""

    location: str
    #: Where the tables live ("planner." in the shared store).
    prefix = ""
    placeholder = "?"

    # -- what the back ends provide --------------------------------------------------------------
    @abstractmethod
    def _transaction(self):  # pragma: no cover - interface
        """A context manager giving a cursor inside one transaction."""

    @abstractmethod
    def identity(self) -> Identity | None:  # pragma: no cover - interface
        """Who the store acts for, or None when nobody said."""

    def _q(self, sql: str) -> str:
        return sql.replace("?", self.placeholder).replace("{p}", self.prefix)

    def _after_insert(self, cursor, scenario: Scenario) -> None:
        """Extra rows a back end keeps per version (PostGIS: site geometries); none by default."""
        del cursor, scenario

    def _is_conflict(self, exc: Exception) -> bool:  # pragma: no cover - interface
        raise NotImplementedError

    def _is_permission(self, exc: Exception) -> bool:
        return False

    def _is_refused_value(self, exc: Exception) -> bool:
        """Whether the store refused a value (a check of the shared store: length, characters, size, quota)."""
        return False

    def _saved_by(self) -> tuple[str, tuple]:
        """Extra column and value recording who saved (the database fills it in the shared store)."""
        return ", saved_by", (getpass.getuser(),)

    # -- the interface ---------------------------------------------------------------------------
    def save(self, scenario: Scenario) -> Scenario:
        """Store ``scenario`` as the version after the one it was opened at; returns it with its new number."""
        new = scenario.edited(version=scenario.version + 1)
        new.created = datetime.now(UTC).isoformat(timespec="seconds")
        data = scenario_to_bytes(new)
        if len(data) > MAX_VERSION_BYTES:
            raise InputError(Problem(f"'{new.name}' takes {len(data) / 2**20:,.0f} MB stored; a store keeps versions "
                                     f"of at most {MAX_VERSION_BYTES // 2**20} MB",
                                     fix="leave out sites or own reference objects"), source=self.location)
        meta = new.meta()
        who = self.identity()
        mine = who.organisation if who is not None else None
        if who is not None and who.verified and mine is None:
            raise StorePermissionError(Problem(
                f"database role '{who.login}' is not a member of this shared store",
                fix="ask the region's administrator to run: planner store add-member "
                    f"{who.login} \"YOUR ORGANISATION\""), source=self.location)
        column, value = self._saved_by()
        try:
            with self._transaction() as cursor:
                if mine is not None and mine != new.organisation and new.version == 1:
                    raise StorePermissionError(Problem(
                        f"you save for {mine}, not for {new.organisation}",
                        fix=f"set the scenario's organisation to {mine}"), source=self.location)
                if new.version == 1:
                    cursor.execute(self._q("INSERT INTO {p}scenarios (id, name, organisation, created) "
                                           "VALUES (?, ?, ?, ?)"), (new.id, new.name, new.organisation, new.created))
                else:
                    cursor.execute(self._q("SELECT organisation FROM {p}scenarios WHERE id = ?"), (new.id,))
                    row = cursor.fetchone()
                    if row is None:
                        raise InputError(Problem(f"scenario {new.id} is not in this store",
                                                 fix="import it as a new scenario"), source=self.location)
                    if row[0] != new.organisation or (mine is not None and mine != row[0]):
                        raise StorePermissionError(Problem(
                            f"'{new.name}' belongs to {row[0]}; {mine or new.organisation} cannot add versions to it",
                            fix="save it under a new name for your own organisation"), source=self.location)
                marks = ", ?" * len(value)
                cursor.execute(self._q(
                    "INSERT INTO {p}scenario_versions (scenario_id, version, name, author, created, schema_version, "
                    f"meta, data{column}) VALUES (?, ?, ?, ?, ?, ?, ?, ?{marks})"),
                    (new.id, new.version, new.name, new.author, new.created, SCHEMA_VERSION, json.dumps(meta),
                     data, *value))
                self._after_insert(cursor, new)
                # The shared store sets the saving time itself (a member cannot date a version in the future).
                cursor.execute(self._q("SELECT created FROM {p}scenario_versions WHERE scenario_id = ? AND "
                                       "version = ?"), (new.id, new.version))
                new.created = _iso(cursor.fetchone()[0])
        except (InputError, ConflictError):
            raise
        except Exception as exc:
            if self._is_conflict(exc):
                raise self._conflict(new) from None
            if self._is_refused_value(exc):
                raise InputError(Problem(f"the store refused '{new.name}': {redact(str(exc).splitlines()[0])}",
                                         fix="nothing was saved; see the store's limits in the README"),
                                 source=self.location) from None
            if self._is_permission(exc):
                raise StorePermissionError(Problem(
                    f"the store refused to save '{new.name}' for {new.organisation}: "
                    f"{redact(str(exc).splitlines()[0])}",
                    fix="you can change only your own organisation's scenarios; save under a new name"),
                    source=self.location) from None
            raise
        return new

    def _conflict(self, refused: Scenario) -> ConflictError:
        latest = self.history(refused.id).iloc[-1]
        refused = refused.edited(version=refused.version - 1, note=(refused.note + " [refused save, kept]").strip())
        kept: Path | None
        try:
            kept = _kept_file(refused.name)
            write_scenario(refused, kept)
        except OSError:  # pragma: no cover - nowhere to keep it; say so
            kept = None
        who = latest["author"] + (f" (login {latest['saved_by']})" if latest["saved_by"] else "")
        return ConflictError(f"version {refused.version + 1} of '{refused.name}' was already saved by "
                             f"{who} at {latest['created']} while you edited version {refused.version}", kept)

    #: The note of a version as the listing reads it; the shared store picks it out in the database, where a
    #: version's metadata may be anything a member wrote with SQL.
    _NOTE = "v.meta"

    @staticmethod
    def _listed_note(value) -> str:
        """The note from what :attr:`_NOTE` selects (here: the whole metadata)."""
        return _note(value)

    def _listing(self) -> str:
        return ("SELECT v.scenario_id, v.version, v.name, s.organisation, v.author, v.saved_by, v.created, "
                f"{self._NOTE} FROM {{p}}scenario_versions v JOIN {{p}}scenarios s ON s.id = v.scenario_id ")

    def list(self, organisation: str | None = None) -> pd.DataFrame:
        """The latest version of every scenario (of one organisation, if given)."""
        sql = self._listing() + ("WHERE v.version = (SELECT max(w.version) FROM {p}scenario_versions w "
                               "WHERE w.scenario_id = v.scenario_id)")
        params: tuple = ()
        if organisation:
            sql += " AND s.organisation = ?"
            params = (organisation,)
        return self._frame(sql + " ORDER BY s.organisation, v.name", params)

    def history(self, scenario_id: str) -> pd.DataFrame:
        """Every version of one scenario, oldest first."""
        frame = self._frame(self._listing() + "WHERE v.scenario_id = ? ORDER BY v.version", (str(scenario_id),))
        if frame.empty:
            raise InputError(Problem(f"no scenario {scenario_id}", fix="see 'planner scenario list'"),
                             source=self.location)
        return frame

    def _frame(self, sql: str, params: tuple) -> pd.DataFrame:
        with self._transaction() as cursor:
            cursor.execute(self._q(sql), params)
            rows = cursor.fetchall()
        return pd.DataFrame([(str(r[0]), int(r[1]), printable(r[2]), printable(r[3]), printable(r[4]),
                              printable(r[5] or ""), str(r[6]), printable(self._listed_note(r[7]), limit=500))
                             for r in rows], columns=LIST_COLUMNS)

    def find(self, reference: str, organisation: str | None = None) -> tuple[str, int | None]:
        """``ID``, ``ID:VERSION``, a unique ID prefix or a name -> (id, version or None).

        A full id finds any scenario (every member may read every scenario). A
        name or a short id is looked up among the scenarios of ``organisation``,
        by default the organisation the store acts for, so that no other
        organisation can hide a scenario by giving its own the same name.
        """
        ref, _, version = reference.partition(":")
        if version and not version.isdigit():
            raise InputError(Problem(f"'{version}' is not a version number", fix="write ID:3 for version 3"))
        listing = self.list()
        exact = listing[listing["id"] == ref]
        if len(exact) == 1:
            return ref, int(version) if version else None
        candidates = listing[listing["id"].str.startswith(ref) | (listing["name"] == ref)] if ref else listing[:0]
        who = self.identity()
        scope = organisation or (who.organisation if who is not None else None)
        if scope is not None:
            ours = candidates[candidates["organisation"] == scope]
            if len(ours) == 1:
                return ours["id"].iloc[0], int(version) if version else None
            if ours.empty and not candidates.empty:
                owners = ", ".join(sorted(set(candidates["organisation"])))
                raise InputError(Problem(
                    f"{scope} has no scenario '{ref}' ({owners} {'has' if ',' not in owners else 'have'} one)",
                    fix="give the scenario's full id from 'planner scenario list', or --organisation "
                        "with the organisation whose scenario you mean"), source=self.location)
            candidates = ours
        if len(candidates) == 1:
            return candidates["id"].iloc[0], int(version) if version else None
        if candidates.empty:
            raise InputError(Problem(f"no scenario '{ref}'", fix="see 'planner scenario list'"), source=self.location)
        owners = ", ".join(sorted(set(candidates["organisation"])))
        raise InputError(Problem(f"'{ref}' matches {len(candidates)} scenarios (of {owners})",
                                 fix="give the id (or a longer part of it) from 'planner scenario list', or "
                                     "--organisation to look among one organisation's scenarios"),
                         source=self.location)

    def open(self, scenario_id: str, version: int | None = None) -> Scenario:
        """A stored version (the latest when ``version`` is None).

        Which scenario and version it is, whose it is, its name, author and
        when it was saved are the store's rows, not what the stored bytes say:
        in the shared store a member writes those bytes, and could make them
        claim to be another organisation's scenario (its id, its name, a date
        in 2099 that would win every roll-up). A version whose bytes claim
        another scenario or organisation is opened as what the rows say, with
        a warning.
        """
        sql = ("SELECT v.data, v.scenario_id, v.version, v.name, s.organisation, v.author, v.created "
               "FROM {p}scenario_versions v JOIN {p}scenarios s ON s.id = v.scenario_id WHERE v.scenario_id = ?")
        params: tuple = (str(scenario_id),)
        if version is None:
            sql += " ORDER BY v.version DESC LIMIT 1"
        else:
            sql += " AND v.version = ?"
            params += (int(version),)
        with self._transaction() as cursor:
            cursor.execute(self._q(sql), params)
            row = cursor.fetchone()
        if row is None:
            raise InputError(Problem(f"no version {version or 'at all'} of scenario {scenario_id}",
                                     fix="see 'planner scenario list' and 'planner scenario show ID'"),
                             source=self.location)
        source = f"{self.location} {scenario_id} v{version or 'latest'}"
        stored = scenario_from_bytes(bytes(row[0]), source=source)
        if stored.id != str(row[1]) or stored.organisation != row[4]:
            warnings.warn(f"version {int(row[2])} of scenario {row[1]} ({printable(row[4])}) carries the identity "
                          f"of another scenario in its data ({printable(stored.id, 40)}, "
                          f"{printable(stored.organisation)}); it is shown as the store records it",
                          PlannerWarning, stacklevel=2)
        try:  # a row saved before the store checked names (migration 5) may hold control characters: made visible
            return replace(stored, id=str(row[1]), version=int(row[2]), name=printable(row[3]),
                           organisation=printable(row[4]), author=printable(row[5]), created=_iso(row[6]))
        except InputError as exc:
            raise exc.with_source(source) from None

    def delete(self, scenario_id: str) -> None:
        """Delete a scenario with all its versions (only its own organisation can)."""
        who = self.identity()
        if who is None or who.organisation is None:
            raise StorePermissionError(Problem(
                "deleting needs to know which organisation you are",
                fix="give --organisation (or set PLANNER_ORGANISATION) to your organisation's name"),
                source=self.location)
        with self._transaction() as cursor:
            cursor.execute(self._q("SELECT organisation FROM {p}scenarios WHERE id = ?"), (str(scenario_id),))
            row = cursor.fetchone()
            if row is not None and row[0] != who.organisation:
                raise StorePermissionError(Problem(
                    f"scenario {scenario_id} belongs to {row[0]}; {who.organisation} cannot delete it",
                    fix="only the owning organisation deletes its scenarios"), source=self.location)
            if self._delete_rows(cursor, str(scenario_id)) == 0:
                raise StorePermissionError(Problem(f"scenario {scenario_id} was not deleted",
                                                   fix="it does not exist, or it belongs to another organisation"),
                                           source=self.location)

    def _delete_rows(self, cursor, scenario_id: str) -> int:
        """Delete a scenario's rows; how many scenarios were deleted (0 or 1)."""
        cursor.execute(self._q("DELETE FROM {p}scenario_versions WHERE scenario_id = ?"), (scenario_id,))
        cursor.execute(self._q("DELETE FROM {p}scenarios WHERE id = ?"), (scenario_id,))
        return int(cursor.rowcount)

    # -- schema versions ---------------------------------------------------------------------------
    @abstractmethod
    def schema_version(self) -> int:  # pragma: no cover - interface
        """The store's schema version (0: empty)."""


# -- SQLite ------------------------------------------------------------------------------------------

#: Numbered migrations of the embedded store; version n is reached by running migrations 1..n in order.
#: Never edit a migration that has shipped: add the next one.
SQLITE_MIGRATIONS: dict[int, tuple[str, list[str]]] = {
    1: ("the first layout (planner 0.1)", [
        "CREATE TABLE IF NOT EXISTS scenarios (id TEXT PRIMARY KEY, name TEXT NOT NULL, organisation TEXT NOT NULL, "
        "created TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS scenario_versions (scenario_id TEXT NOT NULL REFERENCES scenarios(id), "
        "version INTEGER NOT NULL CHECK (version > 0), name TEXT NOT NULL, author TEXT NOT NULL, "
        "created TEXT NOT NULL, schema_version INTEGER NOT NULL, meta TEXT NOT NULL, data BLOB NOT NULL, "
        "PRIMARY KEY (scenario_id, version))",
        "CREATE TRIGGER IF NOT EXISTS versions_are_never_changed BEFORE UPDATE ON scenario_versions "
        "BEGIN SELECT RAISE(ABORT, 'scenario versions are never changed; save a new version'); END",
    ]),
    2: ("who saved each version; scenarios found per organisation", [
        "ALTER TABLE scenario_versions ADD COLUMN saved_by TEXT",
        "CREATE INDEX IF NOT EXISTS scenarios_by_organisation ON scenarios (organisation, name)",
    ]),
}
SQLITE_SCHEMA_VERSION = max(SQLITE_MIGRATIONS)
_SET_SQLITE_VERSION = f"PRAGMA user_version = {SQLITE_SCHEMA_VERSION:d}"


class SQLiteStore(Store):
    """The embedded store: one SQLite file (default ``<data directory>/scenarios.sqlite``).

    ``organisation`` is the organisation the user says they act for (default
    ``$PLANNER_ORGANISATION``); names are looked up among its scenarios, and
    only its own scenarios can be deleted. The file trusts whoever can open
    it: for a store shared between organisations use :class:`PostgresStore`.
    """

    def __init__(self, path: str | Path | None = None, organisation: str | None = None):
        self.path = Path(path) if path is not None else user_data_directory() / "scenarios.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.location = str(self.path)
        self.organisation = organisation or os.environ.get("PLANNER_ORGANISATION") or None
        self.migrate()

    def identity(self) -> Identity | None:
        if not self.organisation:
            return None
        return Identity(getpass.getuser(), self.organisation, verified=False)

    def _connect(self) -> sqlite3.Connection:
        try:
            return sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreUnavailableError(Problem(f"cannot open the store ({exc})", fix="check the path and its rights"),
                                        source=self.location) from None

    @staticmethod
    def _version(connection: sqlite3.Connection) -> int:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'scenario_versions'").fetchone():
            return 1  # made by planner 0.1, which did not number its schema
        return int(version)

    def schema_version(self) -> int:
        connection = self._connect()
        try:
            return self._version(connection)
        finally:
            connection.close()

    def migrate(self) -> list[int]:
        """Bring the file to the newest schema; returns the migrations applied (one transaction)."""
        connection = self._connect()
        applied: list[int] = []
        try:
            connection.execute("BEGIN IMMEDIATE")  # one writer at a time: two processes never migrate twice
            current = self._version(connection)
            if current > SQLITE_SCHEMA_VERSION:
                raise StoreUnavailableError(Problem(
                    f"the store has schema version {current}, newer than this planner knows "
                    f"({SQLITE_SCHEMA_VERSION})", fix="update planner"), source=self.location)
            for number in range(current + 1, SQLITE_SCHEMA_VERSION + 1):
                for statement in SQLITE_MIGRATIONS[number][1]:
                    connection.execute(statement)
                applied.append(number)
            connection.execute(_SET_SQLITE_VERSION)
            connection.execute("COMMIT")
        except sqlite3.Error as exc:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise StoreUnavailableError(Problem(f"cannot open the store ({exc})",
                                                fix="check the path and its rights"), source=self.location) from None
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            connection.close()
        return applied

    @contextmanager
    def _transaction(self):
        connection = self._connect()
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

_MEMBER_ORGANISATION = "(SELECT m.organisation FROM planner.members m WHERE m.role_name = current_user)"
_OWNED_VIA_SCENARIO = ("EXISTS (SELECT 1 FROM planner.scenarios s WHERE s.id = scenario_id "
                       f"AND s.organisation = {_MEMBER_ORGANISATION})")

def _shown(column: str) -> str:
    """A check that ``column`` is text a listing can show: 1 to NAME_LIMIT characters, no control characters."""
    return f"char_length({column}) BETWEEN 1 AND {NAME_LIMIT} AND {column} !~ '{hidden_class()}'"


#: Numbered migrations of the shared store, run by its administrator (``planner store setup``) in one
#: transaction. Never edit a migration that has shipped: add the next one.
POSTGRES_MIGRATIONS: dict[int, tuple[str, str]] = {
    1: ("the first layout (planner 0.1)", """
CREATE EXTENSION IF NOT EXISTS postgis;
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'planner_region') THEN
        CREATE ROLE planner_region NOLOGIN;
    END IF;
END $$;
CREATE TABLE public.planner_members (role_name name PRIMARY KEY, organisation text NOT NULL);
CREATE TABLE public.scenarios (
    id uuid PRIMARY KEY, name text NOT NULL, organisation text NOT NULL, created timestamptz NOT NULL);
CREATE TABLE public.scenario_versions (
    scenario_id uuid NOT NULL REFERENCES public.scenarios(id) ON DELETE CASCADE,
    version integer NOT NULL CHECK (version > 0), name text NOT NULL, author text NOT NULL,
    created timestamptz NOT NULL, schema_version integer NOT NULL, meta jsonb NOT NULL, data bytea NOT NULL,
    PRIMARY KEY (scenario_id, version));
CREATE TABLE public.scenario_sites (
    scenario_id uuid NOT NULL, version integer NOT NULL, site integer NOT NULL, name text, sector text,
    subtype text, floor_area_m2 double precision, plot_area_ha double precision, start_year integer,
    geom geometry(Geometry, 4326),
    PRIMARY KEY (scenario_id, version, site),
    FOREIGN KEY (scenario_id, version) REFERENCES public.scenario_versions ON DELETE CASCADE);
CREATE INDEX scenario_sites_geom ON public.scenario_sites USING gist (geom);
"""),
    2: ("own schema; identity from the login role in a table no member can shadow; who saved each version; "
        "row-level security forced; no temporary tables or objects of members", """
CREATE SCHEMA planner;
REVOKE ALL ON SCHEMA planner FROM PUBLIC;
GRANT USAGE ON SCHEMA planner TO planner_region;
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['scenarios', 'scenario_versions', 'scenario_sites'] LOOP
        EXECUTE format('DROP POLICY IF EXISTS members_read ON public.%I', t);
        EXECUTE format('DROP POLICY IF EXISTS owner_insert ON public.%I', t);
        EXECUTE format('DROP POLICY IF EXISTS owner_delete ON public.%I', t);
    END LOOP;
END $$;
DROP FUNCTION IF EXISTS public.planner_organisation();
ALTER TABLE public.planner_members SET SCHEMA planner;
ALTER TABLE planner.planner_members RENAME TO members;
ALTER TABLE public.scenarios SET SCHEMA planner;
ALTER TABLE public.scenario_versions SET SCHEMA planner;
ALTER TABLE public.scenario_sites SET SCHEMA planner;
-- Who saved a version is the login role, filled in by the database; versions saved before are NULL (unknown).
ALTER TABLE planner.scenario_versions ADD COLUMN saved_by name;
ALTER TABLE planner.scenario_versions ALTER COLUMN saved_by SET DEFAULT current_user;
CREATE INDEX scenarios_by_organisation ON planner.scenarios (organisation, name);
CREATE TABLE planner.schema_migrations (
    version integer PRIMARY KEY, description text NOT NULL, applied timestamptz NOT NULL DEFAULT now());
""" + "".join(f"""ALTER TABLE planner.{table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE planner.{table} FORCE ROW LEVEL SECURITY;
CREATE POLICY members_read ON planner.{table} FOR SELECT TO planner_region USING (true);
CREATE POLICY owner_insert ON planner.{table} FOR INSERT TO planner_region WITH CHECK ({insert});
CREATE POLICY owner_delete ON planner.{table} FOR DELETE TO planner_region USING ({owned});
""" for table, owned, insert in (  # every member reads everything; only the owning organisation adds or deletes
        ("scenarios", f"organisation = {_MEMBER_ORGANISATION}", f"organisation = {_MEMBER_ORGANISATION}"),
        ("scenario_versions", _OWNED_VIA_SCENARIO, f"{_OWNED_VIA_SCENARIO} AND saved_by = current_user"),
        ("scenario_sites", _OWNED_VIA_SCENARIO, _OWNED_VIA_SCENARIO),
    )) + """-- Versions are never changed: members get no UPDATE right at all, and no right on anything else.
REVOKE ALL ON ALL TABLES IN SCHEMA planner FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA planner FROM planner_region;
GRANT SELECT, INSERT, DELETE ON planner.scenarios, planner.scenario_versions, planner.scenario_sites
    TO planner_region;
GRANT SELECT ON planner.members, planner.schema_migrations TO planner_region;
-- Nothing of a member's own can shadow the store's tables or functions: no temporary tables, no objects in public.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
DO $$ BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END $$;
"""),
    3: ("members delete through planner.delete_scenario(), without a DELETE right of their own, so that no member "
        "can lock the shared tables against the others", """
-- LOCK TABLE in the modes that block reading or saving needs UPDATE, DELETE or TRUNCATE on the table; members keep
-- only SELECT and INSERT (which allow no lock stronger than ROW EXCLUSIVE, which blocks neither).
REVOKE DELETE ON planner.scenarios, planner.scenario_versions, planner.scenario_sites FROM planner_region;
-- The function runs as the store's owner, deletes only the caller's own organisation's scenario (the login role,
-- session_user, which no member can change) and reaches nothing through the caller's search_path.
CREATE FUNCTION planner.delete_scenario(target uuid) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    deleted integer;
BEGIN
    DELETE FROM planner.scenarios AS s
     WHERE s.id = target
       AND s.organisation = (SELECT m.organisation FROM planner.members AS m WHERE m.role_name = session_user);
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END $$;
REVOKE ALL ON FUNCTION planner.delete_scenario(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION planner.delete_scenario(uuid) TO planner_region;
-- Row security is forced on the owner too: the function's delete needs policies for the owner's role (versions
-- and sites go with their scenario through the foreign keys, which row security does not stop).
DO $$ BEGIN
    EXECUTE format('CREATE POLICY definer_read ON planner.scenarios FOR SELECT TO %I USING (true)', current_user);
    EXECUTE format('CREATE POLICY definer_delete ON planner.scenarios FOR DELETE TO %I USING (organisation = '
                   '(SELECT m.organisation FROM planner.members m WHERE m.role_name = session_user))', current_user);
END $$;
"""),
    4: ("members may take no advisory locks and make no large objects: session locks fill the server's shared lock "
        "table (then nobody can connect), and large objects outlive the scenarios", """
-- Function rights are kept per database: this takes them from members in the store's database only (a member who
-- may connect to another database of the server can still take advisory locks there; planner store status says
-- so). Run by a role that may not revoke them (no superuser), nothing changes and planner store status warns.
DO $$
DECLARE
    f regprocedure;
    owner name := (SELECT pg_get_userbyid(d.datdba) FROM pg_database d WHERE d.datname = current_database());
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = 'pg_catalog'::regnamespace
                AND (p.proname ~ '^(pg_(try_)?advisory_|lo_)' OR p.proname IN ('loread', 'lowrite')) LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
    -- planner store setup runs one upgrade at a time under a transaction's advisory lock: the owner keeps that.
    EXECUTE format('GRANT EXECUTE ON FUNCTION pg_catalog.pg_advisory_xact_lock(bigint) TO %I', owner);
    EXECUTE format('GRANT EXECUTE ON FUNCTION pg_catalog.pg_advisory_xact_lock(bigint) TO %I', current_user);
EXCEPTION WHEN insufficient_privilege THEN
    RAISE WARNING 'planner: advisory-lock and large-object functions not revoked from PUBLIC (%)', SQLERRM;
END $$;
"""),
    5: ("names, authors and notes of bounded length without control characters; versions of at most "
        f"{MAX_VERSION_BYTES // 2**20} MB with object metadata; at most {MAX_SCENARIOS_PER_ORGANISATION} scenarios "
        f"per organisation and {MAX_VERSIONS_PER_SCENARIO} versions per scenario; saving times set by the database",
        f"""
-- NOT VALID: rows saved before stay readable (planner shows them with control characters made visible); every new
-- row is checked. A member writing rows with SQL meets the same checks as planner.
ALTER TABLE planner.scenarios ADD CONSTRAINT scenarios_name_shown CHECK ({_shown("name")}) NOT VALID;
ALTER TABLE planner.scenarios ADD CONSTRAINT scenarios_organisation_shown CHECK ({_shown("organisation")}) NOT VALID;
ALTER TABLE planner.scenario_versions ADD CONSTRAINT versions_name_shown CHECK ({_shown("name")}) NOT VALID;
ALTER TABLE planner.scenario_versions ADD CONSTRAINT versions_author_shown CHECK ({_shown("author")}) NOT VALID;
ALTER TABLE planner.scenario_versions ADD CONSTRAINT versions_meta_object CHECK (
    jsonb_typeof(meta) = 'object' AND octet_length(meta::text) <= {MAX_META_BYTES}
    AND (NOT meta ? 'note' OR (jsonb_typeof(meta -> 'note') = 'string'
         AND char_length(meta ->> 'note') <= {NOTE_LIMIT}
         AND meta ->> 'note' !~ '{hidden_class(allow=chr(9) + chr(10) + chr(13))}'))
    ) NOT VALID;
ALTER TABLE planner.scenario_versions ADD CONSTRAINT versions_data_size
    CHECK (octet_length(data) <= {MAX_VERSION_BYTES}) NOT VALID;
ALTER TABLE planner.members ADD CONSTRAINT members_organisation_shown CHECK ({_shown("organisation")}) NOT VALID;
-- When a version was saved is the database's clock, as who saved it is the login role: a member cannot date its
-- version in 2099 to have its capacity figures win every regional roll-up.
CREATE FUNCTION planner.stamp_created() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.created := now();
    RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION planner.stamp_created() FROM PUBLIC;
CREATE TRIGGER created_by_the_database BEFORE INSERT ON planner.scenarios
    FOR EACH ROW EXECUTE FUNCTION planner.stamp_created();
CREATE TRIGGER created_by_the_database BEFORE INSERT ON planner.scenario_versions
    FOR EACH ROW EXECUTE FUNCTION planner.stamp_created();
-- Quotas: a member's rows count against its own organisation (rows inserted earlier in the same statement count).
CREATE FUNCTION planner.scenarios_within_quota() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF (SELECT count(*) FROM planner.scenarios s
         WHERE s.organisation = NEW.organisation) >= {MAX_SCENARIOS_PER_ORGANISATION} THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'scenarios_per_organisation',
            MESSAGE = format('%s already has {MAX_SCENARIOS_PER_ORGANISATION} scenarios, the most the shared '
                             'store keeps per organisation', NEW.organisation);
    END IF;
    RETURN NEW;
END $$;
CREATE FUNCTION planner.versions_within_quota() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF (SELECT count(*) FROM planner.scenario_versions v
         WHERE v.scenario_id = NEW.scenario_id) >= {MAX_VERSIONS_PER_SCENARIO} THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'versions_per_scenario',
            MESSAGE = 'the scenario already has {MAX_VERSIONS_PER_SCENARIO} versions, the most the shared store '
                      'keeps';
    END IF;
    RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION planner.scenarios_within_quota(), planner.versions_within_quota() FROM PUBLIC;
CREATE TRIGGER within_quota BEFORE INSERT ON planner.scenarios
    FOR EACH ROW EXECUTE FUNCTION planner.scenarios_within_quota();
CREATE TRIGGER within_quota BEFORE INSERT ON planner.scenario_versions
    FOR EACH ROW EXECUTE FUNCTION planner.versions_within_quota();
"""),
    6: (f"members store a version's sites only through planner.add_sites(): once per version of their own, at most "
        f"{MAX_SITES_PER_VERSION} sites and {MAX_SITES_BYTES // 2**20} MB, names without control characters, figures "
        "that are JSON numbers, geometries in WGS84", f"""
-- Before: members inserted rows into scenario_sites directly, with no bound (a 381 MB name, two million rows in a
-- minute) and no check of the text. Now they have no INSERT right; the function below, run as the store's owner,
-- writes the sites of a version of the caller's own organisation once, from one bounded JSON array.
REVOKE INSERT ON planner.scenario_sites FROM planner_region;
DO $$ BEGIN
    EXECUTE format('CREATE POLICY definer_insert ON planner.scenario_sites FOR INSERT TO %I WITH CHECK (true)',
                   current_user);
    EXECUTE format('CREATE POLICY definer_read ON planner.scenario_sites FOR SELECT TO %I USING (true)', current_user);
END $$;
CREATE FUNCTION planner.add_sites(target uuid, target_version integer, sites jsonb) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    added integer;
BEGIN
    IF jsonb_typeof(sites) IS DISTINCT FROM 'array' OR jsonb_array_length(sites) > {MAX_SITES_PER_VERSION}
       OR octet_length(sites::text) > {MAX_SITES_BYTES} THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'sites_per_version',
            MESSAGE = 'a version''s sites are one JSON array of at most {MAX_SITES_PER_VERSION} sites and '
                      '{MAX_SITES_BYTES // 2**20} MB';
    END IF;
    IF EXISTS (SELECT 1 FROM jsonb_array_elements(sites) AS t(e)
                WHERE jsonb_typeof(e) IS DISTINCT FROM 'object'
                   OR EXISTS (SELECT 1 FROM unnest(ARRAY['name', 'sector', 'subtype', 'wkb']) AS k(key)
                               WHERE jsonb_typeof(e -> k.key) NOT IN ('string', 'null'))
                   OR EXISTS (SELECT 1 FROM unnest(ARRAY['floor_area_m2', 'plot_area_ha', 'start_year']) AS k(key)
                               WHERE jsonb_typeof(e -> k.key) NOT IN ('number', 'null'))) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'sites_fields',
            MESSAGE = 'each site is a JSON object whose names are text and whose figures are numbers';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM planner.scenario_versions v JOIN planner.scenarios s ON s.id = v.scenario_id
                    WHERE v.scenario_id = target AND v.version = target_version
                      AND s.organisation = (SELECT m.organisation FROM planner.members m
                                             WHERE m.role_name = session_user)) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = 'sites are stored only for a version of the caller''s own organisation';
    END IF;
    IF EXISTS (SELECT 1 FROM planner.scenario_sites WHERE scenario_id = target AND version = target_version) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'sites_once',
            MESSAGE = 'the version''s sites are stored already';
    END IF;
    INSERT INTO planner.scenario_sites (scenario_id, version, site, name, sector, subtype, floor_area_m2,
                                        plot_area_ha, start_year, geom)
    SELECT target, target_version, n::integer,
           left(regexp_replace(e ->> 'name', '{hidden_class()}', ' ', 'g'), {NAME_LIMIT}),
           left(regexp_replace(e ->> 'sector', '{hidden_class()}', ' ', 'g'), 100),
           left(regexp_replace(e ->> 'subtype', '{hidden_class()}', ' ', 'g'), 100),
           (e ->> 'floor_area_m2')::double precision, (e ->> 'plot_area_ha')::double precision,
           (e ->> 'start_year')::integer, g.geom
      FROM jsonb_array_elements(sites) WITH ORDINALITY AS t(e, n)
      LEFT JOIN LATERAL (SELECT ST_GeomFromEWKB(decode(e ->> 'wkb', 'hex')) AS shape) AS w ON true
      LEFT JOIN LATERAL (SELECT CASE WHEN w.shape IS NULL THEN NULL
                                     WHEN ST_SRID(w.shape) IN (0, 4326) THEN ST_SetSRID(w.shape, 4326) END AS geom)
           AS g ON true;
    GET DIAGNOSTICS added = ROW_COUNT;
    IF EXISTS (SELECT 1 FROM planner.scenario_sites s WHERE s.scenario_id = target AND s.version = target_version
                AND s.geom IS NULL) AND EXISTS (SELECT 1 FROM jsonb_array_elements(sites) AS t(e)
                WHERE e ->> 'wkb' IS NOT NULL AND ST_SRID(ST_GeomFromEWKB(decode(e ->> 'wkb', 'hex')))
                      NOT IN (0, 4326)) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'sites_crs',
            MESSAGE = 'site geometries are in WGS84 (EPSG:4326)';
    END IF;
    RETURN added;
END $$;
REVOKE ALL ON FUNCTION planner.add_sites(uuid, integer, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION planner.add_sites(uuid, integer, jsonb) TO planner_region;
"""),
}
POSTGRES_SCHEMA_VERSION = max(POSTGRES_MIGRATIONS)
_IDENTITY_SQL = "SELECT current_user::text, " + _MEMBER_ORGANISATION
_MIGRATION_LOCK = 7_346_202_611  # pg_advisory_xact_lock key: one migration at a time


class PostgresStore(Store):
    """A region's shared store in PostgreSQL/PostGIS.

    ``dsn`` is a libpq connection string or URL; by default
    ``$PLANNER_STORE``. Passwords come from the URL, ``$PGPASSWORD`` or a
    ``.pgpass`` file and are never shown: :attr:`location` is the connection
    string without any password, and errors are scrubbed of them.
    """

    placeholder = "%s"
    prefix = "planner."
    _NOTE = (f"CASE WHEN jsonb_typeof(v.meta) = 'object' AND jsonb_typeof(v.meta -> 'note') = 'string' "
             f"THEN left(v.meta ->> 'note', {NOTE_LIMIT}) ELSE '' END")

    @staticmethod
    def _listed_note(value) -> str:
        return value if isinstance(value, str) else ""

    def __init__(self, dsn: str | None = None, connect_timeout: int = 10, lock_wait: float | None = None):
        self.dsn = dsn or os.environ.get("PLANNER_STORE", "")
        #: How long a statement waits for a lock another session holds before it gives up (seconds). A member
        #: may lock the shared tables (LOCK TABLE needs only the DELETE right every member has); without a limit,
        #: everyone else's planner and app would wait for as long as that session stays open.
        self.lock_wait = lock_wait if lock_wait is not None else float(os.environ.get("PLANNER_LOCK_WAIT", "15"))
        if not self.dsn:
            raise StoreUnavailableError(Problem("no shared store given",
                                                fix="set PLANNER_STORE=postgresql://user@host/db"))
        self.location = safe_location(self.dsn)
        self.connect_timeout = connect_timeout
        self._identity: Identity | None = None
        self._checked = False

    def _connect(self):
        import psycopg

        if not is_clean(self.dsn):
            raise StoreUnavailableError(Problem(
                "cannot reach the shared store: its connection string does not read cleanly, so it is not shown",
                fix="write a character such as @, #, / or a space in a URL's password percent-encoded (%40, %23, "
                    "%2F, %20), or put the password in PGPASSWORD or a .pgpass file"), source=NOT_SHOWN)
        try:
            connection = psycopg.connect(self.dsn, connect_timeout=self.connect_timeout, application_name="planner")
            connection.execute("SELECT set_config('lock_timeout', %s, false)", (f"{int(self.lock_wait * 1000)}ms",))
            connection.commit()
            return connection
        except (psycopg.OperationalError, psycopg.ProgrammingError) as exc:
            reason = redact(str(exc).strip().splitlines()[-1] if str(exc).strip() else "no answer", self.dsn)
            raise StoreUnavailableError(Problem(f"cannot reach the shared store ({reason})",
                                                fix="check the connection settings (PLANNER_STORE) and the network; "
                                                    "nothing was saved"), source=self.location) from None

    @contextmanager
    def _raw_transaction(self):
        import psycopg

        connection = self._connect()
        try:
            with connection.transaction(), connection.cursor() as cursor:
                yield cursor
        except psycopg.errors.LockNotAvailable:
            raise StoreUnavailableError(Problem(
                f"the shared store is locked by another session ({self._lock_holders()}) for longer than "
                f"{self.lock_wait:g} s", fix="try again later; nothing was changed. If it stays locked, the "
                "store's administrator can end that session (SELECT pg_terminate_backend(pid))"),
                source=self.location) from None
        except psycopg.OperationalError as exc:
            raise StoreUnavailableError(Problem(f"the connection to the shared store was lost ({type(exc).__name__})",
                                                fix="try again; the transaction was rolled back, nothing half-written"),
                                        source=self.location) from None
        finally:
            connection.close()

    def _lock_holders(self) -> str:
        """Who holds a lock on planner's tables that blocks reading or writing: login role and process id."""
        try:
            connection = self._connect()
        except StoreUnavailableError:
            return "unknown"
        try:
            rows = connection.execute(  # locks on planner's tables, and the migration's advisory lock
                "SELECT DISTINCT a.usename::text, l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "LEFT JOIN pg_class c ON c.oid = l.relation LEFT JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE l.granted AND l.pid <> pg_backend_pid() AND ((n.nspname = 'planner' AND l.mode IN "
                "('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock')) OR "
                "(l.locktype = 'advisory' AND ((l.classid::bigint << 32) | l.objid::bigint) = %s)) "
                "ORDER BY 1, 2", (_MIGRATION_LOCK,)).fetchall()
        except Exception:  # the lookup is a courtesy; the timeout is the message
            return "unknown"
        finally:
            connection.close()
        return ", ".join(f"role {role}, process {pid}" for role, pid in rows) or "unknown"

    @contextmanager
    def _transaction(self):
        if not self._checked:
            self._check_schema()
        with self._raw_transaction() as cursor:
            yield cursor

    @staticmethod
    def _version(cursor) -> int:
        cursor.execute("SELECT to_regclass('planner.schema_migrations') IS NOT NULL, "
                       "to_regclass('public.scenario_versions') IS NOT NULL")
        numbered, legacy = cursor.fetchone()
        if numbered:
            cursor.execute("SELECT max(version) FROM planner.schema_migrations")
            return int(cursor.fetchone()[0] or 0)
        return 1 if legacy else 0

    def schema_version(self) -> int:
        with self._raw_transaction() as cursor:
            return self._version(cursor)

    def _check_schema(self) -> None:
        import psycopg

        try:
            version = self.schema_version()
        except psycopg.errors.InsufficientPrivilege:
            raise StorePermissionError(Problem(
                "your database role may not use the shared store (it is not a member)",
                fix="ask the region's administrator to run: planner store add-member YOUR_ROLE \"YOUR ORGANISATION\""),
                source=self.location) from None
        if version > POSTGRES_SCHEMA_VERSION:
            raise StoreUnavailableError(Problem(
                f"the shared store has schema version {version}, newer than this planner knows "
                f"({POSTGRES_SCHEMA_VERSION})", fix="update planner"), source=self.location)
        if version < POSTGRES_SCHEMA_VERSION:
            try:
                self.migrate()
            except StorePermissionError:
                raise StoreUnavailableError(Problem(
                    f"the shared store has schema version {version}; this planner needs {POSTGRES_SCHEMA_VERSION}"
                    + (" (it was never set up)" if version == 0 else ""),
                    fix=f"the region's administrator runs: planner store setup --store "
                        f"'{self.location}' (as the database owner)"), source=self.location) from None
        self._checked = True

    def migrate(self) -> list[int]:
        """Run the migrations this store still lacks, in one transaction; returns their numbers.

        Needs the rights of the database's owner; members get a
        :class:`StorePermissionError`. Where migration 4 could not take the
        advisory-lock and large-object functions from members (it ran without
        a superuser's rights), it is run again, by whoever runs this next.
        """
        import psycopg

        applied: list[int] = []
        try:
            with self._raw_transaction() as cursor:
                if self._version(cursor) == POSTGRES_SCHEMA_VERSION and not self._functions_open(cursor):
                    self._checked = True
                    return applied  # up to date: no lock needed (members may not take it)
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
                current = self._version(cursor)
                for number in range(current + 1, POSTGRES_SCHEMA_VERSION + 1):
                    cursor.execute(POSTGRES_MIGRATIONS[number][1])
                    applied.append(number)
                if current >= 4 and self._functions_open(cursor):
                    # Migration 4 ran without the right to revoke (no superuser); a superuser's setup does it now.
                    cursor.execute(POSTGRES_MIGRATIONS[4][1])
                if applied:
                    cursor.executemany(
                        "INSERT INTO planner.schema_migrations (version, description) VALUES (%s, %s) "
                        "ON CONFLICT (version) DO NOTHING",
                        [(n, POSTGRES_MIGRATIONS[n][0]) for n in range(1, POSTGRES_SCHEMA_VERSION + 1)])
        except psycopg.errors.InsufficientPrivilege as exc:
            raise StorePermissionError(Problem(f"cannot upgrade the store ({redact(str(exc).splitlines()[0])})",
                                               fix="run 'planner store setup' as the database owner"),
                                       source=self.location) from None
        self._checked = True
        return applied

    @staticmethod
    def _functions_open(cursor) -> bool:
        """Whether members may still use advisory locks or large objects here (what migration 4 revokes)."""
        cursor.execute("SELECT to_regrole('planner_region') IS NOT NULL AND (has_function_privilege("
                       "'planner_region', 'pg_catalog.pg_advisory_lock(bigint)', 'EXECUTE') OR has_function_privilege("
                       "'planner_region', 'pg_catalog.lo_from_bytea(oid, bytea)', 'EXECUTE'))")
        return bool(cursor.fetchone()[0])

    def identity(self) -> Identity:
        if self._identity is None:
            with self._transaction() as cursor:
                cursor.execute(_IDENTITY_SQL)
                login, organisation = cursor.fetchone()
            self._identity = Identity(login, organisation, verified=True)
        return self._identity

    def _saved_by(self) -> tuple[str, tuple]:
        return "", ()  # the database fills saved_by with the login role, and refuses any other value

    def _delete_rows(self, cursor, scenario_id: str) -> int:
        cursor.execute("SELECT planner.delete_scenario(%s)", (scenario_id,))
        return int(cursor.fetchone()[0])

    def _is_conflict(self, exc: Exception) -> bool:
        import psycopg

        return isinstance(exc, psycopg.errors.UniqueViolation)

    def _is_permission(self, exc: Exception) -> bool:
        import psycopg

        return isinstance(exc, psycopg.errors.InsufficientPrivilege)

    def _is_refused_value(self, exc: Exception) -> bool:
        import psycopg

        return isinstance(exc, psycopg.errors.CheckViolation)

    def _after_insert(self, cursor, scenario: Scenario) -> None:
        """The version's sites into ``scenario_sites`` (for GIS users), through ``planner.add_sites``: the first
        :data:`MAX_SITES_PER_VERSION` sites, a site's geometry as its point when the shape alone is over 1 MB."""
        rows = []
        for _, row in scenario.sites.head(MAX_SITES_PER_VERSION).iterrows():
            shape = row.geometry
            if shape is not None and not shape.is_empty and len(shape.wkb) > 2**20:
                shape = shape.representative_point()
            rows.append({"name": _text(row.get("name")), "sector": _text(row.get("sector")),
                         "subtype": _text(row.get("subtype")), "floor_area_m2": _float(row.get("floor_area_m2")),
                         "plot_area_ha": _float(row.get("plot_area_ha")), "start_year": _int(row.get("start_year")),
                         "wkb": shape.wkb_hex if shape is not None and not shape.is_empty else None})
        cursor.execute("SELECT planner.add_sites(%s, %s, %s::jsonb)",
                       (scenario.id, scenario.version, json.dumps(rows, allow_nan=False)))

    # -- administration (by the region's database administrator) --------------------------------
    def setup(self) -> list[int]:
        """Create or upgrade the tables, policies and the member role ``planner_region`` (as the database owner).

        Returns the migrations applied (none when the store is up to date).
        """
        return self.migrate()

    def add_member(self, role: str, organisation: str) -> list[str]:
        """Let database role ``role`` read all scenarios and change those of ``organisation``.

        Also limits what the role may take of the server: at most
        :data:`MEMBER_CONNECTION_LIMIT` sessions, and :data:`MEMBER_SETTINGS`
        in the store's database. Returns warnings for the limits the caller
        had no right to set (they need a superuser, or CREATEROLE); the member
        is added all the same.
        """
        from psycopg import sql

        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", role):
            raise InputError(Problem(f"'{role}' is not a plain role name", fix="use letters, digits and _"))
        if not organisation.strip():
            raise InputError(Problem("an organisation name is needed", fix="e.g. \"Gemeente Venlo\""))
        if len(organisation.strip()) > NAME_LIMIT or re.search(hidden_class(), organisation.strip()):
            raise InputError(Problem(f"an organisation name has at most {NAME_LIMIT} characters and no control "
                                     "characters", fix="e.g. \"Gemeente Venlo\""))
        with self._transaction() as cursor:
            cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", (role,))
            row = cursor.fetchone()
            if row is None:
                raise InputError(Problem(f"there is no database role '{role}'",
                                         fix=f"create it first: CREATE ROLE {role} LOGIN PASSWORD '...'"))
            if row[0] or row[1]:
                raise InputError(Problem(f"role '{role}' is a superuser or bypasses row-level security",
                                         fix="give each organisation an ordinary login role"))
            cursor.execute(sql.SQL("GRANT planner_region TO {}").format(sql.Identifier(role)))
            cursor.execute("INSERT INTO planner.members (role_name, organisation) VALUES (%s, %s) "
                           "ON CONFLICT (role_name) DO UPDATE SET organisation = excluded.organisation",
                           (role, organisation.strip()))
            cursor.execute("SELECT role_name::text, organisation FROM planner.members WHERE role_name <> %s", (role,))
            namesakes = _namesakes(organisation.strip(), cursor.fetchall())
            return self._limit_member(cursor, role) + namesakes

    @staticmethod
    def _limit_member(cursor, role: str) -> list[str]:
        """Set a member role's connection limit and settings; a warning for each the caller may not set."""
        import psycopg
        from psycopg import sql

        cursor.execute("SELECT current_database()")
        database = cursor.fetchone()[0]
        statements = [("CONNECTION LIMIT", sql.SQL("ALTER ROLE {} CONNECTION LIMIT {}").format(
            sql.Identifier(role), sql.Literal(MEMBER_CONNECTION_LIMIT)))]
        statements += [(name, sql.SQL("ALTER ROLE {} IN DATABASE {} SET {} = {}").format(
            sql.Identifier(role), sql.Identifier(database), sql.Identifier(name), sql.Literal(value)))
            for name, value in MEMBER_SETTINGS.items()]
        warned = []
        for name, statement in statements:
            try:
                with cursor.connection.transaction():  # a savepoint: a refused setting leaves the others
                    cursor.execute(statement)
            except psycopg.errors.InsufficientPrivilege:
                warned.append(f"could not set {name} for role {role} (needs a superuser); "
                              f"run 'planner store add-member' as a superuser to limit what it may take")
        return warned

    def hardening_warnings(self) -> list[str]:
        """What keeps one member from taking the whole server, and is not in place (empty when all is).

        Members who may still take advisory locks or make large objects
        (migration 4 needs a superuser), other databases of the server that
        members may connect to (advisory locks there fill the same shared
        lock table), and member roles without a connection limit.
        """
        with self._transaction() as cursor:
            functions_open = self._functions_open(cursor)
            cursor.execute("SELECT datname::text FROM pg_database WHERE datallowconn AND datname <> current_database() "
                           "AND has_database_privilege('planner_region', datname, 'CONNECT') ORDER BY 1")
            others = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT m.role_name::text FROM planner.members m JOIN pg_roles r ON r.rolname = m.role_name "
                           "WHERE r.rolconnlimit < 0 ORDER BY 1")
            unlimited = [row[0] for row in cursor.fetchall()]
            # A member may reset its own defaults (ALTER ROLE itself ... RESET ALL): planner's limits are then gone.
            cursor.execute("SELECT m.role_name::text, coalesce(s.setconfig, '{}') FROM planner.members m "
                           "JOIN pg_roles r ON r.rolname = m.role_name LEFT JOIN pg_db_role_setting s "
                           "ON s.setrole = r.oid AND s.setdatabase = (SELECT oid FROM pg_database "
                           "WHERE datname = current_database()) ORDER BY 1")
            loosened = {role: [name for name, value in MEMBER_SETTINGS.items() if f"{name}={value}" not in set(config)]
                        for role, config in cursor.fetchall()}
            loosened = {role: names for role, names in loosened.items() if names}
        warned = []
        if functions_open:
            warned.append("members may take advisory locks or make large objects in this database; a superuser runs "
                          "'planner store setup' to revoke them")
        if others:
            warned.append(f"members may connect to other databases of this server ({', '.join(others)}), where "
                          "advisory locks fill the server's shared lock table and none of planner's limits hold "
                          "(no time or temporary-file limits, temporary tables allowed); the administrator runs "
                          "REVOKE CONNECT ON DATABASE ... FROM PUBLIC for each (or grants CONNECT to named roles "
                          "only)")
        if loosened:
            listed = "; ".join(f"{role}: {', '.join(names)}" for role, names in loosened.items())
            warned.append(f"member role(s) without planner's limits in this database ({listed}): a member can reset "
                          "its own defaults; a superuser runs 'planner store add-member ROLE ORGANISATION' again for "
                          "each, and bounds the server's memory and time outside the database (see the README)")
        if unlimited:
            warned.append(f"member role(s) without a connection limit: {', '.join(unlimited)}; a superuser runs "
                          "'planner store add-member ROLE ORGANISATION' again for each")
        return warned

    def members(self) -> pd.DataFrame:
        """The member roles and their organisations."""
        with self._transaction() as cursor:
            cursor.execute("SELECT role_name::text, organisation FROM planner.members ORDER BY organisation, role_name")
            return pd.DataFrame(cursor.fetchall(), columns=["role", "organisation"])


def _namesakes(organisation: str, others: list[tuple[str, str]]) -> list[str]:
    """A warning when another member's organisation is named after the same municipality (``Gemeente Venlo`` and
    ``venlo``): in a regional roll-up a municipality's own scenario gives its capacity, and two would not."""
    from .places import municipality_of

    code = municipality_of(organisation)
    same = [f"'{name}' (role {role})" for role, name in others
            if code is not None and name != organisation and municipality_of(name) == code]
    if not same:
        return []
    return [f"organisation '{organisation}' is named after municipality {code}, as {', '.join(same)} is: in a "
            "regional roll-up neither then speaks for that municipality's capacity; give each municipality one "
            "organisation name"]


def _note(meta) -> str:
    """The note in a version's metadata (JSON text or an already parsed value); empty when there is none.

    A member can write any JSON as a version's metadata with SQL (a list, a
    number, nesting thousands deep); a listing shows the note or nothing.
    """
    if isinstance(meta, str):
        try:
            meta = json.loads(meta)
        except (ValueError, RecursionError):
            return ""
    note = meta.get("note") if isinstance(meta, dict) else None
    return note if isinstance(note, str) else ""


def _iso(value) -> str:
    """A stored time as ISO 8601 text (PostgreSQL gives a datetime, SQLite the text it was given)."""
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else str(value)


def _text(value) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _float(value) -> float | None:
    try:
        number = None if value is None or pd.isna(value) else float(value)
    except (TypeError, ValueError):
        return None
    return number if number is not None and math.isfinite(number) else None


def _int(value) -> int | None:
    number = _float(value)
    return None if number is None else int(number)


def open_store(location: str | None = None, organisation: str | None = None) -> Store:
    """The store at ``location`` (a PostgreSQL connection string or a SQLite path), else ``$PLANNER_STORE``.

    Without either, the embedded store in the data directory. ``organisation``
    is what a SQLite store acts for; the shared store takes it from the
    database role and ignores it.
    """
    location = location or os.environ.get("PLANNER_STORE") or ""
    if is_connection_string(location):
        return PostgresStore(location)
    return SQLiteStore(location or None, organisation=organisation)


__all__ = ["MAX_META_BYTES", "MAX_SCENARIOS_PER_ORGANISATION", "MAX_VERSIONS_PER_SCENARIO", "MAX_VERSION_BYTES",
           "MEMBER_CONNECTION_LIMIT", "MEMBER_SETTINGS", "ConflictError", "Identity", "PostgresStore", "SQLiteStore",
           "Store", "StorePermissionError", "StoreUnavailableError", "open_store", "safe_location"]
