"""The sector reference library: ratios derived from reference objects, checked by hand."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import require
from scipy import stats

from planner.errors import InputError
from planner.library import REFERENCE_COLUMNS, fit_logs, load_library, load_parameters, load_reference_objects
from planner.paths import sector_ratios_dir


def write_objects(path: Path, rows: list[dict]) -> Path:
    frame = pd.DataFrame(rows)
    for column in REFERENCE_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    frame[list(REFERENCE_COLUMNS)].to_csv(path, index=False)
    return path


def own_object(i: int, sector="metaal", subtype="metaal", amount=10_000, workers=30, **extra) -> dict:
    row = {"id": f"GM-{i}", "sector": sector, "subtype": subtype, "name": f"own object {i}", "place": "Venlo",
           "year": 2025, "basis": "floor_area", "amount": amount, "unit": "m2", "counted": "workers",
           "workers_low": workers, "workers_high": workers, "source": "questionnaire 2025"}
    row.update(extra)
    return row


def converted(library, object_id: str) -> pd.Series:
    frame = library.converted
    return frame[frame["id"] == object_id].iloc[0]


def test_present_daily_object_is_converted_to_heads(library):
    # L3 bol.com: 800 people present on an average day x 1.7 heads per person present, on 135,000 m2 bvo.
    row = converted(library, "L3")
    assert row["heads"] == pytest.approx(800 * 1.7)
    assert row["ratio"] == pytest.approx(800 * 1.7 / 135.0)
    assert "present_to_heads 1.7" in row["conversion"]


def test_fte_object_is_converted_to_heads(library, tmp_path):
    # G2: 4.5 labour-years per ha of glass x 1.4 heads per labour-year (glasshouse row of the parameters).
    row = converted(library, "G2")
    assert row["ratio"] == pytest.approx(4.5 * 1.4)
    # An own metal object: 140 FTE on 20,000 m2 bvo x 1.3 heads per FTE (the */* row) = 182 heads, 9.1 per 1,000 m2.
    path = write_objects(tmp_path / "own.csv", [own_object(1, amount=20_000, workers=140, counted="fte")])
    row = converted(load_library([path]), "GM-1")
    assert row["heads"] == pytest.approx(182.0)
    assert row["ratio"] == pytest.approx(9.1)


def test_footprint_times_levels_becomes_gross_floor_area(tmp_path):
    rows = [own_object(1, sector="logistiek", subtype="automated_dc", amount=30_000, workers=300,
                       area_kind="footprint", levels=2),
            own_object(2, sector="logistiek", subtype="automated_dc", amount=30_000, workers=300,
                       area_kind="footprint"),
            own_object(3, sector="logistiek", subtype="dc", amount=10, unit="ha", workers=100, area_kind="plot")]
    library = load_library([write_objects(tmp_path / "own.csv", rows)])
    assert converted(library, "GM-1")["ratio"] == pytest.approx(300 / 60.0)  # 30,000 m2 x 2 levels
    assert converted(library, "GM-2")["ratio"] == pytest.approx(300 / 33.0)  # levels unknown: x 1.1
    assert converted(library, "GM-3")["ratio"] == pytest.approx(100 / 50.0)  # 100,000 m2 plot x 0.5


def test_announced_and_migrant_counts_are_converted(library):
    # L4 Bestseller: 250 jobs announced x 0.7 realised per announced, on 100,000 m2.
    assert converted(library, "L4")["ratio"] == pytest.approx(250 * 0.7 / 100.0)
    # G1 Agriport: 650-820 labour migrants / migrant share 0.6, on 220 ha of glass.
    g1 = converted(library, "G1")
    assert g1["heads"] == pytest.approx(math.sqrt(650 * 820) / 0.6)
    assert g1["ratio"] == pytest.approx(math.sqrt(650 * 820) / 0.6 / 220)


def test_predictive_ratio_by_hand(tmp_path):
    """Three metal objects at 2, 4 and 8 heads per 1,000 m2 in a library of nothing else."""
    folder = tmp_path / "lib"
    folder.mkdir()
    for name in ("subtypes.csv", "sector_parameters.csv"):
        (folder / name).write_text((sector_ratios_dir() / name).read_text(encoding="utf-8"), encoding="utf-8")
    rows = [own_object(i, amount=10_000, workers=w, confidence="high") for i, w in enumerate((20, 40, 80))]
    write_objects(folder / "reference_objects.csv", rows)
    row = load_library(directory=folder).ratios.loc[("metaal", "metaal")]
    # Log ratios ln 2, ln 4, ln 8: mean ln 4; sum of squares 2 (ln 2)^2 on 2 degrees of freedom; the prior adds
    # 2 degrees of freedom at 0.5: s^2 = (2 x 0.25 + 2 (ln 2)^2) / 4 on 4 degrees of freedom.
    s = math.sqrt((2 * 0.25 + 2 * math.log(2) ** 2) / 4)
    scale = s * math.sqrt(1 + 1 / 3)
    assert row["ratio_p50"] == pytest.approx(4.0)
    assert row["ratio_p90"] == pytest.approx(4.0 * math.exp(stats.t(4).ppf(0.9) * scale))
    assert row["ratio_p10"] == pytest.approx(4.0 * math.exp(stats.t(4).ppf(0.1) * scale))
    assert row["ratio_status"] == "derived" and row["n_objects"] == 3
    # The other floor-area sectors have no objects of their own and fall back to the only ones there are.
    assert load_library(directory=folder).ratios.loc[("logistiek", "dc"), "ratio_status"] == "assumption"


def test_confidence_weights_the_mean():
    fit = fit_logs(np.log([2.0, 8.0]), np.array([1.0, 0.3]))
    assert math.exp(fit.mean) == pytest.approx(math.exp((math.log(2) + 0.3 * math.log(8)) / 1.3))
    assert fit.n_eff == pytest.approx(1.3**2 / 1.09)


def test_subtypes_of_issue_14_exist_with_their_objects(library):
    ratios = library.ratios
    for key in [("logistiek", s) for s in ("dc", "ecommerce_dc", "grocery_efulfilment", "parcel_hub",
                                          "automated_dc", "cold_store")] + [
            ("glastuinbouw", "glass_vegetables"), ("glastuinbouw", "pot_plants_flowers"),
            ("voeding", "meat_processing"), ("voeding", "other_food"), ("metaal", "metaal")]:
        assert ratios.loc[key, "n_objects"] >= 5, key
        assert ratios.loc[key, "ratio_status"] == "derived"
    assert len(library.objects) >= 60
    # Open-field agriculture has no public object: it says so in the table.
    field = ratios.loc[("open_teelt", "vollegrond")]
    assert field["n_objects"] == 0 and field["ratio_status"] == "assumption"
    assert "no public reference object" in field["objects_note"]


def test_a_subtype_without_objects_falls_back_to_its_sector_and_says_so(library):
    reduced = library.without(library.objects.loc[library.objects["subtype"] == "cold_store", "id"])
    row = reduced.ratios.loc[("logistiek", "cold_store")]
    assert row["ratio_status"] == "sector fallback" and row["n_objects"] == 0
    assert "no public reference object for logistiek/cold_store" in row["objects_note"]
    assert "NO PUBLIC OBJECT" in row["ratio_source"]


def test_every_object_has_a_source_url_and_says_what_it_counted(library):
    objects = library.objects
    assert objects["source"].str.startswith("http").all()
    assert set(objects["counted"]) <= {"heads", "fte", "present_daily", "jobs", "migrants_heads"}
    assert set(objects["confidence"]) <= {"high", "medium", "low"}
    merged = objects[objects["id"].str.contains("X")]  # objects merged from the research of issue 14
    assert (merged["quote"].str.len() > 20).all()


def test_known_errors_are_fixed(library):
    objects = library.objects.set_index("id")
    assert objects.loc["L3", "counted"] == "present_daily"
    assert objects.loc[["G2", "G3"], "counted"].tolist() == ["fte", "fte"]
    assert objects.loc["L4", "timing"] == "announced"
    peak = library.ratios.loc[("glastuinbouw", "glass_vegetables")]
    assert peak["peak_factor_p90"] == pytest.approx(1.7)
    assert library.ratios.loc[("glastuinbouw", "pot_plants_flowers"), "peak_factor_p90"] == pytest.approx(3.0)


def test_values_stated_by_objects_set_the_median_parameter(library):
    meat = library.ratios.loc[("voeding", "meat_processing")]
    # V1 states 0.8; the sourced SEO figure for slaughterhouses (0.51) counts beside it.
    assert meat["migrant_share_p50"] == pytest.approx(math.sqrt(0.8 * 0.51))
    assert meat["migrant_share_p10"] == pytest.approx(0.37)
    assert "V1" in meat["migrant_share_source"]
    ecommerce = library.ratios.loc[("logistiek", "ecommerce_dc")]
    # L3 (2) and LX23 (3) with the derived bol.com figure of the parameters (2).
    assert ecommerce["peak_factor_p50"] == pytest.approx((2.0 * 3.0 * 2.0) ** (1 / 3))
    pots = library.ratios.loc[("glastuinbouw", "pot_plants_flowers")]
    assert pots["peak_factor_p50"] == pytest.approx((1.43 * 1.6) ** 0.5)  # GX09 and the derived row
    assert "L3" in ecommerce["peak_factor_source"]


def test_every_parameter_is_sourced_or_marked_assumption():
    parameters = load_parameters(sector_ratios_dir() / "sector_parameters.csv")
    assert set(parameters["status"]) <= {"sourced", "derived", "assumption"}
    cited = parameters[parameters["status"] != "assumption"]
    assert (cited["source"] != "").all()


def test_every_derived_figure_names_where_it_comes_from(library):
    for column in ("ratio_source", "migrant_share_source", "peak_factor_source", "stay_source",
                   "employer_housed_share_source", "beds_per_migrant_source"):
        assert (library.ratios[column].str.len() > 0).all(), column


def test_reference_objects_match_the_shared_research():
    mine = load_reference_objects(sector_ratios_dir() / "reference_objects.csv").set_index("id")
    shared = Path(__file__).resolve().parents[2] / "shared" / "research" / "reference_objects.csv"
    require(shared.is_file(), f"research notes not found at {shared}")
    facts = pd.read_csv(shared).set_index("id")
    for column in ("amount", "workers_low", "workers_high", "source"):
        assert mine.loc[facts.index, column].tolist() == facts[column].tolist(), column


def test_stay_shares_sum_to_one(library):
    shares = library.ratios[["share_short_stay", "share_mid_stay", "share_long_stay"]].sum(axis=1)
    assert np.allclose(shares, 1.0)


def test_own_objects_take_part_with_their_provenance(tmp_path):
    path = write_objects(tmp_path / "venlo_objects.csv", [own_object(1, amount=20_000, workers=100)])
    library = load_library([path])
    row = library.ratios.loc[("metaal", "metaal")]
    assert row["n_objects"] == load_library().ratios.loc[("metaal", "metaal"), "n_objects"] + 1
    assert "GM-1 (venlo_objects.csv)" in row["ratio_source"]
    assert library.content_hash != load_library().content_hash


def test_an_older_object_file_is_still_read(tmp_path):
    """Files with the columns of planner before issue 14 (no area_kind, timing, confidence, ...)."""
    old = ["id", "sector", "subtype", "name", "place", "year", "basis", "amount", "unit", "counted",
           "workers_low", "workers_high", "peak_factor", "migrant_share", "notes", "source"]
    frame = pd.DataFrame([own_object(1, workers=25, counted="labour_migrants")])
    for column in old:
        if column not in frame.columns:
            frame[column] = ""
    frame[old].to_csv(tmp_path / "old.csv", index=False)
    objects = load_reference_objects(tmp_path / "old.csv")
    assert objects.loc[0, "counted"] == "migrants_heads" and objects.loc[0, "area_kind"] == "bvo"
    row = converted(load_library([tmp_path / "old.csv"]), "GM-1")
    assert row["heads"] == pytest.approx(25 / 0.25)  # metal migrant share 0.25


def test_a_bad_object_file_names_file_line_and_column(tmp_path):
    path = write_objects(tmp_path / "bad.csv", [own_object(1), own_object(2, basis="volume", workers="veel")])
    with pytest.raises(InputError) as err:
        load_reference_objects(path)
    text = str(err.value)
    assert "bad.csv" in text
    assert "line 3, column 'basis': unknown basis 'volume'" in text
    assert "line 3, column 'workers_low': 'veel' is not a number" in text


def test_unknown_subtype_in_own_objects_lists_the_known_ones(tmp_path):
    path = write_objects(tmp_path / "own.csv", [own_object(1, subtype="staal")])
    with pytest.raises(InputError, match=r"unknown sector/subtype 'metaal/staal'.*logistiek/dc"):
        load_library([path])


def test_own_object_ids_may_not_clash_with_the_library(tmp_path):
    path = write_objects(tmp_path / "own.csv", [own_object(1) | {"id": "L1"}])
    with pytest.raises(InputError, match="L1 already exist"):
        load_library([path])


def test_content_hash_is_stable():
    assert load_library().content_hash == load_library().content_hash


def test_the_spread_between_sites_comes_from_single_sites_only(library):
    # An aggregate (an average over several sites) counts for the mean of its subtype, not for the spread
    # between single sites: the same figure as a single site widens the spread.
    base = library.ratios.loc[("logistiek", "dc")]
    extra = library.objects[library.objects["id"] == "LX13"].copy()
    extra["id"] = "TEST-1"
    extra["workers_low"] = extra["workers_high"] = extra["workers_low"] * 4.0  # far above the subtype's mean
    as_aggregate = library.with_objects(extra.assign(scope="aggregate")).ratios.loc[("logistiek", "dc")]
    as_single = library.with_objects(extra.assign(scope="single")).ratios.loc[("logistiek", "dc")]
    assert as_aggregate["ratio_mu"] > base["ratio_mu"]
    assert as_aggregate["ratio_mu"] == pytest.approx(as_single["ratio_mu"])
    assert as_aggregate["ratio_s"] == pytest.approx(base["ratio_s"])
    assert as_single["ratio_s"] > base["ratio_s"]
    assert "single sites" in base["ratio_source"]


def test_the_sector_name_vocabulary_is_checked_and_complete(tmp_path):
    from planner.library import load_subtypes
    from planner.sectornames import bundled_sector_names, load_sector_names, term_key

    names = bundled_sector_names()
    subtypes = load_subtypes(sector_ratios_dir() / "subtypes.csv")
    # Every subtype can be written as its Dutch label (after the sector) and every term points at a real key.
    for row in subtypes.itertuples():
        label = row.label_nl.split(":", 1)[-1].strip()
        assert names.anywhere[term_key(label)][:2] == (row.sector, row.subtype), label
    for sector, subtype, _ in names.anywhere.values():
        assert sector in names.subtypes and (subtype is None or subtype in names.subtypes[sector])
    # Every note that states an assumption has its Dutch text, for the app.
    notes = pd.read_csv(sector_ratios_dir() / "sector_names.csv", keep_default_na=False)
    assert (notes.loc[notes["note"] != "", "note_nl"] != "").all()
    # A term for an unknown sector, or one term with two meanings, is refused with the file's line.
    bad = tmp_path / "sector_names.csv"
    bad.write_text("term,sector,subtype,where,note\nkoelcel,koeling,,,\n"
                   "magazijn,logistiek,dc,,x\nmagazijn,logistiek,cold_store,,y\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_sector_names(bad, subtypes)
    text = str(caught.value)
    assert "line 2" in text and "unknown sector 'koeling'" in text
    assert "line 4" in text and "'magazijn' is listed for logistiek/dc and for logistiek/cold_store" in text
