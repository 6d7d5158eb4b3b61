"""A synthetic housing stock for the demo and the tests, made by a seeded generator.

**Synthetic**: no row describes a real address. The ``synthetic`` column says so
in every row, and so does every screen and file that shows it. The
distributions are set against the national figures in the project's research
notes (``shared/research/domain.md``):

=====================  ==============================================  ====================================
figure                 generator                                       national figure
=====================  ==============================================  ====================================
rooms per dwelling     bedrooms = usable area / 33 m2, 2 to 6          about 3.6 (156,000 rooms / 43,000
                       (mean about 3.5)                                dwellings, Expertisecentrum Flexwonen)
persons per bedroom    1 (45%), 2 (49%), 3 (6%)                        94% of SNF bedrooms hold 1 or 2
beds per dwelling      about 5.7 occupants in regular dwellings        about 6.7 beds per dwelling (53% of
                                                                       SNF beds in 7,924 dwellings)
=====================  ==============================================  ====================================

The mix of location types, the floor areas and the places are assumptions
chosen to exercise every rule of every norm set, not estimates of the real
stock. Bedrooms are left empty for a quarter of dwellings and chalets (BAG has
no bedroom counts), and a few rows lack a gemeentecode, as registers do.
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from .paths import data_dir

SYNTHETIC_LABEL = "synthetisch / synthetic"

#: CBS 2024 code, name, a point inside the municipality (lon, lat), inhabitants
#: (CBS 2024), taken from the CBS boundaries; a test checks them against that file.
MUNICIPALITIES = [
    ("GM0303", "Dronten", 5.7224, 52.4901, 44354),
    ("GM0420", "Medemblik", 5.1305, 52.7203, 46002),
    ("GM0518", "'s-Gravenhage", 4.2824, 52.0697, 566221),
    ("GM0995", "Lelystad", 5.5206, 52.5420, 84080),
    ("GM1783", "Westland", 4.2036, 52.0009, 115941),
    ("GM1911", "Hollands Kroon", 4.9346, 52.8531, 49522),
    ("GM0757", "Boxtel", 5.3165, 51.5886, 33979),
    ("GM0772", "Eindhoven", 5.4477, 51.4510, 246417),
    ("GM0794", "Helmond", 5.6629, 51.4756, 95874),
    ("GM0796", "'s-Hertogenbosch", 5.3563, 51.7145, 160757),
    ("GM0797", "Heusden", 5.1654, 51.6840, 46026),
    ("GM0809", "Loon op Zand", 5.0476, 51.6453, 23850),
    ("GM0855", "Tilburg", 5.0659, 51.5849, 229836),
    ("GM0867", "Waalwijk", 5.0165, 51.6907, 50302),
    ("GM0889", "Beesel", 6.0735, 51.2705, 13394),
    ("GM0983", "Venlo", 6.1483, 51.3928, 103789),
    ("GM0984", "Venray", 5.9598, 51.5061, 44662),
    ("GM1507", "Horst aan de Maas", 6.0406, 51.4545, 43917),
    ("GM1894", "Peel en Maas", 5.9768, 51.3341, 45534),
    ("GM1948", "Meierijstad", 5.5177, 51.5886, 84304),
]
#: Places with many labour migrants get more locations (assumption).
HUBS = {"GM1783": 3.0, "GM0983": 3.0, "GM1507": 3.0, "GM0867": 3.0, "GM1911": 3.0}

TYPE_SHARES = {"woning": 0.60, "kamerverhuur": 0.15, "short_stay": 0.05, "recreatie": 0.12, "agrarisch": 0.08}
#: Median usable floor area (m2) and log-normal spread per type.
AREA = {"woning": (115, 0.25), "kamerverhuur": (140, 0.3), "short_stay": (1200, 0.5), "recreatie": (50, 0.2),
        "agrarisch": (200, 0.4)}
#: m2 of usable floor area per bedroom, and bounds on bedrooms, per type.
ROOMS = {"woning": (33, 2, 6), "kamerverhuur": (25, 3, 10), "short_stay": (20, 10, 150), "recreatie": (20, 2, 3),
         "agrarisch": (20, 4, 30)}
PERSONS_PER_BEDROOM = ([1, 2, 3], [0.45, 0.49, 0.06])


def synthetic_housing(n: int = 2_000, seed: int = 2024) -> gpd.GeoDataFrame:
    """A synthetic register of ``n`` locations (points in RD New), the same for the same seed."""
    rng = np.random.default_rng(seed)
    towns = pd.DataFrame(MUNICIPALITIES, columns=["gemeentecode", "gemeentenaam", "lon", "lat", "inhabitants"])
    weight = towns["inhabitants"] * towns["gemeentecode"].map(HUBS).fillna(1.0)
    town = rng.choice(len(towns), size=n, p=(weight / weight.sum()).to_numpy())
    kinds = np.array(list(TYPE_SHARES))
    kind = rng.choice(kinds, size=n, p=list(TYPE_SHARES.values()))

    median = np.array([AREA[k][0] for k in kind], dtype=float)
    sigma = np.array([AREA[k][1] for k in kind])
    area = np.round(median * np.exp(rng.normal(0.0, sigma)), 0)
    per_room, low, high = (np.array([ROOMS[k][i] for k in kind], dtype=float) for i in range(3))
    bedrooms = np.clip(np.round(area / per_room), low, high)
    persons = rng.choice(PERSONS_PER_BEDROOM[0], size=n, p=PERSONS_PER_BEDROOM[1])
    occupants = bedrooms * persons
    vacant = rng.random(n) < 0.10  # some rooms empty
    occupants = np.where(vacant, np.maximum(0, occupants - rng.integers(1, 4, size=n)), occupants)
    licensed = np.where(np.isin(kind, ["short_stay", "agrarisch"]), bedrooms * 2, np.nan)
    fills = rng.uniform(0.6, 1.05, size=n)
    occupants = np.where(np.isin(kind, ["short_stay", "agrarisch"]), np.round(licensed * fills), occupants)

    unknown_rooms = np.isin(kind, ["woning", "recreatie"]) & (rng.random(n) < 0.25)
    bedrooms = np.where(unknown_rooms, np.nan, bedrooms)
    codes = towns["gemeentecode"].to_numpy()[town].astype(object)
    codes[rng.random(n) < 0.03] = None

    centres = gpd.GeoSeries(gpd.points_from_xy(towns["lon"], towns["lat"]), crs="EPSG:4326").to_crs("EPSG:28992")
    x = centres.x.to_numpy()[town] + rng.normal(0.0, 1_200.0, size=n)
    y = centres.y.to_numpy()[town] + rng.normal(0.0, 1_200.0, size=n)
    frame = pd.DataFrame({
        "location_id": [f"SYN-{i:05d}" for i in range(1, n + 1)],
        "address": [f"Synthetisch adres {i}" for i in range(1, n + 1)],
        "type": kind,
        "floor_area_m2": area,
        "bedrooms": bedrooms,
        "occupants": occupants.astype(float),
        "licensed_beds": licensed,
        "gemeentecode": codes,
        "synthetic": SYNTHETIC_LABEL,
    })
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(np.round(x, 1), np.round(y, 1)), crs="EPSG:28992")


def national_register(n: int, boundaries: gpd.GeoDataFrame, seed: int = 2024,
                      bad_share: float = 0.001) -> pd.DataFrame:
    """A synthetic national register of ``n`` locations with ``x``/``y`` in RD New (for benchmarks).

    Points are spread evenly over the land inside ``boundaries``; types,
    areas, bedrooms and occupants follow the same assumptions as
    :func:`synthetic_housing`, drawn without a Python loop per row. A share
    ``bad_share`` of rows is deliberately unusable (no floor area, or no
    location) so the reporting of bad rows is measured too. **Synthetic**:
    the ``synthetic`` column says so.
    """
    from .regions import PointIndex

    rng = np.random.default_rng(seed)
    index = PointIndex(boundaries.geometry.to_numpy(), cell=200.0)
    xmin, ymin, xmax, ymax = boundaries.total_bounds
    xs, ys, have = [], [], 0
    while have < n:
        m = int((n - have) * 2.5) + 1000
        x = rng.uniform(xmin, xmax, m)
        y = rng.uniform(ymin, ymax, m)
        keep = index.locate(x, y) >= 0
        xs.append(x[keep])
        ys.append(y[keep])
        have += int(keep.sum())
    x = np.round(np.concatenate(xs)[:n], 1)
    y = np.round(np.concatenate(ys)[:n], 1)
    kinds = list(TYPE_SHARES)
    kind = rng.choice(len(kinds), size=n, p=list(TYPE_SHARES.values())).astype(np.int8)
    median, sigma = (np.array([AREA[k][i] for k in kinds], dtype=float)[kind] for i in range(2))
    area = np.round(median * np.exp(rng.normal(0.0, 1.0, n) * sigma), 0)
    per_room, low, high = (np.array([ROOMS[k][i] for k in kinds], dtype=float)[kind] for i in range(3))
    bedrooms = np.clip(np.round(area / per_room), low, high)
    occupants = bedrooms * rng.choice(PERSONS_PER_BEDROOM[0], size=n, p=PERSONS_PER_BEDROOM[1])
    vacant = rng.random(n) < 0.10
    occupants = np.where(vacant, np.maximum(0, occupants - rng.integers(1, 4, size=n)), occupants)
    licensed_type = np.isin(kind, [kinds.index("short_stay"), kinds.index("agrarisch")])
    licensed = np.where(licensed_type, bedrooms * 2, np.nan)
    occupants = np.where(licensed_type, np.round(licensed * rng.uniform(0.6, 1.05, n)), occupants)
    unknown_rooms = np.isin(kind, [kinds.index("woning"), kinds.index("recreatie")]) & (rng.random(n) < 0.25)
    bedrooms = np.where(unknown_rooms, np.nan, bedrooms)
    bad = rng.random(n) < bad_share
    area = np.where(bad & (rng.random(n) < 0.5), np.nan, area)
    unplaced = bad & np.isfinite(area)
    x = np.where(unplaced, np.nan, x)
    y = np.where(unplaced, np.nan, y)
    return pd.DataFrame({
        "location_id": np.arange(1, n + 1, dtype=np.int64),
        "type": pd.Categorical.from_codes(kind, categories=kinds),
        "floor_area_m2": area,
        "bedrooms": bedrooms,
        "occupants": occupants.astype(float),
        "licensed_beds": licensed,
        "synthetic": pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[SYNTHETIC_LABEL]),
        "x": x,
        "y": y,
    })


def demo_housing_path() -> Path:
    return data_dir("demo") / "woningvoorraad_synthetisch.csv"


def write_demo_housing(target: Path) -> Path:
    """The demo register as a municipality would export it: CSV with RD x/y columns."""
    stock = synthetic_housing()
    table = pd.DataFrame(stock.drop(columns="geometry"))
    table.insert(len(table.columns) - 1, "x", stock.geometry.x)
    table.insert(len(table.columns) - 1, "y", stock.geometry.y)
    target.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(target, index=False, lineterminator="\n")
    return target


def main(argv: list[str] | None = None) -> int:
    target = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "demo" / demo_housing_path().name
    print(f"wrote {write_demo_housing(target)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
