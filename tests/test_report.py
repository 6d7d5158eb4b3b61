"""The council report (planner.report): figures that add up, every factor stated, no broken words, whole years."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

import planner
from planner.formatting import fmt
from planner.housing import housing_totals
from planner.impact import totals
from planner.io import read_table
from planner.paths import data_dir
from planner.plan import Plan
from planner.regional import PIPELINE_ALIASES, prepare_pipeline
from planner.report import report_document

APP = str(Path(__file__).resolve().parent.parent / "app.py")
#: Locations of the demo register moved out of every municipality (no point, no code): the report must count them.
LEFT_OUT = 7


def _number(text: str) -> float:
    """A Dutch number as printed ('1.234,5')."""
    return float(text.replace(".", "").replace(",", "."))


def _pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def demo_plan() -> Plan:
    """The demo plan as the app builds it (sites, register, pipeline), with a few register locations in no
    municipality."""
    register = planner.read_housing(planner.demo_housing_path())
    lost = register.index[:LEFT_OUT]
    register.loc[lost, "gemeentecode"] = None
    register.loc[lost, "geometry"] = None
    plan = Plan(planner.load_demo_sites(), housing=register)
    frame, _ = read_table(data_dir("demo") / "pijplijn_voorbeeld.csv", PIPELINE_ALIASES, strict=False,
                          kind="pipeline")
    return plan.with_changes(pipeline=prepare_pipeline(frame, plan.boundaries))


@pytest.fixture(scope="module")
def report(demo_plan):
    """The Dutch report of the demo plan: (document, text per page)."""
    summary = demo_plan.capacity()
    document = report_document(demo_plan.assessed, demo_plan.library, housing_totals(summary),
                               demo_plan.shortfall("gemeente"), "nl", housing_summary=summary)
    return document, _pdf_text(bytes(document.output()))


def _flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def test_the_steps_of_a_site_multiply_to_its_beds(report, demo_plan):
    _, pages = report
    text = _flat(pages)
    site = demo_plan.assessed.iloc[0]
    assert f"{site['name']} ({site['sector']}/{site['subtype']}), vanaf 2027" in text
    area, ratio = re.search(r"([\d.]+) m2 / 1\.000 x ([\d,]+) \(werknemers per 1\.000 m2 bvo\)", text).groups()
    share = re.search(r"x ([\d,]+) \(aandeel arbeidsmigranten\)", text).group(1)
    peak = re.search(r"x ([\d,]+) \(piekfactor\)", text).group(1)
    per_migrant = re.search(r"x ([\d,]+) \(bedden per arbeidsmigrant\)", text).group(1)
    chain = _number(re.search(r"De rekensom hierboven geeft ([\d.]+)\.", text).group(1))
    product = _number(area) / 1000 * _number(ratio) * _number(share) * _number(peak) * _number(per_migrant)
    assert product == pytest.approx(chain, abs=1.0)
    # The factors printed are the site's middle values, with their source and status.
    assert _number(area) == site["basis_amount"]
    assert _number(share) == pytest.approx(site["migrant_share_p50"], abs=0.005)
    assert _number(peak) == pytest.approx(site["peak_factor_p50"], abs=0.005)
    # The ratio's objects are named with their number; each is a row of the library of the site's subtype.
    used = demo_plan.library.ratios.loc[(site["sector"], site["subtype"]), "ratio_objects"]
    ids = [i.strip() for i in str(used).split(",") if i.strip()]
    library = pd.read_csv(data_dir("sector_ratios") / "reference_objects.csv").set_index("id")
    assert len(ids) >= 2 and set(ids) <= set(library.index)
    assert set(library.loc[ids, "subtype"]) == {site["subtype"]}
    assert f"sector_ratios/reference_objects.csv: {len(ids)} referentieobject(en): {ids[0]}" in text
    assert "sector_ratios/sector_parameters.csv, regel 31) (aanname)" in text
    # The simulation's P50 is stated beside the sum, and the two are close.
    simulated = re.search(r"Simulatie: ([\d.]+) benodigde bedden", text).group(1)
    assert simulated == fmt(site["beds_needed_p50"], "nl")
    assert chain == pytest.approx(site["beds_needed_p50"], rel=0.1)


def test_a_site_with_announced_jobs_shows_them_as_its_first_step(demo_plan):
    """Jobs from the company's questionnaire replace area x ratio in the printed sum, with their source."""
    from planner.report import site_steps

    sites = planner.load_demo_sites().iloc[[0]].copy()
    sites["declared_jobs"] = 800
    plan = Plan(sites)
    site = plan.assessed.iloc[0]
    facts = plan.library.ratios.loc[(site["sector"], site["subtype"])]
    table, chain = site_steps(pd.concat([site, facts[facts.index.difference(site.index)]]), "nl")
    text = " ".join(" ".join(map(str, row)) for row in table.to_numpy())
    share = round(float(site["realised_over_announced_p50"]), 2)
    assert "Banen volgens het bedrijf (opgave)" in text and "vloeroppervlak" not in text.lower()
    assert f"800 x {fmt(share, 'nl', 2)} (gerealiseerd deel van aangekondigde banen)" in text
    assert chain["workers"] == pytest.approx(800 * share)
    assert chain["beds"] == pytest.approx(site["beds_needed_p50"], rel=0.1)
    pages = _pdf_text(bytes(report_document(plan.assessed, plan.library, None, None, "nl").output()))
    assert "Banen volgens het bedrijf (opgave)" in _flat(pages)


