"""Tables for display and reports, in Dutch or English (no Streamlit here)."""

from __future__ import annotations

import pandas as pd

from .formatting import fmt
from .i18n import t
from .impact import LEVELS

NAME_COLUMNS = ("gemeentenaam", "corop_naam", "provincie", "region")


def range_table(result: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per site: P50 (P10–P90) for each quantity, and the declaration check."""
    names = result["name"] if "name" in result.columns else result.index.astype(str)
    table = pd.DataFrame({t("col_site", lang): names.to_numpy(),
                          t("col_sector", lang): (result["sector"] + "/" + result["subtype"]).to_numpy()})
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


def checks_first_table(result: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The :func:`range_table` with the company's declarations and their checks right after the site's name (in
    view without scrolling sideways), the declared beds and their check included when any site has them."""
    table = range_table(result, lang)
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
    return flags


def region_display(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The region table with names and P50 (P10–P90) figures, largest shortfall first."""
    name = next((c for c in NAME_COLUMNS if c in table.columns), None)
    shown = table[table["demand_p50"] >= 0.5].sort_values("shortfall_p50", ascending=False)
    out = pd.DataFrame({t("per_region", lang): shown[name] if name else shown.index})
    for quantity in ("demand", "shortfall"):
        out[t(quantity, lang)] = [f"{fmt(typ, lang)} ({fmt(low, lang)}–{fmt(high, lang)})" for low, typ, high in
                                  zip(*(shown[f"{quantity}_{lvl}"] for lvl in LEVELS), strict=True)]
    out[t("capacity_total", lang)] = shown["capacity"].map(lambda v: fmt(v, lang))
    out[t("unmet", lang)] = shown["unmet_p50"].map(lambda v: fmt(v, lang))
    return out
