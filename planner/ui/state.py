"""What the pages share: the current inputs (in the session) and cached model runs.

Uploads are kept as (file name, bytes) in ``st.session_state``; every model
run is cached on those bytes and the parameters, so switching pages or
languages never recomputes, and a changed parameter recomputes only what
depends on it. The heavy data stay here in Python; pages send the browser
aggregates.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from ..boundaries import DEFAULT_BOUNDARY_YEAR
from ..demo import load_demo_sites
from ..geodata import BoundaryLayer, cached_years, layer_signature, load_boundaries, region_table
from ..housing import check_housing, load_housing_parameters, load_norm_sets
from ..impact import assess
from ..io import HOUSING_ALIASES, read_housing, read_sites, read_table
from ..library import SectorLibrary, load_library
from ..paths import data_dir
from ..regional import PIPELINE_ALIASES, RegionalResult, prepare_pipeline
from . import show
from .reading import read_uploaded

Upload = tuple[str, bytes] | None
#: Largest upload the app takes (the same as server.maxUploadSize in .streamlit/config.toml).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def check_upload_size(name: str, size: int) -> None:
    """Refuse an upload over the limit, also when the browser's own check was bypassed."""
    if size > MAX_UPLOAD_BYTES:
        from ..errors import InputError, Problem

        raise InputError(Problem(f"the file is larger than {MAX_UPLOAD_BYTES / 1024 / 1024:g} MB",
                                 fix="split it, or use the command line (planner ...), which has no limit"),
                         source=Path(name).name)

DEFAULTS: dict[str, Any] = {
    "sites_upload": None,
    "include_demo": True,
    "include_demo_pipeline": True,
    "manual_sites": [],
    "housing_upload": None,
    "housing_mapping": {},
    "norm": "roemer",
    "compare": "bouwbesluit",
    "pipeline_upload": None,
    "objects_uploads": [],
    "objects_upload": None,
    "regions_upload": None,
    "level": "gemeente",
    "mode": "decay",
    "mean_distance": None,
    "max_distance": None,
    "boundary_year": 2024,
}


#: Widgets whose value must survive a visit to another page. Streamlit forgets the state of a widget
#: that a run does not draw; writing the value back at the start of every run keeps it.
PERSISTENT = ("include_demo", "include_demo_pipeline",
              "norm", "compare", "level", "mode", "mean_distance_input", "max_distance_input",
              "pdok_sites", "pdok_shortfall", "form_name", "form_subtype", "form_floor", "form_plot", "form_start",
              "form_ramp", "form_place", "form_gemeente", "form_x", "form_y", "form_declared", "form_beds",
              "form_relocated", "form_jobs", "scenario_name", "scenario_organisation", "scenario_author",
              "report_title", "boundary_year")


def init() -> None:
    """Put the defaults into a new session, and keep widget values across pages."""
    for key, value in DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = value.copy() if isinstance(value, list | dict) else value
    for key in PERSISTENT:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    # A layer just imported, downloaded or removed (before any page reads the year in this run), and a year
    # whose stored layer is gone (removed from the command line): back to 2024.
    pending = st.session_state.pop("pending_boundary_year", None)
    if pending is not None:
        st.session_state["boundary_year"] = pending
    if st.session_state["boundary_year"] not in layer_years():
        st.session_state["boundary_year"] = 2024


def layer_years() -> list[int]:
    """Boundary years with a layer: 2024 (schematic, bundled) and every year with a stored exact layer."""
    return sorted({2024, *cached_years()})


def file_input(label: str, state_key: str, widget_key: str, types: list[str], lang: str,
               help_text: str | None = None) -> Upload:
    """A file upload that stays chosen while the user visits other pages, with a button to remove it.

    The upload is kept in ``st.session_state[state_key]`` as (name, bytes);
    a new upload replaces it.
    """
    from ..errors import InputError
    from ..i18n import t

    uploaded = st.file_uploader(label, type=types, help=help_text, key=widget_key)
    if uploaded is not None:
        try:
            check_upload_size(uploaded.name, uploaded.size)
        except InputError as exc:
            from ..messages import error_text

            show.error(error_text(exc, lang))
            return st.session_state.get(state_key)
        value = (uploaded.name, uploaded.getvalue())
        if value != st.session_state.get(state_key):
            st.session_state[state_key] = value
    current = st.session_state.get(state_key)
    if current is not None and uploaded is None:
        left, right = st.columns([4, 1])
        left.caption(t("file_in_use", lang, name=current[0]))
        if right.button(t("remove_file", lang), key=f"remove_{widget_key}"):
            st.session_state[state_key] = None
            st.rerun()
    return st.session_state.get(state_key)


