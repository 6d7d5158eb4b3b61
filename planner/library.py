"""The sector reference library: reference objects, sector parameters, ratios.

The VNG method sets the workers of reference companies against their floor
area (m2) or glass area (ha). This module reads those reference objects and the
sector parameters from data files (``sector_ratios/``), checks them, converts
every object to one basis and derives per sector and subtype a *predictive
distribution* of the worker ratio, together with the migrant share, seasonal
peak factor, employer-housed share and stay-type split. Each derived figure
carries the ids of the objects or the parameter rows it came from.

Conversion (:func:`convert_objects`)
    Every object becomes *heads per 1,000 m2 of gross floor area (bvo)* or
    *heads per ha of glass*. What was counted is turned into heads
    (``fte`` x ``fte_to_heads``; ``present_daily`` x ``present_to_heads``;
    ``jobs`` x ``jobs_to_heads``; ``migrants_heads`` / the subtype's migrant
    share); announced or target figures are multiplied by
    ``realised_over_announced``; a building footprint becomes bvo by its number
    of levels (or ``footprint_to_bvo`` when the levels are unknown), a plot by
    ``plot_to_bvo`` or ``plot_to_glass``. Every factor is a row of
    ``sector_parameters.csv`` with its status and source.

Fit (:func:`derive_ratios`)
    The log ratios of a subtype's objects, weighted by confidence
    (``weight_high``, ``weight_medium``, ``weight_low``), give a weighted mean
    ``m`` and an effective number of objects ``n_eff``. The spread between
    sites ``s`` comes from single sites only (an aggregate, an average over
    several sites, lies closer to the mean than one site does; aggregates
    count for the mean) and is pooled over the subtypes of the sector (one-way
    analysis of variance: each subtype contributes the squared deviations of
    its single sites around their mean, with ``n_eff - 1`` degrees of
    freedom); when the sector has
    fewer than ``min_pooled_df`` degrees of freedom, over every subtype with
    the same basis. A conjugate prior adds ``prior_df`` pseudo-degrees of
    freedom at a spread of ``prior_log_sd`` (so one or two objects do not
    claim a spread of nearly zero). The ratio of a new site then has the
    predictive distribution ``log r = m + t_df * s * sqrt(1 + 1/n_eff)``. A subtype with
    no object of its own takes the sector's objects (mean and total spread of
    all of them) and says so; a sector with no object at all falls back to
    the ``ratio`` row of the parameters, which must be marked ``assumption``.

Levels
    ``p10``, ``p50`` and ``p90`` are the 10th, 50th and 90th percentiles of a
    distribution. Parameter rows give ``low``, ``value`` and ``high``; they
    are read as P10, P50 and P90 of that parameter's uncertainty.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from .errors import InputError, Problem
from .numbers import read_numbers
from .paths import sector_ratios_dir

BASES = ("floor_area", "plot_area")
"""Bases a subtype's ratio can rest on."""

#: Amount of the basis that one ratio refers to: heads per 1,000 m2 of gross
#: floor area (bvo), or heads per hectare of glass.
RATIO_PER = {"floor_area": 1000.0, "plot_area": 1.0}
RATIO_UNIT = {"floor_area": "heads per 1,000 m2 gross floor area (bvo)", "plot_area": "heads per ha of glass"}

STAY_TYPES = ("short", "mid", "long")
#: The percentiles every estimate is given at.
LEVELS = ("p10", "p50", "p90")
QUANTILES = {"p10": 0.10, "p50": 0.50, "p90": 0.90}
CENTRAL = "p50"
PARAMETER_STATUSES = ("sourced", "derived", "assumption")

AREA_KINDS = ("bvo", "footprint", "plot", "glass")
COUNTED = ("heads", "fte", "present_daily", "jobs", "migrants_heads")
TIMINGS = ("announced", "target", "realised")
CONFIDENCES = ("high", "medium", "low")
SCOPES = ("single", "aggregate")

REFERENCE_COLUMNS = (
    "id", "sector", "subtype", "name", "place", "country", "year", "basis", "area_kind", "levels", "amount", "unit",
    "counted", "timing", "workers_low", "workers_high", "peak_factor", "migrant_share", "confidence", "scope",
    "notes", "source", "quote",
)
#: Columns a reference-object file must have; the others get defaults (see :func:`load_reference_objects`).
REQUIRED_REFERENCE_COLUMNS = ("id", "sector", "subtype", "basis", "amount", "unit", "counted",
                              "workers_low", "workers_high", "source")
#: Defaults for columns an older or shorter file leaves out.
REFERENCE_DEFAULTS = {"name": "", "place": "", "country": "NL", "year": "", "area_kind": "", "levels": "",
                      "timing": "realised", "peak_factor": "", "migrant_share": "", "confidence": "medium",
                      "scope": "single", "notes": "", "quote": ""}
#: Older values of ``counted`` and what they mean now.
COUNTED_ALIASES = {"workers": "heads", "labour_migrants": "migrants_heads"}

