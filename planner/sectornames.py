"""Sector and subtype names as people write them, read as planner's keys.

A site file from a municipality or a company says ``Distributiecentrum``,
``Logistiek / distributie``, ``E-commerce fulfilment``, ``Tuinbouw onder glas``
or ``Vleesverwerking`` where planner's keys are ``logistiek/dc``,
``logistiek/ecommerce_dc``, ``glastuinbouw`` or ``voeding/meat_processing``.
The vocabulary is data: ``sector_ratios/sector_names.csv`` (term, sector,
subtype, where, note and its Dutch text note_nl) plus every key, older key (``aliases``) and Dutch and
English label of ``subtypes.csv``. Terms are compared after
:func:`term_key` (lower case, accents and punctuation dropped), never
fuzzily: a name that is not in the vocabulary stays as written and the
impact assessment names it as unknown. A term with ``where = subtype`` is
read only in a subtype column beside its own sector (``Groente`` beside
``Glastuinbouw``; on its own it could be open-field vegetables).

:func:`translate_names` returns the keys and, for every name it read
differently than written, a note for the file's reading with the term's
note (some are assumptions, e.g. a distribution centre without further
description is taken as conventional).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import cast

import pandas as pd

from .errors import InputError, Problem
from .paths import sector_ratios_dir
from .places import normalise_name

NAME_COLUMNS = ("term", "sector", "subtype")
NAME_OPTIONAL = {"where": "", "note": "", "note_nl": ""}


def term_key(text: object) -> str:
    """``"Koel- en vrieshuis"`` -> ``"koel en vrieshuis"``; ``"e_commerce"`` -> ``"e commerce"`` (reduced as place
    names are, :func:`planner.places.normalise_name`)."""
    return normalise_name(str(text))


@dataclass(frozen=True)
class SectorNames:
    """The vocabulary: term -> (sector, subtype or None, note), and the terms read only beside a sector."""

    anywhere: dict[str, tuple[str, str | None, str]]
    beside: dict[tuple[str, str], tuple[str, str]]  # (sector, term) -> (subtype, note)
    subtypes: dict[str, tuple[str, ...]]  # sector -> its subtype keys
    dutch_notes: dict[str, str]  # a note in English -> the same in Dutch (for the interface)

    def subtype_of(self, sector: str, text: object) -> tuple[str, str] | None:
        """The subtype key a subtype cell names beside ``sector``, with the term's note."""
        key = term_key(text)
        for subtype in self.subtypes.get(sector, ()):
            if key == term_key(subtype):
                return subtype, ""
        if (sector, key) in self.beside:
            return self.beside[(sector, key)]
        found = self.anywhere.get(key)
        if found is not None and found[0] == sector and found[1] is not None:
            return found[1], found[2]
        return None


def _derived_terms(subtypes: pd.DataFrame) -> dict[str, tuple[str, str | None, str]]:
    """Every key, older key and label of the subtype table as a term (words two subtypes share are left out)."""
    anywhere: dict[str, tuple[str, str | None, str]] = {}
    for row in subtypes.itertuples():
        derived = [row.sector, row.subtype, row.label_nl, row.label_en,
                   str(row.label_nl).split(":", 1)[-1], str(row.label_en).split(":", 1)[-1],
                   *(a for a in str(getattr(row, "aliases", "")).split(";") if a.strip())]
        for text in derived:
            key = term_key(text)
            target: tuple[str, str | None, str] = (str(row.sector),
                                                   None if key == term_key(row.sector) else str(row.subtype), "")
            if key and anywhere.get(key, target)[:2] == target[:2]:
                anywhere[key] = target
            elif key:
                anywhere[key] = ("", None, "")  # two subtypes share the words: not read
    return {k: v for k, v in anywhere.items() if v[0]}


def _row_problem(line: object, row: pd.Series, known: dict[str, tuple[str, ...]]) -> Problem | None:
    sector, subtype = row["sector"], row["subtype"] or None
    if sector not in known:
        return Problem(f"unknown sector '{sector}'", f"line {line}", "sector", "use one of " + ", ".join(known))
    if subtype is not None and subtype not in known[sector]:
        return Problem(f"unknown subtype '{subtype}' for sector '{sector}'", f"line {line}", "subtype",
                       "use one of " + ", ".join(known[sector]))
    if row["where"] not in ("", "subtype"):
        return Problem(f"'{row['where']}' is not a place a term is read", f"line {line}", "where",
                       "leave it empty (read anywhere) or write subtype")
    if row["where"] == "subtype" and subtype is None:
        return Problem("a term read beside its sector must name a subtype", f"line {line}", "subtype")
    return None


