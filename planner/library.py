"""The sector reference library: reference objects, sector parameters, ratios.

The VNG method sets the workers of reference companies against their floor
area (m2) or plot area (ha). This module reads those reference objects and the
sector parameters from data files (``sector_ratios/``), checks them, and
derives per sector and subtype a low, typical and high ratio together with
the migrant share, seasonal peak factor and stay-type split. Ratios are never
typed in where reference objects exist: they are computed from the objects by
:func:`derive_ratios`, and each derived figure carries the ids of the objects
or the parameter rows it came from.

Derivation of the worker ratio for one subtype (``n`` usable objects):

* ``n >= min_objects_for_fit``: a log-normal distribution is fitted to the
  objects' ratios with :func:`scipy.stats.lognorm.fit` (location fixed at 0);
  typical is its median, low and high its ``fit_quantile_low`` and
  ``fit_quantile_high`` quantiles.
* ``1 <= n < min_objects_for_fit``: typical is the geometric mean of the
  objects' ratios (each object's ratio is the geometric mean of its low and
  high count), low is the lowest ratio divided by ``range_widening`` and high
  the highest multiplied by it.
* ``n == 0``: the ``ratio`` row of the parameters file, which must be marked
  ``assumption``.

Objects that count labour migrants rather than all workers are converted to
workers by dividing by the subtype's typical migrant share.
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

#: Amount of the basis that one ratio refers to: workers per 1,000 m2 of gross
#: floor area, or workers per hectare of plot.
RATIO_PER = {"floor_area": 1000.0, "plot_area": 1.0}
RATIO_UNIT = {"floor_area": "workers per 1,000 m2 gross floor area", "plot_area": "workers per ha"}

STAY_TYPES = ("short", "mid", "long")
LEVELS = ("low", "typical", "high")
PARAMETER_STATUSES = ("sourced", "derived", "assumption")

REFERENCE_COLUMNS = (
    "id", "sector", "subtype", "name", "place", "year", "basis", "amount", "unit",
    "counted", "workers_low", "workers_high", "peak_factor", "migrant_share",
    "notes", "source",
)
SUBTYPE_COLUMNS = ("sector", "subtype", "basis", "seasonal", "label_nl", "label_en")
PARAMETER_COLUMNS = ("sector", "subtype", "parameter", "low", "value", "high", "status", "source", "note")

GLOBAL_PARAMETERS = ("range_widening", "min_objects_for_fit", "fit_quantile_low", "fit_quantile_high")
SUBTYPE_PARAMETERS = (
    "migrant_share", "peak_factor", "employer_housed_share", "beds_per_migrant",
    "share_short_stay", "share_mid_stay", "share_long_stay", "ratio",
)


def _read_csv(path: Path, required: Sequence[str]) -> pd.DataFrame:
    """A library file as stripped text cells indexed by file line (any delimiter, UTF-8 or cp1252)."""
    from .io import read_data_csv

    return read_data_csv(Path(path), required)


def _numbers(frame: pd.DataFrame, column: str, problems: list[Problem], *, required: bool) -> pd.Series:
    """Read a text column as numbers with the shared reader (Dutch or English notation, decided per column);
    each unreadable or ambiguous cell is recorded with its line and the fix."""
    numbers = read_numbers(frame[column])
    problems += numbers.problems(frame[column], column)
    if required:
        for line in frame.index[frame[column] == ""]:
            problems.append(Problem("value missing", f"line {line}", column, "fill in a number"))
    return numbers.values.astype(float)


def load_reference_objects(path: str | Path, provenance: str | None = None) -> pd.DataFrame:
    """Read and check a reference-object file.

    Parameters
    ----------
    path
        CSV file with the columns in :data:`REFERENCE_COLUMNS` (``peak_factor``,
        ``migrant_share``, ``place``, ``year`` and ``notes`` may be empty).
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
    frame = _read_csv(path, REFERENCE_COLUMNS)
    problems: list[Problem] = []
    out = frame.copy()
    for column, required in (("amount", True), ("workers_low", False), ("workers_high", False),
                             ("peak_factor", False), ("migrant_share", False), ("year", False)):
        out[column] = _numbers(frame, column, problems, required=required)
    for line, row in out.iterrows():
        if row["id"] == "":
            problems.append(Problem("id missing", f"line {line}", "id", "give every object a unique id"))
        if row["basis"] not in (*BASES, "workers"):
            problems.append(Problem(f"unknown basis '{row['basis']}'", f"line {line}", "basis",
                                    "use floor_area, plot_area or workers"))
        if row["counted"] not in ("workers", "labour_migrants"):
            problems.append(Problem(f"unknown value '{row['counted']}'", f"line {line}", "counted",
                                    "use workers or labour_migrants"))
        expected_unit = {"floor_area": ("m2",), "plot_area": ("ha", "m2"), "workers": ("persons",)}
        if row["basis"] in expected_unit and row["unit"] not in expected_unit[row["basis"]]:
            problems.append(Problem(f"unit '{row['unit']}' does not fit basis '{row['basis']}'", f"line {line}", "unit",
                                    f"use {' or '.join(expected_unit[row['basis']])}"))
        if pd.notna(row["amount"]) and row["amount"] <= 0:
            problems.append(Problem("amount must be above zero", f"line {line}", "amount"))
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
    plot_in_m2 = (out["basis"] == "plot_area") & (out["unit"] == "m2")
    out.loc[plot_in_m2, "amount"] = out.loc[plot_in_m2, "amount"] / 10_000.0
    out.loc[plot_in_m2, "unit"] = "ha"
    if "provenance" not in out.columns or provenance is not None:
        out["provenance"] = provenance or path.name
    out["provenance"] = out["provenance"].replace("", provenance or path.name)
    out["file"] = str(path)
    out["line"] = out.index
    return out.reset_index(drop=True)


