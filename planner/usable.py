"""How many rows of a file were used, and why the rest were not: nothing is lost without a word.

Every command and page that takes a housing register, pipeline or sites file
says how many of its rows went into the results. When fewer than half of a
register's rows are usable, the likely cause is named (columns planner did
not recognise, with the ``--map`` that fixes it, or the most common reason
rows were refused) and the command stops unless the user says to go on.
Pure functions on the checked table and the :class:`~planner.columns.Reading`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .columns import Reading, header_key
from .errors import InputError, Problem

#: Columns any of which places a housing location.
PLACE_TARGETS = ("x", "lon", "wkt", "gemeentecode", "woonplaats", "gemeentenaam")


@dataclass(frozen=True)
class RowsUsed:
    """``used`` of ``rows`` data rows of one file went into the results."""

    what: str
    source: str
    rows: int
    used: int
    #: rows the reader left out on purpose (remarks, earlier dates; the reading names them), among ``rows``
    left_out: int = 0

    @property
    def too_few(self) -> bool:
        """Fewer than half of the rows that could be used are usable (rows left out on purpose do not count)."""
        read = self.rows - self.left_out
        return read > 0 and 2 * self.used < read

    def text(self) -> str:
        return f"{self.what} {self.source}: {self.used:,} of {self.rows:,} rows used" + (
            f" ({self.left_out:,} left out as the reading says)" if self.left_out else "")


def rows_used(checked: pd.DataFrame, what: str, source: str, reading: Reading | None = None) -> RowsUsed:
    """Rows of a checked register (``valid`` column) or of a table whose every row was used; with the file's
    ``reading``, the rows its reader left out on purpose count among the file's rows."""
    used = int(checked["valid"].astype(bool).sum()) if "valid" in checked.columns else len(checked)
    left_out = reading.left_out if reading is not None else 0
    return RowsUsed(what, source, len(checked) + left_out, used, left_out)


def common_reasons(problems: pd.Series, top: int = 3) -> list[tuple[str, int]]:
    """The most frequent reasons rows were refused, with quoted cell values left out so like counts with like.

    >>> common_reasons(pd.Series(["floor_area_m2: 'x' is not a number; negative number of occupants",
    ...                           "floor_area_m2: 'y' is not a number", ""]))
    [("floor_area_m2: '…' is not a number", 2), ('negative number of occupants', 1)]
    """
    parts = problems[problems.astype(str) != ""].astype(str).str.split("; ").explode()
    parts = parts.map(lambda text: re.sub(r"'[^']*'", "'…'", text.strip())).loc[lambda s: s != ""]
    counts = parts.value_counts()
    return [(str(reason), int(count)) for reason, count in counts.head(top).items()]


def _suggestions(reading: Reading | None, has_geometry: bool) -> tuple[list[str], list[str]]:
    """What is missing, and the --map options that would fix it."""
    if reading is None:
        return [], []
    found = set(reading.recognised)
    unknown = reading.unrecognised
    missing, maps = [], []
    if "floor_area_m2" not in found:
        missing.append("no column for floor_area_m2 (usable floor area)")
        # Only a header that names an area is offered: a year of construction or an id mapped as the floor area
        # would give a capacity without a word.
        area = next((h for h in unknown if _names_an_area(h)), "Your header")
        maps.append(f'--map "{area}=floor_area_m2"')
    if not has_geometry and not (found & set(PLACE_TARGETS)):
        missing.append("no column with coordinates (x/y, lon/lat), gemeentecode or woonplaats")
        first = next((h for h in unknown if {"x", "oost", "east"} & set(header_key(h).words)), "Your X header")
        second = next((h for h in unknown if {"y", "noord", "north"} & set(header_key(h).words)), "Your Y header")
        maps.append(f'--map "{first}=x" --map "{second}=y"')
    return missing, maps


#: Words of a header that names an area (suggested as the floor area when none was recognised).
AREA_HINTS = ("opp", "oppervlak", "vloer", "m2", "area", "gbo", "woonoppervlak", "vierkante")


def _names_an_area(header: str) -> bool:
    key = header_key(header)
    found = [*key.words, *key.qualifiers]
    return any(w.startswith(AREA_HINTS) for w in found) and not any(
        w.startswith(("bouwjaar", "jaar", "perceel", "kavel", "tuin", "slaapkamer")) for w in found)


def _reasons_with_rows(problems: pd.Series, top: int = 3) -> list[str]:
    """The most frequent reasons, each as one row gave it (its value shown) with how many rows and which."""
    parts = problems[problems.astype(str) != ""].astype(str).str.split("; ").explode().str.strip()
    parts = parts[parts != ""]
    masked = parts.map(lambda text: re.sub(r"'[^']*'", "'…'", text))
    unit = "lines" if problems.index.name == "line" else "rows"
    out = []
    for reason, count in common_reasons(problems, top):
        where = masked[masked == reason]
        labels = ", ".join(str(i) for i in list(dict.fromkeys(where.index))[:5]) + (", ..." if count > 5 else "")
        out.append(f"{parts[masked == reason].iloc[0]} ({count:,} rows: {unit} {labels})")
    return out


def likely_cause(checked: pd.DataFrame, reading: Reading | None, used: RowsUsed) -> Problem:
    """Why so few rows are usable, and what to do: the :class:`Problem` that stops a run.

    Names missing columns and the headers planner did not recognise, with
    the ``--map`` that would fix them, and the most common reasons rows were
    refused.
    """
    has_geometry = reading is not None and reading.source.lower().endswith(
        (".gpkg", ".geojson", ".json", ".shp", ".zip", ".fgb", ".parquet"))
    missing, maps = _suggestions(reading, has_geometry)
    reasons = _reasons_with_rows(checked.loc[~checked["valid"].astype(bool), "problem"]) \
        if "problem" in checked.columns else []
    parts = [f"only {used.used:,} of {used.rows - used.left_out:,} rows are usable (fewer than half)"]
    if missing:
        parts.append("; ".join(missing))
    if reading is not None and reading.unrecognised:
        parts.append("columns planner did not recognise: " + ", ".join(repr(h) for h in reading.unrecognised[:8]))
    if reasons:
        parts.append("most common reasons: " + "; ".join(reasons))
    fix = (f"map the columns ({' '.join(maps)})" if maps else "correct the rows listed") + \
        ", or pass --allow-unusable to go on with the usable rows only"
    return Problem(". ".join(parts), fix=fix)


def require_usable(checked: pd.DataFrame, reading: Reading | None, used: RowsUsed, allow: bool) -> None:
    """Stop with :func:`likely_cause` when fewer than half the rows are usable, unless ``allow``."""
    if used.too_few and not allow:
        raise InputError(likely_cause(checked, reading, used), source=used.source)
