"""Capacity allocation: column generation (``capacity_flows``) against the whole LP (``capacity_flows_lp``).

Sites spread over the Netherlands like the benchmark register (seeded), the
342 municipalities of 2024 (real CBS borders when ../shared/geodata has
them), demand 10-400 beds per site, spare capacity 0-400 places per
municipality, maximum distance 50 km. Two demand regimes: as drawn (demand
about 30 times the capacity, as real demand is) and scaled down to about the
capacity (the hardest for column generation: prices almost everywhere).
Both solvers run in the same process, one after the other, on the same
problem; the optimal costs are compared.

    PYTHONPATH=. python benchmarks/allocation_solver.py 1000 5000 10000
"""

from __future__ import annotations

import platform
import sys
import time

import geopandas as gpd
import numpy as np

from planner.allocation import _unmet_penalty, capacity_flows, capacity_flows_lp, distance_matrix
from planner.synthetic import national_register

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
from bench import boundaries


def main(sizes: list[int]) -> None:
    loaded = boundaries()
    layer = loaded.boundaries
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"numpy {np.__version__}, {len(layer)} municipalities ({loaded.kind} borders)")
    for n in sizes:
        places = national_register(n, layer, seed=3, bad_share=0)
        sites = gpd.GeoDataFrame(geometry=gpd.points_from_xy(places["x"], places["y"]), crs="EPSG:28992")
        distance = distance_matrix(sites, layer)
        rng = np.random.default_rng(n)
        drawn = rng.uniform(10, 400, n)
        capacity = rng.integers(0, 400, len(layer)).astype(float)
        for regime, demand in (("30x capacity", drawn), ("about capacity", drawn * capacity.sum() / drawn.sum())):
            cost, seconds = {}, {}
            for name, solve in (("lp", capacity_flows_lp), ("colgen", capacity_flows)):
                started = time.perf_counter()
                flows, unmet = solve(demand, distance, capacity, 50.0)
                seconds[name] = time.perf_counter() - started
                cost[name] = (flows * distance).sum() + _unmet_penalty(distance) * unmet.sum()
            print(f"{n:>6,} sites, demand {regime:<14}: whole LP {seconds['lp']:6.2f} s, column generation "
                  f"{seconds['colgen']:5.2f} s, cost difference {abs(cost['colgen'] / cost['lp'] - 1):.1e}",
                  flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000, 10000])
