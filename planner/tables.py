"""Result tables for export and display, built from model output (no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from . import __version__
from .impact import phase, totals
from .library import SectorLibrary

LIBRARY_COLUMNS = ("label_nl", "label_en", "basis", "ratio_unit", "ratio_p10", "ratio_p50", "ratio_p90",
                   "ratio_status", "n_objects", "ratio_objects", "objects_note", "ratio_source",
                   "migrant_share_p10", "migrant_share_p50",
                   "migrant_share_p90", "migrant_share_source", "peak_factor_p10", "peak_factor_p50",
                   "peak_factor_p90", "peak_factor_source", "share_short_stay", "share_mid_stay",
                   "share_long_stay", "stay_source", "employer_housed_share_p50",
                   "employer_housed_share_source", "beds_per_migrant", "beds_per_migrant_source")


def library_table(library: SectorLibrary, used: pd.DataFrame | None = None) -> pd.DataFrame:
    """Ratios and parameters with their sources, for the subtypes used (or all)."""
    table = library.ratios.loc[:, list(LIBRARY_COLUMNS)]
    if used is not None:
        keys = pd.MultiIndex.from_frame(used[["sector", "subtype"]].drop_duplicates())
        table = table.loc[table.index.intersection(keys)]
    return table.reset_index()


def about_table(source: str | None, library: SectorLibrary | None = None, **extra: object) -> pd.DataFrame:
    """What produced the results: program version, time, input, library hash and files, parameters."""
    rows: dict[str, object] = {
        "program": f"planner {__version__}",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "input": source or "",
    }
    if library is not None:
        rows["reference_library_hash"] = library.content_hash
        rows["reference_library_files"] = "; ".join(library.files)
        rows["percentiles"] = ("P10 / P50 / P90 of a Monte Carlo simulation "
                               f"({library.settings.mc_draws} draws, seed {library.settings.mc_seed}) over the ratio, "
                               "migrant share, peak factor and employer-housed share; totals are percentiles of "
                               "the sum of the draws, not sums of the sites' percentiles")
    rows.update(extra)
    return pd.DataFrame({"item": list(rows), "value": [str(v) for v in rows.values()]})


def assessment_layers(assessed: pd.DataFrame, library: SectorLibrary, source: str | None = None) -> dict:
    """All tables of an impact assessment, keyed by layer or sheet name."""
    layers: dict[str, pd.DataFrame] = {"sites": assessed, "totals": totals(assessed).reset_index()}
    if assessed["start_year"].notna().all():
        for quantity in ("migrants", "beds_needed", "beds_to_find"):
            frame = phase(assessed, quantity).add_prefix(f"{quantity}_")
            layers["phasing"] = frame if "phasing" not in layers else layers["phasing"].join(frame)
        layers["phasing"] = layers["phasing"].reset_index()
    layers["sources"] = library_table(library, assessed)
    layers["about"] = about_table(source, library)
    return layers


def norm_table(norms: dict) -> pd.DataFrame:
    """The norm sets with their sources, one row each."""
    from dataclasses import asdict

    return pd.DataFrame([asdict(n) for n in norms.values()])


def housing_layers(checked: pd.DataFrame, summary: pd.DataFrame, norms: dict, source: str | None = None,
                   **about: object) -> dict:
    """All tables of a housing check: locations, summary per area, unusable rows, norms, about."""
    from .housing import housing_totals

    total = housing_totals(summary).rename("total").to_frame().reset_index(names="figure")
    used = {checked["norm"].iloc[0], *([checked["compare_norm"].iloc[0]] if "compare_norm" in checked else [])}
    layers: dict[str, pd.DataFrame] = {
        "locations": checked,
        "summary": summary.reset_index(),
        "totals": total,
        "unusable_rows": pd.DataFrame(checked.loc[~checked["valid"].astype(bool), ["problem"]].reset_index()),
        "norms": norm_table({k: v for k, v in norms.items() if k in used}),
    }
    layers["about"] = about_table(source, **about)
    return layers


def shortfall_layers(result, library: SectorLibrary, sources: dict[str, str]) -> dict:
    """All tables of a regional shortfall: the chosen level as a map layer, municipalities, flows, years."""
    layers: dict[str, pd.DataFrame] = {
        "shortfall": result.map_layer(),
        "gemeenten": result.gemeenten.reset_index(),
        "sites": result.allocation.sites,
        "flows": result.allocation.flows,
    }
    if result.years is not None:
        layers["per_year"] = result.years
    if result.year_totals is not None:
        layers["per_year_totals"] = result.year_totals.reset_index()
    layers["parameters"] = result.allocation.parameters.table()
    if result.problems:
        layers["notes"] = pd.DataFrame({"note": [str(p) for p in result.problems]})
    about = {**{k: v for k, v in sources.items() if k != "sites"}, **result.about()}
    layers["about"] = about_table(sources.get("sites"), library, **about)
    return layers


__all__ = ["about_table", "assessment_layers", "housing_layers", "library_table", "norm_table", "shortfall_layers"]
