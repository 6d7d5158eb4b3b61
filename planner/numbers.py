"""One reader for numbers written the Dutch way, the English way, or with units.

Dutch exports write ``1.234,5`` where English ones write ``1,234.5``, and a
file rarely says which. This module decides **per column, from all its
values**, never per cell:

* a cell that can only be one way decides the column: ``3,5`` and ``1.234,5``
  are Dutch (decimal comma), ``3.5`` and ``1,234.5`` are English;
* cells that could be either (``80.000``, ``12,000``: one to three digits, a
  mark, exactly three digits) follow the column: with no deciding cell, a
  column whose marks are all of this kind uses them as thousands separators
  (``80.000`` and ``1.250`` together are 80,000 and 1,250);
* a cell that the column's other cells contradict (``12,000`` beside ``3,5``:
  12 or 12,000?) is *ambiguous*: it is reported with the fix, never guessed.

Spaces (also non-breaking) inside numbers and the unit suffixes ``m2``,
``m²``, ``ha``, ``m`` and ``km``, and the count words ``pers.``, ``personen``,
``bedden``, ``kamers``, ``plaatsen``, ``stuks`` (and their like) after a
number, are dropped. Numbers that are already
numbers (Excel number cells, typed columns) are taken as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Unit suffixes stripped from a number cell (compared in lower case).
_UNIT = re.compile(r"\s*((?:m2|m²|m\^2)(?:\s*(?:gbo|bvo|vvo))?|gbo|bvo|ha|hectare|km|m|pers|personen|persoon|bewoners|"
                   r"bedden|bed|slaapplaatsen|plaatsen|slaapkamers|slaapkamer|slpk|slk|kamers|kamer|stuks|st|p|pp|"
                   r"p\.p)\.?\s*$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")

# Cell shapes (after spaces and units are removed).
_INTEGER = re.compile(r"^[+-]?\d+$")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_AMBIGUOUS_DOT = re.compile(r"^[+-]?[1-9]\d{0,2}\.\d{3}$")
_AMBIGUOUS_COMMA = re.compile(r"^[+-]?[1-9]\d{0,2},\d{3}$")
_DUTCH = re.compile(r"^[+-]?(\d*,\d+|[1-9]\d{0,2}(\.\d{3})+,\d*|[1-9]\d{0,2}(\.\d{3}){2,})$")
_ENGLISH = re.compile(r"^[+-]?(\d*\.\d+|[1-9]\d{0,2}(,\d{3})+\.\d*|[1-9]\d{0,2}(,\d{3}){2,})$")

DUTCH, ENGLISH, PLAIN, MIXED = "dutch", "english", "plain", "mixed"

CONVENTION_TEXT = {
    DUTCH: "Dutch notation (decimal comma, thousands dot)",
    ENGLISH: "English notation (decimal point, thousands comma)",
    PLAIN: "plain numbers",
    MIXED: "Dutch and English notation mixed",
}


def clean_cell(text: str) -> str:
    """A number cell without spaces and unit suffix: ``"80.000 m²"`` -> ``"80.000"``."""
    return _SPACES.sub("", _UNIT.sub("", text.strip()))


def cell_kind(text: str) -> str:
    """What a cleaned cell says about its column's notation.

    One of ``"integer"``, ``"scientific"``, ``"dutch"``, ``"english"``,
    ``"ambiguous_dot"``, ``"ambiguous_comma"`` or ``"bad"``.

    Examples
    --------
    >>> [cell_kind(c) for c in ["12", "3,5", "1.234,5", "3.5", "80.000", "12,000", "0.250", "twaalf"]]
    ['integer', 'dutch', 'dutch', 'english', 'ambiguous_dot', 'ambiguous_comma', 'english', 'bad']
    """
    if _INTEGER.match(text):
        return "integer"
    if _SCIENTIFIC.match(text):
        return "scientific"
    if _AMBIGUOUS_DOT.match(text):
        return "ambiguous_dot"
    if _AMBIGUOUS_COMMA.match(text):
        return "ambiguous_comma"
    if _DUTCH.match(text):
        return "dutch"
    if _ENGLISH.match(text):
        return "english"
    return "bad"


def _as_dutch(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def _as_english(text: str) -> float:
    return float(text.replace(",", ""))


@dataclass(frozen=True)
class NumberColumn:
    """A column read as numbers, with what could not be read and why.

    ``values`` holds floats (NaN where empty, not a number or ambiguous);
    ``bad`` marks cells with text that is not a number; ``ambiguous`` marks
    cells that the rest of the column leaves open (two readings), with both
    readings in ``readings``. ``convention`` is one of ``dutch``,
    ``english``, ``plain`` or ``mixed``; ``note`` says how it was decided.
    """

    values: pd.Series
    bad: pd.Series
    ambiguous: pd.Series
    convention: str
    note: str
    readings: dict
    #: Cells that say there is no value (``onbekend``, ``-``, ``n.v.t.``): read as empty (with ``words=True``).
    no_value: pd.Series | None = None
    #: Cells written as an approximation (``ca. 50``): read as their number (with ``words=True``).
    approximate: pd.Series | None = None

    def problems(self, raw: pd.Series, column: str, labels: pd.Series | None = None) -> list:
        """One :class:`~planner.errors.Problem` per unreadable or ambiguous cell, with the fix."""
        from .errors import Problem

        labels = labels if labels is not None else pd.Series(
            [f"{raw.index.name or 'row'} {i}" for i in raw.index], index=raw.index)
        out = [Problem(f"'{raw[i]}' is not a number", labels[i], column, "write a plain number")
               for i in raw.index[self.bad.to_numpy()]]
        out += [Problem(ambiguity_message(raw[i], *self.readings[i], self.note), labels[i], column,
                        ambiguity_fix(*self.readings[i]))
                for i in raw.index[self.ambiguous.to_numpy()]]
        return out


def ambiguity_message(cell: object, first: float, second: float, why: str) -> str:
    """Why a cell is not read: it has two readings."""
    return f"'{cell}' can be read as {first:,.10g} or as {second:,.10g} ({why})"


def ambiguity_fix(first: float, second: float) -> str:
    return (f"write the number without a thousands separator (e.g. {max(first, second):.10g}) or with the same "
            "decimal mark as the rest of the column")


def _decide(kinds: pd.Series, decimal: str | None, thousands: bool) -> tuple[str, str, dict[str, str | None]]:
    """The column's notation, the reason, and how each kind of cell is read under it.

    The policy maps a cell kind to ``"dutch"``, ``"english"`` or ``None``
    (ambiguous: reported, not read).
    """
    counts = kinds.value_counts()
    dutch, english = counts.get("dutch", 0), counts.get("english", 0)
    amb_dot, amb_comma = counts.get("ambiguous_dot", 0), counts.get("ambiguous_comma", 0)
    if decimal in (",", "."):
        way = DUTCH if decimal == "," else ENGLISH
        return way, "set for this file", {"dutch": way, "english": way, "ambiguous_dot": way, "ambiguous_comma": way}
    if dutch and english:
        major = DUTCH if dutch >= english else ENGLISH
        policy = {major: major, "ambiguous_dot": None, "ambiguous_comma": None}
        return MIXED, f"the column mixes Dutch ({dutch}) and English ({english}) decimals", policy
    # In degrees (thousands=False) a mark followed by three digits is a decimal mark like the others.
    if dutch:
        return DUTCH, "decimal commas in the column", {"dutch": DUTCH, "ambiguous_dot": DUTCH,
                                                       "ambiguous_comma": None if thousands else DUTCH}
    if english:
        return ENGLISH, "decimal points in the column", {"english": ENGLISH, "ambiguous_comma": ENGLISH,
                                                         "ambiguous_dot": None if thousands else ENGLISH}
    if amb_dot and amb_comma:
        return MIXED, "the column holds both 1.000- and 1,000-style numbers", {}
    if amb_dot:
        way = DUTCH if thousands else ENGLISH
        why = "every dot is followed by three digits: thousands dots" if thousands else "decimal points (degrees)"
        return way, why, {"ambiguous_dot": way}
    if amb_comma:
        way = ENGLISH if thousands else DUTCH
        why = "every comma is followed by three digits: thousands commas" if thousands else "decimal commas (degrees)"
        return way, why, {"ambiguous_comma": way}
    return PLAIN, "plain numbers", {}


#: Cells that say a value is not known or does not apply, as registers write them (compared in lower case, without
#: spaces at the ends). Read as empty: the same as a blank cell, never as zero.
NO_VALUE_WORDS = frozenset({"onbekend", "niet bekend", "nog niet bekend", "nog onbekend", "unknown", "n.v.t.",
                            "n.v.t", "nvt", "n.b.", "n.b", "nb", "n/a", "na", "-", "--", "---", "–", "—", "?", "??",
                            "???", "geen opgave", "nader te bepalen", "ntb", "n.t.b.", "volgt", "tbd", "leeg",
                            "niet van toepassing", "not applicable", "#n/a", "#n/b", "n.n.b.", "n.n.b", "nnb"})
#: An approximation in front of a number: ``ca. 50``, ``circa 50``, ``± 50``, ``~50``, ``ongeveer 50``.
_APPROX = re.compile(r"^(ca\.?|c\.a\.|circa|ongeveer|ong\.|ruim|bijna|±|\+/-|\+-|~|≈|approx\.?|about|around)\s*",
                     re.IGNORECASE)


#: A remark after a number, in brackets (``6 (BRP)``, ``12 personen (SNF)``), or an upper bound in front of it
#: (``max. 8``): the number is what the cell gives.
_REMARK = re.compile(r"\s*\([^()]*\)\s*$")
_MAXIMUM = re.compile(r"^(max\.?|maximaal|maximum|hooguit|hoogstens|up to)\s*", re.IGNORECASE)
#: A footnote mark after a number (``6*``, ``120¹``): the number is what the cell gives.
_MARK = re.compile(r"\s*[*¹²³⁴⁵⁶⁷⁸⁹⁰†‡]+\s*$")
#: A range of numbers in one cell (``4-6``, ``38 à 40``, ``2 tot 4``): not one number, never guessed.
_RANGE = re.compile(r"^\s*\d+([.,]\d+)?\s*(-|–|—|à|a|tot|t/m|tm|to|of)\s*\d+([.,]\d+)?\s*[^\d\s]*\s*$",
                    re.IGNORECASE)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( 00:00:00)?$")


def why_not_a_number(value: object) -> str:
    """How to say that a cell is not a number: plainly, or as a range or a date (a range such as ``4-6`` that a
    spreadsheet turned into a date).

    >>> why_not_a_number("4-6"), why_not_a_number("twaalf")
    ('is a range, not one number (give one number)', 'is not a number')
    """
    text = str(value).strip()
    if _DATE.match(text) or hasattr(value, "isoformat"):
        return "is a date, not a number (a range such as 4-6 that the spreadsheet made into a date? give one number)"
    if _RANGE.match(text):
        return "is a range, not one number (give one number)"
    return "is not a number"


def _cells(cells: np.ndarray, words: bool) -> tuple[np.ndarray, list[int], list[str], np.ndarray, np.ndarray]:
    """Number cells taken as they are, and the text cells cleaned for reading (see :func:`read_numbers`)."""
    numbers = np.full(len(cells), np.nan)
    positions: list[int] = []
    texts: list[str] = []
    no_value = np.zeros(len(cells), dtype=bool)
    approximate = np.zeros(len(cells), dtype=bool)
    for position, cell in enumerate(cells):
        if cell is None or isinstance(cell, bool):
            continue
        if isinstance(cell, int | float | np.integer | np.floating):
            numbers[position] = float(cell)  # an Excel number cell: exact
            continue
        text = str(cell).strip()
        if words and text.lower() in NO_VALUE_WORDS:
            no_value[position] = True
            continue
        if words and (match := _APPROX.match(text)) and match.end() < len(text):
            text = text[match.end():]
            approximate[position] = True
        if words:
            bare = _MAXIMUM.sub("", _REMARK.sub("", _MARK.sub("", text)), count=1)
            if bare != text and bare and cell_kind(clean_cell(bare)) != "bad":
                text = bare
                approximate[position] = True
        if text:
            positions.append(position)
            texts.append(clean_cell(text))
    return numbers, positions, texts, no_value, approximate


def read_numbers(values: pd.Series, decimal: str | None = None, *, thousands: bool = True,
                 words: bool = False) -> NumberColumn:
    """Read a column as numbers, deciding its notation from all its values.

    Parameters
    ----------
    values
        Cells as read from a file: text, numbers (Excel number cells) or a mix.
    decimal
        ``","`` or ``"."`` when the notation is known for certain; ``None``
        (the default) decides from the column.
    thousands
        Whether ``80.000`` may be a thousands separator (False for coordinates
        in degrees, where ``5.123`` is a decimal).
    words
        Read what people write in a register's cells: a word for "no value"
        (:data:`NO_VALUE_WORDS`) as an empty cell, and an approximation
        (``ca. 50``, ``± 50``, ``ruim 50``) as its number; both are marked in
        ``no_value`` and ``approximate`` so the reader can say so.

    Examples
    --------
    >>> read_numbers(pd.Series(["80.000", "1.250", ""])).values.tolist()
    [80000.0, 1250.0, nan]
    >>> column = read_numbers(pd.Series(["12,000", "3,5"]))
    >>> column.values.tolist(), column.ambiguous.tolist()
    ([nan, 3.5], [True, False])
    >>> read_numbers(pd.Series(["12 m²", "1.234,5 m2", "7"])).values.tolist()
    [12.0, 1234.5, 7.0]
    """
    index = values.index
    if pd.api.types.is_bool_dtype(values):
        values = values.astype(object)
    if pd.api.types.is_numeric_dtype(values):
        array = values.to_numpy(dtype=float, na_value=np.nan, copy=True)
        array[~np.isfinite(array)] = np.nan
        false = pd.Series(np.zeros(len(array), dtype=bool), index=index)
        return NumberColumn(pd.Series(array, index=index, name=values.name), false, false.copy(), PLAIN,
                            "typed numbers", {})
    cells = values.astype(object).to_numpy()
    numbers, positions, texts, no_value, approximate = _cells(cells, words)
    kinds = pd.Series([cell_kind(t) for t in texts], dtype=object)
    convention, note, policy = _decide(kinds, decimal, thousands)
    bad = np.zeros(len(cells), dtype=bool)
    ambiguous = np.zeros(len(cells), dtype=bool)
    readings: dict = {}
    for position, text, kind in zip(positions, texts, kinds, strict=True):
        if kind == "bad":
            bad[position] = True
        elif kind in ("integer", "scientific"):
            numbers[position] = float(text)
        elif policy.get(kind) == DUTCH:
            numbers[position] = _as_dutch(text)
        elif policy.get(kind) == ENGLISH:
            numbers[position] = _as_english(text)
        else:
            ambiguous[position] = True
            readings[index[position]] = (_as_dutch(text), _as_english(text))
    with np.errstate(invalid="ignore"):
        bad |= ~np.isfinite(numbers) & ~np.isnan(numbers)
    numbers[~np.isfinite(numbers)] = np.nan
    approximate &= ~bad & ~ambiguous
    return NumberColumn(pd.Series(numbers, index=index, dtype=float), pd.Series(bad, index=index),
                        pd.Series(ambiguous, index=index), convention, note, readings,
                        pd.Series(no_value, index=index), pd.Series(approximate, index=index))


def parse_numbers(values: pd.Series, decimal: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Parse a column as floats (see :func:`read_numbers`).

    Returns the numbers (NaN where empty or unreadable) and a boolean mask of
    the cells that are not usable numbers: text that is not a number, and
    ambiguous cells.

    Examples
    --------
    >>> nums, bad = parse_numbers(pd.Series(["1.234,5", "12", "", "twaalf"]))
    >>> nums.tolist()[:2], bad.tolist()
    ([1234.5, 12.0], [False, False, False, True])
    """
    column = read_numbers(values, decimal)
    return column.values, column.bad | column.ambiguous
