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
from planner.library import REFERENCE_COLUMNS, load_library, load_parameters, load_reference_objects
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


def test_conventional_dc_ratio_is_geometric_mean_of_objects_widened(library):
    row = library.ratios.loc[("logistiek", "dc")]
    # L1: 12,400 workers on 2,000,000 m2 = 6.2 per 1,000 m2; L2: 150 on 25,000 m2 = 6.0.
    assert row["ratio_typical"] == pytest.approx(math.sqrt(6.2 * 6.0))
    assert row["ratio_low"] == pytest.approx(6.0 / 1.5)
    assert row["ratio_high"] == pytest.approx(6.2 * 1.5)
    assert row["n_objects"] == 2
    assert row["ratio_objects"] == "L1, L2"
    assert row["ratio_status"] == "derived"


def test_glasshouse_ratio_converts_migrant_counts_to_workers(library):
    row = library.ratios.loc[("glastuinbouw", "kas")]
    share = row["migrant_share_typical"]  # 0.6, an assumption of the parameters file
    g1_low, g1_high = 650 / 220 / share, 820 / 220 / share  # G1 counts labour migrants on 220 ha
    mids = [math.sqrt(g1_low * g1_high), 4.5, 6.7]
    assert row["ratio_typical"] == pytest.approx(math.exp(np.mean(np.log(mids))))
    assert row["ratio_low"] == pytest.approx(4.5 / 1.5)
    assert row["ratio_high"] == pytest.approx(6.7 * 1.5)
    assert row["ratio_unit"] == "workers per ha"


def test_values_stated_by_objects_set_the_typical_parameter(library):
    meat = library.ratios.loc[("voeding", "meat_processing")]
    assert meat["migrant_share_typical"] == pytest.approx(0.8)
    assert "V1" in meat["migrant_share_source"]
    ecommerce = library.ratios.loc[("logistiek", "ecommerce_dc")]
    assert ecommerce["peak_factor_typical"] == pytest.approx(2.0)
    assert "L3" in ecommerce["peak_factor_source"]


def test_subtypes_without_reference_objects_say_their_ratio_is_an_assumption(library):
    ratios = library.ratios
    no_objects = ratios[ratios["n_objects"] == 0]
    assert set(no_objects.index) == {("open_teelt", "vollegrond"), ("voeding", "meat_processing"),
                                     ("voeding", "other_food"), ("metaal", "metaal")}
    assert (no_objects["ratio_status"] == "assumption").all()
    assert no_objects["ratio_source"].str.startswith("assumption").all()


def test_required_sectors_are_present(library):
    keys = set(library.ratios.index)
    for key in [("logistiek", "dc"), ("logistiek", "ecommerce_dc"), ("logistiek", "automated_dc"),
                ("glastuinbouw", "kas"), ("open_teelt", "vollegrond"), ("voeding", "meat_processing"),
                ("voeding", "other_food"), ("metaal", "metaal")]:
        assert key in keys


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
    assert row["n_objects"] == 1
    assert row["ratio_typical"] == pytest.approx(5.0)  # 100 workers / 20 x 1,000 m2
    assert row["ratio_low"] == pytest.approx(5.0 / 1.5)
    assert "GM-1 (venlo_objects.csv)" in row["ratio_source"]
    assert row["ratio_status"] == "derived"
    assert library.content_hash != load_library().content_hash


def test_many_objects_give_a_fitted_log_normal_range(tmp_path):
    workers = [20, 30, 40, 60, 90]
    path = write_objects(tmp_path / "own.csv", [own_object(i, workers=w) for i, w in enumerate(workers)])
    row = load_library([path]).ratios.loc[("metaal", "metaal")]
    logs = np.log(np.array(workers) / 10.0)  # per 1,000 m2 on 10,000 m2
    median, sigma = math.exp(logs.mean()), logs.std()
    assert row["ratio_typical"] == pytest.approx(median, rel=1e-4)
    assert row["ratio_low"] == pytest.approx(median * math.exp(sigma * stats.norm.ppf(0.1)), rel=1e-3)
    assert row["ratio_high"] == pytest.approx(median * math.exp(sigma * stats.norm.ppf(0.9)), rel=1e-3)
    assert "log-normal" in row["ratio_source"]


def test_objects_counting_migrants_become_workers_through_the_migrant_share(tmp_path):
    path = write_objects(tmp_path / "own.csv", [own_object(1, workers=25, counted="labour_migrants")])
    row = load_library([path]).ratios.loc[("metaal", "metaal")]
    assert row["ratio_typical"] == pytest.approx(2.5 / 0.25)  # metaal migrant share 0.25


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
