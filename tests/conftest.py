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
