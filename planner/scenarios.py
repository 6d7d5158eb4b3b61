"""Scenarios: everything needed to reproduce a result, in one object; compare and combine them.

A scenario holds its inputs (sites, housing capacity per municipality,
pipeline projects, the municipality's own reference objects) and every choice
(norm, allocation mode and parameters, region level, boundary year), plus who
made it and when. :func:`evaluate` turns it into results with the same
functions the CLI and app use, so a scenario alone reproduces its numbers.

Pure: storing scenarios is :mod:`planner.store`, files are
:mod:`planner.exchange`.
"""

from __future__ import annotations

import json
import re
import uuid
import warnings
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd

from .allocation import AllocationParameters, load_allocation_parameters
from .boundaries import DEFAULT_BOUNDARY_YEAR
from .errors import InputError, PlannerWarning, Problem
from .geodata import BoundaryLayer, load_boundaries
from .impact import LEVELS
from .impact import SITE_COLUMNS as IMPACT_SITE_COLUMNS
from .impact import totals as impact_totals
from .library import SectorLibrary, load_library
from .regional import RegionalResult

#: Version of the scenario format (exchange files and stores). Raise it when the format changes.
SCHEMA_VERSION = 1
#: The columns of a site that a scenario keeps: its inputs, not results. Every input column of a site
#: (``planner.impact.SITE_COLUMNS``): a column left out here would be lost on saving, and the scenario would
#: then count something else than what was entered (relocated jobs as new demand, say).
SITE_COLUMNS = tuple(IMPACT_SITE_COLUMNS)
CAPACITY_COLUMNS = ("gemeentecode", "spare_capacity", "net_spare_capacity", "persons_over_capacity")
PIPELINE_COLUMNS = ("gemeentecode", "beds", "year", "name")


#: The longest name, organisation or author a scenario may have, and the longest note (characters). The shared
#: store checks the same limits (schema migration 5), so a version written there with SQL keeps to them too.
NAME_LIMIT = 200
NOTE_LIMIT = 10_000
#: Code points that are never shown as themselves: control (Cc) and format (Cf) characters and the line and
#: paragraph separators (Unicode 14). ESC starts terminal escape sequences that move the cursor over other
#: columns; U+202E and its kin reorder what follows. As (first, last) ranges, for Python and PostgreSQL alike.
HIDDEN_RANGES = ((0x00, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x600, 0x605), (0x61C, 0x61C), (0x6DD, 0x6DD),
                 (0x70F, 0x70F), (0x890, 0x891), (0x8E2, 0x8E2), (0x180E, 0x180E), (0x200B, 0x200F),
                 (0x2028, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB),
                 (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x13438), (0x1BCA0, 0x1BCA3),
                 (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F))


def hidden_class(allow: str = "") -> str:
    """A regular-expression character class of :data:`HIDDEN_RANGES` (without the characters in ``allow``).

    Written with ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes, which Python's ``re`` and PostgreSQL's regular
    expressions read alike.

    >>> print(hidden_class()[:20])
    [\\u0000-\\u001f\\u007f
    """
    def escape(code: int) -> str:
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"

    parts: list[list[int]] = []
    for first, last in HIDDEN_RANGES:
        codes = [c for c in range(first, last + 1) if chr(c) not in allow]
        for code in codes:  # contiguous runs of what is left
            if parts and parts[-1][1] == code - 1:
                parts[-1][1] = code
            else:
                parts.append([code, code])
    return "[" + "".join(escape(a) if a == b else f"{escape(a)}-{escape(b)}" for a, b in parts) + "]"


_HIDDEN = re.compile(hidden_class())
_HIDDEN_IN_NOTES = re.compile(hidden_class(allow="\t\n\r"))