SUBTYPE_COLUMNS = ("sector", "subtype", "basis", "seasonal", "label_nl", "label_en")
SUBTYPE_OPTIONAL = {"aliases": "", "sector_default": "false", "note": ""}
PARAMETER_COLUMNS = ("sector", "subtype", "parameter", "low", "value", "high", "status", "source", "note")

GLOBAL_PARAMETERS = ("min_pooled_df", "prior_log_sd", "prior_df", "weight_high", "weight_medium", "weight_low",
                     "mc_draws", "mc_seed")
CONVERSION_PARAMETERS = ("fte_to_heads", "present_to_heads", "jobs_to_heads", "footprint_to_bvo", "plot_to_bvo",
                         "plot_to_glass", "realised_over_announced")
SUBTYPE_PARAMETERS = (
    "migrant_share", "peak_factor", "employer_housed_share", "beds_per_migrant",
    "share_short_stay", "share_mid_stay", "share_long_stay", "ratio", *CONVERSION_PARAMETERS,
)


def _read_csv(path: Path, required: Sequence[str], optional: dict[str, str] | None = None) -> pd.DataFrame:
    """A library file as stripped text cells indexed by file line (any delimiter, UTF-8 or cp1252);
    ``optional`` columns a user's file may leave out get their default."""
    from .csvtext import read_data_csv

    frame = read_data_csv(Path(path), required)
    for column, default in (optional or {}).items():
        if column not in frame.columns:
            frame[column] = default
    return frame


def _numbers(frame: pd.DataFrame, column: str, problems: list[Problem], *, required: bool) -> pd.Series:
    """Read a text column as numbers with the shared reader (Dutch or English notation, decided per column);
    each unreadable or ambiguous cell is recorded with its line and the fix."""
    numbers = read_numbers(frame[column])
    problems += numbers.problems(frame[column], column)
    if required:
        for line in frame.index[frame[column] == ""]:
            problems.append(Problem("value missing", f"line {line}", column, "fill in a number"))
    return numbers.values.astype(float)


def _check_choice(frame: pd.DataFrame, column: str, allowed: Sequence[str], problems: list[Problem]) -> None:
    for line, value in frame[column].items():
        if value not in allowed:
            problems.append(Problem(f"unknown value '{value}'", f"line {line}", column,
                                    "use " + ", ".join(allowed)))


def load_reference_objects(path: str | Path, provenance: str | None = None) -> pd.DataFrame:  # noqa: C901
    """Read and check a reference-object file.

    Parameters
    ----------
    path
        CSV file with the columns in :data:`REFERENCE_COLUMNS`. Only those in
        :data:`REQUIRED_REFERENCE_COLUMNS` must be present; the others default
        to :data:`REFERENCE_DEFAULTS` (an empty ``area_kind`` means ``bvo``
        for floor area and ``glass`` for plot area). The older values
        ``counted = workers`` and ``labour_migrants`` are read as ``heads``
        and ``migrants_heads``.
    provenance
        Where the objects come from, shown beside every figure derived from
        them. Defaults to the file's ``provenance`` column if it has one, else
        to the file name.

    Returns
    -------
    DataFrame with one row per object, numbers as floats, and the columns
    ``provenance``, ``file`` and ``line``.
    """
    path = Path(path)
    frame = _read_csv(path, REQUIRED_REFERENCE_COLUMNS, REFERENCE_DEFAULTS)
    problems: list[Problem] = []
    out = frame.copy()
    out["counted"] = out["counted"].replace(COUNTED_ALIASES)
    default_kind = out["basis"].map({"floor_area": "bvo", "plot_area": "glass"}).fillna("")
    out["area_kind"] = out["area_kind"].where(out["area_kind"] != "", default_kind)
    for column in ("timing", "confidence", "scope", "country"):
        out[column] = out[column].where(out[column] != "", REFERENCE_DEFAULTS[column])
    for column, required in (("amount", True), ("workers_low", False), ("workers_high", False),
                             ("peak_factor", False), ("migrant_share", False), ("year", False),
                             ("levels", False)):
        out[column] = _numbers(frame, column, problems, required=required)
    _check_choice(out, "counted", COUNTED, problems)
    _check_choice(out, "timing", TIMINGS, problems)
    _check_choice(out, "confidence", CONFIDENCES, problems)
    _check_choice(out, "scope", SCOPES, problems)
    for line, row in out.iterrows():
        if row["id"] == "":
            problems.append(Problem("id missing", f"line {line}", "id", "give every object a unique id"))
        if row["basis"] not in (*BASES, "workers"):
            problems.append(Problem(f"unknown basis '{row['basis']}'", f"line {line}", "basis",
                                    "use floor_area, plot_area or workers"))
        elif row["basis"] != "workers" and row["area_kind"] not in AREA_KINDS:
            problems.append(Problem(f"unknown area_kind '{row['area_kind']}'", f"line {line}", "area_kind",
                                    "use " + ", ".join(AREA_KINDS)))
        expected_unit = {"floor_area": ("m2", "ha"), "plot_area": ("ha", "m2"), "workers": ("persons",)}
        if row["basis"] in expected_unit and row["unit"] not in expected_unit[row["basis"]]:
            problems.append(Problem(f"unit '{row['unit']}' does not fit basis '{row['basis']}'", f"line {line}", "unit",
                                    f"use {' or '.join(expected_unit[row['basis']])}"))
        if pd.notna(row["amount"]) and row["amount"] <= 0:
            problems.append(Problem("amount must be above zero", f"line {line}", "amount"))
        if pd.notna(row["levels"]) and row["levels"] < 1:
            problems.append(Problem("levels must be 1 or more", f"line {line}", "levels"))
        low, high = row["workers_low"], row["workers_high"]
        if pd.isna(low) and pd.isna(high):
            problems.append(Problem("workers_low and workers_high both empty", f"line {line}", "workers_low",
                                    "give the number of workers (or labour migrants) counted"))
        elif pd.notna(low) and pd.notna(high) and low > high:
            problems.append(Problem(f"workers_low ({low:g}) is above workers_high ({high:g})",
                                    f"line {line}", "workers_low"))
        elif (pd.notna(low) and low <= 0) or (pd.notna(high) and high <= 0):
            problems.append(Problem("worker counts must be above zero", f"line {line}", "workers_low"))
        share = row["migrant_share"]
        if pd.notna(share) and not 0 < share <= 1:
            problems.append(Problem(f"migrant_share {share:g} is not between 0 and 1", f"line {line}", "migrant_share"))
        peak = row["peak_factor"]
        if pd.notna(peak) and peak < 1:
            problems.append(Problem(f"peak_factor {peak:g} is below 1", f"line {line}", "peak_factor",
                                    "the peak is at least the ordinary staff: use 1 or more"))
    duplicated = out["id"][out["id"].duplicated() & (out["id"] != "")]
    for line, value in duplicated.items():
        problems.append(Problem(f"id '{value}' is used twice", f"line {line}", "id", "give every object a unique id"))
    if problems:
        raise InputError(problems, source=str(path))
    # One count given: the range collapses to it.
    out["workers_low"] = out["workers_low"].fillna(out["workers_high"])
    out["workers_high"] = out["workers_high"].fillna(out["workers_low"])
    if "provenance" not in out.columns or provenance is not None:
        out["provenance"] = provenance or path.name
    out["provenance"] = out["provenance"].replace("", provenance or path.name)
    out["file"] = str(path)
    out["line"] = out.index
    return out.reset_index(drop=True)