def load_sector_names(path: str | Path, subtypes: pd.DataFrame) -> SectorNames:
    """Read the vocabulary file and add the keys, older keys and labels of ``subtypes``."""
    from .library import _read_csv

    path = Path(path)
    frame = _read_csv(path, NAME_COLUMNS, NAME_OPTIONAL)
    known = {sector: tuple(subtypes.loc[subtypes["sector"] == sector, "subtype"])
             for sector in dict.fromkeys(subtypes["sector"])}
    anywhere = _derived_terms(subtypes)
    beside: dict[tuple[str, str], tuple[str, str]] = {}
    problems = []
    for line, row in frame.iterrows():
        problem = _row_problem(line, row, known)
        if problem is not None:
            problems.append(problem)
            continue
        key, sector, subtype = term_key(row["term"]), row["sector"], row["subtype"] or None
        if row["where"] == "subtype":
            beside[(sector, key)] = (str(subtype), row["note"])
        elif key in anywhere and anywhere[key][:2] != (sector, subtype) and anywhere[key][2]:
            problems.append(Problem(f"'{row['term']}' is listed for {anywhere[key][0]}/{anywhere[key][1]} "
                                    f"and for {sector}/{subtype}", f"line {line}", "term",
                                    "give every term one meaning"))
        else:
            anywhere[key] = (sector, subtype, row["note"] or "")
    if problems:
        raise InputError(problems, source=str(path))
    dutch = {row["note"]: row["note_nl"] for _, row in frame.iterrows() if row["note"] and row["note_nl"]}
    return SectorNames(anywhere, beside, known, dutch)


@lru_cache(maxsize=4)
def bundled_sector_names(directory: str | None = None) -> SectorNames:
    """The vocabulary shipped in ``sector_ratios/`` (read once)."""
    from .library import load_subtypes

    folder = Path(directory) if directory is not None else sector_ratios_dir()
    return load_sector_names(folder / "sector_names.csv", load_subtypes(folder / "subtypes.csv"))


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or not str(value).strip()


def _with_note(text: str, note: str) -> str:
    return text + (f" ({note})" if note else "")


def _read_pair(sec_text: object, sub_text: object, names: SectorNames) -> tuple[str | None, str | None, list[str]]:
    """The sector and subtype keys one (sector cell, subtype cell) pair names, and what was read differently."""
    key = term_key(sec_text) if sec_text is not None else ""
    new_sec: str | None = None
    new_sub: str | None = None
    said: list[str] = []
    if key and key.replace(" ", "_") in names.subtypes:
        new_sec = key.replace(" ", "_")
    elif key in names.anywhere:
        new_sec, implied, note = names.anywhere[key]
        if implied is not None and sub_text is None:
            new_sub = implied
        said.append(_with_note(f"sector '{sec_text}' read as {new_sec}" + (f"/{new_sub}" if new_sub else ""), note))
    elif sec_text is None and sub_text is not None and term_key(sub_text) in names.anywhere:
        found_sec, found_sub, note = names.anywhere[term_key(sub_text)]
        if found_sub is not None:
            new_sec, new_sub = found_sec, found_sub
            said.append(_with_note(f"subtype '{sub_text}' (no sector) read as {new_sec}/{new_sub}", note))
    if new_sec is not None and sub_text is not None and new_sub is None:
        found = names.subtype_of(new_sec, sub_text)
        if found is not None:
            new_sub = found[0]
            if term_key(sub_text) != term_key(new_sub):
                said.append(_with_note(f"subtype '{sub_text}' read as {new_sec}/{new_sub}", found[1]))
    return new_sec, new_sub, said


def translate_names(sector: pd.Series, subtype: pd.Series | None, names: SectorNames
                    ) -> tuple[pd.Series, pd.Series | None, list[str]]:
    """Sector and subtype cells as planner's keys, where the vocabulary knows them, and notes on each reading.

    A cell that is a key already (in any case) becomes that key without a
    note; a known term becomes its key with a note that quotes it and how
    many rows say it; anything else stays as written.
    """
    sector_out = sector.astype(object).copy()
    subtype_out = subtype.astype(object).copy() if subtype is not None else None
    notes: list[str] = []
    given_sub = subtype if subtype is not None else pd.Series([None] * len(sector), index=sector.index,
                                                             dtype=object)
    pairs = pd.DataFrame({"sector": sector.astype(object), "subtype": given_sub.astype(object)})
    pairs = pairs.where(pairs.notna(), None)
    for pair, rows in pairs.groupby(["sector", "subtype"], dropna=False, sort=False).groups.items():
        sec_text, sub_text = cast(tuple, pair)
        new_sec, new_sub, said = _read_pair(None if _empty(sec_text) else sec_text,
                                            None if _empty(sub_text) else sub_text, names)
        if new_sec is not None:
            sector_out[rows] = new_sec
        if new_sub is not None:
            if subtype_out is None:
                subtype_out = pd.Series([None] * len(sector), index=sector.index, dtype=object)
            subtype_out[rows] = new_sub
        notes += [f"{text} ({len(rows)} row(s))" for text in said]
    return sector_out, subtype_out, notes
