"""Impact assessment: hand calculations, ranges, conservation, and bad input."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats
from shapely.geometry import Point, Polygon, box

from planner.errors import InputError, PlannerWarning
from planner.impact import QUANTITIES, assess, phase, ramp_shares, totals
from planner.library import LEVELS


def sites(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_conventional_dc_by_hand(library):
    out = assess(sites(sector=["logistiek"], subtype=["dc"], floor_area_m2=[50_000.0]), library)
    row = out.iloc[0]
    model = library.ratios.loc[("logistiek", "dc")]
    # Workers: 50 x 1,000 m2 times the predictive ratio; P50 = exp(mu), P10/P90 from the log-t (Monte Carlo).
    scale = model["ratio_s"] * math.hypot(model["ratio_shared"], model["ratio_site"])
    t90 = stats.t(model["ratio_df"]).ppf(0.9)
    assert row["workers_p50"] == pytest.approx(50 * math.exp(model["ratio_mu"]), rel=0.005)
    assert row["workers_p90"] == pytest.approx(50 * math.exp(model["ratio_mu"] + t90 * scale), rel=0.01)
    assert row["workers_p10"] == pytest.approx(50 * math.exp(model["ratio_mu"] - t90 * scale), rel=0.01)
    # Without uncertainty in the shares and peak the median chain would be workers x 0.5 x 1.2;
    # the median of a product of independent draws stays close to the product of the medians.
    assert row["beds_needed_p50"] == pytest.approx(row["workers_p50"] * 0.5 * 1.2, rel=0.1)
    assert row["beds_short_stay_p50"] == pytest.approx(row["beds_needed_p50"] * 0.23)
    assert row["beds_to_find_p50"] == pytest.approx(row["beds_needed_p50"])
    assert row["workers_net_p50"] == row["workers_p50"]  # no relocated jobs
    assert row["basis"] == "floor_area" and row["basis_unit"] == "m2"


def test_a_site_alone_has_the_same_percentiles_as_its_total(library):
    out = assess(sites(sector=["logistiek"], subtype=["parcel_hub"], floor_area_m2=[20_000.0]), library)
    total = totals(out)
    for quantity in QUANTITIES:
        assert total.loc[quantity].tolist() == pytest.approx([out.loc[0, f"{quantity}_{lvl}"] for lvl in LEVELS])


def test_the_p90_of_a_total_is_below_the_sum_of_the_p90s(library):
    frame = sites(sector=["logistiek"] * 6 + ["glastuinbouw"] * 2, subtype=["dc"] * 6 + ["kas"] * 2,
                  floor_area_m2=[40_000.0] * 6 + [None] * 2, plot_area_ha=[None] * 6 + [10.0] * 2)
    out = assess(frame, library)
    total = totals(out)
    for quantity in ("workers", "beds_needed"):
        summed = {lvl: out[f"{quantity}_{lvl}"].sum() for lvl in LEVELS}
        assert total.loc[quantity, "p90"] < 0.95 * summed["p90"]
        assert total.loc[quantity, "p10"] > 1.05 * summed["p10"]
        assert total.loc[quantity, "p10"] < total.loc[quantity, "p50"] < total.loc[quantity, "p90"]


def test_the_same_input_gives_the_same_figures_and_sites_do_not_affect_each_other(library):
    one = assess(sites(sector=["metaal"], floor_area_m2=[10_000.0]), library)
    two = assess(sites(sector=["logistiek", "metaal"], subtype=["dc", None], floor_area_m2=[5_000.0, 10_000.0]),
                 library)
    again = assess(sites(sector=["metaal"], floor_area_m2=[10_000.0]), library)
    for lvl in LEVELS:
        assert one.loc[0, f"beds_needed_{lvl}"] == again.loc[0, f"beds_needed_{lvl}"]
        assert one.loc[0, f"beds_needed_{lvl}"] == pytest.approx(two.loc[1, f"beds_needed_{lvl}"])


def test_relocated_jobs_are_not_new_demand(library):
    frame = sites(sector=["logistiek"] * 2, subtype=["dc"] * 2, floor_area_m2=[50_000.0] * 2,
                  relocated_jobs=[None, 150], relocated_from=[None, "GM0855"])
    out = assess(frame, library)
    gross, moved = out.iloc[0], out.iloc[1]
    assert moved["workers_p50"] == pytest.approx(gross["workers_p50"])
    assert moved["workers_net_p50"] == pytest.approx(gross["workers_p50"] - 150, rel=0.01)
    assert moved["migrants_p50"] < gross["migrants_p50"]
    assert moved["relocated_from"] == "GM0855"
    total = totals(out)
    assert total.loc["workers_net", "p50"] < total.loc["workers", "p50"]


def _announced_share() -> tuple[float, float, float]:
    """P10 / P50 / P90 of realised over announced jobs, read from the parameter file itself."""
    from planner.paths import data_dir

    table = pd.read_csv(data_dir("sector_ratios") / "sector_parameters.csv")
    row = table[table["parameter"] == "realised_over_announced"].iloc[0]
    return float(row["low"]), float(row["value"]), float(row["high"])


def test_jobs_the_company_announces_replace_area_times_ratio(library):
    """The VNG questionnaire's jobs: workers are those jobs times the realised share of announced jobs."""
    low, middle, high = _announced_share()
    frame = sites(name=["DC met opgave", "DC zonder"], sector=["logistiek"] * 2, subtype=["dc"] * 2,
                  floor_area_m2=[50_000.0, 50_000.0], declared_jobs=[800, None])
    out = assess(frame, library)
    told, estimated = out.iloc[0], out.iloc[1]
    assert told["workers_basis"] == "declared_jobs" and estimated["workers_basis"] == "floor_area"
    assert [told[f"workers_{lvl}"] for lvl in LEVELS] == pytest.approx([800 * low, 800 * middle, 800 * high],
                                                                         rel=0.005)
    assert estimated["workers_p50"] != pytest.approx(told["workers_p50"], rel=0.05)  # the area still counts there
    # The rest of the chain is unchanged: migrant share, peak and beds per migrant.
    model = library.ratios.loc[("logistiek", "dc")]
    assert told["beds_needed_p50"] == pytest.approx(800 * middle * model["migrant_share_p50"]
                                                    * model["peak_factor_p50"] * model["beds_per_migrant"], rel=0.1)
    # What the company knows narrows the range: the beds' P90 / P10 is about x5, against about x7 from the area.
    told_width = told["beds_needed_p90"] / told["beds_needed_p10"]
    assert told_width < 5.5 and told_width < 0.8 * estimated["beds_needed_p90"] / estimated["beds_needed_p10"]
    # A site alone has the same figures as its total; relocated jobs come off the announced ones.
    alone = totals(out.iloc[[0]])
    assert alone.loc["beds_needed", "p90"] == pytest.approx(told["beds_needed_p90"], rel=1e-9)
    moved = assess(sites(sector=["logistiek"], subtype=["dc"], declared_jobs=[400], relocated_jobs=[100]), library)
    assert moved.loc[0, "workers_net_p50"] == pytest.approx(400 * middle - 100, rel=0.01)