def load_subtypes(path: str | Path) -> pd.DataFrame:
    """Read the sector/subtype table: basis, seasonality and labels."""
    path = Path(path)
    frame = _read_csv(path, SUBTYPE_COLUMNS)
    problems = [
        Problem(f"unknown basis '{b}'", f"line {line}", "basis", "use floor_area or plot_area")
        for line, b in frame["basis"].items() if b not in BASES
    ]
    problems += [
        Problem(f"'{v}' is not true or false", f"line {line}", "seasonal")
        for line, v in frame["seasonal"].items() if v.lower() not in ("true", "false")
    ]
    keys = frame["sector"] + "/" + frame["subtype"]
    problems += [Problem(f"{k} is listed twice", f"line {line}") for line, k in keys[keys.duplicated()].items()]
    if problems:
        raise InputError(problems, source=str(path))
    frame["seasonal"] = frame["seasonal"].str.lower() == "true"
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


def _lookup(parameters: pd.DataFrame, sector: str, subtype: str, name: str) -> pd.Series | None:
    """The most specific parameter row: sector/subtype, then sector/*, then */*."""
    rows = parameters[parameters["parameter"] == name]
    for sec, sub in ((sector, subtype), (sector, "*"), ("*", "*")):
        hit = rows[(rows["sector"] == sec) & (rows["subtype"] == sub)]
        if len(hit):
            return hit.iloc[0]
    return None


def _cite(row: pd.Series) -> str:
    text = f"{row['status']}"
    if row["source"]:
        text += f": {row['source']}"
    return text + f" (sector_parameters line {row['line']})"


def _worker_ratios(objects: pd.DataFrame, basis: str, migrant_share: float) -> pd.DataFrame:
    """Ratios (workers per ratio unit) of the objects usable for ``basis``."""
    usable = objects[objects["basis"] == basis].copy()
    to_workers = np.where(usable["counted"] == "labour_migrants", 1.0 / migrant_share, 1.0)
    per = usable["amount"] / RATIO_PER[basis]
    usable["ratio_low"] = usable["workers_low"] * to_workers / per
    usable["ratio_high"] = usable["workers_high"] * to_workers / per
    usable["ratio_mid"] = np.sqrt(usable["ratio_low"] * usable["ratio_high"])
    return usable


@dataclass(frozen=True)
class RatioSettings:
    """How spread is turned into a range (from the ``*/*`` parameter rows)."""

    range_widening: float
    min_objects_for_fit: int
    fit_quantile_low: float
    fit_quantile_high: float


def _settings(parameters: pd.DataFrame) -> RatioSettings:
    values = {}
    for name in GLOBAL_PARAMETERS:
        row = _lookup(parameters, "*", "*", name)
        if row is None:
            raise InputError(Problem(f"parameter '{name}' missing for */*",
                                     fix="add a row with sector * and subtype *"), source="sector parameters")
        values[name] = row["value"]
    return RatioSettings(
        range_widening=float(values["range_widening"]),
        min_objects_for_fit=int(values["min_objects_for_fit"]),
        fit_quantile_low=float(values["fit_quantile_low"]),
        fit_quantile_high=float(values["fit_quantile_high"]),
    )


def _ratio_range(usable: pd.DataFrame, settings: RatioSettings) -> tuple[float, float, float, str]:
    n = len(usable)
    if n >= settings.min_objects_for_fit:
        shape, _, scale = stats.lognorm.fit(usable["ratio_mid"].to_numpy(), floc=0)
        dist = stats.lognorm(shape, loc=0, scale=scale)
        low, high = dist.ppf([settings.fit_quantile_low, settings.fit_quantile_high])
        method = (f"log-normal fitted to {n} objects; typical = median, "
                  f"low/high = P{settings.fit_quantile_low * 100:g}/P{settings.fit_quantile_high * 100:g}")
        return float(low), float(scale), float(high), method
    typical = float(np.exp(np.log(usable["ratio_mid"]).mean()))
    low = float(usable["ratio_low"].min() / settings.range_widening)
    high = float(usable["ratio_high"].max() * settings.range_widening)
    method = (f"geometric mean of {n} object(s); range = lowest / {settings.range_widening:g} "
              f"to highest x {settings.range_widening:g}")
    return low, typical, high, method