def load_subtypes(path: str | Path) -> pd.DataFrame:
    """Read the sector/subtype table: basis, seasonality, labels, older keys (``aliases``)."""
    path = Path(path)
    frame = _read_csv(path, SUBTYPE_COLUMNS, SUBTYPE_OPTIONAL)
    problems = [
        Problem(f"unknown basis '{b}'", f"line {line}", "basis", "use floor_area or plot_area")
        for line, b in frame["basis"].items() if b not in BASES
    ]
    for column in ("seasonal", "sector_default"):
        problems += [
            Problem(f"'{v}' is not true or false", f"line {line}", column)
            for line, v in frame[column].items() if v.lower() not in ("true", "false")
        ]
    keys = frame["sector"] + "/" + frame["subtype"]
    problems += [Problem(f"{k} is listed twice", f"line {line}") for line, k in keys[keys.duplicated()].items()]
    if problems:
        raise InputError(problems, source=str(path))
    frame["seasonal"] = frame["seasonal"].str.lower() == "true"
    frame["sector_default"] = frame["sector_default"].str.lower() == "true"
    return frame.reset_index(drop=True)


def load_parameters(path: str | Path) -> pd.DataFrame:
    """Read the sector-parameter table (one value per row, with its source)."""
    path = Path(path)
    frame = _read_csv(path, PARAMETER_COLUMNS)
    problems: list[Problem] = []
    out = frame.copy()
    for column in ("low", "high"):
        out[column] = _numbers(frame, column, problems, required=False)
    out["value"] = _numbers(frame, "value", problems, required=True)
    known = GLOBAL_PARAMETERS + SUBTYPE_PARAMETERS
    for line, row in out.iterrows():
        if row["parameter"] not in known:
            problems.append(Problem(f"unknown parameter '{row['parameter']}'", f"line {line}", "parameter",
                                    f"use one of {', '.join(known)}"))
        if row["status"] not in PARAMETER_STATUSES:
            problems.append(Problem(f"unknown status '{row['status']}'", f"line {line}", "status",
                                    f"use one of {', '.join(PARAMETER_STATUSES)}"))
        if row["status"] in ("sourced", "derived") and row["source"] == "":
            problems.append(Problem(f"status '{row['status']}' needs a source", f"line {line}", "source",
                                    "cite the source, or mark the value as assumption"))
        low = row["low"] if pd.notna(row["low"]) else row["value"]
        high = row["high"] if pd.notna(row["high"]) else row["value"]
        if pd.notna(row["value"]) and not low <= row["value"] <= high:
            problems.append(Problem("low <= value <= high does not hold", f"line {line}", "value"))
        if row["parameter"] == "ratio" and row["status"] != "assumption" and row["source"] == "":
            problems.append(Problem("a typed-in ratio must be marked assumption", f"line {line}", "status"))
    keys = out["sector"] + "/" + out["subtype"] + "/" + out["parameter"]
    problems += [Problem(f"{k} is given twice", f"line {line}") for line, k in keys[keys.duplicated()].items()]
    if problems:
        raise InputError(problems, source=str(path))
    out["low"] = out["low"].fillna(out["value"])
    out["high"] = out["high"].fillna(out["value"])
    out["line"] = out.index
    out["file"] = str(path)
    return out.reset_index(drop=True)