def printable(value: object, limit: int = NAME_LIMIT) -> str:
    """``value`` as text fit to show in a terminal or a table: hidden characters made visible, length bounded.

    Names, authors and notes come from other organisations (and from whatever a member wrote into the shared
    store with SQL): an escape sequence in an author could move the cursor and print another organisation's
    name over the column beside it. Tab, line breaks and separators become a space, any other control or
    format character U+FFFD; text longer than ``limit`` is cut with an ellipsis.

    >>> printable("Plan\x1b[11DGemeente B")
    'Plan\ufffd[11DGemeente B'
    >>> printable("abc\u202edef"), printable("a" * 5, limit=3)
    ('abc\ufffddef', 'aa\u2026')
    """
    text = "" if value is None else str(value)
    if len(text) > limit:
        text = text[:limit - 1] + "\u2026"
    return _HIDDEN.sub(lambda m: " " if m.group(0) in "\t\n\r\u2028\u2029" else "\ufffd", text)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Scenario:
    """A named, versioned set of inputs and choices."""

    name: str
    organisation: str
    author: str
    sites: gpd.GeoDataFrame
    capacity: pd.DataFrame | None = None  # per gemeentecode: spare_capacity, net_spare_capacity, persons_over...
    pipeline: pd.DataFrame | None = None  # gemeentecode, beds, year, name
    own_objects: pd.DataFrame | None = None  # reference objects added to the bundled library
    norm: str | None = None
    mode: str = "decay"
    level: str = "gemeente"
    boundary_year: int = DEFAULT_BOUNDARY_YEAR
    boundary_kind: str = "schematic"
    parameters: dict = field(default_factory=dict)  # allocation parameters (values)
    library_hash: str = ""
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    version: int = 0  # 0: not saved yet; the store numbers versions from 1
    created: str = field(default_factory=_now)
    note: str = ""

    def __post_init__(self):
        problems = []
        for name in ("name", "organisation", "author"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                problems.append(Problem(f"a scenario needs a {name}", column=name, fix=f"give a {name}"))
            elif len(value) > NAME_LIMIT:
                problems.append(Problem(f"the {name} is longer than {NAME_LIMIT} characters", column=name))
            elif _HIDDEN.search(value):
                problems.append(Problem(f"the {name} contains a control character (such as a terminal escape or "
                                        "a text-direction mark)", column=name, fix="type it again without them"))
        if not isinstance(self.note, str) or len(self.note) > NOTE_LIMIT:
            problems.append(Problem(f"the note is not text of at most {NOTE_LIMIT:,} characters", column="note"))
        elif _HIDDEN_IN_NOTES.search(self.note):
            problems.append(Problem("the note contains a control character (such as a terminal escape or a "
                                    "text-direction mark)", column="note", fix="type it again without them"))
        if problems:
            raise InputError(problems, source="scenario")
        sites = self.sites if isinstance(self.sites, gpd.GeoDataFrame) else gpd.GeoDataFrame(self.sites)
        keep = [c for c in SITE_COLUMNS if c in sites.columns]
        self.sites = gpd.GeoDataFrame(sites[keep], geometry=sites.geometry.to_crs("EPSG:4326").to_numpy(),
                                      crs="EPSG:4326").reset_index(drop=True)

    # -- metadata ------------------------------------------------------------------------------
    def meta(self) -> dict:
        """Everything but the tables, as JSON-able values."""
        return {"schema_version": SCHEMA_VERSION, "id": self.id, "version": self.version, "name": self.name,
                "organisation": self.organisation, "author": self.author, "created": self.created,
                "norm": self.norm, "mode": self.mode, "level": self.level, "boundary_year": self.boundary_year,
                "boundary_kind": self.boundary_kind, "parameters": self.parameters,
                "library_hash": self.library_hash, "note": self.note}

    def edited(self, author: str | None = None, **changes) -> Scenario:
        """A copy to save as the next version (keeps id and version, which the store checks)."""
        return replace(self, author=author or self.author, created=_now(), **changes)

    # -- what is needed to evaluate ---------------------------------------------------------------
    def library(self) -> SectorLibrary:
        """The bundled library plus the scenario's own objects; warns when it differs from the one saved."""
        import tempfile
        from pathlib import Path

        if self.own_objects is None or self.own_objects.empty:
            library = load_library()
        else:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "own_reference_objects.csv"
                self.own_objects.to_csv(path, index=False)
                library = load_library([path])
        if self.library_hash and library.content_hash != self.library_hash:
            warnings.warn(f"scenario '{self.name}' was made with reference library {self.library_hash[:12]}; this "
                          f"planner has {library.content_hash[:12]}: figures may differ", PlannerWarning, stacklevel=2)
        return library

    def allocation_parameters(self) -> AllocationParameters:
        return load_allocation_parameters().with_values(**{k: v for k, v in self.parameters.items()
                                                           if k in ("mean_distance_km", "max_distance_km",
                                                                    "attractor", "demand", "capacity_basis",
                                                                    "abroad_share")})


@dataclass
class ScenarioResult:
    scenario: Scenario
    assessed: gpd.GeoDataFrame
    regional: RegionalResult

    def totals(self) -> pd.Series:
        """Impact and regional totals (P10, P50, P90) in one series."""
        impact = impact_totals(self.assessed)
        values = {f"{q}_{lvl}": impact.loc[q, lvl] for q in ("workers", "migrants", "beds_needed", "beds_to_find")
                  for lvl in LEVELS}
        regional = self.regional.totals()
        values.update({k: regional[k] for k in regional.index})
        return pd.Series(values, name=self.scenario.name)

    def per_gemeente(self) -> pd.DataFrame:
        return self.regional.gemeenten


def evaluate(scenario: Scenario, layer: BoundaryLayer | None = None) -> ScenarioResult:
    """The results of a scenario, from its inputs alone (and the boundary layer of its year)."""
    layer = layer or load_boundaries(scenario.boundary_year)
    if layer.kind != scenario.boundary_kind:
        warnings.warn(f"scenario '{scenario.name}' was made with {scenario.boundary_kind} borders; this machine has "
                      f"{layer.kind} borders for {scenario.boundary_year}", PlannerWarning, stacklevel=2)
    from .plan import Plan, default_regions

    capacity = scenario.capacity if scenario.capacity is not None and len(scenario.capacity) else None
    plan = Plan(scenario.sites, capacity_table=capacity, pipeline=scenario.pipeline, boundaries=layer,
                regions=default_regions(layer), library=scenario.library(),
                parameters=scenario.allocation_parameters(), norm=scenario.norm or "roemer", mode=scenario.mode,
                boundary_year=scenario.boundary_year)
    assessed, regional = plan.impact(), plan.shortfall(scenario.level)
    if not scenario.norm:  # a scenario without a housing stock names no norm
        regional.norm = None
    return ScenarioResult(scenario, assessed, regional)


def capacity_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The part of a housing summary a scenario keeps: capacity figures per municipality."""
    frame = summary.reset_index()
    frame = frame[frame["gemeentecode"].astype(str).str.match(r"^GM\d{4}$")]
    return frame[[c for c in CAPACITY_COLUMNS if c in frame.columns]].reset_index(drop=True)


def make_scenario(name: str, organisation: str, author: str, sites: gpd.GeoDataFrame, *,
                  housing_summary: pd.DataFrame | None = None, pipeline: pd.DataFrame | None = None,
                  library: SectorLibrary | None = None, norm: str | None = None, mode: str = "decay",
                  level: str = "gemeente", parameters: AllocationParameters | None = None,
                  layer: BoundaryLayer | None = None, note: str = "") -> Scenario:
    """A new scenario from the inputs the CLI or app already read."""
    library = library or load_library()
    bundled = load_library()
    own = library.objects[~library.objects["id"].isin(bundled.objects["id"])] if len(library.objects) > len(
        bundled.objects) else None
    layer = layer or load_boundaries()
    params = parameters or load_allocation_parameters()
    values = {k: v for k, v in params.table().set_index("parameter")["value"].items()}
    values = {k: (float(v) if k.endswith("_km") or k == "abroad_share" else v) for k, v in values.items()}
    return Scenario(name=name, organisation=organisation, author=author, sites=sites,
                    capacity=capacity_table(housing_summary) if housing_summary is not None else None,
                    pipeline=pipeline[[c for c in PIPELINE_COLUMNS if c in pipeline.columns]].reset_index(drop=True)
                    if pipeline is not None else None,
                    own_objects=own.drop(columns=[c for c in ("provenance",) if c in own.columns])
                    if own is not None else None,
                    norm=norm, mode=mode, level=level, boundary_year=layer.year, boundary_kind=layer.kind,
                    parameters=values, library_hash=library.content_hash, note=note)


# -- compare -----------------------------------------------------------------------------------------

@dataclass
class Comparison:
    totals: pd.DataFrame  # rows: figures; columns: scenarios, then differences with the first
    per_gemeente: pd.DataFrame  # demand and shortfall (P50) per scenario and their differences
    difference_map: gpd.GeoDataFrame  # shortfall difference (last minus first) per municipality


def compare(results: list[ScenarioResult], layer: BoundaryLayer | None = None) -> Comparison:
    """Two or more scenarios side by side; differences are against the first (the baseline)."""
    if len(results) < 2:
        raise InputError(Problem("comparing needs two or more scenarios", fix="give a baseline and a variant"))
    labels = [f"{r.scenario.name} v{r.scenario.version}" for r in results]
    if len(set(labels)) < len(labels):
        labels = [f"{label} #{i + 1}" for i, label in enumerate(labels)]
    totals = pd.concat([r.totals().rename(label) for r, label in zip(results, labels, strict=True)], axis=1)
    for label in labels[1:]:
        totals[f"{label} - {labels[0]}"] = totals[label] - totals[labels[0]]
    frames = {}
    for result, label in zip(results, labels, strict=True):
        table = result.per_gemeente()
        frames[f"demand_p50 [{label}]"] = table["demand_p50"]
        frames[f"shortfall_p50 [{label}]"] = table["shortfall_p50"]
    per = pd.DataFrame(frames).fillna(0.0)
    for label in labels[1:]:
        per[f"shortfall_difference [{label}]"] = (per[f"shortfall_p50 [{label}]"]
                                                  - per[f"shortfall_p50 [{labels[0]}]"])
    layer = layer or results[0].regional.layer
    names = layer.boundaries.set_index("gemeentecode")["gemeentenaam"]
    per.insert(0, "gemeentenaam", per.index.map(names))
    last = f"shortfall_difference [{labels[-1]}]"
    shapes = layer.boundaries.set_index("gemeentecode").geometry
    difference = gpd.GeoDataFrame({"gemeentecode": per.index, "gemeentenaam": per["gemeentenaam"].to_numpy(),
                                   "shortfall_difference": per[last].to_numpy()},
                                  geometry=shapes.reindex(per.index).to_numpy(), crs=layer.boundaries.crs)
    return Comparison(totals, per, difference)


# -- regional roll-up ------------------------------------------------------------------------------

def combine(scenarios: list[Scenario], name: str, organisation: str, author: str) -> tuple[Scenario, list[str]]:
    """One regional scenario from the scenarios of several municipalities, without double counting.

    * sites: all of them; a site that appears in more than one scenario (same
      name, subtype, size and place) counts once;
    * capacity: per municipality once, taken from the scenario of that
      municipality itself where one is combined (an organisation named
      ``Gemeente Venlo`` speaks for Venlo's housing, whoever saved later),
      else from the newest scenario that gives it; differing figures for the
      same municipality are noted with whose figure was used;
    * pipeline: all projects; the same project (municipality, name, year,
      beds) counts once;
    * norm, mode, level, boundary year and parameters must agree.

    Returns the combined scenario and notes on what was merged.
    """
    if len(scenarios) < 2:
        raise InputError(Problem("a roll-up needs two or more scenarios", fix="give the scenarios to combine"))
    notes: list[str] = []
    first = scenarios[0]
    for attribute in ("boundary_year", "norm", "mode", "parameters"):
        values = {json.dumps(getattr(s, attribute), sort_keys=True, default=str) for s in scenarios}
        if len(values) > 1:
            raise InputError(Problem(f"the scenarios differ in {attribute}: {', '.join(sorted(values))}",
                                     fix=f"save them with the same {attribute} before combining"))
    sites, doubles = _stacked_sites(scenarios)
    if doubles.any():
        notes.append(f"{int(doubles.sum())} site(s) appear in more than one scenario and count once: "
                     + ", ".join(sites.loc[doubles, "name"].astype(str).head(10)))
    sites = gpd.GeoDataFrame(sites[~doubles], crs=sites.crs)
    stacked = _stacked_capacity(scenarios)
    capacity = None
    if stacked is not None:
        numeric = [c for c in CAPACITY_COLUMNS if c != "gemeentecode" and c in stacked.columns]
        spread = stacked.groupby("gemeentecode")[numeric].agg(lambda s: s.max() - s.min())
        differing = spread.index[(spread > 1e-9).any(axis=1)]
        used = stacked.drop_duplicates("gemeentecode").set_index("gemeentecode")
        source, owned = used["source"].astype(int).to_dict(), used["own"].astype(bool).to_dict()
        for code in differing[:10]:
            who = scenarios[source[code]].organisation
            notes.append(f"capacity of {code} differs between scenarios: the figure of '{who}', the municipality "
                         "itself, is used" if owned[code] else
                         f"capacity of {code} differs between scenarios: the newest figure, of '{who}', is used")
        if len(differing) > 10:
            notes.append(f"capacity differs for {len(differing) - 10} more municipality(ies)")
        capacity = (stacked.drop_duplicates("gemeentecode").drop(columns=["created", "source", "own"])
                    .reset_index(drop=True))
    pipeline = None
    projects = _stacked_pipeline(scenarios)
    if projects is not None:
        all_projects, kept = projects
        before = len(all_projects)
        pipeline = all_projects[kept].drop(columns="source")
        if len(pipeline) < before:
            notes.append(f"{before - len(pipeline)} pipeline project(s) appear twice and count once")
        pipeline = pipeline.reset_index(drop=True)
    owns = [s.own_objects for s in scenarios if s.own_objects is not None and len(s.own_objects)]
    own = pd.concat(owns, ignore_index=True).drop_duplicates("id") if owns else None
    sources = [_source_label(s) for s in scenarios]
    combined = Scenario(name=name, organisation=organisation, author=author,
                        sites=sites.drop(columns=["scenario", "source"]), capacity=capacity, pipeline=pipeline,
                        own_objects=own, norm=first.norm, mode=first.mode,
                        level=first.level, boundary_year=first.boundary_year, boundary_kind=first.boundary_kind,
                        parameters=dict(first.parameters), library_hash="",
                        note="; ".join([f"roll-up of {', '.join(sources)}", *notes]))
    return combined, notes


def _source_label(scenario: Scenario) -> str:
    return f"{scenario.organisation}: {scenario.name} v{scenario.version}"


def _stacked_sites(scenarios: list[Scenario]) -> tuple[gpd.GeoDataFrame, pd.Series]:
    """All scenarios' sites (column ``scenario``: the label, ``source``: the position) and which are doubles."""
    sites = pd.concat([s.sites.assign(scenario=_source_label(s), source=i) for i, s in enumerate(scenarios)],
                      ignore_index=True)
    cells = sites.drop(columns=["scenario", "source", "geometry"]).map(lambda v: "" if pd.isna(v) else str(v))
    key = cells.agg("|".join, axis=1) + "|" + pd.Series(sites.geometry.to_wkb(hex=True), index=sites.index).astype(str)
    return gpd.GeoDataFrame(sites, crs=sites.crs), key.duplicated()


def _stacked_capacity(scenarios: list[Scenario]) -> pd.DataFrame | None:
    """All capacity tables, each municipality's own scenario first (``own``), then the newest (the first row per
    municipality is the one used): another member cannot set a municipality's capacity by saving later."""
    from .places import municipality_of

    # A municipality two organisations are named after ("Gemeente Venlo" and "venlo") has no one voice: the newest.
    claims: dict[str, set[str]] = {}
    for scenario in scenarios:
        if (code := municipality_of(scenario.organisation)) is not None:
            claims.setdefault(code, set()).add(scenario.organisation)
    owner = {code: next(iter(names)) for code, names in claims.items() if len(names) == 1}
    capacities = [s.capacity.assign(created=s.created, source=i, own=s.capacity["gemeentecode"].map(owner)
                                    == s.organisation)
                  for i, s in enumerate(scenarios) if s.capacity is not None]
    if not capacities:
        return None
    return pd.concat(capacities, ignore_index=True).sort_values(["own", "created", "source"],
                                                                ascending=[False, False, True], kind="stable")


def _stacked_pipeline(scenarios: list[Scenario]) -> tuple[pd.DataFrame, pd.Series] | None:
    """All pipeline projects (column ``source``) and which count (the first of each project)."""
    pipelines = [s.pipeline.assign(source=i) for i, s in enumerate(scenarios) if s.pipeline is not None]
    if not pipelines:
        return None
    stacked = pd.concat(pipelines, ignore_index=True)
    kept = ~stacked.duplicated(subset=[c for c in PIPELINE_COLUMNS if c in stacked.columns])
    return stacked, kept


def rollup_contributions(scenarios: list[Scenario], result: ScenarioResult) -> pd.DataFrame:
    """What each scenario brought into a roll-up (:func:`combine`), one row per scenario.

    ``result`` is the evaluated roll-up. Columns: ``sites`` (counted),
    ``sites_elsewhere`` (the same site already counted from an earlier
    scenario), ``beds_to_find_p50`` (the sum of its sites' P50),
    ``spare_capacity`` (of the municipalities whose capacity figure came from
    it), ``pipeline_beds`` (its projects that count) and ``capacity`` (the two
    together). The rows add up to the roll-up's figures: every site, spare
    place and project of the roll-up is in exactly one row.
    """
    labels = [_source_label(s) for s in scenarios]
    if len(set(labels)) < len(labels):
        labels = [f"{label} #{i + 1}" for i, label in enumerate(labels)]
    sites, doubles = _stacked_sites(scenarios)
    kept = sites.loc[~doubles, "source"].to_numpy()
    assessed = result.assessed
    if len(kept) != len(assessed):  # pragma: no cover - combine keeps exactly the sites that are not doubles
        raise ValueError("the roll-up's sites do not match its scenarios")
    beds = pd.Series(assessed["beds_to_find_p50"].to_numpy(dtype=float)).groupby(kept).sum()
    gemeenten = result.per_gemeente()
    spare = pd.Series(0.0, index=range(len(scenarios)))
    capacity = _stacked_capacity(scenarios)
    if capacity is not None:
        supplier = capacity.drop_duplicates("gemeentecode").set_index("gemeentecode")["source"]
        used = gemeenten["spare_capacity"].reindex(supplier.index).fillna(0.0)
        spare = spare.add(used.groupby(supplier).sum(), fill_value=0.0)
    pipeline = pd.Series(0.0, index=range(len(scenarios)))
    projects = _stacked_pipeline(scenarios)
    if projects is not None:
        stacked, first = projects
        counted = stacked[first & stacked["gemeentecode"].isin(gemeenten.index)]
        pipeline = pipeline.add(counted.groupby("source")["beds"].sum().astype(float), fill_value=0.0)
    positions = range(len(scenarios))
    frame = pd.DataFrame({
        "sites": pd.Series(kept).value_counts().reindex(positions, fill_value=0).to_numpy(),
        "sites_elsewhere": sites.loc[doubles, "source"].value_counts().reindex(positions, fill_value=0).to_numpy(),
        "beds_to_find_p50": beds.reindex(positions, fill_value=0.0).to_numpy(),
        "spare_capacity": spare.reindex(positions, fill_value=0.0).to_numpy(),
        "pipeline_beds": pipeline.reindex(positions, fill_value=0.0).to_numpy(),
    }, index=pd.Index(labels, name="scenario"))
    frame["capacity"] = frame["spare_capacity"] + frame["pipeline_beds"]
    return frame


#: The figures of :func:`version_differences`: name -> column of :meth:`ScenarioResult.per_gemeente`.
DIFFERENCE_FIGURES = {"demand": "demand_p50", "capacity": "capacity", "shortfall": "shortfall_p50"}


def version_differences(before: ScenarioResult, after: ScenarioResult) -> pd.DataFrame:
    """Two results per municipality: beds to place, capacity and shortfall (P50), and ``after`` minus ``before``.

    Figures are rounded to whole beds per municipality first, so a total row
    made by summing the rows adds up to what the rows show. Columns per figure
    ``<figure>_before``, ``<figure>_after``, ``<figure>_difference``; only
    municipalities with a figure other than zero are kept.
    """
    a, b = before.per_gemeente(), after.per_gemeente()
    codes = a.index.union(b.index)
    names = a["gemeentenaam"].reindex(codes).fillna(b["gemeentenaam"].reindex(codes))
    frame = pd.DataFrame({"gemeentenaam": names}, index=codes)
    for figure, column in DIFFERENCE_FIGURES.items():
        old = a[column].reindex(codes).fillna(0.0).round()
        new = b[column].reindex(codes).fillna(0.0).round()
        frame[f"{figure}_before"], frame[f"{figure}_after"], frame[f"{figure}_difference"] = old, new, new - old
    numbers = frame.drop(columns="gemeentenaam")
    frame = frame[(numbers != 0).any(axis=1)]
    frame.index.name = "gemeentecode"
    return frame


def sites_equal(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether two site tables hold the same inputs (for round-trip checks)."""
    if len(a) != len(b) or list(a.columns) != list(b.columns):
        return False
    def plain(value: object) -> object:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            return str(value)

    left, right = pd.DataFrame(a.drop(columns="geometry")), pd.DataFrame(b.drop(columns="geometry"))
    same = all([plain(v) for v in left[c]] == [plain(v) for v in right[c]] for c in left)
    return same and bool(a.geometry.geom_equals_exact(b.geometry, tolerance=1e-9).all())


__all__ = ["DIFFERENCE_FIGURES", "HIDDEN_RANGES", "NAME_LIMIT", "NOTE_LIMIT", "SCHEMA_VERSION", "Comparison",
           "Scenario", "ScenarioResult", "capacity_table", "combine", "compare", "evaluate", "hidden_class",
           "make_scenario", "printable", "rollup_contributions", "sites_equal", "version_differences"]