def _coverage() -> tuple[float, float, float]:
    """The floor area per m2 of plot, P10 / P50 / P90, read from the parameter file (not from the code)."""
    from planner.paths import data_dir

    table = pd.read_csv(data_dir("sector_ratios") / "sector_parameters.csv", keep_default_na=False)
    row = table[(table["parameter"] == "plot_to_bvo") & (table["sector"] == "*")].iloc[0]
    return float(row["low"]), float(row["value"]), float(row["high"])


def test_a_floor_area_site_known_only_by_its_plot(library):
    """A planned DC at zoning stage: its plot is known, its floor area is not."""
    low, middle, high = _coverage()
    frame = sites(name=["Kavel", "Bvo"], sector=["logistiek"] * 2, subtype=["dc"] * 2,
                  plot_area_ha=[12.0, None], floor_area_m2=[None, 12 * 10_000 * middle])
    out = assess(frame, library)
    plot, floor = out.iloc[0], out.iloc[1]
    assert plot["workers_basis"] == "plot_to_floor_area" and bool(plot["floor_area_from_plot"])
    assert plot["basis_amount"] == pytest.approx(12 * 10_000 * middle) and plot["basis_unit"] == "m2"
    # The same median as the floor area it implies; wider, since the share of the plot built on is uncertain too:
    # on the log scale the two spreads add, so the width is about exp(sqrt(ln(w_ratio)^2 + ln(w_cover)^2)).
    assert plot["workers_p50"] == pytest.approx(floor["workers_p50"], rel=0.03)
    width_ratio = floor["workers_p90"] / floor["workers_p10"]
    width = plot["workers_p90"] / plot["workers_p10"]
    expected = math.exp(math.hypot(math.log(width_ratio), math.log(high / low)))
    assert width == pytest.approx(expected, rel=0.1) and width > width_ratio
    # Alone, its total has its own percentiles; a polygon gives the plot when no number does.
    alone = totals(out.iloc[[0]])
    assert alone.loc["beds_needed", "p90"] == pytest.approx(plot["beds_needed_p90"], rel=1e-9)
    drawn = gpd.GeoDataFrame({"sector": ["logistiek"], "subtype": ["dc"]},
                             geometry=[box(200_000, 380_000, 200_400, 380_300)], crs="EPSG:28992")  # 12 ha
    from_polygon = assess(drawn, library).iloc[0]
    assert from_polygon["plot_area_ha"] == pytest.approx(12.0) and bool(from_polygon["plot_area_from_geometry"])
    assert from_polygon["workers_p50"] == pytest.approx(plot["workers_p50"], rel=1e-9)
    # The report shows the step from plot to floor area, with the parameter marked as an assumption.
    from planner.report import site_steps

    facts = library.ratios.loc[("logistiek", "dc")]
    table, chain = site_steps(pd.concat([plot, facts[facts.index.difference(plot.index)]]), "nl")
    text = table.to_string()
    assert "Vloeroppervlak (bvo), uit de kavel" in text and f"x {middle:.2f}".replace(".", ",") in text
    assert "aanname" in text.lower()
    assert chain["amount"] == pytest.approx(12 * 10_000 * middle) and chain["per"] == 1000