#: Parameter tables indexed by (sector, subtype, parameter); the frame is kept so its id stays unique.
_INDEX: dict[int, tuple[pd.DataFrame, dict[tuple[str, str, str], pd.Series]]] = {}


def _index(parameters: pd.DataFrame) -> dict[tuple[str, str, str], pd.Series]:
    cached = _INDEX.get(id(parameters))
    if cached is None or cached[0] is not parameters:
        table = {(r["sector"], r["subtype"], r["parameter"]): r for _, r in parameters.iterrows()}
        cached = _INDEX[id(parameters)] = (parameters, table)
    return cached[1]


def _lookup(parameters: pd.DataFrame, sector: str, subtype: str, name: str) -> pd.Series | None:
    """The most specific parameter row: sector/subtype, then sector/*, then */*."""
    table = _index(parameters)
    for sec, sub in ((sector, subtype), (sector, "*"), ("*", "*")):
        if (sec, sub, name) in table:
            return table[(sec, sub, name)]
    return None


def _require(parameters: pd.DataFrame, sector: str, subtype: str, name: str) -> pd.Series:
    row = _lookup(parameters, sector, subtype, name)
    if row is None:
        raise InputError(Problem(f"parameter '{name}' missing for {sector}/{subtype}",
                                 fix="add it to the sector parameters, for the subtype or with *"),
                         source="sector parameters")
    return row


def _cite(row: pd.Series) -> str:
    text = f"{row['status']}"
    if row["source"]:
        text += f": {row['source']}"
    return text + f" (sector_parameters line {row['line']})"


@dataclass(frozen=True)
class FitSettings:
    """How objects are weighted and pooled (from the ``*/*`` parameter rows)."""

    min_pooled_df: float
    prior_log_sd: float
    prior_df: float
    weights: dict[str, float]
    mc_draws: int
    mc_seed: int


def fit_settings(parameters: pd.DataFrame) -> FitSettings:
    """The global settings of the derivation and the Monte Carlo simulation."""
    values = {name: float(_require(parameters, "*", "*", name)["value"]) for name in GLOBAL_PARAMETERS}
    return FitSettings(min_pooled_df=values["min_pooled_df"], prior_log_sd=values["prior_log_sd"],
                       prior_df=values["prior_df"],
                       weights={c: values[f"weight_{c}"] for c in CONFIDENCES},
                       mc_draws=int(values["mc_draws"]), mc_seed=int(values["mc_seed"]))


# -- conversion of objects to one basis -------------------------------------------------------------

def _subtype_migrant_share(objects: pd.DataFrame, parameters: pd.DataFrame, sector: str, subtype: str) -> float:
    """The typical migrant share of a subtype: the mean of objects that state one, else the parameter."""
    group = objects[(objects["sector"] == sector) & (objects["subtype"] == subtype)]
    stated = group["migrant_share"].dropna()
    if len(stated):
        return float(stated.mean())
    return float(_require(parameters, sector, subtype, "migrant_share")["value"])


