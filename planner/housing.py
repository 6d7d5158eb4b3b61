"""Housing-stock check: capacity of places where labour migrants live, under a norm set.

A municipality's register lists locations (regular dwellings, room-let houses,
short-stay locations, holiday chalets, farm housing) with their usable floor
area, bedrooms and occupants. Under a *norm set* (named data, see
``norms/norm_sets.csv``) each location can house at most

``capacity = min(floor(area / m2 per person), bedrooms x persons per bedroom,
floor(bedroom area / m2 per person in the bedroom), sanitary units x persons per
unit, licensed beds)``

taking only the rules the norm set has and the columns the register fills.
Where bedrooms are unknown they are estimated from the floor area (one per
``m2_per_estimated_bedroom``, at least one): a documented assumption, flagged
per location and counted in every summary.

Rows with unusable values are kept, marked ``valid = False`` with the reason
in ``problem``, left out of the totals and counted; nothing is dropped.
Usable rows whose values do not fit together (5,000 occupants in 40 m2, 40
bedrooms in 90 m2) are counted as they are and marked in ``to_check`` with
the reason, so that a planner sees them.
Everything is vectorised over locations.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from .errors import InputError, Problem
from .numbers import parse_numbers, read_numbers, why_not_a_number
from .paths import data_dir

#: Canonical input columns of a housing register.
HOUSING_COLUMNS = {
    "location_id": "id of the location in the municipality's system",
    "address": "address",
    "type": "woning, kamerverhuur, woonunit, short_stay, recreatie, agrarisch (others become overig)",
    "floor_area_m2": "usable floor area (gebruiksoppervlakte) in m2",
    "bedrooms": "number of bedrooms (empty when unknown: estimated)",
    "occupants": "current occupants, registered or counted (empty: none)",
    "licensed_beds": "beds in the licence, where known",
    "bedroom_area_m2": "total floor area of the bedrooms, where known",
    "toilets": "number of toilets, where known",
    "showers": "number of showers, where known",
    "gemeentecode": "CBS municipality code (GM0983); found from the geometry when empty",
}
NUMERIC_COLUMNS = ("floor_area_m2", "bedrooms", "occupants", "licensed_beds", "bedroom_area_m2", "toilets",
                   "showers")
LOCATION_TYPES = ("woning", "kamerverhuur", "woonunit", "short_stay", "recreatie", "agrarisch", "overig")
#: Types that are regular dwellings or units in a building complex (for norms with a separate floor for them,
#: like SNF's 12 m2 "in reguliere woningen en wooneenheden in een gebouwencomplex").
REGULAR_DWELLINGS = ("woning", "kamerverhuur", "woonunit")

#: Dutch and English names of location types, reduced as :func:`type_key` reduces a cell.
_TYPE_SYNONYMS = {
    "woning": ("woning", "eengezinswoning", "reguliere woning", "regular dwelling", "dwelling", "house",
               "appartement", "flat", "huis", "woonhuis", "rijtjeshuis", "tussenwoning", "hoekwoning",
               "zelfstandige woning", "meergezinswoning", "apartment", "zelfstandige woonruimte", "zelfstandig",
               "woonruimte", "grondgebonden woning", "benedenwoning", "bovenwoning", "maisonnette",
               "vrijstaande woning", "twee onder een kap", "2 onder 1 kap", "portiekwoning", "galerijwoning"),
    "kamerverhuur": ("kamerverhuur", "kamer", "room", "room let", "hmo", "onzelfstandig", "onzelfstandige woning",
                     "onzelfstandige woonruimte", "kamerbewoning", "verhuur kamer", "studio",
                     "niet zelfstandige woonruimte", "niet zelfstandig", "niet zelfstandige woning",
                     "onzelfstandige eenheid", "kamergewijze verhuur", "verkamerde woning", "verkamering"),
    "woonunit": ("woonunit", "unit", "wooneenheid", "flexwoning", "tijdelijke woning", "container woning",
                 "modulaire woning", "portacabin", "tiny house"),
    "short_stay": ("short stay", "shortstay", "hotel", "pension", "campus", "campussen", "logie", "logiesgebouw",
                   "hostel",
                   "logiesverblijf", "short stay locatie", "short stay accommodatie", "motel",
                   "arbeidsmigrantenhotel",
                   "huisvestingslocatie", "mid stay", "midstay"),
    "recreatie": ("recreatie", "recreatiewoning", "chalet", "vakantiepark", "vakantiewoning", "holiday park",
                  "stacaravan", "bungalow", "recreatiepark", "camping", "caravan", "vakantiehuis", "bungalowpark",
                  "recreatieverblijf", "holiday home"),
    "agrarisch": ("agrarisch", "boerderij", "farm", "agrarisch bedrijf", "op het erf", "bedrijfswoning",
                  "agrarische bedrijfswoning", "tuinbouw", "landbouw", "erf", "agrarische huisvesting",
                  "seizoenshuisvesting", "seizoenarbeider"),
}
#: Words that say nothing about the type ("short stay locatie", "woning voor arbeidsmigranten").
_TYPE_FILLER = frozenset({"locatie", "accommodatie", "voorziening", "huisvesting", "voor", "arbeidsmigrant",
                          "arbeidsmigranten", "van", "de", "het", "een", "op", "in", "type", "location", "for",
                          "migrant", "workers", "worker", "labour", "overig"})


def type_key(text: object) -> str:
    """A type cell reduced for matching: lower case, no accents or punctuation, filler words and plurals gone.

    >>> type_key("Short Stay (locaties)"), type_key("Recreatiewoningen"), type_key("Kamers")
    ('short stay', 'recreatiewoning', 'kamer')
    """
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", str(text).lower()) if not unicodedata.combining(c))
    words = []
    for word in re.findall(r"[a-z0-9]+", plain):
        for ending in ("ingen", "en", "s"):  # woningen, chalets, logies, units
            if word.endswith(ending) and len(word) - len(ending) >= 4 and not word.endswith("ss"):
                word = word[: -len(ending)] + ("ing" if ending == "ingen" else "")
                break
        if word not in _TYPE_FILLER:
            words.append(word)
    return " ".join(words)


@functools.cache
def _type_lookup() -> dict[str, str]:  # read only: the same dict for every call
    lookup = {type_key(key): key for key in _TYPE_SYNONYMS}
    lookup.update({type_key(name): key for key, names in _TYPE_SYNONYMS.items() for name in names})
    return lookup


def _type_of(text: object, lookup: dict[str, str]) -> str:
    """One distinct type cell: an exact synonym, else the longest synonym inside it, else ``overig``."""
    key = type_key(text)
    if not key:
        return "overig"
    if key in lookup:
        return lookup[key]
    padded = f" {key} "
    found = [(len(name), lookup[name]) for name in lookup if f" {name} " in padded or
             (len(name) >= 6 and any(w.endswith(name) for w in key.split()))]
    return max(found)[1] if found else "overig"


#: Bounds beyond which a value is taken as a mistake in the register.
MAX_FLOOR_AREA_M2 = 100_000.0
MAX_OCCUPANTS = 5_000.0

LIMITS = ("floor_area", "bedrooms", "bedroom_area", "sanitary", "licence")


@dataclass(frozen=True)
class NormSet:
    """A named set of housing rules. NaN means the rule is not part of the set."""

    name: str
    label_nl: str
    label_en: str
    m2_per_person: float
    m2_per_person_regular_dwelling: float = np.nan
    max_persons_per_bedroom: float = np.nan
    min_bedroom_m2_per_person: float = np.nan
    persons_per_sanitary_unit: float = np.nan
    status: str = "assumption"
    source: str = ""
    version_date: str = ""
    note: str = ""


@dataclass(frozen=True)
class HousingParameters:
    """Assumptions of the check, from ``norms/housing_parameters.csv``."""

    m2_per_estimated_bedroom: float = 33.0
    signal_persons_per_address: float = 8.0
    #: Below these a usable row is marked ``to_check`` (values that do not fit together); it still counts.
    to_check_m2_per_person: float = 4.0
    to_check_floor_area_m2: float = 6.0
    to_check_m2_per_bedroom: float = 5.0


def load_norm_sets(extra: Iterable[str | Path] = ()) -> dict[str, NormSet]:
    """The bundled norm sets, plus a user's own norm-set files (same columns).

    Examples
    --------
    >>> norms = load_norm_sets()
    >>> norms["roemer"].m2_per_person, norms["roemer"].max_persons_per_bedroom
    (15.0, 1.0)
    """
    sets: dict[str, NormSet] = {}
    numeric = ("m2_per_person", "m2_per_person_regular_dwelling", "max_persons_per_bedroom",
               "min_bedroom_m2_per_person", "persons_per_sanitary_unit")
    from .csvtext import read_data_csv

    for path in (data_dir("norms") / "norm_sets.csv", *map(Path, extra)):
        frame = read_data_csv(Path(path), [f.name for f in fields(NormSet) if f.name != "version_date"])
        if "version_date" not in frame.columns:  # optional in a user's own file
            frame["version_date"] = ""
        problems: list[Problem] = []
        for column in numeric:
            numbers = read_numbers(frame[column])
            problems += numbers.problems(frame[column], column)
            problems += [Problem("must be above zero", f"line {i}", column)
                         for i in frame.index[numbers.values <= 0]]
            frame[column] = numbers.values
        problems += [Problem("m2_per_person is required", f"line {i}", "m2_per_person")
                     for i in frame.index[frame["m2_per_person"].isna()]]
        problems += [Problem(f"norm set '{n}' is defined twice", f"line {i}", "name")
                     for i, n in frame["name"].items() if n in sets or (frame["name"] == n).sum() > 1]
        if problems:
            raise InputError(problems, source=str(path))
        for record in frame.to_dict("records"):
            sets[record["name"]] = NormSet(**{f.name: record[f.name] for f in fields(NormSet)})
    return sets


def load_housing_parameters(path: str | Path | None = None) -> HousingParameters:
    """The assumptions of the check from ``norms/housing_parameters.csv`` (or ``path``).

    Values are read with the shared number reader (``33``, ``33,0`` and
    ``33.0`` alike); a value that is not a number, an unknown or a missing
    parameter is an error naming the file, line and column.
    """
    from .csvtext import read_data_csv

    path = Path(path) if path is not None else data_dir("norms") / "housing_parameters.csv"
    frame = read_data_csv(path, ("parameter", "value"))
    numbers = read_numbers(frame["value"])
    problems = numbers.problems(frame["value"], "value")
    problems += [Problem("value missing", f"line {i}", "value", "fill in a number")
                 for i in frame.index[frame["value"].str.strip() == ""]]
    known = {f.name for f in fields(HousingParameters)}
    problems += [Problem(f"unknown parameter '{name}'", f"line {i}", "parameter", "use one of " + ", ".join(known))
                 for i, name in frame["parameter"].items() if name not in known]
    problems += [Problem("must be above zero", f"line {i}", "value") for i in frame.index[numbers.values <= 0]]
    if problems:
        raise InputError(problems, source=str(path))
    return HousingParameters(**dict(zip(frame["parameter"], numbers.values.astype(float), strict=True)))


def normalise_type(values: pd.Series) -> pd.Series:
    """Map Dutch and English location types onto :data:`LOCATION_TYPES`.

    Case, accents, punctuation, plurals and filler words (``locatie``,
    ``voor arbeidsmigranten``) do not matter; a cell that holds a known name
    inside more words (``vakantiepark De Berk``) takes that name's type.
    Works on the distinct values only, so a national register with a handful
    of types costs one factorisation.
    """
    lookup = _type_lookup()
    if isinstance(values.dtype, pd.CategoricalDtype):  # as read from Parquet: the categories are the distinct values
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array([_type_of(u, lookup) for u in uniques] + ["overig"], dtype=object)  # missing (-1): overig
    return pd.Series(mapped[codes], index=values.index, dtype=object)


_CODE_FORMS = (re.compile(r"(?:GM)?[\s\-_.]*(\d{1,4})(?:\s*[-\u2013:,/]?\s*[^\W\d_].*)?"),  # 983, GM 0983, 0983 Venlo
               re.compile(r".*?\bGM[\s\-_.]*(\d{4})\b.*"))  # Venlo (GM0983)


_POSTCODE = re.compile(r"\d{4}\s?[A-Z]{2}\b.*")


def _one_code(text: str) -> str | None:
    text = text.strip().upper().removesuffix(".0")
    if not text:
        return None
    if _POSTCODE.fullmatch(text):  # a postcode (1681 AB) is no municipality code: reported as such
        return "GM" + text
    for form in _CODE_FORMS:
        if match := form.fullmatch(text):
            return "GM" + match.group(1).zfill(4)
    return text if text.startswith("GM") else "GM" + text


def normalise_gemeentecode(values: pd.Series) -> pd.Series:
    """``983``, ``0983``, ``gm0983``, ``GM 0983``, ``0983 Venlo`` and ``Venlo (GM0983)`` all become ``GM0983``;
    empty stays missing; anything else is kept (with ``GM`` before it) to be reported as an unknown code.

    Each distinct value is read once (a national register repeats a few hundred codes millions of times).
    """
    codes, uniques = pd.factorize(values.astype(object).where(values.notna(), ""), use_na_sentinel=True)
    mapped = np.array([_one_code(str(u)) for u in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def has_location(geometries: np.ndarray) -> np.ndarray:
    """True where a geometry gives a place: not missing, not empty, no NaN coordinates (POINT (NaN NaN))."""
    with np.errstate(invalid="ignore"):
        return (~shapely.is_missing(geometries) & ~shapely.is_empty(geometries)
                & np.isfinite(shapely.bounds(geometries)).all(axis=1))


def normalise_ids(values: pd.Series) -> pd.Series:
    """Location ids as compared for repeats: numbers as they are, text stripped, empty as missing; an id of digits
    only without its leading zeros (a BAG id ``0983010000012345`` that a spreadsheet showed as a number elsewhere
    in the same register is the same location)."""
    if pd.api.types.is_numeric_dtype(values):
        return values
    ids = values.astype(object).where(values.notna())
    ids = ids.astype(str).str.strip().where(ids.notna())
    # BAG ids (16 digits) lose their leading zero in a spreadsheet; short ids such as 01 and 1 may be two locations
    digits = (ids.str.isdigit().fillna(False).astype(bool) & ids.str.startswith("0").fillna(False).astype(bool)
              & (ids.str.len() >= 10).fillna(False).astype(bool))
    if digits.any():
        ids = ids.where(~digits, ids[digits].str.lstrip("0").replace("", "0"))
    return ids.where(ids != "")


class _Problems:
    """Reasons why rows are unusable, collected as masks; text is built only for flagged rows."""

    def __init__(self, index: pd.Index, initial: pd.Series | None = None):
        self.index = index
        self.parts: list[tuple[np.ndarray, object]] = []
        if initial is not None:
            text = initial.astype(object).where(initial.notna(), "")
            # Only cells holding something are turned into text (most rows of a large register hold nothing).
            filled = np.flatnonzero(text.to_numpy(dtype=object) != "")
            said = np.zeros(len(text), dtype=bool)
            said[filled] = text.iloc[filled].astype(str).str.strip().ne("").to_numpy(dtype=bool)
            self.add(said, lambda rows: text[rows])

    def add(self, mask, message) -> None:
        """``message`` is a string, or a function of the flagged rows' boolean mask giving their texts."""
        if isinstance(mask, pd.Series | np.ndarray) and mask.dtype == bool:  # no missing values to fill
            mask = np.asarray(mask)
        else:
            mask = np.asarray(pd.Series(mask, index=self.index).fillna(False), dtype=bool)
        if mask.any():
            self.parts.append((mask, message))

    def flagged(self) -> np.ndarray:
        out = np.zeros(len(self.index), dtype=bool)
        for mask, _ in self.parts:
            out |= mask
        return out

    def text(self) -> pd.Series:
        out = pd.Series("", index=self.index, dtype=object)
        for mask, message in self.parts:
            piece = message(mask) if callable(message) else message  # the flagged rows' texts, or one text
            if isinstance(piece, pd.Series):
                piece = piece.to_numpy(dtype=object)
            current = out.to_numpy(dtype=object)[mask]
            out.iloc[np.flatnonzero(mask)] = [f"{a}; {b}" if a else str(b) for a, b in
                                              zip(current, np.broadcast_to(np.asarray(piece, dtype=object),
                                                                           current.shape), strict=True)]
        return out


