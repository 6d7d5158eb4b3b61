"""The app's scenario versions and regional roll-up, and the sites page's edit, remove and drawn polygon
(issue 18, part D), driven by streamlit's AppTest against the API's numbers."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from planner.demo import load_demo_sites
from planner.errors import PlannerWarning
from planner.i18n import t

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """The bundled schematic layer and an empty SQLite store in a temporary folder."""
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PLANNER_STORE", raising=False)
    return tmp_path


def _page(at, key):
    return at.radio(key="page").set_value(key).run()


def _number(text: str, lang: str = "nl") -> float:
    """A number as the app shows it (Dutch: 1.234,5; English: 1,234.5) back as a float."""
    if lang == "nl":
        text = text.replace(".", "").replace(",", ".")
    return float(text.replace(",", ""))


def _table(at, column: str) -> pd.DataFrame:
    """The first table shown with ``column``."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with {column!r}: {[list(f.value.columns) for f in at.dataframe]}")


@pytest.fixture(scope="module")
def summary():
    from planner.geodata import load_boundaries
    from planner.housing import check_housing
    from planner.io import read_housing
    from planner.paths import data_dir
    from planner.regional import capacity_by_gemeente

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlannerWarning)
        checked = check_housing(read_housing(data_dir("demo") / "woningvoorraad_synthetisch.csv"), "roemer")
        return capacity_by_gemeente(checked, load_boundaries())[0]


def _scenario(name, organisation, rows, summary):
    from planner.scenarios import make_scenario

    return make_scenario(name, organisation, "Anna", load_demo_sites().iloc[rows], housing_summary=summary,
                         norm="roemer")


# -- scenarios: two versions compared -------------------------------------------------------------------

def test_two_versions_show_the_differences_per_municipality(isolated, summary):
    from planner.scenarios import evaluate
    from planner.store import SQLiteStore

    store = SQLiteStore(isolated / "scenarios.sqlite")
    first = store.save(_scenario("Trade Port", "Gemeente Venlo", [0, 6], summary))
    sites = first.sites.copy()
    sites["floor_area_m2"] = sites["floor_area_m2"] * 2
    store.save(first.edited(author="Bob", sites=sites))

    at = _page(AppTest.from_file(APP, default_timeout=120).run(), "page_scenarios")
    assert not at.exception, at.exception
    assert at.selectbox(key=f"version_before_{first.id}").value == 1
    assert at.selectbox(key=f"version_after_{first.id}").value == 2
    table = _table(at, f"{t('fig_shortfall', 'nl')} v2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlannerWarning)
        one = evaluate(store.open(first.id, 1)).per_gemeente()
        two = evaluate(store.open(first.id, 2)).per_gemeente()
    total = table.index == t("total_row", "nl")
    assert total.sum() == 1 and total[-1]
    rows = table[~total]
    assert len(rows) > 0
    for figure, column in (("fig_demand", "demand_p50"), ("fig_capacity", "capacity"),
                           ("fig_shortfall", "shortfall_p50")):
        name = t(figure, "nl")
        for code, row in rows.iterrows():
            before, after = round(float(one.loc[code, column])), round(float(two.loc[code, column]))
            assert _number(row[f"{name} v1"]) == before, (code, figure)
            assert _number(row[f"{name} v2"]) == after, (code, figure)
            assert _number(row[f"{name} {t('col_difference', 'nl')}"]) == after - before, (code, figure)
        # The total row is the sum of the rows shown, and nothing with a figure is left out.
        for suffix in ("v1", "v2", t("col_difference", "nl")):
            shown = rows[f"{name} {suffix}"].map(_number)
            assert _number(table[total][f"{name} {suffix}"].iloc[0]) == shown.sum(), (figure, suffix)
        assert _number(table[total][f"{name} v2"].iloc[0]) == two[column].round().sum()
    # Twice the floor area: more beds needed in total, and the difference is what was added.
    demand = t("fig_demand", "nl")
    assert _number(table[total][f"{demand} {t('col_difference', 'nl')}"].iloc[0]) > 0
    venlo = rows.loc["GM0983"]
    assert venlo[t("gemeente", "nl")] == "Venlo"


def test_combined_scenarios_add_up_to_their_parts(isolated, summary, library):
    from planner.impact import assess
    from planner.store import SQLiteStore

    store = SQLiteStore(isolated / "scenarios.sqlite")
    a = store.save(_scenario("Venlo", "Gemeente Venlo", [0, 6], summary))
    b = store.save(_scenario("Horst", "Gemeente Horst aan de Maas", [6, 7], summary))  # site 6 is in both

    at = _page(AppTest.from_file(APP, default_timeout=120).run(), "page_scenarios")
    at.multiselect(key="combine_scenarios").set_value([a.id, b.id]).run()
    assert not at.exception, at.exception
    parts = _table(at, t("col_sites_elsewhere", "nl"))
    total = parts.index == t("total_row", "nl")
    assert total.sum() == 1
    rows, total_row = parts[~total], parts[total].iloc[0]
    assert len(rows) == 2
    for column in parts.columns:  # every column's total is the sum of the scenarios' contributions
        assert _number(total_row[column]) == rows[column].map(_number).sum(), column
    assert rows[t("col_sites", "nl")].map(_number).tolist() == [2, 1]  # the shared site counts once, for Venlo
    assert rows[t("col_sites_elsewhere", "nl")].map(_number).tolist() == [0, 1]
    sites = assess(load_demo_sites().iloc[[0, 6, 7]], library)
    expected = [round(sites["beds_to_find_p50"].iloc[:2].sum()), round(sites["beds_to_find_p50"].iloc[2])]
    assert rows[t("fig_demand", "nl")].map(_number).tolist() == expected
    # The regional table per municipality: its total is the sum of its rows, and its capacity that of the parts.
    regional = _table(at, t("fig_shortfall", "nl"))
    last = regional.index == t("total_row", "nl")
    for column in (t("fig_demand", "nl"), t("fig_capacity", "nl"), t("fig_shortfall", "nl")):
        assert _number(regional[last][column].iloc[0]) == regional[~last][column].map(_number).sum(), column
    assert _number(regional[last][t("fig_capacity", "nl")].iloc[0]) == _number(total_row[t("fig_capacity", "nl")])
    assert _number(total_row[t("fig_capacity", "nl")]) == round(summary["spare_capacity"].clip(lower=0).sum())