def test_announced_jobs_need_no_area_and_bad_ones_are_named(library):
    out = assess(sites(name=["Kas X"], sector=["glastuinbouw"], subtype=["glass_vegetables"], declared_jobs=["120"]),
                 library)
    assert out.loc[0, "workers_p50"] == pytest.approx(120 * _announced_share()[1], rel=0.005)
    with pytest.raises(InputError, match=r"row 0 \('DC Venlo'\), column 'floor_area_m2'.*declared_jobs"):
        assess(sites(name=["DC Venlo"], sector=["logistiek"], subtype=["dc"]), library)
    with pytest.raises(InputError, match=r"row 0, column 'declared_jobs': -5 is negative"):
        assess(sites(sector=["logistiek"], subtype=["dc"], declared_jobs=[-5]), library)
    with pytest.raises(InputError, match=r"row 1, column 'declared_jobs': 2,000,000 jobs is beyond"):
        assess(sites(sector=["logistiek"] * 2, subtype=["dc"] * 2, declared_jobs=[10, 2e6]), library)
    with pytest.raises(InputError, match=r"row 0, column 'declared_jobs': 'veel' is not a number"):
        assess(sites(sector=["logistiek"], subtype=["dc"], declared_jobs=["veel"]), library)


def test_older_subtype_keys_and_a_missing_glasshouse_subtype_still_work(library):
    out = assess(sites(sector=["glastuinbouw"] * 3, subtype=["kas", None, "pot_plants_flowers"],
                       plot_area_ha=[10.0] * 3), library)
    assert out["subtype"].tolist() == ["glass_vegetables", "glass_vegetables", "pot_plants_flowers"]
    ratio = library.ratios.loc[("glastuinbouw", "glass_vegetables"), "ratio_mu"]
    assert out.loc[0, "workers_p50"] == pytest.approx(10 * math.exp(ratio), rel=0.03)


