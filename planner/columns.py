"""Which column of a user's file means what: headers scored, values checked, the reading reported.

Municipal exports name their columns in many ways (``X-coördinaat (RD)``,
``Gebruiksoppervlakte (m²)``, ``Aantal bewoners``, ``BVO``). Instead of a
fixed list, every header is reduced to its words and *qualifiers*: lower
case, accents dropped, units (``m2``, ``ha``) and words in parentheses
(``(RD)``, ``(WGS84)``, ``(m²)``) kept apart as hints, filler words
(``aantal``, ``number of``) dropped. Each header is then scored against each
target's Dutch and English synonyms; qualifiers and the column's values move
the score up or down (a column of numbers between 0 and 300,000 beside one
between 300,000 and 625,000 is RD x/y, even under unfamiliar headers).

The outcome is a :class:`Reading`: header -> meaning with a confidence and
how it was found, the headers left unused, and notes on the file (delimiter,
encoding, trailing delimiters, number notation per column). Readers attach
it to what they return, and the command line and the app show it before any
figure. Pure functions; nothing here reads files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import PurePath

import numpy as np
import pandas as pd

from .errors import InputError, Problem

#: Coordinate and geometry targets, shared by every kind of file.
COORDINATE_ALIASES: dict[str, tuple[str, ...]] = {
    "x": ("x", "x_rd", "rd_x", "xcoord", "x_coord", "x_coordinaat", "rdx", "x_coordinate", "easting", "oost",
          "x_waarde", "coordinaat_x", "rd_x_coordinaat", "x_locatie"),
    "y": ("y", "y_rd", "rd_y", "ycoord", "y_coord", "y_coordinaat", "rdy", "y_coordinate", "northing", "noord",
          "y_waarde", "coordinaat_y", "rd_y_coordinaat", "y_locatie"),
    "lon": ("lon", "lng", "long", "longitude", "lengtegraad", "lengte_graad", "oosterlengte"),
    "lat": ("lat", "latitude", "breedtegraad", "breedte_graad", "noorderbreedte"),
    "wkt": ("wkt", "geometry", "geometrie", "geom"),
    "xy": ("coordinaten", "coordinates", "coords", "gps", "gps_coordinaten", "latlon", "lat_lon", "lat_lng",
           "lat_long", "lon_lat", "x_y", "xy", "rd_coordinaten", "locatie_coordinaten", "coordinaten_rd",
           "coordinaten_wgs84"),
}

#: What each coordinate target holds.
COORDINATE_KINDS = {"x": "rd_x", "y": "rd_y", "lon": "lon", "lat": "lat", "wkt": "text", "xy": "text"}

#: Words that say nothing about the meaning of a header.
FILLER = frozenset({"aantal", "number", "of", "nr", "no", "totaal", "total", "de", "het", "van", "the", "in",
                    "per", "op", "a"})
#: Units and coordinate systems: kept as qualifiers, not as words of the header.
UNITS = frozenset({"m2", "ha", "hectare", "km", "m", "meter", "vierkante", "sq", "are"})
SYSTEMS = frozenset({"rd", "rijksdriehoek", "rd_new", "28992", "epsg", "wgs84", "wgs", "84", "4326", "graden",
                     "degrees", "etrs89"})

#: Words that make a header a count or a number of things (``Aantal kavels``, ``Kavel nr``), and the qualifier
#: :func:`header_key` gives such a header when it names no unit of area: a count is never an area.
COUNT_WORDS = frozenset({"aantal", "number", "nr", "nummer", "count", "no"})
AREA_UNITS = frozenset({"m2", "ha", "hectare", "are", "vierkante", "sq"})
#: Things counted in a plural (``Kavels`` 4), unless an area word or unit goes with them (``Oppervlakte kavels``).
COUNTED_THINGS = frozenset({"kavels", "percelen", "plots", "kassen", "hallen", "gebouwen", "panden", "units"})
AREA_WORDS = frozenset({"oppervlakte", "oppervlak", "opp", "grootte", "area", "size", "bvo", "vvo", "gbo"})
COUNTED = "#count"
#: A qualifier that makes a header a rate (``Banen per ha``, ``Banen per 1000 m2``): ``per`` and a unit, a part or
#: a power of ten, never a date (``Bewoners per 1-1-2024``).
RATE = "per_*"
#: ``per`` and the whole a list has a row for (``Arbeidsplaatsen per bedrijf``): each row's own figure, no rate.
WHOLE_SITE = frozenset({"bedrijf", "bedrijven", "locatie", "locaties", "vestiging", "vestigingen", "site", "sites",
                        "werklocatie", "onderneming", "company", "plan", "project", "initiatief"})

#: Lowest score at which a header is taken to mean a target.
MIN_SCORE = 0.55

#: Dutch extent of RD New (x, y) and of longitude/latitude, with a margin; the issue's value ranges.
RD_X_RANGE = (0.0, 300_000.0)
RD_Y_RANGE = (300_000.0, 625_000.0)
LON_RANGE = (-180.0, 180.0)
NL_LON_RANGE = (3.0, 7.5)
LAT_RANGE = (50.0, 54.0)


#: Superscript digits: a unit's power after m (m², m³), otherwise a footnote marker (``Vergunde bedden²``).
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FOOTNOTE = re.compile(rf"[{_SUPERSCRIPTS}]+|\s\d\)\s*$|\*+")


def _plain(text: str) -> str:
    """A header as plain lower-case ASCII words: ``m²`` as ``m2``; footnote markers (``¹``, ``*``, a closing
    ``1)``) dropped; a word broken over lines with a hyphen (``slaap-`` / ``kamers``) joined again."""
    text = str(text).strip().lower().replace("\u00ad", "")
    text = re.sub(r"(?<=[a-z])-[ \t]*[\r\n]+\s*(?=[a-z])", "", text)
    text = re.sub(r"\bm²", "m2", re.sub(r"\bm³", "m3", text))
    text = _FOOTNOTE.sub(" ", text)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _stem(word: str) -> str:
    """A crude Dutch/English plural strip, applied alike to headers and synonyms."""
    if len(word) > 5 and word.endswith("en"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class HeaderKey:
    """A header reduced for matching: its words, and its qualifiers (units, systems, words in parentheses)."""

    words: tuple[str, ...]
    qualifiers: frozenset[str]

    @property
    def key(self) -> str:
        return " ".join(self.words)

    @property
    def stems(self) -> tuple[str, ...]:
        return tuple(_stem(w) for w in self.words)


def header_key(name: object) -> HeaderKey:
    """Reduce a header to words and qualifiers.

    Examples
    --------
    >>> k = header_key("X-coördinaat (RD)")
    >>> k.words, sorted(k.qualifiers)
    (('x', 'coordinaat'), ['rd'])
    >>> header_key("Gebruiksoppervlakte (m²)").words, header_key("Aantal slaapkamers").words
    (('gebruiksoppervlakte',), ('slaapkamers',))
    >>> header_key("BVO m2").qualifiers
    frozenset({'m2'})
    """
    text = _plain(name)
    qualifiers: set[str] = set()
    for inner in re.findall(r"[(\[]([^)\]]*)[)\]]", text):
        qualifiers.update(re.findall(r"[a-z0-9]+", inner))
    if "%" in text:  # a percentage: ``Bezetting (%)`` or ``Bezetting %``
        qualifiers.add("pct")
    text = re.sub(r"[(\[][^)\]]*[)\]]", " ", text)
    tokens = re.findall(r"[a-z0-9]+", text)
    words = []
    for position, token in enumerate(tokens):
        if token in UNITS or token in SYSTEMS:
            qualifiers.add(token)
        elif token not in FILLER:
            words.append(token)
        elif token == "per" and position + 1 < len(tokens):  # a ratio: ``Personen per slaapkamer``
            qualifiers.add(f"per_{tokens[position + 1]}")
    if not words:  # a header of filler only ("Aantal"): keep its words
        words = [t for t in tokens if t not in UNITS and t not in SYSTEMS]
    if (set(tokens) & COUNT_WORDS or (set(tokens) & COUNTED_THINGS and not set(tokens) & AREA_WORDS)) \
            and not qualifiers & AREA_UNITS:  # ``Aantal kavels``, ``Kavel nr``, ``Kavels``: no area
        qualifiers.add(COUNTED)
    return HeaderKey(tuple(words), frozenset(qualifiers))


def normalise_header(name: object) -> str:
    """``"BVO (m2)"`` -> ``"bvo_m2"``, ``"X-coördinaat"`` -> ``"x_coordinaat"``: lower case, accents dropped,
    words joined by underscores (units kept; used where an exact name is wanted)."""
    return re.sub(r"[^0-9a-z]+", "_", _plain(name)).strip("_")


def header_score(header: HeaderKey, synonyms: tuple[HeaderKey, ...]) -> float:
    """How well a header matches a target's synonyms, from 0 to 1 (names only).

    1.0 for the same words; 0.85 for the same words in another order or
    plural; 0.75 when the header holds all of a synonym's words and a little
    more; 0.6 for a compound ending in a synonym (``woonoppervlakte``).
    """
    best = 0.0
    stems = header.stems
    for synonym in synonyms:
        if not synonym.words:
            continue
        # A synonym that carries a unit (oppervlakte_ha) fits a header without that unit only weakly.
        penalty = 0.3 if (synonym.qualifiers & UNITS) - header.qualifiers else 0.0
        syn = synonym.stems
        if header.words == synonym.words:
            score = 1.0
        elif stems == syn or sorted(stems) == sorted(syn):
            score = 0.85
        elif set(syn) <= set(stems):
            # One-letter synonyms (x, y) only count as a whole header or with a coordinate word.
            if len(syn) == 1 and len(syn[0]) == 1 and not (set(stems) & {"coordinaat", "coord", "coordinate"}):
                continue
            score = max(0.6, 0.8 - 0.05 * (len(stems) - len(syn)))
        elif len(syn) == 1 and len(syn[0]) >= 6 and any(s.endswith(syn[0]) and s != syn[0] for s in stems):
            score = 0.6
        else:
            continue
        best = max(best, score - penalty)
    return best


def _qualifier_shift(target: str, qualifiers: frozenset[str]) -> float:
    rd = bool(qualifiers & {"rd", "rijksdriehoek", "28992", "rd_new"})
    degrees = bool(qualifiers & {"wgs84", "wgs", "4326", "graden", "degrees", "etrs89"})
    if target in ("x", "y"):
        return 0.1 * rd - 0.4 * degrees
    if target in ("lon", "lat"):
        return 0.1 * degrees - 0.4 * rd
    if target.endswith("_m2"):
        return 0.05 * ("m2" in qualifiers) - 0.4 * ("ha" in qualifiers or "hectare" in qualifiers)
    if target.endswith("_ha"):
        return 0.1 * bool(qualifiers & {"ha", "hectare"}) - 0.3 * ("m2" in qualifiers)
    return 0.0


@dataclass(frozen=True)
class ValueProfile:
    """What a column's values look like: share of numbers, and their range (read with thousands
    separators, and read as degrees, where ``5.123`` is a decimal)."""

    filled: int
    numeric_share: float
    low: float = np.nan
    high: float = np.nan
    low_degrees: float = np.nan
    high_degrees: float = np.nan


def value_profile(values: pd.Series) -> ValueProfile:
    """Share of non-empty cells that read as numbers (with :mod:`planner.numbers`), and their range."""
    from .numbers import read_numbers

    text = values.astype(object)
    filled = int((text.notna() & (text.astype(str).str.strip() != "")).sum())
    if filled == 0:
        return ValueProfile(0, 0.0)
    numbers = read_numbers(values, thousands=True).values.dropna()
    if len(numbers) == 0:
        return ValueProfile(filled, 0.0)
    degrees = read_numbers(values, thousands=False).values.dropna()
    return ValueProfile(filled, len(numbers) / filled, float(numbers.min()), float(numbers.max()),
                        float(degrees.min()) if len(degrees) else np.nan,
                        float(degrees.max()) if len(degrees) else np.nan)


def _within(profile: ValueProfile, bounds: tuple[float, float], degrees: bool = False) -> bool:
    low, high = (profile.low_degrees, profile.high_degrees) if degrees else (profile.low, profile.high)
    return profile.numeric_share >= 0.8 and bounds[0] <= low and high <= bounds[1]


def value_fit(kind: str, profile: ValueProfile) -> float:
    """A factor by which the values confirm (1.1), leave open (1.0) or contradict (0.7) a target's kind."""
    if profile.filled == 0:
        return 1.0
    if profile.numeric_share < 0.5:
        return 0.7 if kind in ("number", "rd_x", "rd_y", "lon", "lat") else 1.0
    expected = {"rd_x": (RD_X_RANGE, False), "rd_y": (RD_Y_RANGE, False), "lon": (LON_RANGE, True),
                "lat": (LAT_RANGE, True)}
    if kind in expected:
        bounds, degrees = expected[kind]
        return 1.1 if _within(profile, bounds, degrees) else 1.0
    return 1.0


