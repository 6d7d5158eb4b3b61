"""Regional allocation and shortfall: hand-solvable cases, properties, and the whole chain on real boundaries."""

from __future__ import annotations

import math
import warnings
from unittest import mock

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from planner import allocation as allocation_module
from planner.allocation import (
    AllocationParameters,
    allocate,
    calibrate_beta,
    capacity_flows,
    capacity_flows_lp,
    load_allocation_parameters,
    per_year,
    pipeline_capacity,
    shortfall,
    undated_problem,
    undated_sites,
    year_totals,
)
from planner.errors import InputError, PlannerWarning
from planner.geodata import region_table
from planner.impact import LEVELS, STAY_TYPES

X0, Y0 = 150_000.0, 450_000.0  # somewhere in RD New


def case(case_id: str):
    """Mark a test as the check of a case in docs/bad-input.md (read by tests/test_bad_input.py)."""
    def register(func):
        return func
    return register


def municipalities(*centres_km: float, population=None) -> gpd.GeoDataFrame:
    """Square municipalities, 10 km wide, centred at (X0 + c km, Y0)."""
    codes = [f"GM{9000 + i:04d}" for i in range(len(centres_km))]
    geoms = [box(X0 + c * 1000 - 5000, Y0 - 5000, X0 + c * 1000 + 5000, Y0 + 5000) for c in centres_km]
    frame = gpd.GeoDataFrame({"gemeentecode": codes, "gemeentenaam": [f"M{i}" for i in range(len(codes))]},
                             geometry=geoms, crs="EPSG:28992")
    frame["aantal_inwoners"] = population if population is not None else 1000
    return frame


def sites(*at_km_and_beds: tuple[float, float], start_year=2027, ramp=1) -> gpd.GeoDataFrame:
    """Assessed-like sites: beds_to_find equal at every level, one third of each stay type."""
    rows = []
    for i, (_at, beds) in enumerate(at_km_and_beds):
        row = {"name": f"site {i + 1}", "start_year": start_year, "ramp_up_years": ramp,
               "beds_needed_p50": beds}
        row.update({f"beds_to_find_{level}": beds * factor for level, factor in zip(LEVELS, (0.5, 1, 2), strict=True)})
        row.update({f"beds_{stay}_stay_p50": beds / 3 for stay in STAY_TYPES})
        rows.append(row)
    geoms = [Point(X0 + at * 1000, Y0) for at, _ in at_km_and_beds]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:28992")


def params(**values) -> AllocationParameters:
    return AllocationParameters(**values)


# -- distance decay --------------------------------------------------------------------------------

def test_decay_calibrates_beta_to_the_mean_distance():
    """One site in A, B 20 km away, equal population: mean 5 km needs share_B = 1/4, so exp(-20 beta) = 1/3."""
    result = allocate(sites((0, 100)), municipalities(0, 20), mode="decay",
                      parameters=params(mean_distance_km=5, max_distance_km=50))
    assert result.calibration.beta == pytest.approx(math.log(3) / 20, rel=1e-8)
    assert result.calibration.achieved_km == pytest.approx(5.0, abs=1e-8)
    table = result.per_gemeente
    assert table["demand_p50"].tolist() == pytest.approx([75.0, 25.0])
    assert table["demand_p10"].tolist() == pytest.approx([37.5, 12.5])
    assert table["demand_p90"].tolist() == pytest.approx([150.0, 50.0])
    assert table["demand_short_stay_p50"].tolist() == pytest.approx([25.0, 25.0 / 3])
    assert result.flows["distance_km"].tolist() == pytest.approx([0.0, 20.0])


def test_decay_attractor_pulls_demand():
    """Population 300 vs 100 at equal distance from the site: shares 3/4 and 1/4 whatever beta is."""
    result = allocate(sites((5, 80)), municipalities(0, 10, population=[300, 100]), mode="decay",
                      parameters=params(mean_distance_km=5, max_distance_km=50))
    assert result.per_gemeente["demand_p50"].tolist() == pytest.approx([60.0, 20.0])