def test_plot_area_is_computed_from_the_polygon_in_rd_new(library):
    plot = box(75_000, 444_000, 75_500, 444_400)  # 500 m x 400 m = 20 ha
    frame = gpd.GeoDataFrame({"sector": ["glastuinbouw"]}, geometry=[plot], crs="EPSG:28992")
    out = assess(frame, library)
    assert out.loc[0, "basis_amount"] == pytest.approx(20.0)
    assert bool(out.loc[0, "plot_area_from_geometry"])
    assert out.loc[0, "subtype"] == "glass_vegetables"  # the sector's default subtype
    assert out.loc[0, "workers_p50"] == pytest.approx(20 * math.exp(out.loc[0, "ratio_mu"]), rel=0.03)
    # The same plot in WGS84 gives the same area (reprojected to RD New).
    wgs = assess(frame.to_crs("EPSG:4326"), library)
    assert wgs.loc[0, "basis_amount"] == pytest.approx(20.0, rel=1e-6)


def test_a_given_plot_area_wins_over_the_geometry(library):
    frame = gpd.GeoDataFrame({"sector": ["glastuinbouw"], "plot_area_ha": [40.0]},
                             geometry=[box(0, 300_000, 100, 300_100)], crs="EPSG:28992")
    with pytest.warns(PlannerWarning, match=r"plot_area_ha 40 ha, but its polygon measures 1.0 ha"):
        out = assess(frame, library)  # used as given, and the difference said (B77)
    assert out.loc[0, "basis_amount"] == 40.0
    assert not bool(out.loc[0, "plot_area_from_geometry"])


def test_output_is_aligned_to_the_input_and_keeps_its_columns(library):
    frame = sites(sector=["metaal", "logistiek"], subtype=[None, "dc"], floor_area_m2=[10_000, 20_000],
                  own=["a", "b"])
    frame.index = pd.Index([17, 4], name="site_id")
    out = assess(frame, library)
    assert list(out.index) == [17, 4]
    assert out["own"].tolist() == ["a", "b"]
    assert out["subtype"].tolist() == ["metaal", "dc"]  # a sector with one subtype needs none


def test_declared_numbers_are_checked_against_the_range(library):
    frame = sites(sector=["logistiek"] * 4, subtype=["dc"] * 4, floor_area_m2=[50_000.0] * 4,
                  declared_migrants=[10, 150, 1_000, None], declared_beds=[0, 50, 1_000, None])
    out = assess(frame, library)
    assert out["declared_check"].tolist() == ["below_range", "within_range", "above_range", ""]
    assert out.loc[1, "beds_to_find_p50"] == pytest.approx(out.loc[1, "beds_needed_p50"] - 50)
    assert out.loc[2, "beds_to_find_p50"] == 0.0  # never below zero


def test_totals_lie_within_the_sums_of_the_sites_percentiles(library):
    frame = sites(sector=["logistiek", "voeding", "metaal"], subtype=["ecommerce_dc", "other_food", None],
                  floor_area_m2=[100_000, 20_000, 5_000])
    out = assess(frame, library)
    total = totals(out)
    for quantity in QUANTITIES:
        # The P50 of a sum lies between the smallest and the largest P50-sum the sites' own P10 and P90 allow.
        assert out[f"{quantity}_p10"].sum() <= total.loc[quantity, "p50"] <= out[f"{quantity}_p90"].sum()


def test_phasing_ramps_up_and_ends_at_the_totals(library):
    frame = sites(sector=["logistiek", "metaal"], subtype=["dc", None], floor_area_m2=[60_000, 10_000],
                  start_year=[2027, 2028], ramp_up_years=[2, None])
    out = assess(frame, library)
    per_year = phase(out, "beds_needed")
    assert per_year.index.tolist() == [2027, 2028]
    # 2027: only half of the DC, alone, so exactly half its own percentiles.
    assert per_year.loc[2027].tolist() == pytest.approx([out.loc[0, f"beds_needed_{lvl}"] / 2 for lvl in LEVELS])
    assert per_year.loc[2028].tolist() == pytest.approx(totals(out).loc["beds_needed"].tolist())
    shares = ramp_shares(pd.Series([2027.0]), pd.Series([3.0]), range(2026, 2031))
    assert shares.iloc[0].tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1, 1])


def test_phasing_without_start_year_names_the_site(library):
    out = assess(sites(name=["DC Noord"], sector=["metaal"], floor_area_m2=[1_000]), library)
    with pytest.raises(InputError, match=r"no start year for site\(s\) row 0 \('DC Noord'\)"):
        phase(out)