@dataclass(frozen=True)
class ColumnMatch:
    """How one header of the file was read."""

    header: str
    target: str | None
    confidence: float
    how: str  # "name", "name and values", "values", "by hand", "" (not used)
    note: str = ""


@dataclass(frozen=True)
class Reading:
    """How planner read a file: what each column means, and what it noticed.

    Carried with what the readers return (``frame.attrs["reading"]``) and
    shown before any figure. ``rows`` and ``used`` count the file's data rows
    and those that made it into the results (filled in by the caller that
    knows which rows are usable).
    """

    source: str
    columns: tuple[ColumnMatch, ...] = ()
    notes: tuple[str, ...] = ()
    rows: int | None = None
    used: int | None = None
    kind: str = "file"
    #: Data rows the reader left out on purpose before any check (remarks below the table, a location's rows at
    #: earlier dates): counted among the file's rows, never as unusable ones.
    left_out: int = 0

    @property
    def recognised(self) -> dict[str, str]:
        """target -> header."""
        return {m.target: m.header for m in self.columns if m.target}

    @property
    def unrecognised(self) -> list[str]:
        return [m.header for m in self.columns if not m.target]

    def with_note(self, note: str) -> Reading:
        return replace(self, notes=(*self.notes, note))

    def with_rows(self, rows: int, used: int) -> Reading:
        return replace(self, rows=int(rows), used=int(used))

    def with_left_out(self, rows: int) -> Reading:
        return replace(self, left_out=self.left_out + int(rows))

    def table(self) -> pd.DataFrame:
        """One row per header: header, meaning, confidence (%), how, note."""
        return pd.DataFrame({
            "header": [m.header for m in self.columns],
            "meaning": [m.target or "" for m in self.columns],
            "confidence": [round(100 * m.confidence) for m in self.columns],
            "how": [m.how for m in self.columns],
            "note": [m.note for m in self.columns],
        })

    def lines(self) -> list[str]:
        """The reading as text lines (English), for the command line."""
        out = [f"How planner read {PurePath(self.source).name}:"]
        width = max([len(repr(m.header)) for m in self.columns] + [10])
        for m in self.columns:
            if m.target:
                extra = f"; {m.note}" if m.note else ""
                out.append(f"  {m.header!r:<{width}} -> {m.target:<18} {100 * m.confidence:3.0f}% ({m.how}{extra})")
            else:
                out.append(f"  {m.header!r:<{width}} -> (not used)")
        out += [f"  {note}" for note in self.notes]
        if self.rows is not None and self.used is not None:
            out.append(f"  Rows used: {self.used:,} of {self.rows:,}"
                       + (f" ({self.left_out:,} left out as said above)" if self.left_out else ""))
        return out


