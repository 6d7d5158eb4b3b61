"""The README's examples must print what the README says they print."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main

ROOT = Path(__file__).resolve().parent.parent
HOUSING_FIXTURE = ROOT / "tests" / "fixtures" / "woningvoorraad_gemeente_export.csv"


def _block(marker: str) -> str:
    readme = (ROOT / "README.md").read_text()
    return re.search(rf"<!-- {marker}.*?-->\n```text\n(.*?)```", readme, re.S).group(1)


@pytest.mark.parametrize(("marker", "args"), [
    ("worked-example-output", ["assess", str(ROOT / "demo" / "voorbeeld_bedrijven.csv")]),
    ("housing-example-output", ["check-housing", str(HOUSING_FIXTURE),
                                "--norm", "roemer", "--compare", "bouwbesluit"]),
    ("shortfall-example-output", ["shortfall", "--sites", str(ROOT / "demo" / "sites.geojson"),
                                  "--housing", str(ROOT / "demo" / "woningvoorraad_synthetisch.csv"),
                                  "--pipeline", str(ROOT / "demo" / "pijplijn_voorbeeld.csv"),
                                  "--level", "provincie"]),
])
def test_readme_examples_print_what_the_readme_shows(marker, args, tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path))  # the bundled schematic layer, whatever is installed
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    printed = "\n".join(line for line in result.output.splitlines() if not line.startswith("Reference library"))
    assert printed.strip() == _block(marker).strip()