subtype_keys = st.sampled_from([
    ("logistiek", "dc"), ("logistiek", "ecommerce_dc"), ("logistiek", "automated_dc"), ("logistiek", "cold_store"),
    ("glastuinbouw", "kas"), ("glastuinbouw", "pot_plants_flowers"), ("open_teelt", "vollegrond"),
    ("voeding", "meat_processing"), ("voeding", "other_food"), ("metaal", "metaal"),
])


def _site(key, amount):
    """A site of ``amount`` ha of plot, or ``amount`` thousand m2 of floor (both within Limits)."""
    sector, subtype = key
    plot = sector in ("glastuinbouw", "open_teelt")
    return {"sector": sector, "subtype": subtype, "plot_area_ha" if plot else "floor_area_m2":
            amount if plot else amount * 1_000}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=subtype_keys, amount=st.floats(0.5, 900), extra=st.floats(0.0, 90), declared=st.floats(0, 5_000))
def test_ranges_are_ordered_and_more_area_never_gives_fewer_workers(library, key, amount, extra, declared):
    frame = pd.DataFrame([_site(key, amount), _site(key, amount + extra)])
    frame["declared_beds"] = declared
    out = assess(frame, library)
    for quantity in QUANTITIES:
        low, typical, high = (out[f"{quantity}_{lvl}"].to_numpy() for lvl in LEVELS)
        assert np.all(low <= typical + 1e-9) and np.all(typical <= high + 1e-9), quantity
        assert np.all(low >= 0)
        assert np.all(out[f"{quantity}_p50"].iloc[1] >= out[f"{quantity}_p50"].iloc[0] - 1e-9)
    stays = sum(out[f"beds_{s}_stay_p50"] for s in ("short", "mid", "long"))
    assert np.allclose(stays, out["beds_needed_p50"])


def test_beds_to_find_stays_ordered_when_declared_beds_are_subtracted(library):
    out = assess(sites(sector=["metaal"], floor_area_m2=[30_000], declared_beds=[10]), library)
    values = [out.loc[0, f"beds_to_find_{lvl}"] for lvl in LEVELS]
    assert values == sorted(values)


# ---- bad input ---------------------------------------------------------------------------------

def test_unknown_sector_lists_the_known_ones(library):
    with pytest.raises(InputError) as err:
        assess(sites(name=["X"], sector=["chemie"], floor_area_m2=[1_000]), library)
    assert "row 0 ('X'), column 'sector': unknown sector 'chemie'" in str(err.value)
    assert "logistiek, glastuinbouw, open_teelt, voeding, metaal" in str(err.value)


def test_unknown_or_missing_subtype_lists_the_options(library):
    with pytest.raises(InputError) as err:
        assess(sites(sector=["logistiek", "logistiek"], subtype=["magazijn", None], floor_area_m2=[1, 1]), library)
    text = str(err.value)
    assert "unknown subtype 'magazijn' for sector 'logistiek'" in text
    assert "sector 'logistiek' has several subtypes" in text
    assert "dc, ecommerce_dc, grocery_efulfilment, parcel_hub, automated_dc, cold_store" in text


def test_floor_based_site_without_floor_area_is_named(library):
    with pytest.raises(InputError, match=r"row 0 \('DC Venlo'\), column 'floor_area_m2'.*missing.*plot"):
        assess(sites(name=["DC Venlo"], sector=["logistiek"], subtype=["dc"]), library)
    # A point is no plot either.
    point = gpd.GeoDataFrame({"name": ["DC Venlo"], "sector": ["logistiek"], "subtype": ["dc"]},
                             geometry=[Point(207_000, 380_000)], crs="EPSG:28992")
    with pytest.raises(InputError, match=r"plot area needed, but the geometry is a point"):
        assess(point, library)


@pytest.mark.parametrize(("value", "message"), [
    (0, "0 m2 is not a usable area"),
    (-500, "-500 m2 is not a usable area"),
    (1e12, "beyond the plausible maximum"),
])
def test_zero_negative_and_absurd_areas_are_refused(library, value, message):
    with pytest.raises(InputError, match=message):
        assess(sites(sector=["metaal"], floor_area_m2=[value]), library)


