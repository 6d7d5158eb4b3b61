"""Leave-one-out validation of the reference library (``make validate``).

Every reference object with an area is predicted from all the other objects:
the library without it derives its subtype's ratio (falling back to the
sector's objects when the subtype has no other object), and the impact chain
estimates a site of the object's area. The result says how often the real
number of heads lies inside the P10-P90 range, how far the P50 is from it,
and how wide the ranges are for workers and beds.

``python -m planner.validation`` writes ``docs/validation.md``; a test checks
that the file holds the numbers this code produces.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd
from scipy import stats

from .impact import Limits, _group_key, _realised_log_share, assess, group_draws, site_noise
from .library import SectorLibrary, load_library

#: Targets of issue 14.
TARGET_COVERAGE = (0.70, 0.90)
TARGET_P50_FACTOR = 1.4
TARGET_BEDS_WIDTH = 4.0


def leave_one_out(library: SectorLibrary) -> pd.DataFrame:
    """Predict every object with an area from the library without it.

    Returns one row per object: ``id``, ``sector``, ``subtype``,
    ``confidence``, ``scope``, ``real`` (the object's heads after
    conversion), ``workers_p10/p50/p90`` and ``beds_needed_p10/p50/p90`` of a
    site of the object's area, ``inside`` (real within P10-P90), ``factor``
    (P50 / real, at least 1 either way: ``max(P50/real, real/P50)``),
    ``width_workers`` and ``width_beds`` (P90 / P10) and ``fallback`` (the
    subtype had no other object, so the sector's objects were used).
    """
    converted = library.converted
    usable = converted[converted["usable"]]
    rows = []
    for obj in usable.itertuples():
        reduced = library.without([obj.id])
        key = (obj.sector, obj.subtype)
        basis = reduced.ratios.loc[key, "basis"]
        column = "floor_area_m2" if basis == "floor_area" else "plot_area_ha"
        amount = obj.basis_area * (1000.0 if basis == "floor_area" else 1.0)
        site = pd.DataFrame({"sector": [obj.sector], "subtype": [obj.subtype], column: [amount]})
        out = assess(site, reduced, limits=Limits(max_floor_area_m2=1e9, max_plot_area_ha=1e6)).iloc[0]
        real = float(obj.heads)
        p10, p50, p90 = (float(out[f"workers_{lvl}"]) for lvl in ("p10", "p50", "p90"))
        rows.append({
            "id": obj.id, "sector": obj.sector, "subtype": obj.subtype, "confidence": obj.confidence,
            "scope": obj.scope, "counted": obj.counted, "timing": obj.timing, "real": real,
            "workers_p10": p10, "workers_p50": p50, "workers_p90": p90,
            "beds_needed_p10": float(out["beds_needed_p10"]), "beds_needed_p50": float(out["beds_needed_p50"]),
            "beds_needed_p90": float(out["beds_needed_p90"]),
            "inside": bool(p10 <= real <= p90), "factor": float(max(p50 / real, real / p50)),
            "width_workers": p90 / p10, "width_beds": float(out["beds_needed_p90"] / out["beds_needed_p10"]),
            "fallback": reduced.ratios.loc[key, "ratio_status"] != "derived",
        })
    return pd.DataFrame(rows)


def width_budget(library: SectorLibrary) -> pd.DataFrame:
    """Where the P90/P10 width of a site's beds comes from, per subtype, from the simulation's own draws.

    On the log scale the beds of one site are the sum of the log ratio (its
    site-to-site part and the part shared by the subtype: the uncertainty of
    the subtype's mean), the log migrant share and the log peak factor, drawn
    independently, so their variances add. Returns per subtype the P90/P10
    width of each factor alone (``width_ratio``, ``width_migrant_share``,
    ``width_peak``) and of the beds (``width_beds``; ``width_beds_announced`` when the
    company announces its jobs), and each factor's share
    of the variance of the log beds (``share_ratio_site``,
    ``share_ratio_mean``, ``share_migrant_share``, ``share_peak``).
    """
    settings = library.settings
    records = []
    for key, row in library.ratios.iterrows():
        sector, subtype = (str(part) for part in cast(tuple, key))  # the index is (sector, subtype)
        row = row.copy()
        row["sector"], row["subtype"] = sector, subtype
        group = group_draws(row, settings.mc_draws, settings.mc_seed)
        z = site_noise(settings.mc_seed, _group_key(sector, subtype), 0, settings.mc_draws)
        log_ratio = group.log_centre + group.log_spread * z
        parts = {"ratio_mean": np.var(group.log_centre), "migrant_share": np.var(np.log(group.migrant_share)),
                 "peak": np.var(np.log(group.peak_factor))}
        parts["ratio_site"] = max(np.var(log_ratio) - parts["ratio_mean"], 0.0)
        total = sum(parts.values())

        def width(values: np.ndarray) -> float:
            low, high = np.quantile(values, [0.1, 0.9])
            return float(high / low)

        beds = np.exp(log_ratio) * group.migrant_share * group.peak_factor
        # The same site when its company announces its jobs: the realised share of them instead of the ratio.
        announced = np.exp(_realised_log_share(row, z)) * group.migrant_share * group.peak_factor
        records.append({
            "group": f"{sector}/{subtype}", "ratio_status": row["ratio_status"],
            "width_ratio": width(np.exp(log_ratio)), "width_migrant_share": width(group.migrant_share),
            "width_peak": width(group.peak_factor), "width_beds": width(beds),
            "width_beds_announced": width(announced),
            **{f"share_{name}": float(parts[name] / total) if total > 0 else 0.0
               for name in ("ratio_site", "ratio_mean", "migrant_share", "peak")},
        })
    return pd.DataFrame(records).set_index("group")


def calibration(results: pd.DataFrame) -> dict[str, object]:
    """How well the predictive ranges are calibrated, from the leave-one-out results.

    ``z`` are the log errors ``log(real / P50)`` in units of each prediction's own spread
    (``log(P90 / P10) / (2 z_0.9)``); for a calibrated model their P10 and P90 lie near -1.28
    and +1.28. ``needed_width`` is the width of the narrowest interval around P50 (symmetric on
    the log scale) that would have held 80% of the objects, and ``coverage_at`` the share of
    objects an interval of a fixed width around P50 would have held. ``by_confidence`` gives per
    confidence class the objects, the share inside P10-P90 and the mean squared log error; ``by_count``
    the same per kind of count (heads counted after opening, other realised counts, announced, target)
    with the root-mean-square log error and the P90/P10 width of a log-normal with that spread.
    """
    def log_of(values: pd.Series) -> pd.Series:
        return pd.Series(np.log(values.to_numpy(dtype=float)), index=results.index)

    log_error = log_of(results["real"] / results["workers_p50"])
    spread = log_of(results["workers_p90"] / results["workers_p10"]) / (2 * stats.norm.ppf(0.9))
    z = log_error / spread
    absolute = log_error.abs()
    by_confidence = pd.DataFrame({"inside": results["inside"], "squared": log_error**2}).groupby(
        results["confidence"]).agg(size=("inside", "size"), inside=("inside", "mean"), msle=("squared", "mean"))
    kind = np.where(results["timing"] != "realised", results["timing"],
                    np.where(results["counted"] == "heads", "realised, heads", "realised, other count"))
    by_count = {}
    for name in ("realised, heads", "realised, other count", "announced", "target"):
        errors = log_error[kind == name]
        if len(errors):
            sd = float(np.sqrt((errors**2).mean()))
            by_count[name] = (len(errors), float(results.loc[errors.index, "inside"].mean()), sd,
                              float(np.exp(2 * stats.norm.ppf(0.9) * sd)))
    return {
        "by_count": by_count,
        "z_quantiles": {q: float(z.quantile(q)) for q in (0.1, 0.25, 0.5, 0.75, 0.9)},
        "needed_width": float(np.exp(2 * absolute.quantile(0.8))),
        "coverage_at": {w: float((absolute <= np.log(w) / 2).mean()) for w in (2.0, 3.0, 4.0, 6.0, 8.0)},
        "by_confidence": {c: (int(r["size"]), float(r["inside"]), float(r["msle"]))
                          for c, r in by_confidence.iterrows()},
        "needed_width_by_sector": {s: float(np.exp(2 * a.quantile(0.8)))
                                   for s, a in absolute.groupby(results["sector"], sort=False)},
    }


def summarise(results: pd.DataFrame) -> pd.DataFrame:
    """Per subtype, per sector and overall: objects, coverage of P10-P90, median factor, median widths."""
    def block(frame: pd.DataFrame) -> dict[str, float]:
        return {"objects": len(frame), "inside_p10_p90": float(frame["inside"].mean()),
                "median_p50_factor": float(frame["factor"].median()),
                "median_width_workers": float(frame["width_workers"].median()),
                "median_width_beds": float(frame["width_beds"].median())}

    records = [{"group": f"{s}/{t}", **block(g)} for (s, t), g in results.groupby(["sector", "subtype"], sort=False)]
    records += [{"group": f"{s} (sector)", **block(g)} for s, g in results.groupby("sector", sort=False)]
    records.append({"group": "all objects", **block(results)})
    single = results[results["scope"] == "single"]
    if len(single):
        records.append({"group": "single sites only", **block(single)})
    return pd.DataFrame(records).set_index("group")


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def report(library: SectorLibrary) -> str:
    """The text of ``docs/validation.md``."""
    results = leave_one_out(library)
    summary = summarise(results)
    overall = summary.loc["all objects"]
    lines = [
        "# Leave-one-out validation of the reference library",
        "",
        "Generated by `make validate` (`python -m planner.validation`); a test checks that this file holds the",
        "numbers the code produces. Do not edit by hand.",
        "",
        f"Reference library {library.content_hash[:12]}: {len(library.objects)} objects, "
        f"{len(results)} of them with an area (the others inform only migrant shares or peaks).",
        "",
        "Each object is predicted from all the others: its subtype's ratio is derived without it (from the",
        "sector's objects when no other object of the subtype exists), and a site of the object's area is",
        "assessed with the usual Monte Carlo chain. `inside` counts objects whose real number of heads (after",
        "the conversions of `sector_ratios/README.md`) lies within the predicted P10-P90; the P50 factor is",
        "max(P50 / real, real / P50); widths are P90 / P10.",
        "",
        "## Targets (issue 14)",
        "",
        "| target | value | |",
        "|---|---|---|",
        f"| coverage of P10-P90, all objects, between 70% and 90% | {overall['inside_p10_p90']:.0%} | "
        f"{_verdict(TARGET_COVERAGE[0] <= overall['inside_p10_p90'] <= TARGET_COVERAGE[1])} |",
    ]
    for sector in ("logistiek", "glastuinbouw"):
        key = f"{sector} (sector)"
        if key in summary.index:
            value = summary.loc[key, "median_p50_factor"]
            lines.append(f"| median P50 factor, {sector}, at most x{TARGET_P50_FACTOR:g} | x{value:.2f} | "
                         f"{_verdict(value <= TARGET_P50_FACTOR)} |")
    width = overall["median_width_beds"]
    lines.append(f"| median P90/P10 width for beds, all objects, at most x{TARGET_BEDS_WIDTH:g} | "
                 f"x{width:.1f} | {_verdict(width <= TARGET_BEDS_WIDTH)} |")
    lines += ["", "## Per subtype, per sector and overall", "",
              "| group | objects | inside P10-P90 | median P50 factor | median width workers | median width beds |",
              "|---|---:|---:|---:|---:|---:|"]
    for group, row in summary.iterrows():
        lines.append(f"| {group} | {int(row['objects'])} | {row['inside_p10_p90']:.0%} | "
                     f"x{row['median_p50_factor']:.2f} | x{row['median_width_workers']:.1f} | "
                     f"x{row['median_width_beds']:.1f} |")
    lines += _calibration_lines(calibration(results), width_budget(library))
    lines += ["", "## Per object", "",
              "| id | subtype | confidence | scope | real heads | P10 | P50 | P90 | inside | P50 factor |",
              "|---|---|---|---|---:|---:|---:|---:|---|---:|"]
    for obj in results.itertuples():
        lines.append(f"| {obj.id} | {obj.sector}/{obj.subtype}{' (sector fallback)' if obj.fallback else ''} | "
                     f"{obj.confidence} | {obj.scope} | {obj.real:,.0f} | {obj.workers_p10:,.0f} | "
                     f"{obj.workers_p50:,.0f} | {obj.workers_p90:,.0f} | {'yes' if obj.inside else 'no'} | "
                     f"x{obj.factor:.2f} |")
    lines.append("")
    return "\n".join(lines)


def _calibration_lines(check: dict, budget: pd.DataFrame) -> list[str]:
    z = check["z_quantiles"]
    coverage = check["coverage_at"]
    lines = [
        "", "## Is the range calibrated?", "",
        "The log errors log(real / P50), each in units of its own predicted spread, should have their P10 and",
        "P90 near -1.28 and +1.28 if P10-P90 is a true 80% interval:",
        "",
        "| quantile of the scaled error | P10 | P25 | P50 | P75 | P90 |",
        "|---|---:|---:|---:|---:|---:|",
        "| leave-one-out | " + " | ".join(f"{z[q]:+.2f}" for q in (0.1, 0.25, 0.5, 0.75, 0.9)) + " |",
        "| calibrated normal | -1.28 | -0.67 | +0.00 | +0.67 | +1.28 |",
        "",
        "An interval around P50 that holds 80% of the objects (the 80th percentile of |log error|, a",
        f"leave-one-out conformal check that assumes no model) has to be x{check['needed_width']:.1f} wide for",
        "workers (" + ", ".join(f"{s} x{w:.1f}" for s, w in check["needed_width_by_sector"].items()) + ").",
        "Intervals of a fixed width around P50 would have held: "
        + ", ".join(f"x{w:g} {c:.0%}" for w, c in coverage.items()) + ".",
        "",
        "| confidence | objects | inside P10-P90 | mean squared log error |",
        "|---|---:|---:|---:|",
    ]
    for confidence in ("high", "medium", "low"):
        if confidence not in check["by_confidence"]:
            continue
        size, inside, msle = check["by_confidence"][confidence]
        lines.append(f"| {confidence} | {size} | {inside:.0%} | {msle:.2f} |")
    lines += [
        "",
        "By what the source counted. Heads counted after the site opened carry no conversion and no",
        "announcement, so their errors show the spread between real sites most plainly; the last column is",
        "the P90/P10 width of a log-normal with their root-mean-square log error: about the narrowest range",
        "that holds 80% of such sites around the P50, even before migrant share and peak are added for beds:",
        "",
        "| count | objects | inside P10-P90 | root-mean-square log error | width it implies |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, (size, inside, sd, implied) in check["by_count"].items():
        lines.append(f"| {name} | {size} | {inside:.0%} | {sd:.2f} | x{implied:.1f} |")
    lines += [
        "",
        "## Where the width comes from",
        "",
        "For one site of each subtype, from the simulation's own draws: the P90/P10 width of each factor alone,",
        "of the beds, and each factor's share of the variance of log(beds) (the factors are drawn independently,",
        "so on the log scale their variances add; the ratio's part is split into the spread between sites and",
        "the uncertainty of the subtype's mean). The last column is the width of the beds of the same site when",
        "its company announces its jobs (`declared_jobs`, as in the VNG questionnaire): workers are then those",
        "jobs times the realised share of announced jobs (`realised_over_announced`), and the spread between",
        "sites no longer applies.",
        "",
        "| subtype | ratio | migrant share | peak factor | beds "
        "| between sites | subtype mean | migrant share | peak | beds, jobs announced |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for group, row in budget.iterrows():
        lines.append(f"| {group}{' (assumed ratio)' if row['ratio_status'] == 'assumption' else ''} | "
                     f"x{row['width_ratio']:.1f} | x{row['width_migrant_share']:.1f} | x{row['width_peak']:.1f} | "
                     f"x{row['width_beds']:.1f} | {row['share_ratio_site']:.0%} | {row['share_ratio_mean']:.0%} | "
                     f"{row['share_migrant_share']:.0%} | {row['share_peak']:.0%} | "
                     f"x{row['width_beds_announced']:.1f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Write the report to ``docs/validation.md`` (or the path given)."""
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "docs" / "validation.md"
    text = report(load_library())
    target.write_text(text, encoding="utf-8")
    print(text.split("## Per subtype")[0])
    print(f"Wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