def test_every_site_has_its_steps(report, demo_plan):
    _, pages = report
    text = _flat(pages)
    assert text.count("De rekensom hierboven geeft") == len(demo_plan.assessed)
    assert text.count("(piekfactor)") == len(demo_plan.assessed)


def test_beds_per_year_add_up_to_the_total(report, demo_plan):
    _, pages = report
    text = _flat(pages)
    header = "Jaar Locaties die starten Bedden nodig in het jaar (P50) Erbij t.o.v. vorig jaar (P50)"
    block = text[text.index(header) + len(header):]
    block, total_row = block.split("Totaal ", 1)
    rows = re.findall(r"(\d{4}) (\d+) ([\d.]+) ([\d.]+)", block)
    assert [year for year, *_ in rows] == ["2027", "2028", "2029"]
    sites, added = re.match(r"(\d+) ([\d.]+)", total_row).groups()
    assert sum(int(n) for _, n, _, _ in rows) == int(sites) == len(demo_plan.assessed)
    assert sum(_number(a) for *_, a in rows) == _number(added)
    beds = totals(demo_plan.assessed).loc["beds_needed", "p50"]
    assert _number(added) == round(beds)
    assert _number(rows[-1][2]) == round(beds)  # the last year has every site at full staffing
    assert f"telt op tot de bedden in het laatste jaar, {fmt(round(beds), 'nl')}" in text


def test_spare_places_and_regional_capacity_are_reconciled(report, demo_plan):
    _, pages = report
    text = _flat(pages)
    summary = demo_plan.capacity()
    regional = demo_plan.shortfall("gemeente").totals()
    register = re.search(r"Vrije plaatsen in het register \(alle ([\d.]+) bruikbare locaties\) ([\d.]+)", text)
    left = re.search(r"min: in (\d+) locaties die in geen gemeente liggen \(weggelaten\) (-?[\d.]+)", text)
    counted = re.search(r"Vrije plaatsen meegeteld in gemeenten ([\d.]+)", text)
    pipeline = re.search(r"plus: bedden in pijplijnprojecten ([\d.]+)", text)
    capacity = re.search(r"Capaciteit in de regionale berekening ([\d.]+)", text)
    assert int(left.group(1)) == LEFT_OUT
    assert f"{LEFT_OUT} locatie(s) liggen in geen gemeente" in text
    assert _number(register.group(2)) == summary["spare_capacity"].sum()
    assert _number(register.group(2)) + _number(left.group(2)) == _number(counted.group(1))
    assert _number(counted.group(1)) + _number(pipeline.group(1)) == _number(capacity.group(1))
    assert _number(capacity.group(1)) == round(regional["capacity"])
    # The same capacity as in the shortfall table.
    assert f"Capaciteit (vrij + pijplijn) {fmt(regional['capacity'], 'nl')}" in text


