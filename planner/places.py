"""Places without coordinates: a woonplaats (or municipality name) gives the municipality.

Registers often hold an address, a postcode and a woonplaats but no
coordinates. A location with a woonplaats is placed in its municipality (it
has no point, but it has a ``gemeentecode``, which is all the housing summary
and the regional shortfall need).

The table ``geodata/woonplaatsen_2024.csv`` (woonplaats -> gemeentecode) is
built by ``python -m planner.places`` from the place -> municipality table
that ships in the PyPI package ``woningwaardering`` (MIT;
``data/corop/corop.generated.csv``, the BAG woonplaatsen on the 2024
municipal division of 342 municipalities); a test checks the committed file
against a fresh build. Some place names occur in several municipalities
(``Beek``, ``Hengelo``): those are reported, with the fix, never guessed.

A 4-digit postcode cannot be placed: no postcode -> municipality table ships
in a registry package. Such rows say so and ask for a woonplaats or code.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd

from .paths import data_dir

YEAR = 2024
TABLE_FILE = f"woonplaatsen_{YEAR}.csv"
SOURCE = ("woningwaardering (PyPI, MIT) data/corop/corop.generated.csv: BAG woonplaatsen on the 2024 "
          "municipal division")
_POSTCODE = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})?\s*$")


def normalise_name(name: str) -> str:
    """A place name reduced for matching: no accents, case, punctuation or "'s-".

    >>> normalise_name("'s-Hertogenbosch"), normalise_name("Súdwest-Fryslân")
    ('s hertogenbosch', 'sudwest fryslan')
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"^'s[- ]", "s ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