def prepare_locations(locations: pd.DataFrame, placed: pd.Series | np.ndarray | None = None) -> pd.DataFrame:
    """Canonical, typed columns and a ``problem`` text per row (empty when usable).

    Does not raise for bad rows: it marks them, so one bad row never stops a run.
    ``placed`` says which rows have a location (default: a non-empty geometry);
    rows without one need a ``gemeentecode``.
    """
    index = locations.index
    # The columns, made into one frame at the end (inserting them one by one costs more).
    out: dict[str, pd.Series | np.ndarray] = {}
    problems = _Problems(locations.index, locations["input_problem"] if "input_problem" in locations.columns
                         else None)
    unreadable = pd.Series(False, index=locations.index)
    for column in NUMERIC_COLUMNS:
        if column not in locations.columns:
            out[column] = pd.Series(np.nan, index=index)
            continue
        raw = locations[column]
        values, bad = parse_numbers(raw)
        problems.add(bad, lambda rows, raw=raw, column=column: f"{column}: '" + raw[rows].astype(str)
                     + "' " + raw[rows].map(why_not_a_number))
        out[column] = values
        if column == "floor_area_m2":
            # Unreadable here, or already reported by the reader (an ambiguous number): not "missing" as well.
            given = (locations["input_problem"].astype(str).str.contains("floor_area_m2: ", regex=False)
                     if "input_problem" in locations.columns else False)
            unreadable = bad | given
    out["type"] = (normalise_type(locations["type"]) if "type" in locations.columns
                   else pd.Series("overig", index=index, dtype=object))
    out["gemeentecode"] = (normalise_gemeentecode(locations["gemeentecode"]) if "gemeentecode" in locations.columns
                           else pd.Series(None, index=index, dtype=object))
    numbers = {c: pd.Series(out[c], index=index, copy=False) for c in NUMERIC_COLUMNS}
    area, occupants, bedrooms = numbers["floor_area_m2"], numbers["occupants"], numbers["bedrooms"]
    code = out["gemeentecode"]
    problems.add(area.isna() & ~unreadable, "usable floor area missing (the norms are per m2: fill in floor_area_m2)")
    problems.add(area <= 0, "usable floor area is zero or negative")
    problems.add(area > MAX_FLOOR_AREA_M2, f"usable floor area above {MAX_FLOOR_AREA_M2:,.0f} m2 (check the unit)")
    problems.add(occupants < 0, "negative number of occupants")
    problems.add(occupants > MAX_OCCUPANTS, f"more than {MAX_OCCUPANTS:,.0f} occupants at one address")
    problems.add(occupants.notna() & (occupants != np.floor(occupants)), "occupants is not a whole number")
    problems.add(bedrooms < 1, "bedrooms below 1 (leave the cell empty when unknown)")
    for column in ("licensed_beds", "bedroom_area_m2", "toilets", "showers"):
        problems.add(numbers[column] < 0, f"{column} is negative")
    if placed is None:
        placed = (has_location(locations.geometry.to_numpy())
                  if hasattr(locations, "geometry") and locations.geometry.name in locations.columns
                  else np.zeros(len(locations), dtype=bool))
    placed = pd.Series(np.asarray(placed, dtype=bool), index=locations.index)
    problems.add(~placed & pd.isna(code),
                 "no coordinates and no gemeentecode, so the location cannot be placed")
    if "location_id" in locations.columns:
        # The same location twice would count its places twice: the later rows are left out and said so.
        ids = normalise_ids(locations["location_id"])
        repeated = (ids.notna() & ids.duplicated(keep="first")).to_numpy()
        if repeated.any():
            concerned = ids.isin(ids[repeated])
            first = pd.Series(locations.index[concerned.to_numpy()], index=locations.index[concerned.to_numpy()]
                              ).groupby(ids[concerned]).transform("first")
            label = locations.index.name or "row"
            problems.add(repeated, lambda rows: "location_id '" + ids[rows].map(str) + f"' already on {label} "
                         + first.reindex(locations.index[rows]).astype(str).to_numpy(dtype=object)
                         + " (a location is counted once)")
    out["occupants_known"] = occupants.notna()
    out["problem"] = problems.text()
    out["valid"] = ~problems.flagged()
    return pd.DataFrame(out, index=index, copy=False)