def test_decay_target_out_of_reach_is_said():
    """Within a 15 km maximum only A is reachable: the mean is 0 km whatever beta, and a warning says so."""
    with pytest.warns(PlannerWarning, match="cannot be reached within the maximum distance of 15 km"):
        result = allocate(sites((0, 100)), municipalities(0, 20), mode="decay",
                          parameters=params(mean_distance_km=5, max_distance_km=15))
    assert result.calibration.beta == 0.0
    assert result.per_gemeente["demand_p50"].tolist() == pytest.approx([100.0, 0.0])


def test_calibration_is_monotone_over_targets():
    distance = np.array([[0.0, 10.0, 30.0], [25.0, 5.0, 12.0]])
    attractor, demand, home = np.array([1.0, 2.0, 1.0]), np.array([10.0, 30.0]), np.array([0, 1])
    betas = [calibrate_beta(distance, attractor, demand, t, 100, home).beta for t in (6, 8, 10, 12)]
    assert betas == sorted(betas, reverse=True)


# -- capacity-constrained ------------------------------------------------------------------------

def test_capacity_mode_least_person_km_and_unmet():
    """Site 1 (100 beds) in A at 0 km, site 2 (50) in C at 35 km; B at 20 km; capacities A 60, B 70, C 10.

    Both sites need 40 more than their own municipality holds; B takes 70. Site 2 is 15 km from B,
    site 1 is 20: the least person-km gives site 2 its 40 and site 1 30, so 10 of site 1 is unmet,
    attributed to A.
    """
    capacity = pd.Series({"GM9000": 60, "GM9001": 70, "GM9002": 10})
    result = allocate(sites((0, 100), (35, 50)), municipalities(0, 20, 35), capacity, mode="capacity",
                      parameters=params(max_distance_km=25))
    table = result.per_gemeente
    assert table["demand_p50"].tolist() == pytest.approx([70.0, 70.0, 10.0])
    assert table["unmet_p50"].tolist() == pytest.approx([10.0, 0.0, 0.0])
    assert table["shortfall_p50"].tolist() == pytest.approx([10.0, 0.0, 0.0])
    assert result.sites["unmet_p50"].tolist() == pytest.approx([10.0, 0.0])
    flows = result.flows.set_index(["site", "gemeentecode"])["beds_p50"]
    assert flows.to_dict() == pytest.approx({("site 1", "GM9000"): 60, ("site 1", "GM9001"): 30,
                                             ("site 2", "GM9001"): 40, ("site 2", "GM9002"): 10})
    # High level (double demand): 200 + 100 against 140 places; 160 unmet.
    assert table["unmet_p90"].sum() == pytest.approx(160.0)
    assert table["demand_p90"].sum() == pytest.approx(300.0)


def test_capacity_mode_respects_the_maximum_distance():
    capacity = pd.Series({"GM9000": 60, "GM9001": 70, "GM9002": 10})
    result = allocate(sites((0, 100), (35, 50)), municipalities(0, 20, 35), capacity, mode="capacity",
                      parameters=params(max_distance_km=10))
    table = result.per_gemeente
    assert table["demand_p50"].tolist() == pytest.approx([100.0, 0.0, 50.0])
    assert table["shortfall_p50"].tolist() == pytest.approx([40.0, 0.0, 40.0])


def test_capacity_mode_needs_capacity():
    with pytest.raises(InputError, match="capacity mode needs the spare capacity"):
        allocate(sites((0, 10)), municipalities(0), mode="capacity")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 500), min_size=1, max_size=5), st.lists(st.floats(0, 300), min_size=1, max_size=6),
       st.integers(0, 2**31 - 1), st.floats(5, 80))
def test_capacity_flows_conserve_and_fit(demand, capacity, seed, max_distance):
    rng = np.random.default_rng(seed)
    demand, capacity = np.array(demand), np.array(capacity)
    distance = rng.uniform(0, 100, (len(demand), len(capacity)))
    flows, unmet = capacity_flows(demand, distance, capacity, max_distance)
    assert np.allclose(flows.sum(axis=1) + unmet, demand, atol=1e-6)
    assert (flows.sum(axis=0) <= capacity + 1e-6).all()
    assert (flows[distance > max_distance] == 0).all()
    # Unmet demand only where every reachable municipality is full.
    reachable = distance <= max_distance
    for i in np.flatnonzero(unmet > 1e-6):
        assert (flows.sum(axis=0)[reachable[i]] >= capacity[reachable[i]] - 1e-6).all()


