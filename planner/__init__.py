"""planner: housing for labour migrants, planned before new business sites are permitted.

From sites to a regional shortfall in a notebook:

>>> import planner
>>> plan = planner.Plan(planner.load_demo_sites(), housing=planner.read_housing(planner.demo_housing_path()))
>>> plan.shortfall("corop").table.index.name
'corop_code'

Layers: the model (:mod:`planner.library`, :mod:`planner.impact`,
:mod:`planner.housing`, :mod:`planner.allocation`, :mod:`planner.regions`,
:mod:`planner.regional`) takes (Geo)DataFrames and parameters as values and
returns data aligned to its input; :class:`planner.Plan` strings it together
and reads the bundled defaults once; files, downloads and stores live at the
edges (:mod:`planner.io`, :mod:`planner.geodata`, :mod:`planner.store`,
:mod:`planner.exchange`), as do the command line (:mod:`planner.cli`), the
browser interface (``app.py``, :mod:`planner.ui`) and the report.
"""

__version__ = "0.2.0"

import os as _os

#: GDAL drivers planner never reads that reach other files, databases or the network when they open a file (a
#: VRT or a "streamed algorithm" names any local file or URL as its source; web services fetch): left out when
#: GDAL registers its drivers, which happens when pyogrio is first imported. Files that are not what their name
#: says are refused before GDAL opens them too (:func:`planner.io.check_vector_content`), whatever the import order.
GDAL_SKIPPED = ("OGR_VRT", "VRT", "GDALG", "WFS", "OAPIF", "OGCAPI", "CSW", "WMS", "WMTS", "WCS", "HTTP", "ESRIC",
                "PLScenes", "EEDA", "EEDAI", "NGW", "Elasticsearch", "AmigoCloud", "Carto", "ADBC", "PGDump", "GML",
                "OSM", "PDF", "DAAS", "STACIT", "STACTA", "VICAR", "MBTiles", "PMTiles", "XLSX", "ODS", "SQLite",
                "CSV", "GPSBabel", "AIVector", "MVT", "ESRIJSON")
_os.environ["GDAL_SKIP"] = " ".join(dict.fromkeys(_os.environ.get("GDAL_SKIP", "").split() + list(GDAL_SKIPPED)))

# The public names are loaded on first use (PEP 562), so that ``import planner.national`` does not
# also load the impact model and its statistics libraries (about a second at start-up).
_EXPORTS = {
    "load_demo_sites": "demo", "InputError": "errors", "PlannerWarning": "errors", "Problem": "errors",
    "BoundaryLayer": "geodata", "load_boundaries": "geodata", "region_table": "geodata",
    "check_housing": "housing", "summarise_housing": "housing",
    "QUANTITIES": "impact", "Limits": "impact", "assess": "impact", "phase": "impact", "totals": "impact",
    "read_housing": "io", "read_sites": "io", "write_results": "io",
    "SectorLibrary": "library", "derive_ratios": "library", "load_library": "library",
    "load_reference_objects": "library", "Plan": "plan", "RegionalResult": "regional",
    "demo_housing_path": "synthetic",
}


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'planner' has no attribute '{name}'")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


__all__ = [
    "QUANTITIES", "BoundaryLayer", "InputError", "Limits", "Plan", "PlannerWarning", "Problem", "RegionalResult",
    "SectorLibrary", "__version__", "assess", "check_housing", "demo_housing_path", "derive_ratios",
    "load_boundaries", "load_demo_sites", "load_library", "load_reference_objects", "phase", "read_housing",
    "read_sites", "region_table", "summarise_housing", "totals", "write_results",
]
