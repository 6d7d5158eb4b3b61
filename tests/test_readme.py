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


def test_readme_notebook_example_runs_with_one_import(tmp_path, monkeypatch):
    """The five lines of the README, as a notebook user types them, from the project folder."""
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path))  # the bundled schematic layer
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text()
    code = re.search(r"<!-- notebook-example.*?-->\n```python\n(.*?)```", readme, re.S).group(1)
    lines = code.strip().splitlines()
    assert len(lines) == 5 and lines[0] == "import planner"
    assert all("import" not in line for line in lines[1:])  # nothing else is imported
    namespace: dict = {}
    exec(compile("\n".join(lines[:-1]), "README.md", "exec"), namespace)
    table = eval(lines[-1], namespace)
    assert list(table.columns) == ["demand_p50", "capacity", "shortfall_p50"]
    assert table.index.name == "corop_code" and len(table) == 40
    plan = namespace["plan"]
    # The COROP table holds what the municipalities hold: capacity exactly, demand as the P50 of its draws.
    gemeenten = plan.shortfall("gemeente").gemeenten
    assert table["capacity"].sum() == pytest.approx(gemeenten["capacity"].sum())
    assert table["capacity"].sum() == pytest.approx(plan.capacity()["spare_capacity"].clip(lower=0).sum())
    assert table["demand_p50"].sum() > 0
