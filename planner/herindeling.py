"""Municipal mergers (herindelingen): the codes of every boundary year, and old codes mapped to new ones.

Dutch data are full of municipal codes of earlier years: registers, site
lists and pipelines keep the code a municipality had when the row was made.
``geodata/herindelingen.csv`` lists the mergers from 1 January 2015 on, one
row per old municipality and the municipality its territory went to, each with
its source. From it and the 342 municipalities of 2024 (the bundled region
table) follow:

* :func:`codes_by_year`: the municipal codes in force on 1 January of each
  year (CBS's classification of that year);
* :func:`recognise_year`: the year(s) a layer's set of codes belongs to;
* :func:`update_codes`: old codes carried forward to a chosen year, with a
  note for every row that changed, and a problem for codes that cannot be
  carried (a municipality split over several, or a code newer than the year).

Pure functions, apart from :func:`load_crosswalk`, which reads the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, cast

import pandas as pd

from .errors import Problem
from .paths import data_dir

CROSSWALK_FILE = "herindelingen.csv"
BASE_YEAR = 2024
FIRST_YEAR, LAST_YEAR = 2015, 2025
COLUMNS = ["old_code", "old_name", "new_code", "new_name", "date", "source", "status"]


@lru_cache(maxsize=1)
def load_crosswalk() -> pd.DataFrame:
    """The bundled merger table (``geodata/herindelingen.csv``), dates as :class:`datetime.date`."""
    table = pd.read_csv(data_dir("geodata") / CROSSWALK_FILE, dtype=str, comment="#")
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing or table[COLUMNS].isna().any().any():
        raise ValueError(f"{CROSSWALK_FILE}: every row needs {', '.join(COLUMNS)}")
    table["date"] = pd.to_datetime(table["date"]).dt.date
    return table


@lru_cache(maxsize=1)
def _base_codes() -> dict[str, str]:
    table = pd.read_csv(data_dir("geodata") / f"regio_indeling_{BASE_YEAR}.csv", dtype=str)
    return dict(zip(table["gemeentecode"], table["gemeentenaam"], strict=True))


def _groups(crosswalk: pd.DataFrame) -> dict[date, pd.DataFrame]:
    return {cast(date, day): group for day, group in crosswalk.groupby("date")}


def _undo(state: dict[str, str], group: pd.DataFrame) -> None:
    """The classification before one day's changes, from the one after."""
    continuing = set(group["old_code"])
    for code in set(group["new_code"]) - continuing:
        state.pop(code, None)
    state.update(zip(group["old_code"], group["old_name"], strict=True))


def _apply(state: dict[str, str], group: pd.DataFrame) -> None:
    """The classification after one day's changes."""
    created = set(group["new_code"])
    for code in set(group["old_code"]) - created:
        state.pop(code, None)
    state.update(zip(group["new_code"], group["new_name"], strict=True))


def codes_by_year(base: Mapping[str, str] | None = None, crosswalk: pd.DataFrame | None = None,
                  base_year: int = BASE_YEAR, first: int = FIRST_YEAR,
                  last: int = LAST_YEAR) -> dict[int, dict[str, str]]:
    """The municipalities (code -> name) on 1 January of every year from ``first`` to ``last``.

    Built from the municipalities of ``base_year`` by undoing the mergers
    after each earlier 1 January and applying those up to each later one.

    Examples
    --------
    >>> years = codes_by_year()
    >>> len(years[2022]), len(years[2024]), "GM0501" in years[2022], "GM1992" in years[2024]
    (345, 342, True, True)
    """
    base = dict(base if base is not None else _base_codes())
    crosswalk = crosswalk if crosswalk is not None else load_crosswalk()
    groups = _groups(crosswalk)
    out = {base_year: dict(base)}
    state = dict(base)
    for year in range(base_year - 1, first - 1, -1):
        for day in sorted(groups, reverse=True):
            if date(year, 1, 1) < day <= date(year + 1, 1, 1):
                _undo(state, groups[day])
        out[year] = dict(state)
    state = dict(base)
    for year in range(base_year + 1, last + 1):
        for day in sorted(groups):
            if date(year - 1, 1, 1) < day <= date(year, 1, 1):
                _apply(state, groups[day])
        out[year] = dict(state)
    return dict(sorted(out.items()))


