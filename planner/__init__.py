"""planner: housing for labour migrants, planned before new business sites are permitted.

The model functions are pure: they take (Geo)DataFrames and parameters and
return data aligned to their input. Files live in :mod:`planner.io`, the
command line in :mod:`planner.cli`, the browser interface in ``app.py``.
"""

__version__ = "0.1.0"

from .errors import InputError, PlannerWarning, Problem
from .impact import QUANTITIES, Limits, assess, phase, totals
from .library import SectorLibrary, derive_ratios, load_library, load_reference_objects

__all__ = [
    "QUANTITIES", "InputError", "Limits", "PlannerWarning", "Problem", "SectorLibrary", "__version__",
    "assess", "derive_ratios", "load_library", "load_reference_objects", "phase", "totals",
]
