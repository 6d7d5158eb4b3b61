"""Class breaks of a map, made once and used for both the colours and the legend (no interface code).

The app's maps (:mod:`planner.ui.maps`) and the report's map use the same
classes, so a legend always tells the colours' real bounds: a sequential
scale (YlOrRd) from zero for amounts such as a shortfall, and a diverging
scale (RdBu) for differences, where a decrease is blue, no change pale and an
increase red.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: A sequential ramp from pale yellow to dark red (ColorBrewer YlOrRd, 5 classes).
RAMP = np.array([[255, 255, 178], [254, 204, 92], [253, 141, 60], [240, 59, 32], [189, 0, 38]])
#: A diverging ramp for differences (ColorBrewer RdBu, 7 classes): blue is a decrease, the pale middle no change,
#: red an increase, so a drop never looks like a rise.
DIVERGING = np.array([[33, 102, 172], [103, 169, 207], [209, 229, 240], [247, 247, 247], [253, 219, 199],
                      [239, 138, 98], [178, 24, 43]])
NO_VALUE = [220, 222, 225]
def nice_step(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is at least ``value`` (class widths read easily).

    >>> nice_step(35.4), nice_step(0.3), nice_step(800)
    (50.0, 0.5, 1000.0)
    """
    if not value > 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(value))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if factor * power >= value * (1 - 1e-12):
            return float(factor * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


@dataclass(frozen=True)
class Classes:
    """Class breaks of a map, made once and used for both the colours and the legend.

    ``bounds`` are the class edges (one more than ``colours``): a value ``v``
    is in class ``k`` when ``bounds[k] < v <= bounds[k + 1]`` (the lowest
    class also takes its lower edge). In a diverging scale the middle class is
    "no change": ``|v| < zero``. Missing values and, in a sequential scale,
    zero are the no-data grey.
    """

    bounds: tuple[float, ...]
    colours: tuple[tuple[int, int, int], ...]
    diverging: bool = False
    zero: float = 0.5
    decimals: int = 0

    def index(self, value: float) -> int | None:
        """The class of ``value``, or None for the no-data grey."""
        if value is None or pd.isna(value):
            return None
        if self.diverging:
            middle = len(self.colours) // 2
            if abs(value) < self.zero:
                return middle
            if value < 0:
                for k in range(middle):  # the classes below zero, from the lowest
                    if value <= self.bounds[k + 1] or k == middle - 1:
                        return k
            for k in range(middle + 1, len(self.colours)):
                if value <= self.bounds[k + 1]:
                    return k
            return len(self.colours) - 1
        if value <= 0:
            return None
        for k in range(len(self.colours)):
            if value <= self.bounds[k + 1]:
                return k
        return len(self.colours) - 1

    def colour(self, value: float) -> list[int]:
        """RGBA of ``value``: its class's colour, or the no-data grey (more transparent)."""
        k = self.index(value)
        return [*NO_VALUE, 140] if k is None else [*self.colours[k], 200]

    def rows(self, lang: str) -> list[tuple[tuple[int, int, int], str]]:
        """The legend: (colour, label) per class, lowest first, then the no-data grey."""
        from .formatting import fmt
        from .i18n import t

        def number(value: float) -> str:
            return fmt(value, lang, self.decimals)

        rows = []
        for k, colour in enumerate(self.colours):
            low, high = self.bounds[k], self.bounds[k + 1]
            middle = len(self.colours) // 2
            if self.diverging and k == middle:
                label = t("legend_no_change", lang)
            elif self.diverging and k == 0:
                label = t("legend_up_to", lang, high=number(high))
            elif self.diverging and k == len(self.colours) - 1:
                label = t("legend_above", lang, low=number(low))
            elif self.diverging and k == middle - 1:
                label = t("legend_below_zero", lang, low=number(low))
            elif self.diverging and k == middle + 1:
                label = t("legend_range", lang, low=number(0), high=number(high))
            else:
                label = t("legend_range", lang, low=number(low), high=number(high))
            rows.append((colour, label))
        rows.append(((NO_VALUE[0], NO_VALUE[1], NO_VALUE[2]),
                     t("legend_no_data_diverging" if self.diverging else "legend_no_data", lang)))
        return rows


def sequential_classes(values: pd.Series | np.ndarray, classes: int = len(RAMP)) -> Classes:
    """Up to five classes of equal, round width from 0 to the maximum (YlOrRd); zero or missing is grey.

    >>> sequential_classes(pd.Series([0, 12, 177])).bounds
    (0.0, 50.0, 100.0, 150.0, 200.0)
    """
    numbers = pd.to_numeric(pd.Series(values), errors="coerce")
    top = float(numbers.max()) if numbers.notna().any() else 0.0
    step = nice_step(top / classes) if top > 0 else 1.0
    count = int(min(max(np.ceil(top / step - 1e-9), 1), classes))
    colours = RAMP[np.round(np.linspace(0, len(RAMP) - 1, count)).astype(int)] if count > 1 else RAMP[[2]]
    return Classes(tuple(float(step * k) for k in range(count + 1)),
                   _rgb(colours), decimals=_decimals(step))


def diverging_classes(values: pd.Series | np.ndarray, zero: float = 0.5) -> Classes:
    """Seven classes symmetric about zero (RdBu): three shades of blue for a decrease, pale for no change
    (``|v| < zero``), three shades of red for an increase; the outer edges reach the largest change.

    >>> diverging_classes(pd.Series([-120, 0, 40])).bounds
    (-150.0, -100.0, -50.0, -0.5, 0.5, 50.0, 100.0, 150.0)
    """
    numbers = pd.to_numeric(pd.Series(values), errors="coerce")
    reach = float(numbers.abs().max()) if numbers.notna().any() else 0.0
    step = nice_step(max(reach, zero) / 3)
    bounds = (-3 * step, -2 * step, -step, -zero, zero, step, 2 * step, 3 * step)
    return Classes(tuple(float(b) for b in bounds), _rgb(DIVERGING),
                   diverging=True, zero=zero, decimals=_decimals(step))


def _rgb(colours: np.ndarray) -> tuple[tuple[int, int, int], ...]:
    return tuple((int(row[0]), int(row[1]), int(row[2])) for row in colours)


def _decimals(step: float) -> int:
    """Decimals that show a class width exactly (1 for 0.5, 2 for 0.25, 0 for 50)."""
    for decimals in range(7):
        if abs(round(step, decimals) - step) < 1e-9 * max(step, 1.0):
            return decimals
    return 6


__all__ = ["DIVERGING", "NO_VALUE", "RAMP", "Classes", "diverging_classes", "nice_step",
           "sequential_classes"]