def convert_objects(objects: pd.DataFrame, subtypes: pd.DataFrame, parameters: pd.DataFrame) -> pd.DataFrame:  # noqa: C901
    """Convert every reference object to heads per ratio unit of its subtype's basis.

    Parameters
    ----------
    objects
        Reference objects as read by :func:`load_reference_objects`.
    subtypes
        The subtype table (gives each subtype's basis).
    parameters
        The sector parameters (conversion factors and confidence weights).

    Returns
    -------
    The objects with ``basis_area`` (m2 of bvo or ha of glass), ``heads_low``,
    ``heads_high``, ``heads`` (their geometric mean), ``ratio`` (heads per
    1,000 m2 bvo or per ha of glass), ``log_ratio``, ``weight``, ``usable``
    (whether the object gives a ratio) and ``conversion`` (the factors
    applied, in words). Objects without an area (basis ``workers``) or whose
    area cannot be put on the subtype's basis are kept with ``usable`` False.

    Examples
    --------
    An FTE count on a known floor area: 140 FTE x 1.3 heads per FTE on
    20,000 m2 bvo gives 182 heads, or 9.1 heads per 1,000 m2.
    """
    settings = fit_settings(parameters)
    basis_of = dict(zip(zip(subtypes["sector"], subtypes["subtype"], strict=True), subtypes["basis"], strict=True))
    records = []
    for row in objects.itertuples(index=False):
        sector, subtype = row.sector, row.subtype
        basis = basis_of.get((sector, subtype))

        def factor(name: str, sector=sector, subtype=subtype) -> tuple[float, str]:
            found = _require(parameters, sector, subtype, name)
            return float(found["value"]), f"{name} {found['value']:g} ({found['status']}, line {found['line']})"

        steps: list[str] = []
        area = np.nan
        if basis is not None and row.basis != "workers":
            kind = row.area_kind
            amount_m2 = row.amount * (10_000.0 if row.unit == "ha" else 1.0)
            if basis == "floor_area":
                if kind == "bvo":
                    area = amount_m2
                elif kind == "footprint" and pd.notna(row.levels):
                    area = amount_m2 * row.levels
                    steps.append(f"footprint x {row.levels:g} levels")
                elif kind == "footprint":
                    value, text = factor("footprint_to_bvo")
                    area = amount_m2 * value
                    steps.append(text)
                elif kind == "plot":
                    value, text = factor("plot_to_bvo")
                    area = amount_m2 * value
                    steps.append(text)
                area = area / RATIO_PER[basis] if pd.notna(area) else area
            else:
                if kind in ("glass", "bvo", "footprint"):
                    area = amount_m2 / 10_000.0
                elif kind == "plot":
                    value, text = factor("plot_to_glass")
                    area = amount_m2 / 10_000.0 * value
                    steps.append(text)
        multiplier = 1.0
        counted = row.counted
        if counted == "fte":
            value, text = factor("fte_to_heads")
            multiplier *= value
            steps.append(text)
        elif counted == "present_daily":
            value, text = factor("present_to_heads")
            multiplier *= value
            steps.append(text)
        elif counted == "jobs":
            value, text = factor("jobs_to_heads")
            multiplier *= value
            if value != 1.0:
                steps.append(text)
        elif counted == "migrants_heads" and basis is not None:
            share = _subtype_migrant_share(objects, parameters, sector, subtype)
            multiplier /= share
            steps.append(f"/ migrant share {share:g}")
        if row.timing in ("announced", "target") and basis is not None:
            value, text = factor("realised_over_announced")
            multiplier *= value
            steps.append(text)
        heads_low = row.workers_low * multiplier
        heads_high = row.workers_high * multiplier
        heads = float(np.sqrt(heads_low * heads_high))
        usable = bool(basis is not None and pd.notna(area) and area > 0)
        ratio = heads / area if usable else np.nan
        records.append({
            "basis_area": area, "heads_low": heads_low, "heads_high": heads_high, "heads": heads,
            "ratio": ratio, "log_ratio": float(np.log(ratio)) if usable else np.nan,
            "weight": settings.weights[row.confidence], "usable": usable,
            "conversion": "; ".join(steps) if steps else "none",
        })
    extra = pd.DataFrame.from_records(records, index=objects.index,
                                      columns=["basis_area", "heads_low", "heads_high", "heads", "ratio", "log_ratio",
                                               "weight", "usable", "conversion"])
    return pd.concat([objects, extra], axis=1)


# -- the fit --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LogFit:
    """Weighted mean and spread of a group of log ratios."""

    mean: float
    n: int
    n_eff: float
    sum_squares: float  # weighted squared deviations, scaled to n_eff - 1 degrees of freedom

    @property
    def df(self) -> float:
        return max(self.n_eff - 1.0, 0.0)


def fit_logs(logs: np.ndarray, weights: np.ndarray) -> LogFit:
    """Weighted mean of ``logs`` and the within-group sum of squares with ``n_eff - 1`` degrees of freedom.

    ``n_eff = (sum w)^2 / sum w^2`` (Kish); the sum of squares is
    ``sum w (x - m)^2 / sum w x (n_eff - 1) / (n_eff - 1)`` written so that
    ``sum_squares / df`` is the unbiased weighted variance.
    """
    logs = np.asarray(logs, dtype=float)
    weights = np.asarray(weights, dtype=float)
    if len(logs) == 0:
        return LogFit(np.nan, 0, 0.0, 0.0)
    total = weights.sum()
    mean = float((weights * logs).sum() / total)
    n_eff = float(total**2 / (weights**2).sum())
    if len(logs) < 2:
        return LogFit(mean, 1, n_eff, 0.0)
    # Unbiased weighted variance with reliability weights: sum w d^2 / (W - sum w^2 / W).
    variance = float((weights * (logs - mean) ** 2).sum() / (total - (weights**2).sum() / total))
    return LogFit(mean, len(logs), n_eff, variance * (n_eff - 1.0))


@dataclass(frozen=True)
class RatioModel:
    """Predictive distribution of a subtype's log ratio for one new site.

    ``log r = mu + s_d * (shared * Z_subtype + site * Z_site)`` where ``s_d``
    is ``s`` scaled by ``sqrt(df / chi2_df)`` (the uncertainty in the spread;
    no scaling when ``df`` is infinite). For one site this is
    ``mu + t_df * s * sqrt(shared^2 + site^2)``.
    """

    mu: float
    s: float
    df: float
    shared: float
    site: float
    method: str

    @property
    def scale(self) -> float:
        return self.s * float(np.hypot(self.shared, self.site))

    def quantile(self, q: float | np.ndarray) -> np.ndarray:
        dist = stats.t(self.df) if np.isfinite(self.df) else stats.norm()
        return np.exp(self.mu + dist.ppf(q) * self.scale)


