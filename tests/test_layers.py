"""The layers show in the code: the model imports nothing from the edges, and the optional parts stay optional."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "planner"

#: The model: takes (Geo)DataFrames and parameters, returns data. Reading planner's own data files goes
#: through planner.csvtext only.
CORE = ("errors", "numbers", "columns", "csvtext", "boundaries", "library", "impact", "housing", "allocation",
        "regions", "regional", "usable", "display", "formatting", "i18n", "messages", "paths", "places",
        "herindeling", "mapclasses", "sectornames")
#: The edges: files of users, network, databases, the command line, the app, the report, and the pipeline
#: object that composes them.
EDGES = ("io", "geodata", "fetch", "store", "exchange", "national", "cli", "ui", "report", "plan",
         "scenarios", "demo", "redaction", "schematic", "synthetic", "validation", "tables", "gpkgcheck")
#: Libraries that belong to the edges (interfaces, databases, clusters, network).
EDGE_LIBRARIES = ("streamlit", "pydeck", "psycopg", "fpdf", "dask", "distributed", "dask_geopandas", "urllib",
                  "http", "socket", "requests", "pyogrio", "click", "tqdm")


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside functions, as dotted names (relative ones resolved)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from .x import y / from . import y
                base = node.module or ""
                found.update(f"planner.{base}.{a.name}" if base else f"planner.{a.name}" for a in node.names)
                if base:
                    found.add(f"planner.{base}")
            else:
                found.add(node.module or "")
    return found


@pytest.mark.parametrize("module", CORE)
def test_the_model_imports_nothing_from_the_edges(module):
    imported = _imports(PACKAGE / f"{module}.py")
    own = {name.split(".")[1] for name in imported if name.startswith("planner.") and name.count(".") >= 1}
    assert not own & set(EDGES), f"planner.{module} imports {sorted(own & set(EDGES))} from the edges"
    libraries = {name.split(".")[0] for name in imported if not name.startswith("planner")}
    assert not libraries & set(EDGE_LIBRARIES), f"planner.{module} imports {sorted(libraries & set(EDGE_LIBRARIES))}"


def test_every_module_is_placed_in_a_layer():
    modules = {path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__"} | {"ui"}
    assert modules == set(CORE) | set(EDGES), sorted(modules ^ (set(CORE) | set(EDGES)))


def test_the_layering_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from .geodata import load_boundaries\n\ndef f():\n    import streamlit\n")
    assert {"planner.geodata", "streamlit"} <= _imports(bad)


def test_planner_works_without_its_optional_parts():
    """With the app, report, PostGIS and Dask extras missing, `import planner` still goes from sites to a shortfall."""
    blocked = ("streamlit", "pydeck", "fpdf", "psycopg", "dask", "distributed", "dask_geopandas")
    script = f"""
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ImportError(f"{{name}} is not installed (blocked by the test)")
sys.meta_path.insert(0, Block())
import planner
plan = planner.Plan(planner.load_demo_sites(), housing=planner.read_housing(planner.demo_housing_path()))
result = plan.shortfall("provincie")
print(len(result.table), round(result.totals()["capacity"]))
assert not [m for m in sys.modules if m.split(".")[0] in {blocked!r}]
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                         env={"PLANNER_DATA_DIR": str(ROOT / ".no-such-data-dir"), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr[-3000:]
    provinces, capacity = run.stdout.split()
    assert int(provinces) == 12 and int(capacity) > 0
