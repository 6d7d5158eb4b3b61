"""Built-in demo data: invented example sites at real Dutch places.

Every demo site is an invented example, not a real plan: its name starts with
"Voorbeeld" and its ``example`` column says so. The sites sit at places where
such businesses are common (logistics near Venlo and Waalwijk, glasshouses in
Westland and the Wieringermeer, a meat plant in Brabant) so that the regional
figures look like a real case.

``python -m planner.demo`` writes ``demo/sites.geojson``; a test checks the
shipped file against this generator.
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from .paths import data_dir

EXAMPLE_LABEL = "verzonnen voorbeeld / invented example"

#: name, sector, subtype, lon, lat, width x depth of the plot (m), floor area
#: (m2), plot area (ha, empty: from the polygon), start year, ramp-up years,
#: declared migrants, declared beds.
_SITES = [
    ("Voorbeeld: DC Trade Port Noord, Venlo", "logistiek", "dc", 6.135, 51.405, 400, 250, 80_000, None,
     2027, 2, 250, None),
    ("Voorbeeld: e-commerce DC, Waalwijk", "logistiek", "ecommerce_dc", 5.050, 51.700, 500, 300, 120_000, None,
     2027, 1, None, 150),
    ("Voorbeeld: geautomatiseerd DC, Lelystad", "logistiek", "automated_dc", 5.420, 52.480, 450, 300, 90_000,
     None, 2029, 1, None, None),
    ("Voorbeeld: kassen Honselersdijk, Westland", "glastuinbouw", "kas", 4.235, 51.985, 500, 400, None, None,
     2028, 1, None, None),
    ("Voorbeeld: uitbreiding Agriport A7, Wieringermeer", "glastuinbouw", "kas", 5.020, 52.820, 800, 500, None,
     40, 2028, 2, 300, 120),
    ("Voorbeeld: vleesverwerker, Boxtel", "voeding", "meat_processing", 5.315, 51.600, 250, 200, 25_000, None,
     2027, 1, 400, None),
    ("Voorbeeld: aspergeteelt, Horst aan de Maas", "open_teelt", "vollegrond", 6.040, 51.460, 1000, 600, None,
     None, 2027, 1, None, None),
    ("Voorbeeld: metaalbedrijf, Helmond", "metaal", "metaal", 5.690, 51.460, 300, 200, 30_000, None,
     2028, 1, None, None),
]


def demo_sites() -> gpd.GeoDataFrame:
    """The demo sites as plot polygons in WGS84 (EPSG:4326), one row per site."""
    centres = gpd.GeoSeries(gpd.points_from_xy([s[3] for s in _SITES], [s[4] for s in _SITES]),
                            crs="EPSG:4326").to_crs("EPSG:28992")
    plots = [box(p.x - w / 2, p.y - d / 2, p.x + w / 2, p.y + d / 2)
             for p, s in zip(centres, _SITES, strict=True) for w, d in [(s[5], s[6])]]
    frame = pd.DataFrame({
        "name": [s[0] for s in _SITES],
        "sector": [s[1] for s in _SITES],
        "subtype": [s[2] for s in _SITES],
        "floor_area_m2": pd.array([s[7] for s in _SITES], dtype="Float64"),
        "plot_area_ha": pd.array([s[8] for s in _SITES], dtype="Float64"),
        "start_year": [s[9] for s in _SITES],
        "ramp_up_years": [s[10] for s in _SITES],
        "declared_migrants": pd.array([s[11] for s in _SITES], dtype="Float64"),
        "declared_beds": pd.array([s[12] for s in _SITES], dtype="Float64"),
        "example": EXAMPLE_LABEL,
    })
    return gpd.GeoDataFrame(frame, geometry=plots, crs="EPSG:28992").to_crs("EPSG:4326")


def demo_sites_path() -> Path:
    return data_dir("demo") / "sites.geojson"


def load_demo_sites() -> gpd.GeoDataFrame:
    """The shipped demo file, read as a user's file would be."""
    from .io import read_sites

    return read_sites(demo_sites_path())


def main(argv: list[str] | None = None) -> int:
    target = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "demo" / "sites.geojson"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    demo_sites().to_file(target, driver="GeoJSON", engine="pyogrio", COORDINATE_PRECISION=7)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