def _pooled(fits: Iterable[LogFit]) -> tuple[float, float]:
    """Pooled within-group variance and its degrees of freedom."""
    fits = [f for f in fits if f.df > 0]
    df = sum(f.df for f in fits)
    return (sum(f.sum_squares for f in fits) / df if df > 0 else np.nan), df


def ratio_models(converted: pd.DataFrame, subtypes: pd.DataFrame, parameters: pd.DataFrame
                 ) -> dict[tuple[str, str], RatioModel | None]:
    """The predictive ratio model of every subtype (``None``: no object in its sector either)."""
    settings = fit_settings(parameters)
    usable = converted[converted["usable"]]
    key = usable["sector"] + "/" + usable["subtype"]
    fits = {(sec, sub): fit_logs(usable.loc[key == f"{sec}/{sub}", "log_ratio"].to_numpy(),
                                 usable.loc[key == f"{sec}/{sub}", "weight"].to_numpy())
            for sec, sub in zip(subtypes["sector"], subtypes["subtype"], strict=True)}
    # The spread between single sites comes from single sites only: an aggregate (an average over several
    # sites) lies closer to the mean than one site does, and would make the spread look smaller than it is.
    single = usable["scope"] == "single"
    spreads = {(sec, sub): fit_logs(usable.loc[single & (key == f"{sec}/{sub}"), "log_ratio"].to_numpy(),
                                    usable.loc[single & (key == f"{sec}/{sub}"), "weight"].to_numpy())
               for sec, sub in fits}
    basis_of = dict(zip(zip(subtypes["sector"], subtypes["subtype"], strict=True), subtypes["basis"], strict=True))
    models: dict[tuple[str, str], RatioModel | None] = {}
    for (sector, subtype), fit in fits.items():
        basis = basis_of[(sector, subtype)]
        in_sector = [f for (sec, _), f in spreads.items() if sec == sector]
        variance, df = _pooled(in_sector)
        pool = f"pooled over the single sites of the subtypes of {sector}"
        if not df >= settings.min_pooled_df:
            same_basis = [f for k, f in spreads.items() if basis_of[k] == basis]
            variance, df = _pooled(same_basis)
            pool = f"pooled over all {basis.replace('_', ' ')} subtypes (too few objects in {sector})"
        # Conjugate prior on the spread: prior_df pseudo-degrees of freedom at prior_log_sd.
        variance = 0.0 if not df > 0 else variance
        s = float(np.sqrt((settings.prior_df * settings.prior_log_sd**2 + df * variance) / (settings.prior_df + df)))
        df_post = settings.prior_df + df
        if fit.n >= 1:
            models[(sector, subtype)] = RatioModel(
                fit.mean, s, df_post, 1.0 / np.sqrt(fit.n_eff), 1.0,
                f"{fit.n} object(s) (effective {fit.n_eff:.1f}); log-t predictive, spread {pool} "
                f"with prior (s = {s:.2f}, df = {df_post:.1f})")
            continue
        sector_rows = usable[usable["sector"] == sector]
        whole = fit_logs(sector_rows["log_ratio"].to_numpy(), sector_rows["weight"].to_numpy())
        sector_single = sector_rows[sector_rows["scope"] == "single"]
        spread = fit_logs(sector_single["log_ratio"].to_numpy(), sector_single["weight"].to_numpy())
        if whole.n >= 1:
            s = float(np.sqrt((settings.prior_df * settings.prior_log_sd**2 + spread.sum_squares)
                              / (settings.prior_df + spread.df)))
            models[(sector, subtype)] = RatioModel(
                whole.mean, s, settings.prior_df + spread.df, 1.0 / np.sqrt(whole.n_eff), 1.0,
                f"NO PUBLIC OBJECT for this subtype: all {whole.n} objects of sector {sector} "
                f"(their mean, and the total spread of its single sites with prior, s = {s:.2f}, "
                f"df = {settings.prior_df + spread.df:.1f})")
            continue
        models[(sector, subtype)] = None
    return models


def assumed_model(row: pd.Series) -> RatioModel:
    """A ratio model from a ``ratio`` parameter row (low, value, high read as P10, P50, P90).

    The whole uncertainty of an assumed ratio is shared by every site of the
    subtype: if the assumption is off, it is off for all of them.
    """
    z = stats.norm.ppf(0.9)
    sigma = float(np.log(row["high"] / row["low"]) / (2 * z)) if row["high"] > row["low"] else 0.0
    return RatioModel(float(np.log(row["value"])), sigma, np.inf, 1.0, 0.0,
                      "assumption: low/value/high read as P10/P50/P90 of a log-normal shared by all sites")