def _synonym_keys(aliases: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[HeaderKey, ...]]:
    return {target: tuple(header_key(n.replace("_", " ")) for n in (target, *names))
            for target, names in aliases.items()}


def resolve_mapping(headers: list[str], mapping: Mapping[str, str] | None, targets: list[str],
                    source: str | None = None) -> dict[str, str]:
    """A user's header -> target mapping, with headers matched as typed or reduced alike.

    ``--map "X-coordinaat (RD)=x"`` finds the header ``X-coördinaat (RD)``.
    An unknown target or a header the file does not have is an error that
    lists what exists.
    """
    out: dict[str, str] = {}
    problems = []
    by_key = {normalise_header(h): h for h in headers}
    for given, target in (mapping or {}).items():
        if target not in targets:
            problems.append(Problem(f"'{target}' is not a column planner uses", column=given,
                                    fix="map onto one of " + ", ".join(targets)))
            continue
        header = given if given in headers else by_key.get(normalise_header(given))
        if header is None:
            problems.append(Problem(f"the file has no column '{given}'", column=given,
                                    fix="use one of the file's headers: " + ", ".join(repr(h) for h in headers[:20])))
            continue
        out[header] = target
    if problems:
        raise InputError(problems, source=source)
    return out


#: How much lower a second-choice header scores (see :func:`recognise`): enough to lose a tie, not to be dropped.
SECOND_CHOICE_SHIFT = 0.05