@lru_cache(maxsize=1)
def load_table() -> pd.DataFrame:
    """The shipped woonplaats -> municipality table (2024 division)."""
    return pd.read_csv(data_dir("geodata") / TABLE_FILE, dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def _lookup() -> dict[str, tuple[tuple[str, str], ...]]:
    """Reduced name -> ((gemeentecode, gemeentenaam), ...), places and municipality names alike."""
    table = load_table()
    index: dict[str, set[tuple[str, str]]] = {}
    for place, code, name in table[["woonplaats", "gemeentecode", "gemeentenaam"]].itertuples(index=False):
        index.setdefault(normalise_name(place), set()).add((code, name))
    by_municipality: dict[str, set[tuple[str, str]]] = {}
    for code, name in table[["gemeentecode", "gemeentenaam"]].drop_duplicates().itertuples(index=False):
        by_municipality.setdefault(normalise_name(name), set()).add((code, name))
    for key, value in by_municipality.items():  # a municipality's own name wins over a namesake village
        index[key] = value
    return {key: tuple(sorted(value)) for key, value in index.items()}


#: Names in daily use for places the BAG and CBS write otherwise.
EVERYDAY_NAMES = {"den haag": "s gravenhage", "the hague": "s gravenhage", "den bosch": "s hertogenbosch"}
#: Abbreviations in place names, written out as the BAG writes them ("St. Michielsgestel", "Alphen a/d Rijn").
_ABBREVIATIONS = ((re.compile(r"\bst\b"), "sint"), (re.compile(r"\ba d\b"), "aan den"),
                  (re.compile(r"\ba d\b"), "aan de"), (re.compile(r"\bo d\b"), "op de"))


def _variants(name: str) -> list[str]:
    """``"Bergen (L)"``, ``"Bergen L"``, ``"Bergen (L.)"`` reduce alike; ``"Gemeente Venlo"`` also as ``Venlo``;
    ``"Den Haag"`` as ``'s-Gravenhage``, ``"St. Michielsgestel"`` as ``Sint-Michielsgestel``, ``"a/d"`` as
    ``aan den`` or ``aan de``."""
    key = normalise_name(name)
    out = [key]
    for prefix in ("gemeente ", "gem "):
        if key.startswith(prefix):
            out.append(key[len(prefix):])
    out += [EVERYDAY_NAMES[k] for k in list(out) if k in EVERYDAY_NAMES]
    for pattern, written in _ABBREVIATIONS:
        out += [pattern.sub(written, k) for k in list(out) if pattern.search(k)]
    return list(dict.fromkeys(out))


@lru_cache(maxsize=1)
def _all_codes() -> dict[str, frozenset[str]]:
    """Reduced name -> every municipality with a woonplaats or a municipality of that name (``Beuningen``: the
    municipality GM0209 and the village in Losser, GM0168)."""
    out: dict[str, set[str]] = {}
    for place, code, name in load_table()[["woonplaats", "gemeentecode", "gemeentenaam"]].itertuples(index=False):
        out.setdefault(normalise_name(place), set()).add(code)
        out.setdefault(normalise_name(name), set()).add(code)
    return {key: frozenset(value) for key, value in out.items()}


def codes_named(name: str) -> frozenset[str]:
    """Every municipality a place name may mean (empty when the name is no place planner knows).

    >>> sorted(codes_named("Beuningen")), sorted(codes_named("Nergenshuizen"))
    (['GM0168', 'GM0209'], [])
    """
    table = _all_codes()
    return next((table[k] for k in _variants(str(name)) if k in table), frozenset())


def municipality_of(organisation: str) -> str | None:
    """The CBS code of the municipality an organisation is (``Gemeente Venlo``, ``Venlo``), None for any other
    organisation (a region, a province, a company, a place that is no municipality).

    >>> municipality_of("Gemeente Venlo"), municipality_of("Regio Noord-Limburg"), municipality_of("Tienray")
    ('GM0983', None, None)
    """
    names = _municipality_codes()
    found = next((names[k] for k in _variants(str(organisation)) if k in names), frozenset())
    return next(iter(found)) if len(found) == 1 else None


@lru_cache(maxsize=1)
def _municipality_codes() -> dict[str, frozenset[str]]:
    """Reduced municipality name -> its code(s), read once."""
    names: dict[str, set[str]] = {}
    for code, name in load_table()[["gemeentecode", "gemeentenaam"]].drop_duplicates().itertuples(index=False):
        names.setdefault(normalise_name(name), set()).add(code)
    return {key: frozenset(value) for key, value in names.items()}


def gemeente_from_place(names: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Municipal codes for place (or municipality) names, and a problem text where none is certain.

    Returns ``codes`` (None where not found or ambiguous) and ``problems``
    (empty text where fine). Works on the distinct names only.

    Examples
    --------
    >>> codes, problems = gemeente_from_place(pd.Series(["Venlo", "Tienray", "Beek", "Nergenshuizen", None]))
    >>> codes.tolist()
    ['GM0983', 'GM1507', None, None, None]
    >>> problems[2].startswith("woonplaats 'Beek' lies in 3 municipalities")
    True
    """
    lookup = _lookup()
    codes: dict[object, str | None] = {}
    problems: dict[object, str] = {}
    for name in pd.unique(names.dropna()):
        text = str(name).strip()
        if not text:
            continue
        found = next((lookup[k] for k in _variants(text) if k in lookup), ())
        if len(found) == 1:
            codes[name] = found[0][0]
        elif found:
            listed = ", ".join(f"{code} {municipality}" for code, municipality in found)
            problems[name] = (f"woonplaats '{text}' lies in {len(found)} municipalities ({listed}); add a "
                              "gemeentecode or write the place as in the BAG (e.g. 'Bergen L')")
        else:
            problems[name] = f"woonplaats '{text}' is not a place in the {YEAR} list of woonplaatsen"
    code_series = pd.Series([codes.get(n) for n in names], index=names.index, dtype=object)
    return code_series, pd.Series([problems.get(n, "") for n in names], index=names.index, dtype=object)


_AFTER_POSTCODE = re.compile(r"\b\d{4}\s?[A-Za-z]{2}\b[\s,]+([^\d,]+?)\s*$")
_AFTER_NUMBER = re.compile(r"\d+(?:\s?[-/]?\s?[A-Za-z]{1,3}\b|\s?[-/]\s?\d+)?\s+([^\d,]+?)\s*$")


def place_in_address(values: pd.Series) -> pd.Series:
    """The place written at the end of a one-line address, or None.

    After a postcode (``Markt 1, 5911 AA Venlo``), after the last comma
    (``Markt 1, Venlo``), or after the house number (``Markt 1 Venlo``).
    What is found still has to be a woonplaats (see :func:`gemeente_from_place`).

    >>> place_in_address(pd.Series(["Markt 1, 5911 AA Venlo", "Kerkstraat 12a, Horst", "Markt 1 Venlo",
    ...                              "Markt 1", None])).tolist()
    ['Venlo', 'Horst', 'Venlo', None, None]
    """
    def one(value: object) -> str | None:
        if value is None or (isinstance(value, float) and value != value):
            return None
        text = str(value).strip()
        for pattern in (_AFTER_POSTCODE,):
            match = pattern.search(text)
            if match:
                return match.group(1).strip() or None
        if "," in text:
            last = text.rsplit(",", 1)[1].strip()
            return last if last and not any(c.isdigit() for c in last) else None
        match = _AFTER_NUMBER.search(text)
        return match.group(1).strip() if match else None

    return pd.Series([one(v) for v in values], index=values.index, dtype=object)


def postcode_digits(values: pd.Series) -> pd.Series:
    """The four digits of Dutch postcodes (``"5911 AB"`` -> ``"5911"``); None where not a postcode."""
    text = values.astype(object).where(values.notna(), "").astype(str)
    digits = text.str.extract(_POSTCODE)[0]
    return digits.astype(object).where(digits.notna(), None)