@lru_cache(maxsize=1)
def _bundled_years() -> dict[int, dict[str, str]]:
    return codes_by_year()


def known_years() -> list[int]:
    """The boundary years whose municipal codes planner knows."""
    return list(_bundled_years())


def year_codes(year: int) -> dict[str, str] | None:
    """The municipalities (code -> name) of ``year``, or None when planner does not know that year."""
    return _bundled_years().get(year)


@dataclass(frozen=True)
class YearMatch:
    """How a set of codes fits the known boundary years.

    ``exact``: years whose codes are exactly these; ``contains``: years that
    hold all of them (a layer of part of the country); ``best``: the year with
    the fewest codes it does not know, and those codes (``unknown``).
    """

    exact: list[int]
    contains: list[int]
    best: int
    unknown: list[str]

    @property
    def year(self) -> int | None:
        """The latest year whose codes are exactly these, else the latest that holds them all, else None."""
        if self.exact:
            return self.exact[-1]
        return self.contains[-1] if self.contains else None


def recognise_year(codes: Iterable[str], years: Mapping[int, Mapping[str, str]] | None = None) -> YearMatch:
    """The boundary year(s) a layer's municipal codes belong to ("Buitenland", GM0998, ignored).

    Examples
    --------
    >>> match = recognise_year(year_codes(2022))
    >>> match.exact, match.year
    ([2022], 2022)
    >>> recognise_year(["GM1992", "GM0363"]).contains[:2]
    [2023, 2024]
    """
    years = years if years is not None else _bundled_years()
    given = {c for c in codes if isinstance(c, str) and c != "GM0998"}
    exact = [y for y, known in years.items() if given == set(known)]
    contains = [y for y, known in years.items() if given <= set(known)]
    misses = {y: sorted(given - set(known)) for y, known in years.items()}
    best = min(misses, key=lambda y: (len(misses[y]), -y))
    return YearMatch(exact, contains, best, misses[best])


def _first_year_of(code: str, crosswalk: pd.DataFrame) -> date | None:
    """The day a code came into being, if the crosswalk created it."""
    rows = crosswalk[(crosswalk["new_code"] == code) & (crosswalk["old_code"] != code)]
    created = [cast(date, d) for d, group in rows.groupby("date") if code not in set(group["old_code"])]
    return min(created) if created else None


def carry_forward(code: str, year: int, crosswalk: pd.DataFrame | None = None,
                  years: Mapping[int, Mapping[str, str]] | None = None) -> tuple[str | None, list[pd.Series], str]:
    """One code carried to the municipalities of ``year``.

    Returns the code of ``year`` (None when it cannot be carried), the
    crosswalk rows used, and why it could not be carried ("" when it could).
    """
    crosswalk = crosswalk if crosswalk is not None else load_crosswalk()
    years = years if years is not None else _bundled_years()
    target = years.get(year)
    if target is None:
        return None, [], f"planner does not know the municipalities of {year}"
    steps: list[pd.Series] = []
    current = code
    for _ in range(20):
        if current in target:
            return current, steps, ""
        rows = crosswalk[(crosswalk["old_code"] == current) & (crosswalk["new_code"] != current)
                         & (crosswalk["date"] <= date(year, 1, 1))]
        if rows.empty:
            break
        if rows["new_code"].nunique() > 1:
            parts = ", ".join(f"{r.new_code} {r.new_name}" for r in rows.itertuples())
            name = rows["old_name"].iloc[0]
            return None, steps, (f"{current} ({name}) was split on {rows['date'].iloc[0]} over {parts}: a code "
                                 "alone cannot say which part a row belongs to")
        steps.append(rows.iloc[0])
        current = rows["new_code"].iloc[0]
    created = _first_year_of(code, crosswalk)
    if created is not None and created > date(year, 1, 1):
        name = crosswalk.loc[crosswalk["new_code"] == code, "new_name"].iloc[0]
        return None, steps, f"{code} ({name}) exists from {created} on, after the boundary year {year}"
    return None, steps, ""