def with_file(upload: tuple[str, bytes], reader: Callable[[Path], Any]) -> Any:
    """Run a reader on an upload written to a private temporary folder (the user's name, never their path).

    Every failure is an InputError that names the user's file: see :func:`planner.ui.reading.read_uploaded`.
    """
    return read_uploaded(upload, reader)


def boundary_year() -> int:
    """The boundary year the user chose (2024 unless changed in the borders section)."""
    return int(st.session_state.get("boundary_year") or 2024)


def layer_key(year: int | None = None) -> tuple[int, tuple[int, int] | None]:
    """The chosen year and a token of its stored layer file: it changes when a layer is imported, downloaded or
    removed (also from the command line), so every cache keyed on it is renewed without a server restart."""
    year = boundary_year() if year is None else year
    return year, layer_signature(year)


@st.cache_resource(show_spinner=False, max_entries=4)
def _boundary_layer(key: tuple[int, tuple[int, int] | None]) -> BoundaryLayer:
    return load_boundaries(key[0])


def boundary_layer(year: int | None = None) -> BoundaryLayer:
    """The boundary layer in use: the exact one of the chosen year if stored, else the schematic one."""
    return _boundary_layer(layer_key(year))


@st.cache_data(show_spinner=False)
def _regions(year: int) -> pd.DataFrame:
    return region_table(year)


def regions(year: int | None = None) -> pd.DataFrame:
    """The COROP/province table of the chosen boundary year."""
    return _regions(boundary_year() if year is None else year)


def layer_changed() -> None:
    """Drop cached layers after an import, download or removal in the app (the keys would renew them anyway)."""
    _boundary_layer.clear()


@st.cache_resource(show_spinner=False)
def library(objects: tuple[tuple[str, bytes], ...] = ()) -> SectorLibrary:
    if not objects:
        return load_library()
    if len(objects) == 1:
        return read_uploaded(objects[0], lambda path: load_library([path]))
    with tempfile.TemporaryDirectory() as folder:  # each file in a folder of its own, under the user's name

        def read_all(paths: list[Path], rest: tuple[tuple[str, bytes], ...]) -> SectorLibrary:
            if not rest:
                return load_library(paths)
            return read_uploaded(rest[0], lambda path: read_all([*paths, path], rest[1:]), folder)

        return read_all([], objects)


def current_library() -> SectorLibrary:
    return library(tuple(st.session_state.get("objects_uploads", [])))


@st.cache_data(show_spinner=False)
def manual_frame(manual_json: str) -> gpd.GeoDataFrame:
    """Sites entered in the form or drawn on the map, as a GeoDataFrame in WGS84.

    Each row has a place (``lon``, ``lat``); a drawn site also its polygon (``wkt``, WGS84).
    """
    import shapely

    rows = json.loads(manual_json)
    frame = pd.DataFrame(rows)
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"])
    if "wkt" in frame.columns:
        drawn = frame["wkt"].map(lambda text: isinstance(text, str) and bool(text)).to_numpy()
        geometry[drawn] = shapely.from_wkt(frame.loc[drawn, "wkt"].to_numpy())
    return gpd.GeoDataFrame(frame.drop(columns=["lon", "lat", "wkt"], errors="ignore"), geometry=geometry,
                            crs="EPSG:4326")


