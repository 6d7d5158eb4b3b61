"""A throwaway PostgreSQL/PostGIS cluster on 127.0.0.1, for the tests and the benchmark.

Not used by the product itself: a region's shared store is a server its IT
department runs. Here ``initdb`` makes a private cluster in a temporary
folder (owned by ``postgres`` when running as root), it listens on a free
port of 127.0.0.1 only, and it is removed afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def pg_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian layout), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def postgis_installed() -> bool:
    return bool(list(Path("/usr/share/postgresql").glob("*/extension/postgis.control")))


@contextmanager
def throwaway_cluster(database: str = "planner_test", settings: dict[str, str] | None = None) -> Iterator[dict]:
    """Start a cluster, create ``database``; yield ``{"admin": URL, "port": N}``; stop and remove it.

    ``settings`` are extra server settings (``{"max_parallel_workers_per_gather": "2"}``).
    """
    import psycopg

    bindir = pg_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (make test / make bench install it)")
    # Not under a private temporary folder: the server runs as postgres.
    base = Path(tempfile.mkdtemp(prefix="planner-pg-"))
    data, sockets = base / "data", base / "sock"
    sockets.mkdir()
    password_file = base / "pw"
    password_file.write_text("admin-secret\n")
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        for path in (base, sockets, password_file):
            shutil.chown(path, "postgres")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    options += "".join(f" -c {key}={value}" for key, value in (settings or {}).items())
    try:
        subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "planner_admin", "--pwfile",
                        str(password_file), "-A", "scram-sha-256", "-E", "UTF8", "--no-sync"], check=True,
                       capture_output=True)
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "pg.log"), "-w", "-t",
                        "60", "-o", options, "start"], check=True, capture_output=True)
        admin = f"postgresql://planner_admin:admin-secret@127.0.0.1:{port}/postgres"
        deadline = time.time() + 30
        while True:
            try:
                with psycopg.connect(admin, autocommit=True) as connection:
                    connection.execute(f'CREATE DATABASE "{database}"')
                    break
            except psycopg.OperationalError:
                if time.time() > deadline:
                    raise
                time.sleep(0.5)
        yield {"admin": admin.replace("/postgres", f"/{database}"), "port": port, "folder": base}
    finally:
        if data.exists():
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                           capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