def total_cost(flows: np.ndarray, unmet: np.ndarray, distance: np.ndarray) -> float:
    """Person-km plus the penalty of unmet demand: the objective both solvers minimise."""
    return float((flows * distance).sum() + allocation_module._unmet_penalty(distance) * unmet.sum())


def assert_feasible(flows, unmet, demand, distance, capacity, max_distance):
    assert (flows >= 0).all() and (unmet >= 0).all()
    assert np.allclose(flows.sum(axis=1) + unmet, demand, rtol=1e-12, atol=1e-9)
    assert (flows.sum(axis=0) <= np.clip(capacity, 0, None) * (1 + 1e-12) + 1e-12).all()
    assert (flows[distance > max_distance] == 0).all()


@st.composite
def transport_problems(draw):
    n_sites, n_mun = draw(st.integers(1, 40)), draw(st.integers(2, 15))
    amounts = st.one_of(st.just(0.0), st.floats(0.5, 400), st.integers(1, 400).map(float))
    demand = np.array(draw(st.lists(amounts, min_size=n_sites, max_size=n_sites)))
    capacity = np.array(draw(st.lists(amounts, min_size=n_mun, max_size=n_mun)))
    rng = np.random.default_rng(draw(st.integers(0, 2**31 - 1)))
    distance = rng.uniform(0, 100, (n_sites, n_mun))
    if draw(st.booleans()):  # whole km: many ties, several optimal vertices
        distance = np.round(distance / 10) * 10
    return demand, distance, capacity, draw(st.floats(5, 110))


@settings(max_examples=150, deadline=None)
@given(transport_problems(), st.booleans(), st.integers(0, 3))
def test_capacity_flows_reach_the_optimum_of_the_whole_linear_program(problem, sample, drop_rounds):
    """Column generation gives linprog's optimal cost (the flows may be another optimal vertex where there are ties).

    Small problems are also solved through the sampled start (and with few rounds that drop columns), the path
    that large problems take.
    """
    demand, distance, capacity, max_distance = problem
    with mock.patch.object(allocation_module, "_SAMPLE_ABOVE", 3 if sample else 1500), \
            mock.patch.object(allocation_module, "_DROP_ROUNDS", drop_rounds):
        flows, unmet = capacity_flows(demand, distance, capacity, max_distance)
    assert_feasible(flows, unmet, demand, distance, capacity, max_distance)
    expected = total_cost(*capacity_flows_lp(demand, distance, capacity, max_distance), distance)
    assert total_cost(flows, unmet, distance) == pytest.approx(expected, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("scale", [1.0, 0.03])
def test_capacity_flows_on_a_national_sized_problem(scale):
    """3,000 sites in towns over a Dutch-sized country, 342 municipalities: heavily oversubscribed capacity
    (as real demand is) and demand about equal to capacity (many sites split, prices everywhere)."""
    rng = np.random.default_rng(7)
    towns = rng.uniform((0, 0), (200, 300), (60, 2))
    sites = towns[rng.integers(0, len(towns), 3000)] + rng.normal(0, 5, (3000, 2))
    centres = rng.uniform((0, 0), (200, 300), (342, 2))
    distance = np.hypot(*(sites[:, None, :] - centres[None, :, :]).transpose(2, 0, 1))
    demand = rng.uniform(10, 400, 3000) * scale
    demand[rng.random(3000) < 0.02] = 0.0
    capacity = rng.integers(0, 400, 342).astype(float)
    flows, unmet = capacity_flows(demand, distance, capacity, 50.0)
    assert_feasible(flows, unmet, demand, distance, capacity, 50.0)
    reference = capacity_flows_lp(demand, distance, capacity, 50.0)
    assert total_cost(flows, unmet, distance) == pytest.approx(total_cost(*reference, distance), rel=1e-9)
    assert unmet.sum() == pytest.approx(reference[1].sum(), rel=1e-9, abs=1e-6)


# -- per year, pipeline ----------------------------------------------------------------------------

def test_shortfall_per_year_with_ramp_up_and_pipeline():
    """100 beds from 2027 over two years (50, then 100); 20 spare places, 50 more from a project in 2028."""
    layer = municipalities(0)
    assessed = sites((0, 100), start_year=2027, ramp=2)
    pipeline = pd.DataFrame({"gemeentecode": ["GM9000"], "beds": [50], "year": [2028]})
    for mode in ("decay", "capacity"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PlannerWarning)  # one municipality: the mean distance is 0 km
            result = allocate(assessed, layer, pd.Series({"GM9000": 20}), mode=mode,
                              parameters=params(mean_distance_km=1, max_distance_km=50))
        table = per_year(assessed, result, pipeline).set_index("year")
        assert table["demand"].tolist() == pytest.approx([50.0, 100.0]), mode
        assert table["capacity"].tolist() == pytest.approx([20.0, 70.0]), mode
        assert table["shortfall"].tolist() == pytest.approx([30.0, 30.0]), mode
    assert pipeline_capacity(pipeline, 2027).empty and pipeline_capacity(pipeline).to_dict() == {"GM9000": 50.0}


def _allocated(assessed, layer, spare, mode, **values):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlannerWarning)  # few municipalities: the mean distance may be out of reach
        return allocate(assessed, layer, pd.Series(spare), mode=mode,
                        parameters=params(mean_distance_km=5, max_distance_km=50, **values))


