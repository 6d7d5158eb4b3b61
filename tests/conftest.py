"""Shared fixtures.

Real CBS boundaries live in ../shared/geodata beside the project (see its
README). Outside this team's machines that folder may be absent: the tests
that need it then skip with the reason; under CI=true its absence fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planner.library import load_library

ROOT = Path(__file__).resolve().parent.parent
SHARED_GEODATA = ROOT.parent / "shared" / "geodata"


def require(condition: bool, reason: str) -> None:
    """Skip when a component is missing, except under CI=true, where it is a failure."""
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"missing under CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def library():
    return load_library()


@pytest.fixture(scope="session")
def shared_geodata() -> Path:
    require((SHARED_GEODATA / "cbs_gemeenten_2024.geojson").is_file(),
            f"real CBS boundaries not found in {SHARED_GEODATA}")
    return SHARED_GEODATA


# -- a throwaway PostgreSQL/PostGIS cluster on 127.0.0.1 -----------------------------------------------

def _pg_bin() -> Path | None:
    import glob

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="session")
def postgis():
    """A fresh cluster with PostGIS, an administrator and two organisations' roles.

    Yields a dict of connection URLs: ``admin``, ``org_a`` (Gemeente A) and
    ``org_b`` (Gemeente B), and the ``port``.
    """
    import shutil
    import socket
    import subprocess
    import time

    bindir = _pg_bin()
    require(bindir is not None, "PostgreSQL is not installed (make test installs it)")
    require(bool(list(Path("/usr/share/postgresql").glob("*/extension/postgis.control"))),
            "PostGIS is not installed (make test installs postgresql-15-postgis-3)")
    import tempfile

    # Not under pytest's temporary folder: that one is private to root, and the server runs as postgres.
    base = Path(tempfile.mkdtemp(prefix="planner-pg-"))
    data, sockets = base / "data", base / "sock"
    sockets.mkdir()
    password_file = base / "pw"
    password_file.write_text("admin-secret\n")
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
        shutil.chown(password_file, "postgres")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "planner_admin", "--pwfile",
                    str(password_file), "-A", "scram-sha-256", "-E", "UTF8", "--no-sync"], check=True,
                   capture_output=True)
    log = base / "pg.log"
    subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
                    f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                   check=True, capture_output=True)
    admin = f"postgresql://planner_admin:admin-secret@127.0.0.1:{port}/postgres"
    import psycopg

    deadline = time.time() + 30
    while True:
        try:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute("CREATE DATABASE planner_test")
                break
        except psycopg.OperationalError:
            if time.time() > deadline:
                raise
            time.sleep(0.5)
    admin = admin.replace("/postgres", "/planner_test")
    with psycopg.connect(admin, autocommit=True) as connection:
        for role in ("org_a", "org_b"):
            connection.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{role}-secret'")
    urls = {"admin": admin, "port": port,
            "org_a": f"postgresql://org_a:org_a-secret@127.0.0.1:{port}/planner_test",
            "org_b": f"postgresql://org_b:org_b-secret@127.0.0.1:{port}/planner_test"}
    yield urls
    subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                   capture_output=True)
    shutil.rmtree(base, ignore_errors=True)
