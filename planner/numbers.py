"""Reading numbers written the Dutch way or the English way.

Dutch exports write ``1.234,5`` where English ones write ``1,234.5``. A file
uses one convention throughout; :func:`parse_numbers` takes it as
``decimal=","`` or ``decimal="."``, or decides per cell when it is ``None``
(a cell with both marks takes the last one as the decimal mark; a cell with a
single comma takes it as decimal, since ``60,000`` in an English file is rare
in practice and a Dutch ``60,5`` is common).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def _normalise(text: str, decimal: str | None) -> str:
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if decimal == ",":
        if _THOUSANDS_DOT.match(text) or "," in text:
            text = text.replace(".", "")
        return text.replace(",", ".")
    if decimal == ".":
        return text.replace(",", "") if _THOUSANDS_COMMA.match(text) else text
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            return text.replace(".", "").replace(",", ".")
        return text.replace(",", "")
    return text.replace(",", ".")


def parse_numbers(values: pd.Series, decimal: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Parse a column as floats.

    Returns the numbers (NaN where empty or unreadable) and a boolean mask of
    the cells that held text which is not a number, so callers can report them.

    Examples
    --------
    >>> nums, bad = parse_numbers(pd.Series(["1.234,5", "12", "", "twaalf"]), decimal=",")
    >>> nums.tolist()[:2], bad.tolist()
    ([1234.5, 12.0], [False, False, False, True])
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype(float), pd.Series(False, index=values.index)
    text = values.astype(object).map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v))
                                     else str(v))
    blank = text.isna() | (text.str.strip() == "")
    cleaned = text.where(blank, text.map(lambda v: _normalise(v, decimal), na_action="ignore"))
    numbers = pd.to_numeric(cleaned.where(~blank), errors="coerce").astype(float)
    numbers[~np.isfinite(numbers)] = np.nan
    bad = numbers.isna() & ~blank
    return numbers, bad