@pytest.mark.parametrize("mode", ["decay", "capacity"])
@pytest.mark.parametrize("abroad", [0.0, 0.2, 0.5])
def test_per_year_at_full_staffing_is_the_totals_whatever_share_is_placed_abroad(mode, abroad):
    """Before, the per-year figures placed every bed in the Netherlands: at 0.5 abroad they showed twice the totals."""
    layer = municipalities(0, 20, 40)
    assessed = sites((0, 300), (20, 100), (40, 50), start_year=2027, ramp=2)
    assessed["start_year"] = [2027, 2028, 2029]
    spare = {"GM9000": 40, "GM9001": 10, "GM9002": 60}
    result = _allocated(assessed, layer, spare, mode, abroad_share=abroad)
    table = per_year(assessed, result)
    final = table[table["year"] == 2030].set_index("gemeentecode")  # the last site is at full staffing in 2030
    assert table["year"].max() == 2030
    for column in ("demand", "unmet", "shortfall"):
        expected = result.per_gemeente[f"{column}_p50"]
        assert final[column].to_numpy() == pytest.approx(expected.to_numpy(), abs=1e-6), column
    assert final["demand"].sum() == pytest.approx(450 * (1 - abroad))
    yearly = year_totals(assessed, result, table)
    for level in LEVELS:  # P10 and P90 too: each is placed on its own, as in the totals
        assert yearly[f"demand_{level}"].iloc[-1] == pytest.approx(result.summary[f"demand_{level}"]), level
        assert yearly[f"shortfall_{level}"].iloc[-1] == pytest.approx(result.summary[f"shortfall_{level}"]), level
    assert (yearly["demand_p10"] <= yearly["demand_p50"]).all() and (yearly["demand_p50"] <= yearly["demand_p90"]).all()


@pytest.mark.parametrize("mode", ["decay", "capacity"])
def test_per_year_takes_a_sites_own_abroad_share(mode):
    layer = municipalities(0, 20)
    assessed = sites((0, 100), (20, 100))
    assessed["abroad_share"] = [0.4, np.nan]  # the second site takes the parameter, 0.1
    result = _allocated(assessed, layer, {"GM9000": 30, "GM9001": 30}, mode, abroad_share=0.1)
    table = per_year(assessed, result)
    assert table["demand"].sum() == pytest.approx(60 + 90)
    assert table["shortfall"].sum() == pytest.approx(result.summary["shortfall_p50"])


@case("B80")
def test_per_year_runs_to_full_staffing_and_to_the_last_pipeline_project():
    """A ramp-up of 2.5 years ends in the third year, not at 80 %; a project of 2031 counts in a year of its own."""
    layer = municipalities(0)
    assessed = sites((0, 100), start_year=2027, ramp=2.5)
    pipeline = pd.DataFrame({"gemeentecode": ["GM9000"], "beds": [50], "year": [2031]})
    for mode in ("decay", "capacity"):
        result = _allocated(assessed, layer, {"GM9000": 20}, mode)
        table = per_year(assessed, result, pipeline, base_capacity=pd.Series({"GM9000": 20.0})).set_index("year")
        assert table.index.tolist() == [2027, 2028, 2029, 2030, 2031], mode
        assert table["demand"].tolist() == pytest.approx([40, 80, 100, 100, 100]), mode
        assert table["capacity"].tolist() == pytest.approx([20, 20, 20, 20, 70]), mode
        assert table["shortfall"].iloc[-1] == pytest.approx(30), mode  # as the totals: 100 beds, 20 + 50 places


