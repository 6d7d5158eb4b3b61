"""Municipal boundary layers as data: :class:`BoundaryLayer` and checks on municipal codes.

Pure: no files and no network here. Loading, downloading, importing and
caching layers is :mod:`planner.geodata`, at the edge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

from .errors import Problem
from .regions import ABROAD_CODE

#: The boundary year planner uses unless told otherwise: the year of the bundled schematic layer and region
#: table. Every function that depends on the year takes it as a parameter; this is only the default.
DEFAULT_BOUNDARY_YEAR = 2024

KIND_LABELS = {
    "schematic": {"nl": "schematische grenzen (benadering, niet exact)",
                  "en": "schematic borders (approximate, not exact)"},
    "exact": {"nl": "exacte grenzen", "en": "exact borders"},
}


@dataclass(frozen=True)
class BoundaryLayer:
    """Municipal boundaries of one year, valid and in RD New, with where they came from."""

    boundaries: gpd.GeoDataFrame = field(repr=False)
    year: int
    kind: str  # "exact" or "schematic"
    source: str

    def label(self, lang: str = "nl") -> str:
        """``"exacte grenzen 2024 (bron)"`` / ``"schematic borders ... 2024"``, for maps and reports."""
        return f"{KIND_LABELS[self.kind][lang]}, {self.year}: {self.source}"

    @property
    def codes(self) -> set[str]:
        return set(self.boundaries["gemeentecode"])

    def about(self) -> dict[str, str]:
        """Rows for a report's "about" table."""
        return {"boundaries": self.label("en"), "boundary_year": str(self.year), "boundary_kind": self.kind}


def unknown_codes(codes: Iterable[Any], layer: BoundaryLayer, column: str = "gemeentecode",
                  labels: Iterable[str] | None = None) -> list[Problem]:
    """Problems for municipal codes that do not exist in the layer's year (merged or renumbered municipalities)."""
    known = layer.codes
    codes = list(codes)
    labels = list(labels) if labels is not None else [f"row {i + 1}" for i in range(len(codes))]
    problems = []
    for label, code in zip(labels, codes, strict=True):
        if code is None or pd.isna(code) or code in known or code == ABROAD_CODE:
            continue
        if not re.fullmatch(r"GM\d{4}", str(code)):  # no code at all: the merger advice would mislead
            problems.append(Problem(f"{code} is not a municipality code", row=label, column=column,
                                    fix="write the CBS code: GM and four digits (GM0983), or 983"))
            continue
        problems.append(Problem(f"{code} is not a municipality in {layer.year}", row=label, column=column,
                                fix=f"it may have merged into another municipality: use its {layer.year} code, "
                                    "or choose the boundary year your data come from"))
    return problems


__all__ = ["DEFAULT_BOUNDARY_YEAR", "KIND_LABELS", "BoundaryLayer", "unknown_codes"]