def derive_ratios(objects: pd.DataFrame, subtypes: pd.DataFrame, parameters: pd.DataFrame) -> pd.DataFrame:
    """Derive ratios and parameters per sector and subtype.

    Returns a DataFrame indexed by ``(sector, subtype)`` with, for the worker
    ratio, the migrant share, the peak factor and the employer-housed share,
    the columns ``<name>_low``, ``<name>_typical``, ``<name>_high`` and
    ``<name>_source``; plus the stay-type shares, beds per migrant, the basis,
    the ratio unit and the number of reference objects used.
    """
    settings = _settings(parameters)
    known = set(zip(subtypes["sector"], subtypes["subtype"], strict=True))
    problems = [
        Problem(f"unknown sector/subtype '{r.sector}/{r.subtype}'", f"{r.file}:{r.line}", "subtype",
                "use one of " + ", ".join(sorted(f"{a}/{b}" for a, b in known)))
        for r in objects.itertuples() if (r.sector, r.subtype) not in known
    ]
    if problems:
        raise InputError(problems, source="reference objects")

    records = []
    for sub in subtypes.itertuples():
        group = objects[(objects["sector"] == sub.sector) & (objects["subtype"] == sub.subtype)]
        record: dict[str, object] = {
            "sector": sub.sector, "subtype": sub.subtype, "basis": sub.basis, "seasonal": sub.seasonal,
            "label_nl": sub.label_nl, "label_en": sub.label_en, "ratio_unit": RATIO_UNIT[sub.basis],
        }

        def param(name: str, sub=sub) -> pd.Series:
            row = _lookup(parameters, sub.sector, sub.subtype, name)
            if row is None:
                raise InputError(Problem(f"parameter '{name}' missing for {sub.sector}/{sub.subtype}",
                                         fix="add it to the sector parameters, for the subtype or with *"),
                                 source="sector parameters")
            return row

        # Migrant share and peak factor: objects that state one set the
        # typical value; the parameter row gives the range around it.
        for name in ("migrant_share", "peak_factor"):
            row = param(name)
            stated = group[name].dropna()
            if len(stated):
                ids = ", ".join(group.loc[stated.index, "id"])
                typical = float(stated.mean())
                low, high = min(row["low"], stated.min()), max(row["high"], stated.max())
                source = f"typical from reference object(s) {ids}; range {_cite(row)}"
            else:
                low, typical, high, source = row["low"], row["value"], row["high"], _cite(row)
            record.update({f"{name}_low": low, f"{name}_typical": typical,
                           f"{name}_high": high, f"{name}_source": source})

        row = param("employer_housed_share")
        record.update({"employer_housed_share_low": row["low"], "employer_housed_share_typical": row["value"],
                       "employer_housed_share_high": row["high"], "employer_housed_share_source": _cite(row)})
        row = param("beds_per_migrant")
        record.update({"beds_per_migrant": row["value"], "beds_per_migrant_source": _cite(row)})

        shares = {stay: param(f"share_{stay}_stay") for stay in STAY_TYPES}
        total = sum(r["value"] for r in shares.values())
        if not np.isclose(total, 1.0, atol=1e-6):
            raise InputError(Problem(f"stay-type shares of {sub.sector}/{sub.subtype} sum to {total:g}, not 1",
                                     fix="make share_short_stay + share_mid_stay + share_long_stay equal 1"),
                             source="sector parameters")
        for stay, r in shares.items():
            record[f"share_{stay}_stay"] = r["value"]
        record["stay_source"] = "; ".join(f"{stay}: {_cite(r)}" for stay, r in shares.items())

        usable = _worker_ratios(group, sub.basis, float(record["migrant_share_typical"]))
        if len(usable):
            low, typical, high, method = _ratio_range(usable, settings)
            provenance = ", ".join(f"{i} ({p})" for i, p in zip(usable["id"], usable["provenance"], strict=True))
            source = f"reference objects {provenance}; {method}"
            status = "derived"
        else:
            row = _lookup(parameters, sub.sector, sub.subtype, "ratio")
            if row is None:
                raise InputError(Problem(f"{sub.sector}/{sub.subtype} has no reference object with "
                                         f"{sub.basis} and no assumed ratio",
                                         fix="add reference objects, or a 'ratio' row marked assumption"),
                                 source="sector parameters")
            low, typical, high, source, status = row["low"], row["value"], row["high"], _cite(row), row["status"]
        record.update({"ratio_low": low, "ratio_typical": typical, "ratio_high": high,
                       "ratio_source": source, "ratio_status": status, "n_objects": len(usable),
                       "ratio_objects": ", ".join(usable["id"])})
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

    @property
    def sectors(self) -> list[str]:
        return list(dict.fromkeys(self.subtypes["sector"]))

    def subtypes_of(self, sector: str) -> list[str]:
        return self.subtypes.loc[self.subtypes["sector"] == sector, "subtype"].tolist()

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


def load_library(extra_objects: Iterable[str | Path] = (), directory: str | Path | None = None) -> SectorLibrary:
    """Load the bundled library, plus a municipality's own reference-object files.

    Examples
    --------
    >>> lib = load_library()
    >>> round(float(lib.ratios.loc[("logistiek", "ecommerce_dc"), "ratio_typical"]), 2)
    5.93
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