@pytest.mark.parametrize("mode", ["decay", "capacity"])
def test_a_site_without_start_year_is_left_out_of_the_years_and_named(mode):
    """Before, one site without a start year removed the per-year figures of every site, without a word."""
    layer = municipalities(0, 20)
    assessed = sites((0, 100), (20, 60), start_year=2028)
    assessed["start_year"] = [2028, np.nan]
    assessed["name"] = ["met jaar", "zonder jaar"]
    result = _allocated(assessed, layer, {"GM9000": 10, "GM9001": 10}, mode)
    table = per_year(assessed, result)
    assert table["year"].unique().tolist() == [2028]
    assert table["demand"].sum() == pytest.approx(100)  # the dated site only
    assert year_totals(assessed, result, table)["demand_p50"].tolist() == pytest.approx([100])
    assert undated_sites(assessed) == ["row 1 ('zonder jaar')"]
    note = str(undated_problem(assessed, 60.0))
    assert "no start year for 1 of 2 site(s): row 1 ('zonder jaar')" in note
    assert "leave them out" in note and "60 beds" in note and "totals" in note
    assessed["start_year"] = np.nan
    with pytest.raises(InputError, match="no site has a start year"):
        per_year(assessed, result)
    assert "there are no per-year figures" in str(undated_problem(assessed, 160.0))


# -- parameters ----------------------------------------------------------------------------------

def test_parameters_come_with_their_sources():
    loaded = load_allocation_parameters()
    assert loaded.mean_distance_km == 22.6
    table = loaded.table().set_index("parameter")
    assert table.loc["mean_distance_km", "status"] == "sourced"
    assert "CBS" in table.loc["mean_distance_km", "source"]
    assert table.loc["max_distance_km", "status"] == "assumption"
    changed = loaded.with_values(max_distance_km=30, mean_distance_km=None).table().set_index("parameter")
    assert changed.loc["max_distance_km", ["value", "status"]].tolist() == ["30", "set by user"]
    with pytest.raises(InputError, match="unknown attractor"):
        AllocationParameters(attractor="jobs")


# -- the whole chain on the real CBS 2024 municipalities -------------------------------------------

@pytest.fixture(scope="module")
def chain(shared_geodata, library):
    from planner.demo import demo_sites
    from planner.housing import check_housing, summarise_housing
    from planner.impact import assess
    from planner.regions import assign_gemeente, repair_boundaries
    from planner.synthetic import synthetic_housing

    raw = gpd.read_file(shared_geodata / "cbs_gemeenten_2024.geojson", engine="pyogrio")
    with pytest.warns(PlannerWarning):
        layer = repair_boundaries(raw)
    assessed = assess(demo_sites(), library)
    housing = synthetic_housing(2000)
    checked = check_housing(housing, "roemer")
    codes = assign_gemeente(checked, layer).fillna(checked["gemeentecode"])
    spare = summarise_housing(checked, codes.rename("gemeentecode"))["spare_capacity"]
    return layer, assessed, spare


