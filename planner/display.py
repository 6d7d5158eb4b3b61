"""Tables for display and reports, in Dutch or English (no Streamlit here)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .formatting import fmt
from .i18n import t
from .impact import LEVELS

NAME_COLUMNS = ("gemeentenaam", "corop_naam", "provincie", "region")


def sector_labels(result: pd.DataFrame, lang: str, labels: dict | None = None) -> list[str]:
    """The kind of business of each site in ``lang``: the library's label, else the sector's name and the subtype."""
    from .messages import term

    labels = labels or {}
    return [labels.get((sector, subtype)) or f"{term(sector, lang)}/{subtype}"
            for sector, subtype in zip(result["sector"], result["subtype"], strict=True)]


def range_table(result: pd.DataFrame, lang: str, labels: dict | None = None) -> pd.DataFrame:
    """Per site: P50 (P10–P90) for each quantity, and the declaration check.

    ``labels`` maps (sector, subtype) to the kind of business in ``lang``
    (the library's ``label_nl``/``label_en``); without it the sector is named
    in ``lang`` and the subtype by its code.
    """
    names = result["name"] if "name" in result.columns else result.index.astype(str)
    table = pd.DataFrame({t("col_site", lang): names.to_numpy(),
                          t("col_sector", lang): sector_labels(result, lang, labels)})
    if "declared_jobs" in result.columns and result["declared_jobs"].notna().any():  # workers from the company
        table[t("col_declared_jobs", lang)] = result["declared_jobs"].map(lambda v: fmt(v, lang)).to_numpy()
    relocated = "relocated_jobs" in result.columns and bool((result["relocated_jobs"].fillna(0) > 0).any())
    quantities = ("workers", *(("workers_net",) if relocated else ()), "migrants", "migrants_peak", "beds_needed",
                  "beds_to_find")
    for quantity in quantities:
        table[t(quantity, lang)] = [
            f"{fmt(typ, lang)} ({fmt(low, lang)}–{fmt(high, lang)})"
            for low, typ, high in zip(*(result[f"{quantity}_{lvl}"] for lvl in LEVELS), strict=True)]
    table[t("col_declared", lang)] = result["declared_migrants"].map(lambda v: fmt(v, lang)).to_numpy()
    table[t("col_check", lang)] = result["declared_check"].map(lambda v: t(v, lang) if v else "").to_numpy()
    return table


def checks_first_table(result: pd.DataFrame, lang: str, labels: dict | None = None) -> pd.DataFrame:
    """The :func:`range_table` with the company's declarations and their checks right after the site's name (in
    view without scrolling sideways), the declared beds and their check included when any site has them."""
    table = range_table(result, lang, labels)
    first = [t("col_site", lang), t("col_declared", lang), t("col_check", lang)]
    if "beds_check" in result.columns and result["declared_beds"].notna().any():
        table[t("col_declared_beds", lang)] = result["declared_beds"].map(lambda v: fmt(v, lang)).to_numpy()
        table[t("col_beds_check", lang)] = result["beds_check"].map(lambda v: t(v, lang) if v else "").to_numpy()
        first += [t("col_declared_beds", lang), t("col_beds_check", lang)]
    return table[first + [c for c in table.columns if c not in first]]


def declaration_flags(result: pd.DataFrame, lang: str) -> list[str]:
    """A sentence for every declaration outside the estimate's P10–P90 range (migrants, and beds arranged)."""
    names = [str(n) for n in (result["name"] if "name" in result.columns else result.index)]
    flags = []
    for name, row in zip(names, result.to_dict("records"), strict=True):
        if row.get("declared_check") in ("below_range", "above_range"):
            flags.append(t(f"flag_{row['declared_check']}", lang, name=name,
                           declared=fmt(row["declared_migrants"], lang), low=fmt(row["migrants_p10"], lang),
                           high=fmt(row["migrants_p90"], lang)))
        if row.get("beds_check") in ("beds_below_range", "beds_above_range"):
            flags.append(t(f"flag_{row['beds_check']}", lang, name=name,
                           declared=fmt(row["declared_beds"], lang), low=fmt(row["beds_needed_p10"], lang),
                           high=fmt(row["beds_needed_p90"], lang), to_find=fmt(row["beds_to_find_p50"], lang)))
        if isinstance(row.get("input_check"), str) and row["input_check"]:
            from .messages import message

            flags.append(f"{name}: {message(row['input_check'], lang)}")
    return flags


def region_display(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The region table with names and P50 (P10–P90) figures, largest shortfall first."""
    name = next((c for c in NAME_COLUMNS if c in table.columns), None)
    shown = table[table["demand_p50"] >= 0.5].sort_values("shortfall_p50", ascending=False)
    from .messages import term

    names = shown[name] if name else shown.index.to_series()
    out = pd.DataFrame({t("per_region", lang): [term(n, lang) for n in names]})
    for quantity in ("demand", "shortfall"):
        out[t(quantity, lang)] = [f"{fmt(typ, lang)} ({fmt(low, lang)}–{fmt(high, lang)})" for low, typ, high in
                                  zip(*(shown[f"{quantity}_{lvl}"] for lvl in LEVELS), strict=True)]
    # By position: ``out`` is numbered from 0, ``shown`` keeps the region codes (aligning by index gave empty cells).
    out[t("capacity_total", lang)] = shown["capacity"].map(lambda v: fmt(v, lang)).to_numpy()
    out[t("unmet", lang)] = shown["unmet_p50"].map(lambda v: fmt(v, lang)).to_numpy()
    return out


#: Columns whose numbers are codes or years: shown as they are (2028, not 2.028 or 2028.0).
PLAIN_NUMBER_COLUMNS = frozenset({"year", "start_year", "jaar", "opleverjaar", "ready_year", "boundary_year",
                                  "version", "line", "site", "id", "location_id", "n_objects", "ramp_up_years"})


def decimals_for(value: float, most: int = 4) -> int:
    """Decimals to show a number with: none for whole numbers and from 100 up, one from 10 up, else the fewest
    (up to ``most``) that show it exactly.

    >>> [decimals_for(v) for v in (2.0, 1853.6, 22.64, 0.35, 3.950612)]
    [0, 0, 1, 2, 4]
    """
    if value is None or pd.isna(value) or float(value).is_integer() or abs(value) >= 100:
        return 0
    if abs(value) >= 10:
        return 1
    for decimals in range(most + 1):
        if abs(round(value, decimals) - value) < 1e-9:
            return decimals
    return most


def _plain(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def format_column(values: pd.Series, lang: str, name: object = None) -> pd.Series:
    """One column as the interface shows it: numbers in the language's format, codes and model texts translated."""
    from .messages import term

    if str(name) in PLAIN_NUMBER_COLUMNS:
        return _each_distinct(values, _plain)
    if pd.api.types.is_bool_dtype(values):
        return _each_distinct(values, lambda v: term(str(bool(v)), lang))
    if pd.api.types.is_numeric_dtype(values):
        return _each_distinct(values, lambda v: fmt(v, lang, decimals_for(v)))
    return _each_distinct(values, lambda v: _text_cell(v, lang) if isinstance(v, str) else
                          (term(str(v), lang) if isinstance(v, bool) else v))


def _each_distinct(values: pd.Series, convert) -> pd.Series:
    """``convert`` applied once per distinct value (a register repeats its values: this keeps a page fast)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    missing = values[codes < 0]
    converted = [convert(v) for v in distinct] + [convert(missing.iloc[0]) if len(missing) else None]
    out = np.empty(len(converted), dtype=object)
    out[:] = converted
    return pd.Series(out[codes], index=values.index)


_DECIMAL_TEXT = re.compile(r"-?\d+\.\d+")


def _text_cell(value: str, lang: str) -> str:
    """A text cell: a decimal number written as text ("22.6") in the language's format, else translated."""
    from .messages import message, term

    if _DECIMAL_TEXT.fullmatch(value):
        number = float(value)
        return fmt(number, lang, decimals_for(number))
    return message(term(value, lang), lang)


_LABELLED = re.compile(r"(\w+) (\[.*\])")


def _heading(column: object, lang: str) -> str:
    """A column heading in ``lang``; "shortfall_p50 [Basis v1]" keeps its label in brackets."""
    from .messages import term

    match = _LABELLED.fullmatch(str(column))
    return f"{term(match.group(1), lang)} {match.group(2)}" if match else term(column, lang)


def display_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table for ``st.dataframe``: headings as labels in ``lang``, numbers as text in its format (1.234,5 in
    Dutch, 1,234.5 in English; years as 2028), codes and model messages translated. Geometry is left out."""
    from .messages import term

    table = pd.DataFrame(frame).copy()
    if "geometry" in table.columns:
        table = table.drop(columns="geometry")
    out = pd.DataFrame({number: format_column(table.iloc[:, number], lang, column)
                        for number, column in enumerate(table.columns)}, index=table.index)
    out.columns = [_heading(c, lang) for c in table.columns]
    index = table.index
    if not isinstance(index, pd.MultiIndex) and not isinstance(index, pd.RangeIndex):
        out.index = pd.Index(format_column(index.to_series(), lang, index.name).to_numpy(),
                             name=term(index.name, lang) if index.name is not None else None)
    elif isinstance(index, pd.MultiIndex):
        out.index = index.set_names([term(n, lang) if n is not None else None for n in index.names])
    return out