def _adjusted(score: float, target: str, key: HeaderKey, second_choice: Mapping[str, frozenset[str]] | None,
              never: Mapping[str, frozenset[str]] | None) -> float:
    """A name score after the units in brackets, a second choice's lower rank, and the headers a target never
    takes by name (score 0)."""
    if never and _says_any(key, never.get(target, frozenset())):
        return 0.0
    score = min(1.0, score + _qualifier_shift(target, key.qualifiers))
    if second_choice and set(key.words) & second_choice.get(target, frozenset()):
        score -= SECOND_CHOICE_SHIFT
    return score


_HEADER_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_HEADER_DATE = re.compile(r"(?<!\d)(\d{1,2})[-./](\d{1,2})[-./]((?:19|20)\d\d)(?!\d)")
_HEADER_QUARTER = re.compile(r"\bq([1-4])\b|\bkwartaal\s*([1-4])\b", re.IGNORECASE)
_HEADER_MONTHS = ("jan", "feb", "m", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def _header_year(header: str) -> int | None:
    found = _HEADER_YEAR.findall(str(header))
    return int(found[-1]) if found else None


def header_period(header: str) -> tuple[int, int, int]:
    """The period a header names, to order columns of one meaning by (``Bewoners 1-7-2024`` after ``1-1-2024``,
    ``Q3`` after ``Q1``, ``jul`` after ``jan``); (0, 0, 0) for none."""
    text = str(header).lower()
    if match := _HEADER_DATE.search(text):
        return int(match.group(3)), int(match.group(2)), int(match.group(1))
    year = _header_year(text) or 0
    if match := _HEADER_QUARTER.search(text):
        return year, 3 * int(match.group(1) or match.group(2)), 1
    words = re.findall(r"[a-z]+", text)
    month = next((i + 1 for w in words for i, m in enumerate(_HEADER_MONTHS) if (len(m) == 3 and w.startswith(m))
                  or (m == "m" and w in ("mrt", "maart", "mar", "march"))), 0)
    return year, month, 0


def _latest_note(header: str, target: str, score: float, candidates: list[tuple[float, str, str, str]]) -> str:
    """Said when a header won over headers that differ from it by their year: it is the latest of them."""
    year = _header_year(header)
    if year is None:
        return ""
    others = [h for s, h, t, _ in candidates if t == target and h != header and s == score and _header_year(h)
              and header_period(h) < header_period(header)]
    return f"the latest of {len(others) + 1} columns by year" if others else ""


_TOTAL = re.compile(r"\b(?:totaal|total|totalen|totals)\b", re.IGNORECASE)
#: How much a header that says it is a total (``Bewoners totaal incl. kinderen``) scores above its other words.
TOTAL_SHIFT = 0.1


def _candidate_order(first_choice: Mapping[str, frozenset[str]] | None,
                     texts: frozenset[tuple[str, str]] = frozenset()):
    """How candidates are tried: the highest score; of equal scores, one whose values fit the target (``texts``:
    header and target pairs whose cells are text where a number is wanted, as a plot id ``K12`` under ``Kavel``
    beside ``Oppervlakte kavel (m2)``), then a first-choice header (``Kas`` for the plot), then the latest period
    (``Bewoners 2024`` before ``2023``, ``1-7-2024`` before ``1-1-2024``), then a total (``Bewoners totaal`` before
    ``Bewoners Pools``), then the plainest header (``Bewoners`` before ``Bewoners M``)."""
    def order(candidate: tuple[float, str, str, str]) -> tuple:
        score, header, target, _ = candidate
        words = (first_choice or {}).get(target, frozenset())
        key = header_key(header)
        period = header_period(header) if _header_year(header) else (0, 0, 0)
        return (-score, (header, target) in texts, not (words and _says_any(key, words)), tuple(-p for p in period),
                not _TOTAL.search(str(header)), len(key.words) + len(key.qualifiers - {"m2", "ha", "hectare"}))
    return order


def _says_any(key: HeaderKey, words: frozenset[str]) -> bool:
    """Whether a header holds one of ``words``, as a word or a qualifier, or as the start of a compound (a word of
    five letters or more: ``perceel`` in ``perceeloppervlakte``)."""
    found = set(key.words) | set(key.qualifiers)
    if RATE in words and any(q.startswith("per_") and q[4:] not in WHOLE_SITE
                             and (not q[4:].isdigit() or q[4:] in ("10", "100", "1000", "10000"))
                             for q in key.qualifiers):
        return True
    exact = {w[1:] for w in words if w.startswith("=")}  # ``=woning``: the word itself, not ``woningen``
    return bool(found & (words | exact)) or any(w.startswith(n) for w in key.words for n in words
                                                if len(n) >= 5 and not n.startswith("="))


def recognise(frame: pd.DataFrame, aliases: Mapping[str, tuple[str, ...]],
              mapping: Mapping[str, str] | None = None, *, kinds: Mapping[str, str] | None = None,
              coordinates: bool = True, source: str = "file", use_values: bool = True,
              notes: Mapping[str, str] | None = None, cut_names: bool = False,
              second_choice: Mapping[str, frozenset[str]] | None = None,
              never: Mapping[str, frozenset[str]] | None = None,
              first_choice: Mapping[str, frozenset[str]] | None = None) -> Reading:
    """Decide what each column of ``frame`` means.

    Parameters
    ----------
    frame
        The file's table with its own headers (cells as read).
    aliases
        target -> synonyms (headers as users write them; reduced alike).
    mapping
        header -> target given by the user; wins over everything.
    kinds
        target -> ``"number"`` for targets whose values must be numbers.
    coordinates
        Also look for x/y, lon/lat and WKT columns.
    use_values
        Let the values confirm or contradict the names, and find RD x/y or
        lon/lat pairs by their values alone.
    notes
        target -> a note shown beside its match (e.g. what an assumption means).
    cut_names
        The headers come from a Shapefile's attribute table, which cuts names
        to 10 characters: read such a name by its start (see :func:`_cut_names`).
    second_choice
        target -> words of headers that fit it only when no better header is
        there (a register's gross floor area, ``BVO``, where the norms count
        usable floor area, ``GBO``): such a header scores a little lower.
    never
        target -> words (or units in brackets) of headers that must not be
        read as it by name (``Aantal medewerkers (fte)`` is no head count).
    first_choice
        target -> words of headers that win a tie for it (``Kas (ha)`` beside
        ``Kavel (ha)``: a glasshouse's ratio is per hectare of glass).

    Returns
    -------
    Reading
        One :class:`ColumnMatch` per header, in the file's order.
    """
    targets = dict(aliases)
    target_kinds = dict(kinds or {})
    if coordinates:
        targets.update(COORDINATE_ALIASES)
        target_kinds.update(COORDINATE_KINDS)
    headers = [str(c) for c in frame.columns]
    chosen = resolve_mapping(headers, mapping, list(targets), source)
    synonyms = _synonym_keys(targets)
    profiles = {h: value_profile(frame[h]) for h in headers} if use_values else {}
    candidates: list[tuple[float, str, str, str]] = []
    for header in headers:
        if header in chosen:
            continue
        key = header_key(header)
        for target, keys in synonyms.items():
            score = header_score(key, keys)
            if score <= 0:
                continue
            score = _adjusted(score, target, key, second_choice, never)
            if score > 0 and _TOTAL.search(header):  # the total of a count split over columns beats its parts
                score = min(1.0, score + TOTAL_SHIFT)
            how = "name"
            if use_values and target in target_kinds:
                factor = value_fit(target_kinds[target], profiles[header])
                score = min(1.0, score * factor)
                how = "name and values" if factor > 1 else "name"
            if score >= MIN_SCORE:
                candidates.append((score, header, target, how))
    cut = (_cut_names(headers, chosen, candidates, targets, target_kinds, profiles if use_values else None)
           if cut_names else {})
    candidates += [c for c, _ in cut.values()]
    matches: dict[str, ColumnMatch] = {h: ColumnMatch(h, t, 1.0, "by hand") for h, t in chosen.items()}
    taken = set(chosen.values())
    # Equal scores: the header of the latest year first (Bewoners 2022 / 2023 / 2024: the current figure).
    texts = frozenset((h, t) for _, h, t, _ in candidates if use_values and t in target_kinds
                      and value_fit(target_kinds[t], profiles[h]) < 1.0)
    for score, header, target, how in sorted(candidates, key=_candidate_order(first_choice, texts)):
        if header in matches or target in taken:
            continue
        note = "; ".join(n for n in ((notes or {}).get(target, ""), cut[header][1] if header in cut else "",
                                     _latest_note(header, target, score, candidates)) if n)
        matches[header] = ColumnMatch(header, target, round(score, 2), how, note)
        taken.add(target)
    matches = _runners_up(matches, candidates)
    if coordinates and use_values and not ({"x", "y"} <= taken or {"lon", "lat"} <= taken or "wkt" in taken
                                           or "xy" in taken):
        matches.update(_pairs_by_value(headers, matches, profiles, taken))
    return Reading(source, tuple(matches.get(h, ColumnMatch(h, None, 0.0, "")) for h in headers))


#: A header that scores this close to the chosen one for the same target is named beside it (see below).
RUNNER_UP_MARGIN = 0.1


def _runners_up(matches: dict[str, ColumnMatch],
                candidates: list[tuple[float, str, str, str]]) -> dict[str, ColumnMatch]:
    """Beside each column read by name, the unused headers that fit its meaning almost as well (``Bewoners``
    and ``Aantal arbeidsmigranten``; ``m2 BVO fase 1`` and ``m2 BVO fase 2``): planner reads one column per
    meaning, and the user sees which others it left, to map by hand if another is the right one. Headers that
    differ only by their year are left out (the latest is read and said so)."""
    out = dict(matches)
    for header, match in matches.items():
        if match.target is None or match.how == "by hand":
            continue
        others = [h for s, h, t, _ in candidates if t == match.target and h not in matches
                  and s >= match.confidence - RUNNER_UP_MARGIN
                  and not (_header_year(h) and _header_year(header))]
        if others:
            also = f"also fits: {', '.join(repr(h) for h in dict.fromkeys(others))} (not used)"
            out[header] = replace(match, note="; ".join(n for n in (match.note, also) if n))
    return out


#: A Shapefile's attribute table (dBASE) keeps at most this many characters of a column name.
DBF_NAME_LENGTH = 10
CUT_SCORE = 0.7


def _cut_names(headers: list[str], chosen: Mapping[str, str], candidates: list[tuple[float, str, str, str]],
               targets: Mapping[str, tuple[str, ...]], target_kinds: Mapping[str, str],
               profiles: Mapping[str, ValueProfile] | None) -> dict[str, tuple[tuple[float, str, str, str], str]]:
    """Headers cut to 10 characters by the Shapefile format (``GEBRUIKSOP``, ``AANTAL_SLA``), read by their start.

    A header of exactly :data:`DBF_NAME_LENGTH` characters that no name fits
    is matched when it is the start of a synonym of exactly one target
    (``aantal_sla`` of ``aantal_slaapkamers``).
    """
    named = {header for _, header, _, _ in candidates}
    # Counts are often headed "aantal ..." where the synonym has the bare noun (slaapkamers).
    starts = {target: [form for n in (target, *names)
                       for form in (normalise_header(n), f"aantal_{normalise_header(n)}")]
              for target, names in targets.items()}
    found = {}
    for header in headers:
        if header in chosen or header in named or len(header.strip()) != DBF_NAME_LENGTH:
            continue
        start = normalise_header(header)
        fits = [t for t, names in starts.items() if any(n.startswith(start) and n != start for n in names)]
        if len(fits) != 1:
            continue
        score, how = CUT_SCORE, "name"
        if profiles is not None and fits[0] in target_kinds:
            factor = value_fit(target_kinds[fits[0]], profiles[header])
            score, how = min(1.0, score * factor), "name and values" if factor > 1 else "name"
        if score >= MIN_SCORE:
            found[header] = ((score, header, fits[0], how),
                             "a name cut to 10 characters (as the Shapefile format does), read by its start")
    return found


def _pairs_by_value(headers: list[str], matches: dict[str, ColumnMatch], profiles: dict[str, ValueProfile],
                    taken: set[str]) -> dict[str, ColumnMatch]:
    """RD x/y or lon/lat found from the values of two unused numeric columns."""
    free = [h for h in headers if h not in matches and profiles[h].filled]
    found: dict[str, ColumnMatch] = {}
    for first_kind, first, second in (("rd_x", "x", "y"), ("lon", "lon", "lat")):
        if {first, second} & taken:
            continue
        if first_kind == "rd_x":
            a = [h for h in free if _within(profiles[h], (1_000.0, RD_X_RANGE[1]))]
            b = [h for h in free if _within(profiles[h], RD_Y_RANGE)]
        else:
            a = [h for h in free if _within(profiles[h], NL_LON_RANGE, True)]
            b = [h for h in free if _within(profiles[h], LAT_RANGE, True)]
        a = [h for h in a if h not in b]
        if len(a) == 1 and len(b) == 1:
            note = "found from the values" + (" (RD New range)" if first == "x" else " (degrees in the Netherlands)")
            found[a[0]] = ColumnMatch(a[0], first, 0.6, "values", note)
            found[b[0]] = ColumnMatch(b[0], second, 0.6, "values", note)
            break
    return found


def rename_for(reading: Reading) -> dict[str, str]:
    """header -> target, for ``DataFrame.rename``."""
    return {m.header: m.target for m in reading.columns if m.target}


@dataclass(frozen=True)
class ColumnCatalogue:
    """The targets of one kind of file, for mapping drop-downs and messages."""

    aliases: Mapping[str, tuple[str, ...]]
    kinds: Mapping[str, str] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)

    @property
    def targets(self) -> list[str]:
        return [*self.aliases, *COORDINATE_ALIASES]