def test_text_in_a_number_column_is_reported(library):
    with pytest.raises(InputError, match=r"row 0, column 'floor_area_m2': 'groot' is not a number"):
        assess(sites(sector=["metaal"], floor_area_m2=["groot"]), library)


def test_unknown_sectors_first_then_every_other_problem_at_once(library):
    """An unknown sector stops the check of that input (nothing else can be judged without it); once the
    sectors are known, every remaining problem of every row comes in one message."""
    frame = sites(sector=["chemie", "metaal", "metaal"], floor_area_m2=[1_000, None, -3],
                  start_year=[2027, 1850, None])
    with pytest.raises(InputError) as err:
        assess(frame, library)
    assert [(str(p.row), p.column) for p in err.value.problems] == [("row 0", "sector")]
    frame.loc[0, "sector"] = "metaal"
    with pytest.raises(InputError) as err:
        assess(frame, library)
    found = sorted((str(p.row).removeprefix("row "), p.column) for p in err.value.problems)
    assert found == [("1", "floor_area_m2"), ("1", "start_year"), ("2", "floor_area_m2")]
    assert "3 problems" in str(err.value)
    assert "-3 m2 is not a usable area" in str(err.value) and "start year 1850" in str(err.value)


def test_polygon_without_crs_is_refused_with_a_hint(library):
    frame = gpd.GeoDataFrame({"sector": ["glastuinbouw"]}, geometry=[box(75_000, 444_000, 75_500, 444_400)])
    with pytest.raises(InputError, match=r"no coordinate reference system.*look like RD New: set EPSG:28992"):
        assess(frame, library)


def test_rd_coordinates_labelled_as_degrees_are_refused(library):
    frame = gpd.GeoDataFrame({"sector": ["glastuinbouw"]}, geometry=[box(75_000, 444_000, 75_500, 444_400)],
                             crs="EPSG:4326")
    with pytest.raises(InputError, match="look like RD New metres"):
        assess(frame, library)


def test_a_point_cannot_give_a_plot_area(library):
    frame = gpd.GeoDataFrame({"sector": ["glastuinbouw"], "name": ["Kas"]}, geometry=[Point(75_000, 444_000)],
                             crs="EPSG:28992")
    with pytest.raises(InputError, match=r"row 0 \('Kas'\).*point or empty"):
        assess(frame, library)


def test_invalid_polygon_is_repaired_with_a_warning(library):
    bowtie = Polygon([(0, 0), (200, 200), (200, 0), (0, 200)])  # self-intersecting
    frame = gpd.GeoDataFrame({"sector": ["glastuinbouw"]}, geometry=[bowtie], crs="EPSG:28992")
    frame = frame.set_geometry(frame.geometry.translate(100_000, 400_000))
    with pytest.warns(PlannerWarning, match="invalid geometry repaired"):
        out = assess(frame, library)
    assert out.loc[0, "basis_amount"] == pytest.approx(2.0)  # two triangles of 1 ha each


def test_empty_input_is_refused(library):
    with pytest.raises(InputError, match="no sites"):
        assess(sites(sector=[]), library)


def test_pdf_report_shows_percentiles_the_explanation_and_missing_objects(library):
    import io

    from pypdf import PdfReader

    from planner.i18n import t
    from planner.report import build_report

    frame = gpd.GeoDataFrame({"name": ["DC", "Asperges"], "sector": ["logistiek", "open_teelt"],
                              "subtype": ["dc", None], "floor_area_m2": [40_000.0, None],
                              "plot_area_ha": [None, 30.0], "relocated_jobs": [100, None]},
                             geometry=[Point(6.1, 51.4), Point(6.0, 51.45)], crs=4326)
    out = assess(frame, library)
    for lang in ("nl", "en"):
        pdf = build_report(out, library, None, None, lang)
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
        assert t("p10", lang) in text and t("p90", lang) in text
        assert t("range_caption", lang)[:40] in text
        assert "no public reference object for open_teelt/vollegrond" in text
        assert t("workers_net", lang) in text
    total = totals(out)
    beds = f"{total.loc['beds_needed', 'p50']:,.0f}".replace(",", ".")
    assert beds in text or f"{total.loc['beds_needed', 'p50']:,.0f}" in text