def _checks(prepared: pd.DataFrame, params: HousingParameters) -> _Problems:
    """Usable rows whose values do not fit together, with the reason: a planner should look at them.

    They are not made unusable (that would lose their capacity); the
    thresholds are assumptions in ``norms/housing_parameters.csv``.
    """
    def values(column: str) -> np.ndarray:
        return prepared[column].to_numpy(dtype=float)

    area, occupants, bedrooms = values("floor_area_m2"), values("occupants"), values("bedrooms")
    usable = prepared["valid"].to_numpy(dtype=bool)
    checks = _Problems(prepared.index)
    with np.errstate(invalid="ignore", over="ignore"):  # NaN compares as False; a product past 1e308 as inf
        checks.add(usable & (occupants * params.to_check_m2_per_person > area),
                   f"more than one occupant per {params.to_check_m2_per_person:g} m2 of floor area")
        checks.add(usable & (area < params.to_check_floor_area_m2),
                   f"floor area below {params.to_check_floor_area_m2:g} m2 for a whole location (check the unit)")
        checks.add(usable & (bedrooms * params.to_check_m2_per_bedroom > area),
                   f"more than one bedroom per {params.to_check_m2_per_bedroom:g} m2 of floor area")
        checks.add(usable & (values("bedroom_area_m2") > area), "bedroom area larger than the floor area")
        checks.add(usable & (values("licensed_beds") == 0) & (occupants > 0),
                   "licence for 0 beds on an occupied location, so its capacity is 0 (0 often means no licence "
                   "is needed: leave the cell empty then)")
    return checks