def update_codes(codes: pd.Series, year: int, labels: Iterable[str] | None = None,
                 column: str = "gemeentecode") -> tuple[pd.Series, list[Problem], list[Problem]]:
    """Old municipal codes carried forward to the municipalities of ``year``.

    Parameters
    ----------
    codes
        Normalised codes (``GM0501``); missing values stay missing.
    year
        The boundary year the data are to be counted in.
    labels
        A label for each row ("housing row 4"); default ``row 1``, ``row 2`` ...

    Returns
    -------
    codes
        The codes of ``year`` where a merger changed them, others unchanged.
    notes
        One for every row whose code changed, naming the row, the old and
        new municipality and the source.
    problems
        One for every row whose code cannot be carried (split municipality,
        code newer than ``year``), with the fix.
    """
    labels = list(labels) if labels is not None else [f"row {i + 1}" for i in range(len(codes))]
    out = codes.copy()
    notes: list[Problem] = []
    problems: list[Problem] = []
    target = year_codes(year)
    if target is None:
        return out, notes, problems
    cache: dict[str, tuple[str | None, list[pd.Series], str]] = {}
    for position, (label, code) in enumerate(zip(labels, codes, strict=True)):
        if not isinstance(code, str) or code in target or code == "GM0998":
            continue
        if code not in cache:
            cache[code] = carry_forward(code, year)
        new, steps, why = cache[code]
        if new is not None:
            out.iloc[position] = new
            path = "; ".join(f"{s.old_code} {s.old_name} -> {s.new_code} {s.new_name} on {s.date} "
                             f"(source: {s.source}{'' if s.status == 'verified' else ', unverified'})" for s in steps)
            notes.append(Problem(f"{code} is counted as {new} ({target[new]}), its municipality in {year}: {path}",
                                 row=label, column=column))
        elif why:
            fix = ("give coordinates, or the code of the municipality the row lies in now" if "split" in why
                   else "choose a later boundary year, or give the row's code of that year")
            problems.append(Problem(why, row=label, column=column, fix=fix))
    return out, notes, problems


def region_table_for(year: int, regions: pd.DataFrame) -> pd.DataFrame:
    """The region table (COROP, province) of ``year``, from the table of :data:`BASE_YEAR`.

    A municipality of an earlier year takes the regions of the municipality
    it merged into; one split over parts in different regions gets none (it
    is summed under "not in a region" by :func:`planner.regions.rollup`).
    """
    codes = year_codes(year)
    if codes is None:
        raise KeyError(year)
    lookup = regions.drop_duplicates("gemeentecode").set_index("gemeentecode")
    rows = []
    crosswalk = load_crosswalk()
    for code, name in sorted(codes.items()):
        if code in lookup.index:
            rows.append({**lookup.loc[code].to_dict(), "gemeentecode": code, "gemeentenaam": name})
            continue
        new, _, _ = carry_forward(code, BASE_YEAR)
        parts = [new] if new else sorted(crosswalk.loc[crosswalk["old_code"] == code, "new_code"].unique())
        found = lookup.reindex([p for p in parts if p in lookup.index])
        row = {column: None for column in lookup.columns}
        for column in lookup.columns:
            if column != "gemeentenaam" and found[column].nunique() == 1 and len(found) == len(parts):
                row[column] = found[column].iloc[0]
        rows.append({**cast(dict[str, Any], row), "gemeentecode": code, "gemeentenaam": name})
    return pd.DataFrame(rows)[list(regions.columns)]


__all__ = ["BASE_YEAR", "YearMatch", "carry_forward", "codes_by_year", "known_years", "load_crosswalk",
           "recognise_year", "region_table_for", "update_codes", "year_codes"]