def derive_ratios(objects: pd.DataFrame, subtypes: pd.DataFrame, parameters: pd.DataFrame) -> pd.DataFrame:
    """Derive ratios and parameters per sector and subtype.

    Returns a DataFrame indexed by ``(sector, subtype)`` with, for the worker
    ratio, the migrant share, the peak factor and the employer-housed share,
    the columns ``<name>_p10``, ``<name>_p50``, ``<name>_p90`` and
    ``<name>_source``; the ratio model (``ratio_mu``, ``ratio_s``,
    ``ratio_df``, ``ratio_shared``, ``ratio_site``) used by the simulation;
    the stay-type shares, beds per migrant, the basis, the ratio unit, the
    number of reference objects used and ``objects_note`` (empty, or why the
    subtype rests on other objects or an assumption).
    """
    known = set(zip(subtypes["sector"], subtypes["subtype"], strict=True))
    problems = [
        Problem(f"unknown sector/subtype '{r.sector}/{r.subtype}'", f"{r.file}:{r.line}", "subtype",
                "use one of " + ", ".join(sorted(f"{a}/{b}" for a, b in known)))
        for r in objects.itertuples() if (r.sector, r.subtype) not in known
    ]
    if problems:
        raise InputError(problems, source="reference objects")
    converted = convert_objects(objects, subtypes, parameters)
    models = ratio_models(converted, subtypes, parameters)

    records = []
    for sub in subtypes.itertuples():
        group = converted[(converted["sector"] == sub.sector) & (converted["subtype"] == sub.subtype)]
        record: dict[str, object] = {
            "sector": sub.sector, "subtype": sub.subtype, "basis": sub.basis, "seasonal": sub.seasonal,
            "label_nl": sub.label_nl, "label_en": sub.label_en, "ratio_unit": RATIO_UNIT[sub.basis],
        }

        def param(name: str, sub=sub) -> pd.Series:
            return _require(parameters, sub.sector, sub.subtype, name)

        # Migrant share and peak factor: objects that state one set the
        # median (with the parameter value if that is sourced or derived);
        # the parameter row's range is kept around it.
        for name in ("migrant_share", "peak_factor"):
            row = param(name)
            stated = group[name].dropna()
            if len(stated):
                ids = ", ".join(group.loc[stated.index, "id"])
                # A sourced or derived parameter value counts as one more piece of evidence beside the objects.
                values = [*stated, row["value"]] if row["status"] != "assumption" else list(stated)
                median = float(np.exp(np.log(values).mean()))
                low, high = min(row["low"], stated.min(), median), max(row["high"], stated.max(), median)
                with_row = " and the parameter value" if row["status"] != "assumption" else ""
                source = f"median (geometric mean) of reference object(s) {ids}{with_row}; range {_cite(row)}"
            else:
                low, median, high, source = row["low"], row["value"], row["high"], _cite(row)
            record.update({f"{name}_p10": low, f"{name}_p50": median, f"{name}_p90": high,
                           f"{name}_source": source})

        row = param("employer_housed_share")
        record.update({"employer_housed_share_p10": row["low"], "employer_housed_share_p50": row["value"],
                       "employer_housed_share_p90": row["high"], "employer_housed_share_source": _cite(row)})
        row = param("beds_per_migrant")
        record.update({"beds_per_migrant": row["value"], "beds_per_migrant_source": _cite(row)})
        # Jobs a company announces (the VNG questionnaire) become heads by the realised share of announced jobs.
        row = param("realised_over_announced")
        record.update({"realised_over_announced_p10": row["low"], "realised_over_announced_p50": row["value"],
                       "realised_over_announced_p90": row["high"], "realised_over_announced_source": _cite(row)})
        # A floor-area site known only by its plot: gross floor area per m2 of plot.
        row = param("plot_to_bvo")
        record.update({"plot_to_bvo_p10": row["low"], "plot_to_bvo_p50": row["value"], "plot_to_bvo_p90": row["high"],
                       "plot_to_bvo_source": _cite(row)})

        shares = {stay: param(f"share_{stay}_stay") for stay in STAY_TYPES}
        total = sum(r["value"] for r in shares.values())
        if not np.isclose(total, 1.0, atol=1e-6):
            raise InputError(Problem(f"stay-type shares of {sub.sector}/{sub.subtype} sum to {total:g}, not 1",
                                     fix="make share_short_stay + share_mid_stay + share_long_stay equal 1"),
                             source="sector parameters")
        for stay, r in shares.items():
            record[f"share_{stay}_stay"] = r["value"]
        record["stay_source"] = "; ".join(f"{stay}: {_cite(r)}" for stay, r in shares.items())

        usable = group[group["usable"]]
        model = models[(sub.sector, sub.subtype)]
        if model is not None and len(usable):
            provenance = ", ".join(f"{i} ({p})" for i, p in zip(usable["id"], usable["provenance"], strict=True))
            source, status, note = f"reference objects {provenance}; {model.method}", "derived", ""
        elif model is not None:
            source, status = f"sector objects; {model.method}", "sector fallback"
            note = (f"no public reference object for {sub.sector}/{sub.subtype}: the ratio rests on the other "
                    f"subtypes of {sub.sector}")
        else:
            row = _lookup(parameters, sub.sector, sub.subtype, "ratio")
            if row is None:
                raise InputError(Problem(f"{sub.sector}/{sub.subtype} has no reference object with "
                                         f"{sub.basis} and no assumed ratio",
                                         fix="add reference objects, or a 'ratio' row marked assumption"),
                                 source="sector parameters")
            model = assumed_model(row)
            source, status = f"{_cite(row)}; {model.method}", row["status"]
            note = (f"no public reference object for {sub.sector}/{sub.subtype} or its sector: "
                    "the ratio is an assumption")
        low, median, high = model.quantile(np.array([0.1, 0.5, 0.9]))
        record.update({"ratio_p10": low, "ratio_p50": median, "ratio_p90": high,
                       "ratio_source": source, "ratio_status": status, "n_objects": len(usable),
                       "ratio_objects": ", ".join(usable["id"]), "objects_note": note,
                       "ratio_mu": model.mu, "ratio_s": model.s, "ratio_df": model.df,
                       "ratio_shared": model.shared, "ratio_site": model.site})
        records.append(record)
    return pd.DataFrame.from_records(records).set_index(["sector", "subtype"])