def values_to_check(prepared: pd.DataFrame, params: HousingParameters = HousingParameters()) -> np.ndarray:
    """True for usable rows whose values do not fit together (:func:`to_check`), without the texts."""
    return _checks(prepared, params).flagged()


def to_check(prepared: pd.DataFrame, params: HousingParameters = HousingParameters()) -> pd.Series:
    """Why a usable row should be checked by a planner ("" where its values fit together).

    More occupants than the floor area plausibly holds, a floor area too
    small for a location, more bedrooms than fit, a bedroom area above the
    floor area, or a licence for 0 beds on an occupied location. The row is
    still counted as it is: flags change no capacity and no sum.

    >>> prepared = prepare_locations(pd.DataFrame({"floor_area_m2": [40, 90], "occupants": [5000, 4],
    ...                                            "gemeentecode": ["GM0983", "GM0983"]}))
    >>> to_check(prepared).tolist()
    ['more than one occupant per 4 m2 of floor area', '']
    """
    return _checks(prepared, params).text()


def _limits(prepared: pd.DataFrame, norm: NormSet, params: HousingParameters
            ) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The persons each rule of ``norm`` allows per location (in :data:`LIMITS` order, NaN where a rule does not
    apply or a value is missing), the bedrooms the rules use, and where they were estimated."""
    area = prepared["floor_area_m2"].to_numpy(dtype=float)
    regular = prepared["type"].isin(REGULAR_DWELLINGS).to_numpy()
    m2 = np.full(len(prepared), norm.m2_per_person)
    if not np.isnan(norm.m2_per_person_regular_dwelling):
        m2[regular] = norm.m2_per_person_regular_dwelling
    eps = 1e-9  # 36 m2 / 12 m2 must give 3 persons, not 2.999...
    given = prepared["bedrooms"].to_numpy(dtype=float)
    estimated = np.isnan(given)
    bedrooms = np.where(estimated, np.maximum(1.0, np.floor(area / params.m2_per_estimated_bedroom + eps)), given)
    inf = np.full(len(prepared), np.inf)
    with np.errstate(invalid="ignore"):
        limits = [
            np.floor(area / m2 + eps),
            bedrooms * norm.max_persons_per_bedroom if not np.isnan(norm.max_persons_per_bedroom) else inf,
            (np.floor(prepared["bedroom_area_m2"].to_numpy(dtype=float) / norm.min_bedroom_m2_per_person + eps)
             if not np.isnan(norm.min_bedroom_m2_per_person) else inf),
            (np.fmin(prepared["toilets"].to_numpy(dtype=float), prepared["showers"].to_numpy(dtype=float))
             * norm.persons_per_sanitary_unit if not np.isnan(norm.persons_per_sanitary_unit) else inf),
            prepared["licensed_beds"].to_numpy(dtype=float),
        ]
    return limits, bedrooms, estimated


def capacity(prepared: pd.DataFrame, norm: NormSet, params: HousingParameters = HousingParameters()) -> pd.DataFrame:
    """Persons each location may house under ``norm``, and which rule binds.

    Returns ``capacity``, ``binding_limit``, ``bedrooms_used``,
    ``bedrooms_estimated`` and one ``limit_<rule>`` column per rule (inf where
    the rule does not apply), aligned to ``prepared``; NaN for unusable rows.
    """
    columns, bedrooms, estimated = _limits(prepared, norm, params)
    limits = np.column_stack(columns)
    limits[np.isnan(limits)] = np.inf
    cap = limits.min(axis=1)
    binding = limits.argmin(axis=1)
    invalid = ~prepared["valid"].to_numpy(dtype=bool)
    cap[invalid] = np.nan
    bedrooms_used = np.where(invalid, np.nan, bedrooms)
    out = pd.DataFrame({
        "capacity": cap,
        "binding_limit": pd.Categorical.from_codes(np.where(invalid, -1, binding), categories=list(LIMITS)),
        "bedrooms_used": bedrooms_used,
        "bedrooms_estimated": estimated & norm_uses_bedrooms(norm),
    }, index=prepared.index)
    for position, name in enumerate(LIMITS):
        out[f"limit_{name}"] = limits[:, position]
    return out


def capacity_values(prepared: pd.DataFrame, norm: NormSet, params: HousingParameters = HousingParameters()
                    ) -> tuple[np.ndarray, np.ndarray]:
    """The ``capacity`` and ``bedrooms_estimated`` columns of :func:`capacity` as arrays, without the rest.

    The same rules (:func:`_limits`); the smallest limit is taken column by
    column instead of over a table of all limits, which is what a national
    check of millions of rows needs.
    """
    columns, _, estimated = _limits(prepared, norm, params)
    cap = np.full(len(prepared), np.inf)
    for limit in columns:
        cap = np.fmin(cap, limit)  # a NaN limit (rule not applicable, value missing) does not bind
    cap[~prepared["valid"].to_numpy(dtype=bool)] = np.nan
    return cap, estimated & norm_uses_bedrooms(norm)


def norm_uses_bedrooms(norm: NormSet) -> bool:
    return not np.isnan(norm.max_persons_per_bedroom)


def _norm(norm: NormSet | str, norms: dict[str, NormSet] | None) -> NormSet:
    if isinstance(norm, NormSet):
        return norm
    norms = norms if norms is not None else load_norm_sets()
    if norm not in norms:
        raise InputError(Problem(f"unknown norm set '{norm}'", fix="use one of " + ", ".join(norms)))
    return norms[norm]


def check_housing(locations: pd.DataFrame, norm: NormSet | str = "roemer", compare: NormSet | str | None = None,
                  *, norms: dict[str, NormSet] | None = None,
                  params: HousingParameters | None = None) -> pd.DataFrame:
    """Check every location against a norm set (and optionally compare with another).

    Returns the input with typed columns and, per location: ``capacity``,
    ``binding_limit``, ``bedrooms_estimated``, ``compliant`` (occupants within
    capacity), ``persons_over_capacity``, ``spare_capacity``,
    ``signal_many_persons`` (VNG barrier-model signal), ``to_check`` (why
    the values of a usable row do not fit together, see :func:`to_check`;
    empty where they do), ``valid`` and ``problem``; with ``compare``, ``capacity_compare`` and ``capacity_lost``
    (capacity under ``compare`` minus capacity under ``norm``: positive when
    ``norm`` is stricter). Unusable rows have NaN results and a reason.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> register = gpd.GeoDataFrame({"floor_area_m2": [90], "bedrooms": [4], "occupants": [7]},
    ...                             geometry=[Point(155000, 463000)], crs="EPSG:28992")
    >>> out = check_housing(register, "roemer", compare="bouwbesluit")
    >>> int(out.loc[0, "capacity"]), int(out.loc[0, "persons_over_capacity"]), int(out.loc[0, "capacity_lost"])
    (4, 3, 3)
    """
    norms = norms if norms is not None else load_norm_sets()
    params = params if params is not None else load_housing_parameters()
    base = _norm(norm, norms)
    other = _norm(compare, norms) if compare is not None else None
    if len(locations) == 0:
        raise InputError("the housing register has no rows")
    prepared = prepare_locations(locations)
    result = capacity(prepared, base, params)
    out = locations.copy()
    for column in prepared.columns:
        out[column] = prepared[column]
    for column in result.columns:
        out[column] = result[column]
    occupants = prepared["occupants"].fillna(0.0)
    valid = prepared["valid"]
    cap = result["capacity"]
    out["norm"] = base.name
    out["norm_version_date"] = base.version_date
    out["compliant"] = pd.Series(np.where(valid, occupants <= cap, None), index=out.index, dtype=object)
    out["persons_over_capacity"] = (occupants - cap).clip(lower=0.0).where(valid)
    out["spare_capacity"] = (cap - occupants).clip(lower=0.0).where(valid)
    out["signal_many_persons"] = valid & (occupants >= params.signal_persons_per_address)
    out["to_check"] = to_check(prepared, params)
    if other is not None:
        out["compare_norm"] = other.name
        out["capacity_compare"] = capacity(prepared, other, params)["capacity"]
        out["capacity_lost"] = out["capacity_compare"] - cap
    return out


#: Extensive figures summed per area (they add up over locations and areas).
SUM_COLUMNS = ("capacity", "occupants", "spare_capacity", "persons_over_capacity", "capacity_compare",
               "capacity_lost")
COUNT_COLUMNS = ("locations", "overcrowded_locations", "bedrooms_estimated", "signals", "to_check", "unusable_rows")


def summarise_housing(checked: pd.DataFrame, by: str | pd.Series = "gemeentecode") -> pd.DataFrame:
    """Capacity, occupants, spare capacity, overcrowding and counts per area.

    ``by`` is a column of ``checked`` (or a Series aligned to it) naming the
    area of each location. Locations without an area form the group
    ``"(unknown)"``, so every location is counted somewhere. Unusable rows are
    counted in ``unusable_rows`` and in nothing else; ``to_check`` counts the
    usable rows whose values do not fit together (:func:`to_check`: a text or
    a flag per row), which count as they are. ``net_spare_capacity`` is
    spare capacity minus persons above capacity (who need a bed elsewhere).
    With an SNF-certified column, ``snf_certified_locations`` and
    ``capacity_snf_certified`` count the usable certified locations and their
    capacity.
    """
    keys = checked[by] if isinstance(by, str) else by
    categorical = isinstance(keys.dtype, pd.CategoricalDtype)
    if categorical:  # cheap for millions of rows
        if "(unknown)" not in keys.cat.categories:
            keys = keys.cat.add_categories("(unknown)")
        keys = keys.fillna("(unknown)")
    else:
        keys = keys.astype(object).where(keys.notna(), "(unknown)")
    def floats(column: str) -> np.ndarray:  # numpy or nullable floats, missing as NaN
        return checked[column].to_numpy(dtype=float, na_value=np.nan)

    valid = checked["valid"].to_numpy(dtype=bool)
    over, capacity_ = floats("persons_over_capacity"), floats("capacity")
    columns = {
        "capacity": np.where(valid, capacity_, np.nan),
        "occupants": np.where(valid, np.nan_to_num(floats("occupants"), nan=0.0), np.nan),
        "spare_capacity": floats("spare_capacity"),
        "persons_over_capacity": over,
        "locations": valid.astype(np.int64),
        "overcrowded_locations": (valid & (over > 0)).astype(np.int64),
        "bedrooms_estimated": (valid & checked["bedrooms_estimated"].to_numpy(dtype=bool)).astype(np.int64),
        "signals": checked["signal_many_persons"].to_numpy(dtype=bool).astype(np.int64),
        "unusable_rows": (~valid).astype(np.int64),
    }
    if "to_check" in checked.columns:
        flags = checked["to_check"]
        flagged = (flags.to_numpy(dtype=bool) if pd.api.types.is_bool_dtype(flags)
                   else flags.fillna("").astype(str).ne("").to_numpy(dtype=bool))
        columns["to_check"] = (valid & flagged).astype(np.int64)
    if "snf_certified" in checked.columns:
        certified = valid & checked["snf_certified"].map(lambda v: v is True or v == 1).to_numpy(dtype=bool)
        columns["snf_certified_locations"] = certified.astype(np.int64)
        columns["capacity_snf_certified"] = np.where(certified, capacity_, 0.0)
    if "capacity_lost" in checked.columns:
        columns["capacity_compare"] = np.where(valid, floats("capacity_compare"), np.nan)
        columns["capacity_lost"] = np.where(valid, floats("capacity_lost"), np.nan)
    keys = keys.rename(by if isinstance(by, str) else (by.name or "area"))
    if categorical:
        summary = sum_by_category(columns, keys)
    else:
        frame = pd.DataFrame(columns, index=checked.index)
        summary = frame.groupby(keys, sort=True, observed=True).sum(min_count=0)
    summary["net_spare_capacity"] = summary["spare_capacity"] - summary["persons_over_capacity"]
    return summary


def sum_by_category(columns: dict[str, np.ndarray], keys: pd.Series) -> pd.DataFrame:
    """Sums of ``columns`` per category of ``keys`` present in it, NaN counted as nothing.

    The frame ``pd.DataFrame(columns).groupby(keys, sort=True, observed=True).sum()``
    gives, computed with one :func:`numpy.bincount` per column (a fraction of
    the time for millions of rows). Integer columns stay integers; floats are
    added in row order, so sums of whole numbers (capacities, persons) are
    exact. Rows with a missing key are left out, as in ``groupby``.
    """
    codes = keys.cat.codes.to_numpy()
    categories = keys.cat.categories
    kept = codes >= 0
    if not kept.all():
        codes = codes[kept]
        columns = {name: values[kept] for name, values in columns.items()}
    size = len(categories)
    observed = np.flatnonzero(np.bincount(codes, minlength=size))
    sums = {}
    for name, values in columns.items():
        if values.dtype.kind == "f":
            total = np.bincount(codes, weights=np.where(np.isnan(values), 0.0, values), minlength=size)
        else:
            total = np.bincount(codes, weights=values, minlength=size).round().astype(np.int64)
        sums[name] = total[observed]
    index = pd.CategoricalIndex(categories[observed], categories=categories, ordered=keys.cat.ordered,
                                name=keys.name)
    return pd.DataFrame(sums, index=index)


def housing_totals(summary: pd.DataFrame) -> pd.Series:
    """The sum of a summary over all its areas."""
    return summary.sum(numeric_only=True)
