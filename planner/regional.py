"""The regional shortfall from start to end: sites, housing stock, pipeline and boundaries in, tables out.

Used by the CLI (``planner shortfall``) and the app. Inputs are frames that
the readers in :mod:`planner.io` made; nothing here touches files.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely

from .allocation import (
    Allocation,
    AllocationParameters,
    allocate,
    per_year,
    pipeline_capacity,
    shortfall,
    undated_problem,
    year_totals,
)
from .boundaries import BoundaryLayer, unknown_codes
from .errors import InputError, PlannerWarning, Problem
from .herindeling import update_codes
from .housing import normalise_gemeentecode, summarise_housing
from .impact import LEVELS
from .numbers import read_numbers
from .regions import REGION_LEVELS, assign_gemeente, region_table_from_csv

#: Header aliases for pipeline projects (planned housing).
PIPELINE_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "naam", "project", "projectnaam", "locatie"),
    "beds": ("beds", "bedden", "aantal_bedden", "capaciteit", "capacity", "plaatsen", "aantal_plaatsen"),
    "year": ("year", "jaar", "opleverjaar", "gereed", "oplevering", "ready_year", "startjaar"),
    "gemeentecode": ("gemeentecode", "gm_code", "gemeente_code", "cbs_code", "gemcode"),
    "woonplaats": ("woonplaats", "plaats", "plaatsnaam", "place", "kern"),
}


def codes_for(frame: gpd.GeoDataFrame, layer: BoundaryLayer, what: str
              ) -> tuple[pd.Series, list[Problem], list[Problem]]:
    """The municipal code of every row: from its geometry where it has one, else from its ``gemeentecode``.

    A given code of an earlier year is carried forward to the layer's year
    through the merger crosswalk (:func:`planner.herindeling.update_codes`),
    so that a register keyed by 2022 codes counts in the municipalities of
    2024.

    Returns
    -------
    codes
        ``None`` where neither the geometry nor the code gives one.
    problems
        Codes that do not exist in the layer's year and cannot be carried
        forward (unknown, split, or newer than the year), with the fix.
    notes
        One for every row whose code was carried forward, naming the row.
    """
    from_geometry = (assign_gemeente(frame, layer.boundaries) if frame.crs is not None
                     else pd.Series([None] * len(frame), index=frame.index, dtype=object))
    given = (normalise_gemeentecode(frame["gemeentecode"]) if "gemeentecode" in frame.columns
             else pd.Series([None] * len(frame), index=frame.index, dtype=object))
    prefix = frame.index.name or "row"
    labels = pd.Series([f"{what} {prefix} {i}" for i in frame.index], index=frame.index)
    given = given.where(from_geometry.isna())
    carried, notes, problems = update_codes(given, layer.year, labels.tolist())
    stuck = {p.row for p in problems}
    problems += unknown_codes(carried.where(~labels.isin(stuck)), layer, labels=labels.tolist())
    bad = {p.row for p in problems}
    carried = carried.where(~labels.isin(bad))
    return from_geometry.fillna(carried), problems, notes


def capacity_by_gemeente(checked: pd.DataFrame, layer: BoundaryLayer, basis: str = "spare_capacity"
                         ) -> tuple[pd.DataFrame, list[Problem]]:
    """The housing-check summary per municipality of the layer, and problems with municipal codes.

    Locations with a point get their municipality from it; others keep the
    code they were given. Locations with neither are summed under
    ``(unknown)`` by :func:`summarise_housing` and do not count as capacity
    anywhere: the problems list says how many.
    """
    frame = checked if isinstance(checked, gpd.GeoDataFrame) else gpd.GeoDataFrame(checked)
    codes, problems, notes = codes_for(frame, layer, "housing")
    problems = notes + problems
    summary = summarise_housing(checked, codes.rename("gemeentecode"))
    unknown = summary.loc[summary.index == "(unknown)", "locations"]
    if len(unknown) and unknown.iloc[0] > 0:
        problems.append(Problem(f"{int(unknown.iloc[0])} housing location(s) lie in no municipality of the layer "
                                "and have no valid gemeentecode; their places are not counted",
                                fix="give coordinates or a gemeentecode"))
    if basis not in summary.columns:
        raise InputError(Problem(f"unknown capacity basis '{basis}'", fix="use spare_capacity or net_spare_capacity"))
    return summary, problems


def prepare_pipeline(frame: gpd.GeoDataFrame, layer: BoundaryLayer, decimal: str | None = None,
                     source: str = "pipeline") -> pd.DataFrame:
    """Pipeline projects as ``gemeentecode``, ``beds``, ``year`` (and ``name``); every problem reported at once."""
    problems = [Problem(f"no column '{c}'", column=c, fix=f"add a column {c} ({' / '.join(PIPELINE_ALIASES[c][:3])})")
                for c in ("beds", "year") if c not in frame.columns]
    if problems:
        raise InputError(problems, source=source)
    prefix = frame.index.name or "row"
    out = pd.DataFrame(index=frame.index)
    for column in ("beds", "year"):
        numbers = read_numbers(frame[column], decimal)
        values, bad = numbers.values, numbers.bad | numbers.ambiguous
        problems += numbers.problems(frame[column], column)
        missing = values.isna() & ~bad
        problems += [Problem("empty", f"{prefix} {i}", column, "fill it in") for i in frame.index[missing]]
        out[column] = values
    problems += [Problem(f"{v:g} beds", f"{prefix} {i}", "beds", "give a positive number of beds")
                 for i, v in out["beds"].items() if pd.notna(v) and v <= 0]
    problems += [Problem(f"year {v:g}", f"{prefix} {i}", "year", "give a year between 1990 and 2100")
                 for i, v in out["year"].items() if pd.notna(v) and not 1990 <= v <= 2100]
    codes, code_problems, notes = codes_for(frame, layer, "pipeline")
    for note in notes:
        warnings.warn(f"{source}: {Problem(note.message, str(note.row).replace('pipeline ', ''), note.column)}",
                      PlannerWarning, stacklevel=2)
    problems += [Problem(p.message, str(p.row).replace("pipeline ", ""), p.column, p.fix) for p in code_problems]
    if "woonplaats" in frame.columns and codes.isna().any():
        from .places import gemeente_from_place

        found, why = gemeente_from_place(frame.loc[codes.isna(), "woonplaats"])
        problems += [Problem(why[i], f"{prefix} {i}", "woonplaats", "add a gemeentecode") for i in why.index
                     if why[i]]
        codes = codes.fillna(found.reindex(codes.index))
    problems += [Problem("no location and no gemeentecode", f"{prefix} {i}", "gemeentecode",
                         "give coordinates or a municipal code") for i in codes.index[codes.isna()]
                 if f"{prefix} {i}" not in {p.row for p in problems}]
    if problems:
        raise InputError(problems, source=source)
    out["gemeentecode"] = codes
    out["year"] = out["year"].astype(int)
    if "name" in frame.columns:
        out["name"] = frame["name"].astype(str)
    return out


def custom_regions(regions: pd.DataFrame, layer: BoundaryLayer, source: str = "region file") -> tuple[pd.DataFrame,
                                                                                                     str]:
    """A user's regions as a table gemeentecode -> region, and the region column's name.

    A table needs ``gemeentecode`` and one other column (the region); a
    polygon layer assigns every municipality to the region polygon it
    overlaps most (its first text column names the region).
    """
    if isinstance(regions, gpd.GeoDataFrame) and regions.crs is not None and \
            (~shapely.is_missing(regions.geometry.to_numpy())).any():
        names = [c for c in regions.columns if c != regions.geometry.name and regions[c].dtype.kind in "OSUT"]
        name = next((c for c in names if c.lower() in ("region", "regio", "naam", "name")), names[0] if names else None)
        if name is None:
            raise InputError(Problem("the region polygons have no text column to name them",
                                     fix="add a column region with the region's name"), source=source)
        polygons = regions[[name, regions.geometry.name]].rename(columns={name: "region"}).to_crs(layer.boundaries.crs)
        region = assign_gemeente(layer.boundaries, polygons, code="region")
        table = pd.DataFrame({"gemeentecode": layer.boundaries["gemeentecode"], "region": region})
        return table.dropna(subset=["region"]).reset_index(drop=True), "region"
    others = [c for c in regions.columns if c not in ("gemeentecode", "gemeentenaam", "geometry")]
    if "gemeentecode" not in regions.columns or not others:
        raise InputError(Problem("a region table needs the columns gemeentecode and region",
                                 fix="e.g. gemeentecode;region / GM0983;Regio Venlo"), source=source)
    column = "region" if "region" in others else others[0]
    table = region_table_from_csv(pd.DataFrame(regions[["gemeentecode", column]]), region=column, source=source)
    labels = [f"row {i + 1}" for i in range(len(table))]
    carried, notes, problems = update_codes(table["gemeentecode"], layer.year, labels)
    problems += unknown_codes(carried.where(~pd.Series(labels, index=carried.index).isin({p.row for p in problems})),
                              layer, labels=labels)
    if problems:
        raise InputError(problems, source=source)
    for note in notes:
        warnings.warn(f"{source}: {note}", PlannerWarning, stacklevel=2)
    table["gemeentecode"] = carried
    # Several old municipalities of one new one: it belongs to one region only when they all agree.
    table = table.drop_duplicates(["gemeentecode", column])
    doubles = table["gemeentecode"][table["gemeentecode"].duplicated()].unique()
    if len(doubles):
        raise InputError([Problem(f"the municipalities merged into {c} are put in different regions",
                                  column="gemeentecode", fix=f"give {c} one region") for c in doubles], source=source)
    return table.rename(columns={column: "region"}), "region"


@dataclass
class RegionalResult:
    """Allocation, shortfall per chosen level, per year, and what produced them."""

    allocation: Allocation
    level: str
    table: pd.DataFrame  # one row per region of the chosen level
    gemeenten: pd.DataFrame  # one row per municipality
    years: pd.DataFrame | None
    layer: BoundaryLayer
    norm: str | None
    problems: list[Problem]
    year_totals: pd.DataFrame | None = None  # per year: P10 / P50 / P90 of the total demand and shortfall
    years_note: Problem | None = None  # the sites without a start year, which the per-year figures leave out

    def totals(self) -> pd.Series:
        """Totals over all municipalities (and abroad): P10 / P50 / P90 of the sum of the draws where simulated."""
        sums = self.gemeenten[["spare_capacity", "pipeline_beds", "capacity", "persons_over_capacity"]].sum()
        summary = {k: v for k, v in self.allocation.summary.items() if k != "method"}
        levels = pd.Series({f"{p}_{level}": summary[f"{p}_{level}"] for p in ("demand", "unmet", "shortfall", "abroad")
                            for level in LEVELS})
        return pd.concat([levels, sums])

    def map_layer(self) -> gpd.GeoDataFrame:
        """The region table with region polygons (municipal polygons dissolved), in EPSG:4326, for a map."""
        boundaries = self.layer.boundaries[["gemeentecode", "geometry"]]
        if self.level == "gemeente":
            shapes = boundaries.set_index("gemeentecode").geometry
        else:
            lookup = self.gemeenten[REGION_LEVELS.get(self.level, self.level)]
            shapes = boundaries.assign(key=boundaries["gemeentecode"].map(lookup)).dissolve("key").geometry
        frame = gpd.GeoDataFrame(self.table.reset_index(), geometry=shapes.reindex(self.table.index).to_numpy(),
                                 crs=boundaries.crs)
        frame["grenzen"] = self.layer.label("nl")
        return frame.to_crs("EPSG:4326")

    def about(self) -> dict[str, str]:
        rows = {**self.layer.about(), **self.allocation.about(), "region_level": self.level}
        if self.norm:
            rows["norm"] = self.norm
        rows["capacity"] = (f"{self.allocation.parameters.capacity_basis} under the norm, plus pipeline projects "
                            "of all years (see per_year for timing)")
        rows["per_year"] = (str(self.years_note) if self.years_note is not None else
                            "each site from its start year with its ramp-up, each pipeline project from its year; "
                            "demand placed abroad is in no municipality")
        rows["shortfall"] = ("shortfall_* is each region's own shortfall (in decay mode the percentiles of the sum of "
                             "its municipalities' shortfalls over the draws); net_shortfall_p50 pools the "
                             "region's places")
        return rows


def run_shortfall(assessed: gpd.GeoDataFrame, layer: BoundaryLayer, regions: pd.DataFrame, *,
                  housing_summary: pd.DataFrame | None = None, pipeline: pd.DataFrame | None = None,
                  mode: str = "decay", parameters: AllocationParameters | None = None,
                  level: str = "gemeente", norm: str | None = None,
                  problems: list[Problem] | None = None) -> RegionalResult:
    """Allocate the sites' demand and set it against capacity, per municipality and at ``level``.

    ``regions`` is the region table (``gemeentecode`` plus a column per
    level: ``corop_code``, ``provincie_code`` or a custom column named by
    ``level``). Capacity is the housing stock's spare places under the norm
    plus the beds of pipeline projects of all years; the per-year table
    counts each project from its year.
    """
    from .allocation import load_allocation_parameters

    parameters = parameters or load_allocation_parameters()
    codes = layer.boundaries["gemeentecode"].to_numpy()
    spare = pd.Series(0.0, index=codes)
    overcrowding = pd.Series(0.0, index=codes)
    if housing_summary is not None:
        spare = housing_summary[parameters.capacity_basis].reindex(codes).fillna(0.0).clip(lower=0.0)
        overcrowding = housing_summary["persons_over_capacity"].reindex(codes).fillna(0.0)
    planned = pipeline_capacity(pipeline).reindex(codes).fillna(0.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlannerWarning)
        allocation = allocate(assessed, layer.boundaries, spare + planned, mode=mode, parameters=parameters)
    problems = list(problems or []) + [Problem(str(w.message)) for w in caught]
    gemeenten = allocation.per_gemeente.copy()  # the allocation stays as it was made
    position = gemeenten.columns.get_loc("capacity")
    gemeenten.insert(position, "spare_capacity", spare.to_numpy())
    gemeenten.insert(position + 1, "pipeline_beds", planned.to_numpy())
    gemeenten["persons_over_capacity"] = overcrowding.to_numpy()
    lookup = regions.drop_duplicates("gemeentecode").set_index("gemeentecode")
    for column in lookup.columns:
        if column not in gemeenten.columns:
            gemeenten[column] = gemeenten.index.map(lookup[column])
    # A new allocation object with the augmented table: the one allocate() returned is left as it was.
    allocation = dataclasses.replace(allocation, per_gemeente=gemeenten)
    table = shortfall(allocation, regions, level)
    # Sites without a start year are left out of the years (and said so), not the years of every other site.
    years = yearly = None
    if assessed["start_year"].notna().any():
        years = per_year(assessed, allocation, pipeline, base_capacity=spare)
        yearly = year_totals(assessed, allocation, years)
    sites = allocation.sites
    undated = assessed["start_year"].isna().to_numpy()
    note = undated_problem(assessed, float((sites["demand_p50"] - sites["abroad_p50"]).to_numpy()[undated].sum()),
                           "beds to place in the Netherlands")
    if note is not None:
        problems.append(note)
    return RegionalResult(allocation, level, table, gemeenten, years, layer, norm, problems, yearly, note)


__all__ = ["PIPELINE_ALIASES", "RegionalResult", "capacity_by_gemeente", "codes_for", "custom_regions",
           "prepare_pipeline", "run_shortfall"]
