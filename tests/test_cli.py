"""The planner command: the worked example of the README, and its errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.demo import demo_sites_path, load_demo_sites
from planner.impact import assess, totals
from planner.library import load_library

BIN = Path(sys.executable).parent


def test_assess_prints_ranges_and_writes_excel(tmp_path, library):
    target = tmp_path / "impact.xlsx"
    result = CliRunner().invoke(main, ["assess", str(demo_sites_path()), "-o", str(target)])
    assert result.exit_code == 0, result.output
    expected = totals(assess(load_demo_sites(), library))
    beds = expected.loc["beds_needed"]
    line = next(x for x in result.output.splitlines() if x.strip().startswith("beds_needed"))
    assert line.split()[1:] == [f"{beds['p10']:,.0f}", "/", f"{beds['p50']:,.0f}", "/", f"{beds['p90']:,.0f}"]
    sheet = pd.read_excel(target, sheet_name="totals").set_index("quantity")
    assert sheet.loc["beds_needed", "p50"] == pytest.approx(beds["p50"])
    assert "Voorbeeld: DC Trade Port Noord, Venlo" in result.output


def test_console_script_is_installed_and_reports_bad_input(tmp_path):
    bad = tmp_path / "sites.csv"
    bad.write_text("name,sector,floor_area_m2\nNieuw DC,logistiek,50000\n")
    run = subprocess.run([BIN / "planner", "assess", str(bad)], capture_output=True, text=True, check=False)
    assert run.returncode == 2
    assert "sites.csv" in run.stderr
    assert "line 2 ('Nieuw DC'), column 'subtype': sector 'logistiek' has several subtypes" in run.stderr
    assert "Traceback" not in run.stderr


def test_own_reference_objects_change_the_estimate(tmp_path):
    own = tmp_path / "eigen_objecten.csv"
    own.write_text(
        "id,sector,subtype,name,place,year,basis,amount,unit,counted,workers_low,workers_high,"
        "peak_factor,migrant_share,notes,source\n"
        "GM1-1,metaal,metaal,Eigen metaalbedrijf,Helmond,2025,floor_area,10000,m2,workers,80,80,,,,vragenlijst\n")
    sites = tmp_path / "sites.csv"
    sites.write_text("sector,floor_area_m2\nmetaal,10000\n")
    plain = CliRunner().invoke(main, ["assess", str(sites)])
    own_run = CliRunner().invoke(main, ["assess", str(sites), "--objects", str(own)])
    assert own_run.exit_code == 0, own_run.output
    frame = pd.DataFrame({"sector": ["metaal"], "floor_area_m2": [10_000.0]})
    for run, library in ((plain, load_library()), (own_run, load_library([own]))):
        row = assess(frame, library).iloc[0]
        expected = " / ".join(str(round(row[f"workers_{lvl}"])) for lvl in ("p10", "p50", "p90"))
        assert expected in run.output
    assert plain.output != own_run.output  # the object of 8 heads per 1,000 m2 moves the estimate


def test_ratios_command_lists_sources():
    result = CliRunner().invoke(main, ["ratios"])
    assert result.exit_code == 0
    assert "logistiek/dc: reference objects L1 (planner library), L2 (planner library)" in result.output
    assert "open_teelt/vollegrond: assumption" in result.output
    assert "Note: no public reference object for open_teelt/vollegrond" in result.output


def test_check_housing_lists_rows_to_check_and_writes_the_reason(tmp_path):
    """5,000 persons in 40 m2 and the like: counted as they are, counted in to_check, listed with the reason."""
    register = tmp_path / "register.csv"
    register.write_text("adres;gebruiksoppervlakte;slaapkamers;bewoners;vergunde bedden;gemeentecode\n"
                        "A;40;2;5000;;GM0983\nB;90;4;6;0;GM0983\nC;0,9;4;6;;GM0983\nD;90;40;6;;GM0983\n"
                        "E;90;3;3;;GM0983\n", encoding="utf-8")
    target = tmp_path / "out.xlsx"
    result = CliRunner().invoke(main, ["check-housing", str(register), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "  to_check                      4" in result.output
    assert "4 row(s) to check: values that do not fit together; counted as they are:" in result.output
    assert "line 2: more than one occupant per 4 m2 of floor area" in result.output
    assert "line 3: licence for 0 beds on an occupied location" in result.output
    locations = pd.read_excel(target, sheet_name="locations")
    assert locations["to_check"].fillna("").ne("").tolist() == [True, True, True, True, False]
    assert "more than one bedroom per 5 m2 of floor area" in locations.loc[3, "to_check"]
    totals_sheet = pd.read_excel(target, sheet_name="totals").set_index("figure")["total"]
    assert totals_sheet["to_check"] == 4 and totals_sheet["locations"] == 5 and totals_sheet["unusable_rows"] == 0
    assert totals_sheet["capacity"] == 2 + 0 + 0 + 6 + 3  # the capacities of the norm: the flags change nothing
