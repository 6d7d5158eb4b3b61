"""One pipeline from planned sites to a regional shortfall: :class:`Plan`.

The command line, the app, scenarios and the report all go through this
object, so the chain sites -> impact -> housing capacity -> allocation ->
shortfall is written once. A :class:`Plan` holds the inputs as data (files
are read at the edges, by :mod:`planner.io`) and every choice; its results
are computed on first use and kept, and they carry the problems met on the
way and where every figure came from (:meth:`Plan.about`).

Examples
--------
>>> import planner
>>> plan = planner.Plan(planner.load_demo_sites(), housing=planner.read_housing(planner.demo_housing_path()))
>>> result = plan.shortfall("provincie")
>>> int(round(result.totals()["capacity"])) == int(round(plan.capacity()["spare_capacity"].clip(lower=0).sum()))
True
>>> result.table.index.name
'provincie_code'
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import geopandas as gpd
import pandas as pd

from .allocation import AllocationParameters, load_allocation_parameters
from .boundaries import DEFAULT_BOUNDARY_YEAR
from .errors import InputError, Problem
from .geodata import BoundaryLayer, load_boundaries, region_table
from .housing import check_housing, has_location
from .impact import assess
from .library import SectorLibrary, load_library
from .regional import RegionalResult, capacity_by_gemeente, codes_for, run_shortfall
from .regions import assign_gemeente

#: The region levels every plan knows; a plan's ``regions`` table may add columns of its own.
STANDARD_LEVELS = ("gemeente", "corop", "provincie")


def default_regions(layer: BoundaryLayer) -> pd.DataFrame:
    """The municipality -> COROP -> province table of the layer's year, or the bare codes where planner has none."""
    try:
        return region_table(layer.year)
    except InputError:
        return layer.boundaries[["gemeentecode"]].copy()


def place_locations(locations: pd.DataFrame, layer: BoundaryLayer, what: str = "housing"
                    ) -> tuple[pd.Series, pd.Series, list[Problem], list[Problem]]:
    """The municipality of every location in ``layer``, as the shortfall counts it, and how it was placed.

    The codes are those of :func:`planner.regional.codes_for`, the placing
    :meth:`Plan.capacity` uses: a location with coordinates lies in the
    municipality of the layer (its year, schematic or exact borders) that holds
    its point; others keep the code they were given (read from the register,
    or found by the reader from a woonplaats), carried forward to the layer's
    year. Pure: nothing is read and ``locations`` is not changed.

    Returns
    -------
    codes
        Aligned to ``locations``; ``None`` where nothing places a location.
    placed_by
        ``coordinates``, or what gave the code (``gemeentecode``, or the
        reader's ``placed_by``: ``woonplaats``, ``address`` ...); ``None``
        where nothing places it.
    notes
        As :func:`planner.regional.codes_for`, codes carried forward
        (column ``gemeentecode``); and locations whose point lies in another
        municipality than their code says (no column).
    problems
        Codes that are no municipality of the layer's year (counted under
        ``(unknown)``), as :func:`planner.regional.codes_for`.
    """
    frame = locations if isinstance(locations, gpd.GeoDataFrame) else gpd.GeoDataFrame(locations)
    codes, problems, notes = codes_for(frame, layer, what)
    by_point = pd.Series(False, index=frame.index)
    if frame.crs is not None and has_location(frame.geometry.to_numpy()).any():
        by_point = assign_gemeente(frame, layer.boundaries).notna()
    given = (locations["placed_by"].astype(object).where(locations["placed_by"].notna(), "gemeentecode")
             if "placed_by" in locations.columns else pd.Series("gemeentecode", index=frame.index, dtype=object))
    given = given.where(given != "coordinates", "gemeentecode")  # the point lies outside the layer: its code placed it
    placed_by = pd.Series("coordinates", index=frame.index, dtype=object).where(by_point, given)
    return codes, placed_by.where(codes.notna()), notes + _other_code(frame, codes, by_point, layer, what), problems


def _other_code(frame: pd.DataFrame, codes: pd.Series, by_point: pd.Series, layer: BoundaryLayer, what: str
                ) -> list[Problem]:
    """A note for every location whose point lies in another municipality than the code it was given."""
    if "gemeentecode" not in frame.columns or not by_point.any():
        return []
    from .herindeling import update_codes
    from .housing import normalise_gemeentecode

    given, _, _ = update_codes(normalise_gemeentecode(frame["gemeentecode"]).where(by_point), layer.year)
    other = by_point & given.notna() & (given != codes)
    if "valid" in frame.columns:  # an unusable row counts nowhere: no note
        other &= frame["valid"].astype(bool)
    names = (layer.boundaries.set_index("gemeentecode")["gemeentenaam"] if "gemeentenaam" in layer.boundaries
             else pd.Series(dtype=object))
    prefix = frame.index.name or "row"
    return [Problem(f"{given[i]} given, but the point lies in {codes[i]} ({names.get(codes[i], codes[i])}) on the "
                    f"{layer.kind} borders of {layer.year}: counted there", f"{what} {prefix} {i}")
            for i in frame.index[other.to_numpy()]]


