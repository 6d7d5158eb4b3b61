"""Shared fixtures.

Real CBS boundaries live in ../shared/geodata beside the project (see its
README). Outside this team's machines that folder may be absent: the tests
that need it then skip with the reason; under CI=true its absence fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from planner.library import load_library

# The tests read planner's exported workbooks with pandas; its default .xlsx reader is openpyxl, which pandas
# warns will become python-calamine (installed for .xls and .ods input) in a later version. Kept explicit here.
pd.set_option("io.excel.xlsx.reader", "openpyxl")

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


@pytest.fixture(scope="module")
def summary():
    """Spare places per municipality of the demo's synthetic register under the Roemer norm (scenario tests)."""
    import warnings

    from planner.errors import PlannerWarning
    from planner.geodata import load_boundaries
    from planner.housing import check_housing
    from planner.io import read_housing
    from planner.paths import data_dir
    from planner.regional import capacity_by_gemeente

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlannerWarning)
        checked = check_housing(read_housing(data_dir("demo") / "woningvoorraad_synthetisch.csv"), "roemer")
        return capacity_by_gemeente(checked, load_boundaries())[0]


@pytest.fixture(scope="session")
def shared_geodata() -> Path:
    require((SHARED_GEODATA / "cbs_gemeenten_2024.geojson").is_file(),
            f"real CBS boundaries not found in {SHARED_GEODATA}")
    return SHARED_GEODATA


# -- a throwaway PostgreSQL/PostGIS cluster on 127.0.0.1 -----------------------------------------------

@pytest.fixture(scope="session")
def postgis():
    """A fresh cluster with PostGIS, an administrator and two organisations' roles.

    Yields a dict of connection URLs: ``admin``, ``org_a`` (Gemeente A) and
    ``org_b`` (Gemeente B), and the ``port``.
    """
    from pgcluster import pg_bin, postgis_installed, throwaway_cluster

    require(pg_bin() is not None, "PostgreSQL is not installed (make test installs it)")
    require(postgis_installed(), "PostGIS is not installed (make test installs postgresql-15-postgis-3)")
    import psycopg

    with throwaway_cluster("planner_test") as cluster:
        admin, port = cluster["admin"], cluster["port"]
        with psycopg.connect(admin, autocommit=True) as connection:
            for role in ("org_a", "org_b"):
                connection.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{role}-secret'")
        yield {"admin": admin, "port": port,
               "org_a": f"postgresql://org_a:org_a-secret@127.0.0.1:{port}/planner_test",
               "org_b": f"postgresql://org_b:org_b-secret@127.0.0.1:{port}/planner_test"}