@st.cache_data(show_spinner=False, hash_funcs={SectorLibrary: lambda lib: lib.content_hash})
def assessed_sites(upload: Upload, include_demo: bool, manual_json: str, lib: SectorLibrary) -> gpd.GeoDataFrame:
    """The assessed sites: upload, example sites and entered sites together."""
    parts = []
    if upload is not None:
        read = with_file(upload, read_sites)
        # A file without coordinates (the command line takes it too): every site without a place, still estimated.
        read = read.set_crs("EPSG:4326") if read.crs is None else read.to_crs("EPSG:4326")
        # Messages name the row of the user's file ("line 2"), not its place in the combined table.
        read["row_label"] = [f"{read.index.name or 'row'} {i}" for i in read.index]
        parts.append(_bare(read))
    elif include_demo:
        # Without the reading attached: pandas copies it deeply into every column and row taken from the frame.
        parts.append(_bare(load_demo_sites().to_crs("EPSG:4326")))
    if json.loads(manual_json):
        parts.append(manual_frame(manual_json))
    if not parts:
        return gpd.GeoDataFrame()
    sites = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs="EPSG:4326")
    sites.index = pd.RangeIndex(1, len(sites) + 1, name="site")
    return assess(sites, lib)


def own_sites() -> bool:
    """The user brought sites of their own (a file or entered ones)."""
    return st.session_state.get("sites_upload") is not None or bool(st.session_state.get("manual_sites"))


def own_data() -> bool:
    """The user brought sites, a housing register or pipeline projects of their own."""
    state = st.session_state
    return own_sites() or state.get("housing_upload") is not None or state.get("pipeline_upload") is not None


def demo_sites_on() -> bool:
    """Whether the invented example sites count: off once the user has sites, unless ticked on again."""
    state = st.session_state
    if state.get("sites_upload") is not None:
        return False
    if own_sites() and not state.get("demo_sites_chosen"):
        return False
    return bool(state.get("include_demo", True))


def demo_pipeline_on() -> bool:
    """Whether the invented pipeline projects count: off once the user brings data, unless ticked on again."""
    state = st.session_state
    if state.get("pipeline_upload") is not None:
        return False
    if own_data() and not state.get("demo_pipeline_chosen"):
        return False
    return bool(state.get("include_demo_pipeline", True))


def invented_parts(lang: str, sites: bool = True, housing: bool = True, pipeline: bool = True) -> list[str]:
    """Which invented or synthetic inputs the current results contain (translated names)."""
    from ..i18n import t

    parts = []
    if sites and demo_sites_on():
        parts.append(t("invented_sites", lang))
    if housing and st.session_state.get("housing_upload") is None:
        parts.append(t("invented_housing", lang))
    if pipeline and demo_pipeline_on():
        parts.append(t("invented_pipeline", lang))
    return parts


def titled(title: str, lang: str, **which: bool) -> str:
    """``title``, saying which invented data it contains, if any (sites, housing, pipeline: which to consider)."""
    from ..i18n import t

    parts = invented_parts(lang, **which)
    return t("invented_title", lang, title=title, what=", ".join(parts)) if parts else title


SitesKey = tuple[Upload, bool, str, tuple[tuple[str, bytes], ...]]


def sites_key() -> SitesKey:
    """What the assessed sites are made of (upload, example sites on, entered sites, reference objects): a cheap
    key for caches of anything computed from the sites, instead of hashing the assessed frame."""
    state = st.session_state
    return (state["sites_upload"], demo_sites_on(), json.dumps(state["manual_sites"]),
            tuple(state.get("objects_uploads", [])))


def sites_of(key: SitesKey) -> gpd.GeoDataFrame:
    """The assessed sites of a :func:`sites_key` (a copy: the caller may change it)."""
    upload, include_demo, manual_json, objects = key
    return assessed_sites(upload, include_demo, manual_json, library(objects))


def current_sites() -> gpd.GeoDataFrame:
    return sites_of(sites_key())


@st.cache_data(show_spinner=False, max_entries=16)
def site_totals(key: SitesKey, last: bool = False) -> pd.DataFrame:
    """:func:`planner.impact.totals` of the sites of ``key`` (only the last one with ``last``), computed once."""
    from ..impact import totals

    sites = sites_of(key)
    return totals(sites.iloc[[-1]] if last else sites)


@st.cache_data(show_spinner=False, max_entries=16)
def site_phase(key: SitesKey, quantity: str) -> pd.DataFrame:
    """The phasing of the sites of ``key`` that have a start year (:func:`planner.allocation.phase_dated`), once."""
    from ..allocation import phase_dated

    return phase_dated(sites_of(key), quantity)


