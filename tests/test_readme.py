"""The README's worked example must print what the README says it prints."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from planner.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_worked_example_output_matches_the_readme():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- worked-example-output.*?-->\n```text\n(.*?)```", readme, re.S).group(1)
    result = CliRunner().invoke(main, ["assess", str(ROOT / "demo" / "voorbeeld_bedrijven.csv")])
    assert result.exit_code == 0, result.output
    printed = "\n".join(line for line in result.output.splitlines() if not line.startswith("Reference library"))
    assert printed.strip() == block.strip()