@dataclass(frozen=True, eq=False)
class Plan:
    """Planned sites, the housing stock and pipeline around them, and every choice; results on demand.

    Parameters
    ----------
    sites
        Planned business sites (:func:`planner.read_sites`): sector, subtype,
        floor or plot area, start year, with points or polygons.
    assessment
        The impact assessment of ``sites`` when it has been made already (the
        app assesses each site once, as it is entered); else it is made here.
    housing
        A housing register (:func:`planner.read_housing`), checked against
        ``norm`` for spare capacity; or None.
    checked_housing
        Instead of ``housing``: a register already checked against ``norm``
        (:func:`planner.housing.check_housing`), as the command line has it
        after deciding whether enough rows are usable.
    capacity
        Instead of a register: spare capacity per municipality as a scenario
        keeps it (``gemeentecode`` and the columns of
        :func:`planner.housing.summarise_housing`).
    pipeline
        Planned housing projects (``gemeentecode``, ``beds``, ``year``).
    boundaries
        The municipal boundary layer; default: the layer of ``boundary_year``
        planner has (exact borders where imported, else the bundled
        schematic layer).
    regions
        The region table (``gemeentecode`` plus a column per level); default:
        the bundled COROP and province table of the boundary year. Add a
        column of your own and pass its name as ``level`` to
        :meth:`shortfall`.
    library, parameters
        The sector reference library and the allocation parameters; default:
        the bundled ones.
    norm, mode
        The norm set for the housing check; ``decay`` or ``capacity``
        allocation.
    problems
        Problems met while reading the inputs; results carry them on.
    """

    sites: gpd.GeoDataFrame
    assessment: gpd.GeoDataFrame | None = None
    housing: pd.DataFrame | None = None
    checked_housing: pd.DataFrame | None = None
    capacity_table: pd.DataFrame | None = None
    pipeline: pd.DataFrame | None = None
    boundaries: BoundaryLayer | None = None
    regions: pd.DataFrame | None = None
    library: SectorLibrary | None = None
    parameters: AllocationParameters | None = None
    norm: str = "roemer"
    mode: str = "decay"
    boundary_year: int = DEFAULT_BOUNDARY_YEAR
    problems: tuple[Problem, ...] = field(default=())

    def __post_init__(self) -> None:
        # The composition root: defaults are read here, once, never inside the model functions.
        if self.boundaries is None:
            object.__setattr__(self, "boundaries", load_boundaries(self.boundary_year))
        if self.regions is None:
            object.__setattr__(self, "regions", default_regions(self.boundaries))
        if self.library is None:
            object.__setattr__(self, "library", load_library())
        if self.parameters is None:
            object.__setattr__(self, "parameters", load_allocation_parameters())
        object.__setattr__(self, "problems", tuple(self.problems))
        object.__setattr__(self, "_shortfalls", {})

    def with_changes(self, **changes) -> Plan:
        """A new plan with some inputs or choices changed (results are computed afresh)."""
        return replace(self, **changes)

    # -- the chain -------------------------------------------------------------------------------
    @cached_property
    def assessed(self) -> gpd.GeoDataFrame:
        """Workers, labour migrants and beds per site (:func:`planner.impact.assess`), P10 / P50 / P90."""
        if self.assessment is not None:
            return self.assessment
        return assess(self.sites, self.library)

    def impact(self) -> gpd.GeoDataFrame:
        """The impact assessment of the sites (computed once)."""
        return self.assessed

    @cached_property
    def checked(self) -> pd.DataFrame | None:
        """The housing register checked against the norm (:func:`planner.housing.check_housing`), or None."""
        if self.checked_housing is not None:
            return self.checked_housing
        if self.housing is None:
            return None
        return check_housing(self.housing, self.norm)

    @cached_property
    def _capacity(self) -> tuple[pd.DataFrame | None, tuple[Problem, ...]]:
        if self.capacity_table is not None and len(self.capacity_table):
            return self.capacity_table.set_index("gemeentecode"), ()
        if self.checked is None:
            return None, ()
        summary, problems = capacity_by_gemeente(self.checked, self.boundaries, self.parameters.capacity_basis)
        return summary, tuple(problems)

    def capacity(self) -> pd.DataFrame | None:
        """Capacity per municipality (spare places, overcrowding) from the register or the given table."""
        return self._capacity[0]

    def shortfall(self, level: str = "gemeente") -> RegionalResult:
        """Allocation of the sites' beds and the shortfall per region of ``level`` (computed once per level)."""
        if level not in STANDARD_LEVELS and level not in self.regions.columns:
            raise InputError(Problem(f"unknown region level '{level}'",
                                     fix="use gemeente, corop, provincie or a column of the plan's regions table"))
        cache: dict[str, RegionalResult] = self.__dict__["_shortfalls"]
        if level not in cache:
            summary, capacity_problems = self._capacity
            has_stock = summary is not None
            cache[level] = run_shortfall(
                self.assessed, self.boundaries, self.regions, housing_summary=summary, pipeline=self.pipeline,
                mode=self.mode, parameters=self.parameters, level=level, norm=self.norm if has_stock else None,
                problems=[*self.problems, *capacity_problems])
        return cache[level]

    # -- provenance ------------------------------------------------------------------------------
    def about(self) -> dict[str, str]:
        """Where the figures come from: library, boundaries, norm, mode and every allocation parameter."""
        rows = {"library": self.library.content_hash[:12], **self.boundaries.about(), "norm": self.norm,
                "allocation_mode": self.mode, "sites": str(len(self.sites)),
                "housing": (f"register of {len(self.checked)} rows" if self.checked is not None else
                            "capacity table" if self.capacity_table is not None else "none: no spare capacity"),
                "pipeline": f"{len(self.pipeline)} projects" if self.pipeline is not None else "none"}
        for _, row in self.parameters.table().iterrows():
            rows[f"parameter {row['parameter']}"] = str(row["value"])
        return rows


__all__ = ["STANDARD_LEVELS", "Plan", "default_regions", "place_locations"]