def test_years_are_whole_numbers(report):
    _, pages = report
    text = "\n".join(pages)
    assert not re.search(r"\b(19|20)\d\d\.0\b", text)
    assert re.search(r"\bL1 .* NL 2019 ", _flat(pages))  # a reference object's year, as a year


def _broken(text: str, vocabulary: set[str]) -> list[str]:
    """Tokens of the PDF's text that are not words placed on it: pieces of a word broken across lines."""
    return [token for token in text.split() if token not in vocabulary]


def test_no_word_is_broken_across_lines(report):
    document, pages = report
    vocabulary = {word for text in document.placed for word in text.split()}
    assert _broken("\n".join(pages), vocabulary) == []


def test_the_broken_word_check_finds_a_broken_word():
    """The check above can fail: an ordinary fpdf2 table breaks a long word inside a narrow column."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=8)
    with pdf.table(col_widths=(12, 40), width=52) as table:
        table.row(["Arbeidsmigranten", "Benodigde bedden"])
    assert _broken(_pdf_text(bytes(pdf.output()))[0], {"Arbeidsmigranten", "Benodigde", "bedden"})


def test_no_page_is_nearly_empty(report):
    _, pages = report
    assert len(pages) >= 4
    for number, text in enumerate(pages[:-1], start=1):
        assert len(text) > 800, f"page {number} is nearly empty"
    assert len(pages[-1]) > 300


def test_factors_are_stated_with_their_status(report):
    _, pages = report
    text = _flat(pages)
    assert "Aannames en bronnen per factor" in text
    for factor in ("kental", "aandeel arbeidsmigranten", "piekfactor", "bedden per arbeidsmigrant"):
        assert re.search(rf"logistiek/dc {factor} [\d,]+ .*?(aanname|onderbouwd)", text), factor
    assert "mean_distance_km 22.6 onderbouwd" in text or "mean_distance_km 22,6 onderbouwd" in text


def test_english_report_of_sites_alone(demo_plan):
    document = report_document(demo_plan.assessed, demo_plan.library, None, None, "en")
    pages = _pdf_text(bytes(document.output()))
    text = _flat(pages)
    assert _broken("\n".join(pages), {word for placed in document.placed for word in placed.split()}) == []
    assert "Calculation per site" in text and "Beds needed per year" in text
    assert re.search(r"x 0\.50 \(migrant share\)", text) and "(peak factor)" in text
    assert "(assumption)" in text and "aanname" not in text
    assert not re.search(r"\b(19|20)\d\d\.0\b", text)


def test_report_page_builds_once_per_change_of_inputs(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path))  # the bundled schematic layer, whatever is downloaded

    from planner.ui import report_page

    at = AppTest.from_file(APP, default_timeout=120).run()
    before = report_page.BUILDS["count"]
    at = at.radio(key="page").set_value("page_report").run()
    assert not at.exception
    assert report_page.BUILDS["count"] == before + 1
    at = at.radio(key="page").set_value("page_sites").run()
    at = at.radio(key="page").set_value("page_report").run()
    assert not at.exception and len(at.get("download_button")) == 3
    assert report_page.BUILDS["count"] == before + 1  # a second visit with the same inputs: no rebuild
    at = at.text_input(key="report_title").set_value("Raadsvoorstel Venlo").run()
    assert report_page.BUILDS["count"] == before + 2  # a changed input: built again