@dataclass(frozen=True)
class SectorLibrary:
    """Reference objects, subtypes and parameters, and the ratios derived from them."""

    objects: pd.DataFrame
    subtypes: pd.DataFrame
    parameters: pd.DataFrame
    files: tuple[str, ...] = field(default=())

    @cached_property
    def ratios(self) -> pd.DataFrame:
        return derive_ratios(self.objects, self.subtypes, self.parameters)

    @cached_property
    def converted(self) -> pd.DataFrame:
        """Every object on one basis (see :func:`convert_objects`)."""
        return convert_objects(self.objects, self.subtypes, self.parameters)

    @cached_property
    def settings(self) -> FitSettings:
        return fit_settings(self.parameters)

    @property
    def sectors(self) -> list[str]:
        return list(dict.fromkeys(self.subtypes["sector"]))

    def subtypes_of(self, sector: str) -> list[str]:
        return self.subtypes.loc[self.subtypes["sector"] == sector, "subtype"].tolist()

    def aliases_of(self, sector: str) -> dict[str, str]:
        """Older subtype keys of a sector and the subtype each now means (e.g. ``kas`` -> ``glass_vegetables``)."""
        rows = self.subtypes[self.subtypes["sector"] == sector]
        return {alias.strip(): sub for sub, aliases in zip(rows["subtype"], rows["aliases"], strict=True)
                for alias in aliases.split(";") if alias.strip()}

    def default_subtype(self, sector: str) -> str | None:
        """The subtype taken when a site of ``sector`` names none (only one subtype, or the marked default)."""
        rows = self.subtypes[self.subtypes["sector"] == sector]
        if len(rows) == 1:
            return str(rows["subtype"].iloc[0])
        marked = rows[rows["sector_default"]]
        return str(marked["subtype"].iloc[0]) if len(marked) == 1 else None

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 over the library's content: the same data give the same hash."""
        digest = hashlib.sha256()
        for frame, columns in ((self.objects, (*REFERENCE_COLUMNS, "provenance")),
                               (self.subtypes, SUBTYPE_COLUMNS),
                               (self.parameters, PARAMETER_COLUMNS)):
            digest.update(frame.loc[:, list(columns)].to_csv(index=False).encode())
        return digest.hexdigest()

    def with_objects(self, extra: pd.DataFrame) -> SectorLibrary:
        """A library with more reference objects (for example the municipality's own)."""
        clash = set(extra["id"]) & set(self.objects["id"])
        if clash:
            raise InputError(Problem(f"reference object id(s) {', '.join(sorted(clash))} already exist",
                                     fix="give your own objects ids of their own (for example a prefix)"))
        objects = pd.concat([self.objects, extra], ignore_index=True)
        return SectorLibrary(objects, self.subtypes, self.parameters,
                             self.files + tuple(dict.fromkeys(extra["file"])))

    def without(self, ids: Iterable[str]) -> SectorLibrary:
        """The library without some objects (leave-one-out validation)."""
        ids = set(ids)
        return SectorLibrary(self.objects[~self.objects["id"].isin(ids)].reset_index(drop=True), self.subtypes,
                             self.parameters, self.files)


def load_library(extra_objects: Iterable[str | Path] = (), directory: str | Path | None = None) -> SectorLibrary:
    """Load the bundled library, plus a municipality's own reference-object files.

    Examples
    --------
    >>> lib = load_library()
    >>> lib.ratios.loc[("logistiek", "dc"), "ratio_unit"]
    'heads per 1,000 m2 gross floor area (bvo)'
    """
    folder = Path(directory) if directory is not None else sector_ratios_dir()
    objects = load_reference_objects(folder / "reference_objects.csv", provenance="planner library")
    library = SectorLibrary(
        objects=objects,
        subtypes=load_subtypes(folder / "subtypes.csv"),
        parameters=load_parameters(folder / "sector_parameters.csv"),
        files=(str(folder / "reference_objects.csv"),),
    )
    for path in extra_objects:
        library = library.with_objects(load_reference_objects(path))
    library.ratios  # noqa: B018 - derive now, so a bad file fails at load time
    return library