@st.cache_data(show_spinner=False)
def sites_reading(upload: tuple[str, bytes]):
    """How an uploaded sites file was read (a :class:`~planner.columns.Reading`)."""
    return with_file(upload, read_sites).attrs["reading"]


@st.cache_data(show_spinner=False)
def housing_headers(upload: Upload) -> list[str]:
    """Headers of an uploaded register that planner does not recognise (for the column mapping)."""
    if upload is None:
        return []
    frame, _ = with_file(upload, lambda p: read_table(p, HOUSING_ALIASES, strict=False))
    return list(frame.attrs["reading"].unrecognised)


@st.cache_data(show_spinner=False)
def register(upload: Upload, mapping_json: str) -> gpd.GeoDataFrame:
    if upload is None:
        return read_housing(data_dir("demo") / "woningvoorraad_synthetisch.csv")
    return with_file(upload, lambda p: read_housing(p, json.loads(mapping_json)))


def _bare(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without the reading attached by the readers (Streamlit and Arrow cannot serialise it)."""
    frame.attrs = {}
    return frame


@st.cache_data(show_spinner=False)
def housing_reading(upload: Upload, mapping_json: str):
    """How the register was read (a :class:`~planner.columns.Reading`)."""
    return register(upload, mapping_json).attrs.get("reading")


def current_housing_reading():
    return housing_reading(st.session_state["housing_upload"], json.dumps(st.session_state["housing_mapping"]))


@st.cache_data(show_spinner=False)
def checked_housing(upload: Upload, mapping_json: str, norm: str, compare: str | None) -> pd.DataFrame:
    return _bare(check_housing(register(upload, mapping_json).copy(), norm, compare, norms=load_norm_sets(),
                               params=load_housing_parameters()))


CheckedKey = tuple[Upload, str, str, str | None]


def checked_key() -> CheckedKey:
    """What the checked register is made of (upload, column mapping, norm, compared norm): a cheap cache key."""
    compare = st.session_state["compare"]
    compare = None if compare in (None, "", st.session_state["norm"]) else compare
    return (st.session_state["housing_upload"], json.dumps(st.session_state["housing_mapping"]),
            st.session_state["norm"], compare)


def current_checked() -> pd.DataFrame:
    return checked_housing(*checked_key())


def pipeline(upload: Upload, include_demo: bool = True) -> pd.DataFrame | None:
    """The user's pipeline projects; without an upload the invented examples, or none when they are off.

    Municipal codes are those of the boundary year in use.
    """
    return _pipeline(upload, include_demo, layer_key())


@st.cache_data(show_spinner=False)
def _pipeline(upload: Upload, include_demo: bool, key: tuple) -> pd.DataFrame | None:
    layer = _boundary_layer(key)

    def read(path: Path) -> pd.DataFrame:
        frame, _ = read_table(path, PIPELINE_ALIASES, strict=False, kind="pipeline")
        return _bare(prepare_pipeline(frame, layer, source=path.name))

    if upload is None:
        return read(data_dir("demo") / "pijplijn_voorbeeld.csv") if include_demo else None
    return with_file(upload, read)


@st.cache_data(show_spinner=False)
def pipeline_reading(upload: tuple[str, bytes]):
    """How an uploaded pipeline file was read, with its rows used (every row, or the file is refused)."""
    layer = boundary_layer()

    def read(path: Path):
        frame, _ = read_table(path, PIPELINE_ALIASES, strict=False, kind="pipeline")
        return frame.attrs["reading"].with_rows(len(frame), len(prepare_pipeline(frame, layer, source=path.name)))

    return with_file(upload, read)


def custom_region_table(upload: tuple[str, bytes]) -> pd.DataFrame:
    """A user's own regions (gemeentecode -> region) for the boundary year in use."""
    return _custom_region_table(upload, layer_key())


@st.cache_data(show_spinner=False)
def _custom_region_table(upload: tuple[str, bytes], key: tuple) -> pd.DataFrame:
    from ..regional import custom_regions

    layer = _boundary_layer(key)

    def read(path: Path) -> pd.DataFrame:
        frame, _ = read_table(path, {"gemeentecode": ("gemeentecode", "gm_code", "gemeente_code", "cbs_code")},
                              strict=False)
        return custom_regions(frame, layer, source=path.name)[0]

    return with_file(upload, read)


def _parameters_signature() -> tuple[str, int, int]:
    from ..paths import data_dir

    path = data_dir("parameters") / "allocation_parameters.csv"
    stat = path.stat()
    return str(path), stat.st_mtime_ns, stat.st_size


@st.cache_data(show_spinner=False, max_entries=4)
def _allocation_parameters(signature: tuple[str, int, int]):
    from ..allocation import load_allocation_parameters

    return load_allocation_parameters()


def allocation_parameters():
    """The allocation parameters of the bundled file, read again only when the file changes."""
    return _allocation_parameters(_parameters_signature())


RegionalKey = tuple
#: How Streamlit's caches hash a :data:`RegionalKey`: the allocation parameters in it by their values.
REGIONAL_KEY_HASH: dict[str | type, Callable[[Any], Any]] = {
    "planner.allocation.AllocationParameters": lambda p: p.table().to_json()}


def regional_key() -> RegionalKey:
    """Everything the regional shortfall is computed from, as a cheap key (uploads, choices, parameters, borders)."""
    state = st.session_state
    parameters = allocation_parameters().with_values(mean_distance_km=state["mean_distance"],
                                                     max_distance_km=state["max_distance"])
    return (sites_key(), checked_key(), (state["pipeline_upload"], demo_pipeline_on()), state["mode"],
            state["level"], state["regions_upload"], parameters, state["norm"], layer_key())


def regional_of(key: RegionalKey) -> RegionalResult:
    """The regional shortfall of a :func:`regional_key`, computed once and shared: never change it."""
    return _regional(*key)


def current_regional() -> RegionalResult:
    """The regional shortfall for the current inputs and settings (cached; shared, so never change it)."""
    return regional_of(regional_key())


@st.cache_resource(show_spinner=False, max_entries=16,
                   hash_funcs=REGIONAL_KEY_HASH)
def _regional(sites: SitesKey, checked: CheckedKey, pipeline_upload: tuple[Upload, bool], mode: str,
              level: str, regions_upload: Upload, parameters, norm: str,
              key: tuple = (DEFAULT_BOUNDARY_YEAR, None)) -> RegionalResult:
    from ..plan import Plan

    layer = _boundary_layer(key)
    table = regions(key[0])
    chosen = level
    if level == "custom" and regions_upload is not None:
        table = table.merge(_custom_region_table(regions_upload, key), on="gemeentecode", how="left")
        chosen = "region"
    elif level == "custom":
        chosen = "gemeente"
    assessed = sites_of(sites)
    plan = Plan(assessed, assessment=assessed, checked_housing=checked_housing(*checked),
                pipeline=_pipeline(*pipeline_upload, key), boundaries=layer, regions=table, library=library(sites[3]),
                parameters=parameters, norm=norm, mode=mode, boundary_year=layer.year)
    return plan.shortfall(chosen)


def upload_value(uploaded) -> Upload:
    """(name, bytes) of a Streamlit upload, or None."""
    return None if uploaded is None else (uploaded.name, uploaded.getvalue())


def prepare_once() -> None:
    """Compute what the other pages need for the current inputs (the checked register, the regional shortfall)
    once per session, after the first page has been drawn: the first visit to Woningvoorraad or Regionaal tekort
    then finds the results ready instead of computing them (about 3 s on the demo). The caches are shared by all
    sessions, so on a running server only the first visitor waits. Nothing is shown; a failure is left for the
    page that uses the input to report."""
    import logging

    if st.session_state.get("prepared"):
        return
    try:
        current_checked()
        current_regional()
    except Exception:  # an input a page will report with its own words
        logging.getLogger("planner.app").debug("preparing the other pages failed", exc_info=True)
    # Only now: a run stopped by the browser's rerun (Streamlit's control exceptions are no Exception) tries again.
    st.session_state["prepared"] = True
