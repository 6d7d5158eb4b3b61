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

from .demo import load_demo_sites
from .errors import InputError, PlannerWarning, Problem
from .geodata import BoundaryLayer, load_boundaries, region_table
from .housing import check_housing, summarise_housing
from .impact import QUANTITIES, Limits, assess, phase, totals
from .io import read_housing, read_sites, write_results
from .library import SectorLibrary, derive_ratios, load_library, load_reference_objects
from .plan import Plan
from .regional import RegionalResult
from .synthetic import demo_housing_path

__all__ = [
    "QUANTITIES", "BoundaryLayer", "InputError", "Limits", "Plan", "PlannerWarning", "Problem", "RegionalResult",
    "SectorLibrary", "__version__", "assess", "check_housing", "demo_housing_path", "derive_ratios",
    "load_boundaries", "load_demo_sites", "load_library", "load_reference_objects", "phase", "read_housing",
    "read_sites", "region_table", "summarise_housing", "totals", "write_results",
]
