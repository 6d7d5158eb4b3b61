"""Number formatting for the interface (Dutch: 1.234; English: 1,234)."""

from __future__ import annotations

import math


def fmt(value: float, lang: str = "nl", decimals: int = 0) -> str:
    """Format a number for display, rounded half away from zero.

    >>> fmt(1853.6, "nl"), fmt(1853.6, "en"), fmt(0.35, "nl", 2)
    ('1.854', '1,854', '0,35')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text
