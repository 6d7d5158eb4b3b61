"""Type checking with a ratchet: mypy over planner/, no file may have more errors than its baseline.

The baseline (``scripts/mypy-baseline.json``) records the errors per file when
type checking was introduced; it may only go down. Run with ``--update``
after fixing errors to lower it. ``make test`` runs this.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scripts" / "mypy-baseline.json"


def errors_per_file() -> tuple[Counter, str]:
    run = subprocess.run([sys.executable, "-m", "mypy", "planner"], capture_output=True, text=True, cwd=ROOT)
    counts = Counter(match.group(1) for match in re.finditer(r"^(planner/[^:]+\.py):\d+: error:", run.stdout, re.M))
    return counts, run.stdout


def main(argv: list[str]) -> int:
    counts, output = errors_per_file()
    if "--update" in argv:
        BASELINE.write_text(json.dumps(dict(sorted(counts.items())), indent=1) + "\n")
        print(f"mypy baseline: {sum(counts.values())} errors in {len(counts)} files")
        return 0
    baseline = json.loads(BASELINE.read_text())
    worse = {path: (n, baseline.get(path, 0)) for path, n in counts.items() if n > baseline.get(path, 0)}
    if worse:
        print(output)
        for path, (now, allowed) in sorted(worse.items()):
            print(f"mypy: {path} has {now} errors, its baseline allows {allowed}")
        return 1
    better = sum(baseline.values()) - sum(counts.values())
    print(f"mypy: {sum(counts.values())} errors (baseline {sum(baseline.values())}"
          + (f"; {better} fewer: lower the baseline with python scripts/mypy_ratchet.py --update)" if better > 0
             else ")"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
