"""Where the bundled data files live.

In a source checkout (the usual ``pip install -e .``) the data folders sit at
the repository root beside ``planner/``; a wheel carries them inside the
package (see ``pyproject.toml``).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the bundled folder ``name`` (``sector_ratios``, ``geodata``, ``demo``)."""
    for candidate in (_PACKAGE.parent / name, _PACKAGE / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled data folder '{name}' not found next to {_PACKAGE}")


def sector_ratios_dir() -> Path:
    return data_dir("sector_ratios")