@pytest.mark.parametrize("mode", ["decay", "capacity"])
def test_whole_chain_conserves_totals_at_every_level(chain, mode):
    from planner.impact import total_draws, totals

    layer, assessed, spare = chain
    result = allocate(assessed, layer, spare, mode=mode)
    regions = region_table()
    if mode == "decay":
        # Every draw places all the sites' demand: municipalities (and abroad, here 0) add up to the sites.
        sites_draws = total_draws(assessed)["beds_to_find"][0]
        assert np.allclose(result.draws.sum(axis=1), sites_draws, rtol=1e-9)
        site_totals = totals(assessed).loc["beds_to_find"]
        for level in LEVELS:
            assert result.summary[f"demand_{level}"] == pytest.approx(site_totals[level], rel=1e-9)
            for region_level, count in (("gemeente", 342), ("corop", 40), ("provincie", 12)):
                assert len(shortfall(result, regions, region_level)) == count
        # A region's percentile is that of the sum of its municipalities' draws.
        province = shortfall(result, regions, "provincie")
        members = np.asarray(result.per_gemeente.index.map(
            regions.set_index("gemeentecode")["provincie_code"]) == province["demand_p50"].idxmax())
        assert province["demand_p90"].max() == pytest.approx(
            np.quantile(result.draws[:, members].sum(axis=1), 0.9))
        assert result.flows["beds_p50"].sum() == pytest.approx(assessed["beds_to_find_p50"].sum(), rel=1e-9)
    else:
        for level in LEVELS:
            site_total = assessed[f"beds_to_find_{level}"].sum()
            for region_level, count in (("gemeente", 342), ("corop", 40), ("provincie", 12)):
                table = shortfall(result, regions, region_level)
                assert len(table) == count
                assert table[f"demand_{level}"].sum() == pytest.approx(site_total, rel=1e-9)
            municipal = shortfall(result, regions, "gemeente")
            assert shortfall(result, regions, "provincie")[f"shortfall_{level}"].sum() == pytest.approx(
                municipal[f"shortfall_{level}"].sum(), rel=1e-9)
    stays = sum(result.per_gemeente[f"demand_{s}_stay_p50"].sum() for s in STAY_TYPES)
    assert stays == pytest.approx(assessed["beds_to_find_p50"].sum(), rel=1e-9)
    if mode == "decay":
        assert result.calibration.achieved_km == pytest.approx(22.6, abs=0.01)
        # Demand reaches beyond the host municipalities but stays within 50 km.
        assert (result.per_gemeente["demand_p50"] > 0.5).sum() > 8
        assert result.flows["distance_km"].max() <= 50
    else:
        placed = result.per_gemeente["demand_p50"] - result.per_gemeente["unmet_p50"]
        assert (placed <= result.per_gemeente["capacity"] + 1e-6).all()


def test_demand_placed_abroad_is_kept_and_named(chain):
    from planner.impact import total_draws

    layer, assessed, spare = chain
    parameters = load_allocation_parameters().with_values(abroad_share=0.25)
    result = allocate(assessed, layer, spare, mode="decay", parameters=parameters)
    sites_draws = total_draws(assessed)["beds_to_find"][0]
    assert np.allclose(result.draws.sum(axis=1), 0.75 * sites_draws)
    assert result.summary["abroad_p50"] == pytest.approx(0.25 * np.quantile(sites_draws, 0.5))
    assert result.sites["abroad_p50"].sum() == pytest.approx(0.25 * assessed["beds_to_find_p50"].sum())
    assert "buitenland" in result.about()["abroad_share"]
    # A site's own share wins over the parameter; capacity mode keeps the total too.
    own = assessed.assign(abroad_share=[1.0] + [None] * (len(assessed) - 1))
    placed = allocate(own, layer, spare, mode="capacity")
    first = assessed.index[0]
    assert placed.sites.loc[first, "abroad_p50"] == pytest.approx(assessed.loc[first, "beds_to_find_p50"])
    assert placed.summary["demand_p50"] + placed.summary["abroad_p50"] == pytest.approx(
        assessed["beds_to_find_p50"].sum())


def test_the_conservation_guard_fires_when_demand_is_lost():
    """The guard every allocation passes through (so the sums the other tests compare cannot drift unseen)."""
    import numpy as np

    from planner.allocation import _check_conservation
    from planner.library import LEVELS

    demand = {level: np.array([10.0, 5.0]) for level in LEVELS}
    whole = {level: np.array([[6.0, 4.0], [5.0, 0.0]]) for level in LEVELS}
    none_unmet = {level: np.zeros(2) for level in LEVELS}
    _check_conservation(demand, whole, none_unmet)  # 15 placed of 15: silent
    lost = {level: np.array([[6.0, 3.0], [5.0, 0.0]]) for level in LEVELS}
    with pytest.raises(AssertionError, match="lost demand"):
        _check_conservation(demand, lost, none_unmet)
