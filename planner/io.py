"""Reading and writing the files planners use: GeoPackage, GeoJSON, zipped
Shapefile, CSV and Excel.

This is the edge of the program: model functions never touch files. Readers
map common Dutch and English column headers onto the canonical names, read
decimal commas, find coordinates in two columns (RD New or WGS84) and number
rows the way the user sees them in the file (``line`` for CSV and Excel, where
the header is line 1; ``feature`` for vector files, from 1).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from .columns import COUNTED, RATE, Reading, header_key, header_period, normalise_header, recognise, rename_for
from .csvtext import HEADER_SEARCH_LINES, _unique_headers, csv_frame, read_csv_records
from .errors import InputError, Problem
from .numbers import CONVENTION_TEXT, PLAIN, NumberColumn, ambiguity_fix, ambiguity_message, read_numbers

#: planner never fetches anything through GDAL: an address a file names (a coordinate system by link, a remote
#: source) would go to a closed local port and fail at once, and ``/vsicurl/`` reads nothing.
pyogrio.set_gdal_config_options({"GDAL_HTTP_PROXY": "127.0.0.1:9", "GDAL_HTTP_TIMEOUT": "2",
                                 "GDAL_HTTP_MAX_RETRY": "0", "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".planner-reads-none"})

VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".zip", ".fgb", ".parquet", ".kml", ".kmz")
#: Text tables (any delimiter; Excel's "Unicode text" is tab-separated UTF-16).
TEXT_TABLE_SUFFIXES = (".csv", ".txt", ".tsv")
#: Workbooks: Excel 2007+ (openpyxl), Excel 97-2003, Excel binary and OpenDocument (python-calamine).
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
TABLE_SUFFIXES = TEXT_TABLE_SUFFIXES + SPREADSHEET_SUFFIXES
#: Every kind of file planner reads, for file choosers.
READ_SUFFIXES = VECTOR_SUFFIXES + TABLE_SUFFIXES
#: The table kinds as a file chooser lists them (without the dot).
TABLE_TYPES = [suffix.lstrip(".") for suffix in TABLE_SUFFIXES]
OUTPUT_SUFFIXES = (".gpkg", ".geojson", ".csv", ".xlsx")

#: Header aliases (normalised: lower case, words joined by "_") for site files.
SITE_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "naam", "bedrijf", "bedrijfsnaam", "locatie", "site", "project", "plannaam", "projectnaam",
             "naam_plan", "werklocatie", "naam_werklocatie"),
    "sector": ("sector", "branche"),
    "subtype": ("subtype", "subsector", "type", "soort"),
    "floor_area_m2": ("floor_area_m2", "floor_area", "bvo", "bvo_m2", "vloeroppervlak", "vloeroppervlakte",
                      "vloeroppervlak_m2", "vloeroppervlakte_m2", "gross_floor_area", "gfa_m2"),
    "plot_area_ha": ("plot_area_ha", "plot_area", "plot_ha", "kavel_ha", "kaveloppervlak_ha", "terrein_ha",
                     "oppervlakte_ha", "kavel", "kas", "kas_ha", "kasoppervlak", "kasoppervlakte", "glas_ha",
                     "glasoppervlak", "glasoppervlakte", "netto_glas", "oppervlakte_kas", "oppervlakte_glas",
                     "glass_ha", "glass_area", "greenhouse_area", "kavelgrootte", "kaveloppervlakte", "perceel_ha",
                     "perceeloppervlak", "perceeloppervlakte", "terreinoppervlak", "terreinoppervlakte",
                     "plot_size", "kavel_m2", "kaveloppervlak_m2", "kaveloppervlakte_m2", "perceel_m2",
                     "perceeloppervlak_m2", "perceeloppervlakte_m2", "terrein_m2", "terreinoppervlak_m2",
                     "terreinoppervlakte_m2", "oppervlakte_kavel_m2", "oppervlakte_perceel_m2"),
    "start_year": ("start_year", "startjaar", "jaar_ingebruikname", "ingebruikname", "start", "opleverdatum",
                   "oplevering", "opleverjaar", "jaar_oplevering", "datum_ingebruikname", "ingebruiknamedatum",
                   "year_of_opening", "opening", "ingebruikname_gepland", "geplande_ingebruikname", "realisatie",
                   "realisatiejaar", "jaar_realisatie"),
    "ramp_up_years": ("ramp_up_years", "ramp_up", "ingroeijaren", "ingroei_jaren", "opbouwjaren"),
    "declared_jobs": ("declared_jobs", "opgave_banen", "banen_opgave", "verwachte_banen", "aangekondigde_banen",
                      "arbeidsplaatsen_opgave", "opgave_arbeidsplaatsen", "aantal_arbeidsplaatsen",
                      "verwachte_arbeidsplaatsen", "verwachte_werkgelegenheid", "werkgelegenheid_opgave",
                      "announced_jobs", "expected_jobs", "arbeidsplaatsen", "banen", "nieuwe_banen",
                      "nieuwe_arbeidsplaatsen", "medewerkers", "aantal_medewerkers", "werknemers",
                      "aantal_werknemers", "personeel", "personeelsleden", "aantal_personeelsleden", "employees",
                      "jobs", "headcount", "werkgelegenheid", "werkzame_personen", "aantal_werkzame_personen",
                      "arbeidsplaatsen_totaal", "banen_totaal"),
    "declared_migrants": ("declared_migrants", "opgave_arbeidsmigranten", "verwachte_arbeidsmigranten",
                          "arbeidsmigranten_opgave", "arbeidsmigranten", "aantal_arbeidsmigranten",
                          "verwacht_aantal_arbeidsmigranten", "arbeidsmigranten_verwacht", "waarvan_arbeidsmigranten",
                          "buitenlandse_werknemers", "buitenlandse_medewerkers", "migrant_workers",
                          "labour_migrants"),
    "declared_beds": ("declared_beds", "opgave_bedden", "eigen_bedden", "bedden_opgave"),
    "relocated_jobs": ("relocated_jobs", "verplaatste_banen", "verhuizende_banen", "banen_verplaatst",
                       "overgeplaatste_banen", "verplaatste_arbeidsplaatsen", "arbeidsplaatsen_verplaatst",
                       "verhuizende_arbeidsplaatsen"),
    # not "van_gemeente": it reduces to "gemeente" ("van" says nothing), which is the site's own municipality
    "relocated_from": ("relocated_from", "verplaatst_uit", "herkomst_gemeente", "verplaatst_van", "herkomst",
                       "gemeente_herkomst", "vestiging_herkomst"),
    "abroad_share": ("abroad_share", "aandeel_buitenland", "buitenland_aandeel"),
    "status": ("status", "planstatus", "status_plan", "stand_van_zaken", "procedurestatus", "status_procedure",
               "fase_plan", "planfase"),
    # the share of the plot that may be built on: with a plot and no floor area, the floor area is plot x share
    "coverage": ("bebouwingspercentage", "bebouwingsgraad", "maximaal_bebouwingspercentage",
                 "bebouwingspercentage_max", "max_bebouwingspercentage", "site_coverage"),
    # where a site without coordinates lies (placed at its municipality's middle by the allocation, said)
    "gemeentecode": ("gemeentecode", "gm_code", "gemeente_code", "cbs_code", "gemcode", "municipality_code"),
    "gemeentenaam": ("gemeentenaam", "gemeente", "municipality"),
    "woonplaats": ("woonplaats", "plaats", "plaatsnaam", "kern", "place", "city", "town"),
    "address": ("adres", "address", "locatie_adres", "straat_huisnummer"),
}
#: Headers never read by name as a target: a count in full-time equivalents is no count of people.
#: A percentage or share is no count of people (``Opgave arbeidsmigranten (%)``).
_SHARE_WORDS = frozenset({"pct", "procent", "percentage", "aandeel", "share"})
#: A rate (``Banen per ha``, ``Medewerkers per ploeg``, ``BVO per kavel``) is no figure of the whole site, a count of
#: things (``Aantal kavels``) is no area, and the migrants among the workers are not all of them.
_NOT_A_TOTAL = frozenset({RATE})
_MIGRANT_WORDS = frozenset({"arbeidsmigranten", "arbeidsmigrant", "migranten", "buitenlandse", "buitenlands",
                            "migrant", "migrants", "foreign"})
SITE_NEVER: dict[str, frozenset[str]] = {
    "declared_jobs": frozenset({"fte", "fte_s", "ftes", "arbeidsjaren", "aje", "gemiddeld", "gemiddelde", "gem",
                                "average", "mean"}) | _SHARE_WORDS | _NOT_A_TOTAL | _MIGRANT_WORDS,
    "declared_migrants": _SHARE_WORDS | _NOT_A_TOTAL, "declared_beds": _SHARE_WORDS | _NOT_A_TOTAL,
    "relocated_jobs": _SHARE_WORDS | _NOT_A_TOTAL,
    "floor_area_m2": frozenset({"kavel", "perceel", "terrein", "plot", COUNTED}) | _NOT_A_TOTAL,
    "plot_area_ha": frozenset({COUNTED}) | _NOT_A_TOTAL}
#: Announced jobs: the total at the site before the new ones only (``Nieuwe banen`` may already leave out the
#: jobs that move in, which planner subtracts itself).
#: The start of construction is no opening year where the opening is given too (``Start bouw`` beside
#: ``Ingebruikname``).
SITE_SECOND_CHOICE: dict[str, frozenset[str]] = {"declared_jobs": frozenset({"nieuwe", "nieuw", "new", "extra"}),
                                                 "start_year": frozenset({"bouw", "aanvang", "vergunning",
                                                                          "construction"}),
                                                 # a gross area holds roads and green: the net area comes first
                                                 "plot_area_ha": frozenset({"bruto", "gross", "uitgegeven",
                                                                            "verkocht"}),
                                                 # the ratios are per gross floor area (BVO)
                                                 "floor_area_m2": frozenset({"netto", "net", "nvo", "vvo", "gbo",
                                                                             "verhuurbaar", "verhuurbare"})}
#: Headers that win a tie: glasshouse ratios are per hectare of glass, so ``Kas (ha)`` before ``Kavel (ha)``.
SITE_FIRST_CHOICE: dict[str, frozenset[str]] = {"plot_area_ha": frozenset({"kas", "glas", "glass", "greenhouse",
                                                                           "kasoppervlak", "kasoppervlakte",
                                                                           "glasoppervlak", "glasoppervlakte",
                                                                           "netto"})}
#: Words of a header that names the plot, not the building: suggested as plot_area_ha, never as floor area.
PLOT_WORDS = frozenset({"kavel", "perceel", "terrein", "plot", "grond"})

#: Extent of RD New coordinates on Dutch territory, with a margin.
RD_BOUNDS = (-7_000.0, 289_000.0, 300_000.0, 629_000.0)
#: Extent of the Netherlands in longitude/latitude, with a margin.
NL_LONLAT_BOUNDS = (3.0, 50.6, 7.4, 53.7)

#: Kinds of the targets whose values must be numbers (the recogniser checks them against the values).
NUMBER_TARGETS = ("floor_area_m2", "plot_area_ha", "start_year", "ramp_up_years", "declared_jobs",
                  "declared_migrants", "declared_beds", "relocated_jobs", "bedrooms", "occupants", "licensed_beds",
                  "bedroom_area_m2", "toilets", "showers", "beds", "year")


def map_columns(frame: pd.DataFrame, aliases: Mapping[str, tuple[str, ...]],
                mapping: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Rename columns to their canonical names, from their headers alone (see :mod:`planner.columns`).

    ``mapping`` (file header -> canonical name) is applied first and wins;
    other headers are scored against the aliases. Other columns are kept as
    they are.
    """
    reading = recognise(frame, aliases, mapping, coordinates=False, use_values=False)
    return frame.rename(columns=rename_for(reading))


#: Coordinate systems a Dutch file may hold besides RD New and degrees, by the extent of the Netherlands in them.
OTHER_SYSTEMS = (("Web Mercator (EPSG:3857)", (300_000.0, 6_550_000.0, 830_000.0, 7_120_000.0)),
                 ("UTM zone 31N (EPSG:25831/32631)", (480_000.0, 5_600_000.0, 800_000.0, 5_960_000.0)),
                 ("RD New in km", (-7.0, 289.0, 300.0, 629.0)))


def _other_system(x: pd.Series, y: pd.Series) -> str | None:
    """The system other than RD New and degrees that all the points fit in, if one does."""
    return next((name for name, bounds in OTHER_SYSTEMS if _within(x, y, bounds)), None)


def _within(x: pd.Series, y: pd.Series, bounds: tuple[float, float, float, float]) -> bool:
    return bool(((x >= bounds[0]) & (x <= bounds[2]) & (y >= bounds[1]) & (y <= bounds[3])).all())


def _coordinate_numbers(frame: pd.DataFrame, xcol: str, ycol: str, degrees: bool) -> tuple[NumberColumn, NumberColumn]:
    """Read two coordinate columns; RD metres may carry thousands dots (207.032), degrees never do."""
    first = (read_numbers(frame[xcol], thousands=not degrees), read_numbers(frame[ycol], thousands=not degrees))
    if degrees:
        return first
    xs, ys = first[0].values, first[1].values
    present = xs.notna() & ys.notna()
    if not present.any() or _within(xs[present], ys[present], RD_BOUNDS):
        return first
    second = (read_numbers(frame[xcol], thousands=False), read_numbers(frame[ycol], thousands=False))
    xs, ys = second[0].values, second[1].values
    present = xs.notna() & ys.notna()
    if present.any() and _within(xs[present], ys[present], NL_LONLAT_BOUNDS):
        return second
    return first


def table_to_geodataframe(frame: pd.DataFrame, source: str, crs: str | None = None,  # noqa: C901
                          strict: bool = True) -> gpd.GeoDataFrame:
    """Make points (or WKT shapes) from the canonical coordinate columns, finding the CRS.

    Columns ``x``/``y`` are RD New when they fall within its Dutch extent,
    and longitude/latitude when they fall within the Dutch extent in degrees;
    ``lon``/``lat`` are WGS84. Rows without coordinates get an empty geometry
    and are kept. Swapped latitude/longitude is reported. With
    ``strict=False`` a coordinate that is not a number does not stop the
    read: the row gets no geometry and the reason in ``input_problem``.
    """
    if "wkt" in frame.columns:
        text = frame["wkt"].astype(object).where(frame["wkt"].astype(str).str.strip() != "", None)
        try:
            geometry = gpd.GeoSeries.from_wkt(text, on_invalid="raise")
        except Exception as exc:
            raise InputError(Problem(f"column 'wkt' holds text that is not WKT ({exc})", column="wkt",
                                     fix="write geometries as WKT, e.g. POINT (155000 463000)"),
                             source=source) from None
        out = gpd.GeoDataFrame(frame.drop(columns=["wkt"]), geometry=geometry.values, crs=crs or _wkt_crs(geometry,
                                                                                                       source))
        if crs is None and out.crs == "EPSG:4326":
            out.attrs["coordinate_note"] = "WKT in longitude/latitude (WGS84), by its values"
        return out
    if "xy" in frame.columns and not ({"x", "y"} <= set(frame.columns) or {"lon", "lat"} <= set(frame.columns)):
        frame = _split_pairs(frame, source, strict)
    if {"x", "y"} <= set(frame.columns):
        xcol, ycol, lonlat = "x", "y", False
    elif {"lon", "lat"} <= set(frame.columns):
        xcol, ycol, lonlat = "lon", "lat", True
    else:
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([None] * len(frame), index=frame.index), crs=crs)
    x_numbers, y_numbers = _coordinate_numbers(frame, xcol, ycol, lonlat)
    xs, ys = x_numbers.values, y_numbers.values
    problems: list[Problem] = []
    for col, numbers in ((xcol, x_numbers), (ycol, y_numbers)):
        problems += numbers.problems(frame[col], col)
    if problems and strict:
        raise InputError(problems, source=source)
    if problems:
        frame = frame.copy()
        frame["input_problem"] = frame["input_problem"] if "input_problem" in frame.columns else ""
        for col, numbers in ((xcol, x_numbers), (ycol, y_numbers)):
            flagged = numbers.bad | numbers.ambiguous
            frame.loc[flagged, "input_problem"] = (frame.loc[flagged, "input_problem"] + f"{col}: '"
                                                   + frame.loc[flagged, col].astype(str) + "' is not a coordinate; ")
    present = xs.notna() & ys.notna()
    px, py = xs[present], ys[present]
    if crs is None and len(px):
        if not lonlat and _within(px, py, RD_BOUNDS):
            crs = "EPSG:28992"
        elif _within(px, py, NL_LONLAT_BOUNDS):
            crs = "EPSG:4326"
        elif _within(py, px, NL_LONLAT_BOUNDS):
            raise InputError(Problem(
                f"columns '{xcol}' and '{ycol}' look swapped: latitude is in '{xcol}'",
                fix=f"swap the columns, so that '{xcol}' holds longitude (3-7.4) and '{ycol}' latitude (50.6-53.7)"),
                source=source)
        elif not lonlat and _within(py, px, RD_BOUNDS):
            raise InputError(Problem(
                f"columns '{xcol}' and '{ycol}' look swapped: the RD New y (north, 300,000-625,000) is in '{xcol}'",
                fix=f"swap the columns, so that '{xcol}' holds the RD x (east, 0-300,000) and '{ycol}' the RD y"),
                source=source)
        else:
            outside = ~((px.between(RD_BOUNDS[0], RD_BOUNDS[2]) & py.between(RD_BOUNDS[1], RD_BOUNDS[3]))
                        | (px.between(NL_LONLAT_BOUNDS[0], NL_LONLAT_BOUNDS[2])
                           & py.between(NL_LONLAT_BOUNDS[1], NL_LONLAT_BOUNDS[3])))
            rd = px.between(RD_BOUNDS[0], RD_BOUNDS[2]) & py.between(RD_BOUNDS[1], RD_BOUNDS[3])
            if not outside.any():  # each point fits one system, but not all the same one
                fewer = rd if rd.sum() <= (~rd).sum() else ~rd
                where = ", ".join(f"line {i}" for i in px.index[fewer][:10])
                raise InputError(Problem(
                    f"coordinates in '{xcol}'/'{ycol}' mix two systems: {where} "
                    f"{'are' if fewer.sum() > 1 else 'is'} in {'RD New' if fewer is rd else 'WGS84 lon/lat'}, the "
                    f"others in {'WGS84 lon/lat' if fewer is rd else 'RD New'}",
                    fix="give RD New x/y in metres or WGS84 lon/lat in degrees, one system for the whole file"),
                    source=source)
            where = ", ".join(f"line {i}" for i in px.index[outside][:10])
            guess = _other_system(px, py)
            raise InputError(Problem(
                f"coordinates in '{xcol}'/'{ycol}' are neither RD New nor longitude/latitude in the "
                f"Netherlands (first outliers: {where})" + (f"; they look like {guess}" if guess else ""),
                fix="give RD New x/y in metres or WGS84 lon/lat in degrees, one system for the whole file"),
                source=source)
    geometry = gpd.points_from_xy(xs.fillna(0), ys.fillna(0))
    geometry[~present.to_numpy()] = None
    out = gpd.GeoDataFrame(frame.drop(columns=[xcol, ycol]), geometry=geometry, crs=crs)
    if not lonlat and {"lon", "lat"} <= set(frame.columns) and crs is not None \
            and (note := _pairs_disagree(out, frame, source)):
        out.attrs["coordinate_note"] = note
    return out


#: How far apart a row's x/y and its lon/lat may lie before the reading says so (m).
PAIRS_APART_M = 250.0


def _pairs_disagree(points: gpd.GeoDataFrame, frame: pd.DataFrame, source: str) -> str:
    """Rows whose x/y (used) and lon/lat (also given) are far apart: one of them is wrong, and which one the file
    cannot say. Named in the reading, with the distance."""
    lon, lat = _coordinate_numbers(frame, "lon", "lat", True)
    both = points.geometry.notna().to_numpy() & lon.values.notna().to_numpy() & lat.values.notna().to_numpy()
    if not both.any():
        return ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        given = gpd.GeoSeries(gpd.points_from_xy(lon.values[both], lat.values[both]), crs="EPSG:4326",
                              index=points.index[both]).to_crs("EPSG:28992")
        used = points.geometry[both].to_crs("EPSG:28992")
    apart = used.distance(given)
    far = apart[apart > PAIRS_APART_M]
    if far.empty:
        return ""
    unit = "lines" if frame.index.name == "line" else "rows"
    listed = ", ".join(f"{i} ({d / 1000:,.1f} km)" for i, d in far.head(8).items())
    return (f"x/y and lon/lat disagree on {len(far)} row(s) ({unit} {listed}): x/y is used; check which is right "
            "and delete the other")


def _wkt_crs(geometry: gpd.GeoSeries, source: str) -> str:
    """The coordinate system of WKT shapes without one, from their values: RD New (metres) or WGS84 (degrees),
    as for x/y columns; anything else is refused rather than placed somewhere wrong."""
    bounds = geometry.bounds.dropna()
    if bounds.empty:
        return "EPSG:28992"
    xs = pd.concat([bounds["minx"], bounds["maxx"]])
    ys = pd.concat([bounds["miny"], bounds["maxy"]])
    if _within(xs, ys, RD_BOUNDS):
        return "EPSG:28992"
    if _within(xs, ys, NL_LONLAT_BOUNDS):
        return "EPSG:4326"
    if _within(ys, xs, NL_LONLAT_BOUNDS):
        raise InputError(Problem("the WKT shapes have latitude first: (latitude longitude)",
                                 fix="write WKT as (longitude latitude), e.g. POINT (6.17 51.37), or as RD New "
                                     "metres"), source=source)
    raise InputError(Problem("the WKT coordinates are neither RD New nor longitude/latitude in the Netherlands",
                             fix="give RD New metres or WGS84 degrees, or give the coordinate system (--crs)"),
                     source=source)


_PAIR = re.compile(r"^\s*[(\[]?\s*(-?\d+(?:[.,]\d+)?)\s*(?:[;,/|]\s*|\s+)(-?\d+(?:[.,]\d+)?)\s*[)\]]?\s*$")


def _split_pairs(frame: pd.DataFrame, source: str, strict: bool) -> pd.DataFrame:
    """A column of coordinate pairs in one cell (``51.3992, 6.1386``, ``207100 379900``) as two columns.

    Which number is which is decided for the whole column from the ranges:
    latitude first as in map services (``lat``, ``lon``), or longitude first,
    or RD New x then y. A cell that is not two numbers stays without a place,
    with the reason in ``input_problem`` (``strict``: it is an error naming its line).
    """
    text = frame["xy"].astype(object).where(frame["xy"].notna(), "").astype(str)
    parts = text.str.extract(_PAIR)
    first = read_numbers(parts[0].where(parts[0].notna(), ""), thousands=False).values
    second = read_numbers(parts[1].where(parts[1].notna(), ""), thousands=False).values
    both = first.notna() & second.notna()

    def share(a: pd.Series, b: pd.Series, low: tuple[float, float], high: tuple[float, float]) -> float:
        inside = a[both].between(low[0], high[0]) & b[both].between(low[1], high[1])
        return float(inside.mean()) if both.any() else 0.0

    bounds = (NL_LONLAT_BOUNDS[:2], NL_LONLAT_BOUNDS[2:])
    choices = {
        "lat, lon": share(second, first, *bounds),
        "lon, lat": share(first, second, *bounds),
        "x, y": share(first, second, RD_BOUNDS[:2], RD_BOUNDS[2:]),
    }
    order = max(choices, key=lambda k: choices[k])
    out = frame.drop(columns=["xy"]).copy()
    if choices[order] == 0:
        return frame  # the column holds no coordinate pairs in the Netherlands: nothing to read
    names = {"lat, lon": ("lat", "lon"), "lon, lat": ("lon", "lat"), "x, y": ("x", "y")}[order]
    out[names[0]], out[names[1]] = parts[0], parts[1]
    unread = text.str.strip().ne("") & ~both
    if unread.any() and strict:
        raise InputError([Problem(f"'{text[i]}' is not a pair of coordinates", f"line {i}", "xy",
                                  "write two numbers, e.g. 51.3992, 6.1386 (latitude, longitude) or 207100 379900 "
                                  "(RD x y)") for i in text.index[unread][:20]], source=source)
    if unread.any():
        out["input_problem"] = out["input_problem"] if "input_problem" in out.columns else ""
        out.loc[unread, "input_problem"] = (out.loc[unread, "input_problem"] + "coordinates: '"
                                            + text[unread] + "' is not a pair of numbers; ")
    out.attrs["coordinate_note"] = f"coordinates in one column, read as {order} ({int(both.sum())} row(s))"
    return out


#: The first bytes each kind of vector file starts with. GDAL chooses its reader from a file's content, not its
#: name: a file named ``.geojson`` that is really a GDAL VRT (which reads any local file or URL it names) or a
#: GeoPackage (which may run its own queries) must never reach GDAL as what it claims to be.
_VECTOR_MAGIC: dict[str, tuple[bytes, ...]] = {".gpkg": (b"SQLite format 3\x00",), ".fgb": (b"fgb",),
                                               ".shp": (b"\x00\x00\x27\x0a",), ".geojson": (b"{", b"["),
                                               ".json": (b"{", b"["), ".kml": (b"<",), ".parquet": (b"PAR1",),
                                               ".zip": (b"PK",), ".kmz": (b"PK",)}
#: Words of a GDAL virtual format, whose files read other files, databases and URLs: never read from a user (an
#: OGR VRT in XML; a "streamed algorithm" in JSON, which runs a ``gdal vector pipeline``).
_VIRTUAL = re.compile(rb"<\s*(?:OGRVRTDataSource|VRTDataset|OGRVRTLayer|OGRVRTUnionLayer)\b|gdal_streamed_alg|"
                      rb"\"command_line\"\s*:", re.IGNORECASE)
#: A GeoJSON coordinate system given as a link (GDAL fetches the URL it names when it opens the file).
_CRS_LINK = re.compile(rb"\"crs\"\s*:\s*\{(?:[^{}]|\{[^{}]*\})*\"type\"\s*:\s*\"link\"", re.IGNORECASE)


def check_vector_content(name: str, head: bytes, source: str) -> None:
    """Refuse a vector file whose first bytes are not those of the kind its name says (``head``: its first
    megabyte), or that holds a GDAL virtual format anywhere in them."""
    suffix = PurePath(name).suffix.lower()
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n") if suffix in (".geojson", ".json", ".kml") else head
    expected = _VECTOR_MAGIC.get(suffix)
    wrong = expected is not None and not start.startswith(expected)
    if suffix == ".kml" and not wrong:
        wrong = b"<kml" not in head.lower()
    if wrong or (suffix in (".geojson", ".json", ".kml") and _VIRTUAL.search(head)):
        raise InputError(Problem(f"the file's content is not {suffix.lstrip('.').upper()}, as its name says"
                                 + (" (it is a GDAL virtual file, which reads other files: refused)"
                                    if _VIRTUAL.search(head) else ""),
                                 fix="export the data again from the program that made it, as GeoPackage, GeoJSON "
                                     "or a zipped Shapefile; planner reads only files that are what their name says"),
                         source=source)
    if suffix in (".geojson", ".json") and _CRS_LINK.search(head):
        raise InputError(Problem("the file names its coordinate system by a link to another file or address, which "
                                 "planner does not follow",
                                 fix="export it again with the coordinate system written out (EPSG:28992 or "
                                     "EPSG:4326), or without one (GeoJSON is longitude/latitude)"), source=source)


def _vector_content(path: Path) -> None:
    """:func:`check_vector_content` on a vector file, and on the Shapefile or KML inside a zip or KMZ."""
    with open(path, "rb") as handle:
        check_vector_content(path.name, handle.read(1 << 20), str(path))
    if path.suffix.lower() in (".zip", ".kmz"):
        try:
            with zipfile.ZipFile(path) as archive:
                damaged = archive.testzip()  # every entry whole, its name and checksum as the catalogue says
                if damaged is not None:
                    raise zipfile.BadZipFile(f"entry {damaged} is damaged")
                for info in archive.infolist():
                    if PurePath(info.filename).suffix.lower() in (".shp", ".kml", ".geojson", ".json", ".gpkg"):
                        with archive.open(info) as inner:
                            check_vector_content(info.filename, inner.read(1 << 20), f"{path} ({info.filename})")
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError) as exc:
            raise InputError(Problem(f"the {path.suffix.lstrip('.').upper()} file is damaged, encrypted or not "
                                     f"readable as a zip ({exc})",
                                     fix="make the zip again (without a password) from the original files"),
                             source=str(path)) from None


def _vector_target(path: Path) -> str:
    """The path GDAL opens: a zipped Shapefile's one .shp inside the zip (checked for unsafe entries); a GeoPackage
    only once its catalogue shows nothing that runs its own queries when read (:mod:`planner.gpkgcheck`); any
    file only when its content is what its name says (:func:`check_vector_content`)."""
    target = str(path)
    if path.suffix.lower() == ".gpkg":
        from .gpkgcheck import check_geopackage

        check_geopackage(path)
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            raise InputError("the zip file is damaged or not a zip file", source=str(path)) from None
        unsafe = [n for n in names if n.startswith(("/", "\\")) or ".." in Path(n).parts]
        if unsafe:
            raise InputError(Problem(f"the zip holds entries that point outside it ({unsafe[0]})",
                                     fix="make the zip again with plain relative paths"), source=str(path))
        shapefiles = [n for n in names if n.lower().endswith(".shp")]
        if len(shapefiles) != 1:
            raise InputError(Problem(f"the zip holds {len(shapefiles)} shapefiles",
                                     fix="put exactly one .shp (with its .dbf, .shx, .prj) in the zip"),
                             source=str(path))
        target = f"/vsizip/{path}/{shapefiles[0]}"
    if path.is_file():
        _vector_content(path)
    return target


def _most_features(path: Path) -> int:
    """More features than a file can hold (each takes more than 8 bytes, unpacked): the most GDAL may read. A
    format's header may claim any count (a FlatGeobuf of 1.5 kB claiming 400 million), and GDAL takes memory for
    the count it is told before it reads a feature."""
    size = path.stat().st_size
    if path.suffix.lower() in (".zip", ".kmz"):
        try:
            with zipfile.ZipFile(path) as archive:
                size = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError):
            pass
    return max(1_000, size // 8)


def _dbf_encoding(path: Path) -> str | None:
    """``UTF-8`` for a Shapefile sent without its ``.cpg`` whose ``.dbf`` text is UTF-8 (GDAL would read it as
    Latin-1: ``Beëindigd`` as ``BeÃ«indigd``, no longer a closing word); None to let GDAL decide (a ``.cpg``, a
    code page in the ``.dbf`` header, or text that is no UTF-8)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".shp":
            siblings = {p.suffix.lower(): p for p in path.parent.glob(path.stem + ".*")}
            if ".cpg" in siblings or ".dbf" not in siblings:
                return None
            data = siblings[".dbf"].read_bytes()[:64 * 2**20]
        elif suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                names = {PurePath(n).suffix.lower(): n for n in archive.namelist()}
                if ".cpg" in names or ".dbf" not in names:
                    return None
                with archive.open(names[".dbf"]) as handle:
                    data = handle.read(64 * 2**20)
        else:
            return None
    except (OSError, zipfile.BadZipFile):
        return None
    if len(data) < 32 or data[29] != 0 or max(data[32:], default=0) < 0x80:
        return None  # a code page in the header, or plain ASCII
    try:
        data[32:].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(data) - 32 - 4:  # not merely a character cut off at the end of what was read
            return None
    return "UTF-8"


def open_vector(path: Path, layer: str | None = None) -> gpd.GeoDataFrame:
    """A vector file as a GeoDataFrame (``layer``: which layer of a GeoPackage; the first when not given)."""
    target = _vector_target(path)
    if path.suffix.lower() == ".parquet":
        try:
            return gpd.read_parquet(path)
        except (ValueError, OSError) as exc:  # pyarrow's errors derive from these
            raise InputError(Problem(f"cannot read the file as GeoParquet ({exc})",
                                     fix="write it as GeoParquet (geopandas .to_parquet, ogr2ogr -f Parquet, QGIS)"),
                             source=str(path)) from None
    options: dict[str, object] = {"max_features": _most_features(path)}
    if encoding := _dbf_encoding(path):
        options["encoding"] = encoding
    try:
        with warnings.catch_warnings():  # GDAL's note on an unclosed ring comes back as the error below
            warnings.filterwarnings("ignore", "Non closed ring", RuntimeWarning)
            frame = gpd.read_file(target, engine="pyogrio", layer=layer, **options)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        raise InputError(Problem(f"cannot read the file ({exc})",
                                 fix="check that it is a complete GeoPackage, GeoJSON or zipped Shapefile"),
                         source=str(path)) from None
    except shapely.errors.GEOSException as exc:
        raise InputError(_damaged_geometries(target, layer, exc), source=str(path)) from None
    return frame


def _damaged_geometries(target: str, layer: str | None, exc: Exception) -> list[Problem]:
    """The features whose geometry cannot be made (a polygon ring that does not close), by number."""
    reason = str(exc).split(": ", 1)[-1]
    fix = ("draw the shape again, or repair it (QGIS: Vector > Geometry Tools > Fix Geometries); a polygon's ring "
           "must end where it starts")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            geometries = pyogrio.raw.read(target, layer=layer)[2]
        made = shapely.from_wkb(geometries, on_invalid="ignore")
        bad = [i + 1 for i, (raw, shape) in enumerate(zip(geometries, made, strict=True))
               if raw is not None and shape is None]
    except Exception:  # the file gives no more than the first error: report that one
        bad = []
    if not bad:
        return [Problem(f"a geometry in the file cannot be read ({reason})", fix=fix)]
    return [Problem(f"the geometry cannot be read ({reason})", row=f"feature {i}", fix=fix) for i in bad[:20]]


def _formulas_without_values(path: Path, sheet: str) -> list[tuple[str, int, int, str]]:
    """Formula cells of a sheet whose calculated value is not stored (files written by programs).

    Excel and LibreOffice store each formula's last value, which planner
    reads; a formula without one would read as an empty cell, so it is
    reported instead of silently dropped.
    """
    import openpyxl

    with open(path, "rb") as first, open(path, "rb") as second:
        return _formulas_in(openpyxl.load_workbook(first, read_only=True, data_only=False),
                            openpyxl.load_workbook(second, read_only=True, data_only=True), sheet)


def _formulas_in(formulas, values, sheet: str) -> list[tuple[str, int, int, str]]:
    try:
        formulas[sheet].reset_dimensions()
        values[sheet].reset_dimensions()
        found = []
        for row, cached_row in zip(formulas[sheet].iter_rows(min_row=1), values[sheet].iter_rows(min_row=1),
                                   strict=False):
            for cell, value in zip(row, cached_row, strict=False):
                if cell.data_type == "f" and value.value is None:
                    found.append((cell.coordinate, cell.row, cell.column, str(cell.value)[:40]))
        return found
    finally:
        formulas.close()
        values.close()


Records = list[tuple[int, list[object]]]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_KIND_NAMES = {"xlsx": "an Excel workbook (.xlsx)", "xls": "an Excel 97-2003 workbook (.xls)",
               "xlsb": "an Excel binary workbook (.xlsb)", "ods": "an OpenDocument spreadsheet (.ods)",
               "text": "text"}


#: The most a zip-based input (zipped Shapefile, .xlsx, .ods, .kmz) may unpack to; beyond it the file is refused
#: before it is read, so that a small crafted archive ("zip bomb") cannot fill memory or disk.
MAX_UNPACKED_BYTES = 2 * 1024**3
#: KML housekeeping fields (style and view settings of Google Earth and My Maps), not attributes of a site.
KML_HOUSEKEEPING = ("id", "timestamp", "begin", "end", "altitudeMode", "tessellate", "extrude", "visibility",
                    "drawOrder", "icon", "snippet")


def check_archive(path: Path) -> None:
    """Refuse a zip-based file whose entries claim to unpack to more than :data:`MAX_UNPACKED_BYTES`."""
    with open(path, "rb") as handle:
        if handle.read(4) != b"PK\x03\x04":
            return
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # the reader names the damage
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(Problem(f"the file unpacks to {unpacked / 1024**3:.1f} GB, more than planner reads "
                                 f"({MAX_UNPACKED_BYTES / 1024**3:.0f} GB)",
                                 fix="check where the file comes from; split a real file this large"),
                         source=str(path))


def workbook_kind(path: Path) -> str:
    """What a table file holds, by its first bytes rather than its name: ``xlsx``, ``xls``, ``xlsb``, ``ods``,
    ``html``, ``xml`` (Excel 2003 XML) or ``text``.

    Systems that export registers often give a file an Excel name while writing something else: a
    tab-separated text or a web page named ``.xls``, a workbook named ``.xls`` or ``.csv``.
    """
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith(_OLE2):
        return "xls"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, KeyError):
            return "xlsx"  # the reader names the damage
        if b"opendocument.spreadsheet" in mimetype:
            return "ods"
        return "xlsb" if "xl/workbook.bin" in names else "xlsx"
    start = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    start = start.replace(b"\x00", b"")  # UTF-16 text
    if b"urn:schemas-microsoft-com:office:spreadsheet" in start:
        return "xml"
    if start.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or b"<table" in start[:2000]:
        return "html"
    return "text"


def _kind_note(path: Path, kind: str) -> list[str]:
    """A note when a file holds something other than its name says."""
    named = path.suffix.lower().lstrip(".")
    named = {"xlsm": "xlsx", "csv": "text", "txt": "text", "tsv": "text"}.get(named, named)
    if kind == named:
        return []
    return [f"the file is named {path.suffix} but holds {_KIND_NAMES[kind]}: read as that"]


def _excel_sheets(path: Path, only: str | None = None, limit: int | None = None,
                 kind: str = "xlsx") -> list[tuple[str, Records]]:
    """The sheets of a workbook (``only``: that one) as their non-empty rows ``(Excel row number, cells)``, at
    most ``limit`` rows each (enough to find the header without reading every sheet whole). ``kind`` is what
    :func:`workbook_kind` found in the file."""
    if kind != "xlsx":
        return _calamine_sheets(path, only, limit)
    import openpyxl

    # Opened as a file object: openpyxl refuses a workbook by its name (.xls, .csv) otherwise.
    with open(path, "rb") as handle:
        try:
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:
            raise InputError(Problem(f"cannot read as Excel ({exc})", fix="save it again as .xlsx"),
                             source=str(path)) from None
        try:
            return _workbook_rows(book, only, limit)
        except InputError:
            raise
        except Exception as exc:  # a damaged or crafted sheet: XML errors, entities, bad cell values
            raise InputError(Problem(f"cannot read as Excel ({type(exc).__name__}: {str(exc)[:200]})",
                                     fix="open it in Excel or LibreOffice and save it again as .xlsx"),
                             source=str(path)) from None
        finally:
            book.close()


def _workbook_rows(book, only: str | None, limit: int | None) -> list[tuple[str, Records]]:
    sheets = []
    for sheet in book.worksheets:
        if only is not None and sheet.title != only:
            continue
        # A workbook states how far its sheets reach; programs that write workbooks sometimes state too
        # little, and read-only openpyxl would then stop there without a word. Every row is read instead.
        sheet.reset_dimensions()
        rows = ([None if isinstance(v, str) and not v.strip() else v for v in values]
                for values in sheet.iter_rows(min_row=1, values_only=True))
        sheets.append((sheet.title, _filled_rows(rows, limit)))
    return sheets


def _filled_rows(rows: Iterable[list[object]], limit: int | None) -> Records:
    """The rows with any value, numbered from 1 as the spreadsheet numbers them, at most ``limit`` of them."""
    out: Records = []
    for number, cells in enumerate(rows, start=1):
        if any(v is not None for v in cells):
            out.append((number, cells))
            if limit is not None and len(out) >= limit:
                break
    return out


def _calamine_cell(value: object) -> object:
    """A cell as openpyxl gives it: empty text is no value, whole numbers are integers, dates are datetimes."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime(value.year, value.month, value.day)
    return value


def _calamine_sheets(path: Path, only: str | None, limit: int | None) -> list[tuple[str, Records]]:
    """:func:`_excel_sheets` for Excel 97-2003 (.xls), Excel binary (.xlsb) and OpenDocument (.ods) workbooks."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in book.sheet_names:
            if only is not None and name != only:
                continue
            # Without skipping the empty area, the first list is Excel row 1, whatever the first filled cell.
            values = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets.append((name, _filled_rows(([_calamine_cell(v) for v in row] for row in values), limit)))
        return sheets
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise InputError(Problem(f"cannot read as a workbook ({type(exc).__name__}: {str(exc)[:200]})",
                                 fix="open it in Excel or LibreOffice and save it again as .xlsx"),
                         source=str(path)) from None


def _side_table(rows: Sequence[tuple[int, Sequence[object]]], at: int, unit: str) -> tuple[list, list[str]]:
    """A second, smaller table beside the first on one sheet, after an empty column (a summary per place with its
    own ``Bewoners`` and ``Totaal``): cut off, and named, so that its cells are not read as the locations' (its
    ``Kern`` as their woonplaats, its ``Totaal`` as a totals row). Only when the block right of the empty column
    repeats a header of the left block or holds a totals word: an empty spacer column inside one table stays."""
    def blank(value: object) -> bool:
        return value is None or str(value).strip() == ""

    header = list(rows[at][1])
    below = [list(cells) for _, cells in rows[at + 1:]]
    for gap in range(1, len(header) - 1):
        if not blank(header[gap]) or any(gap < len(cells) and not blank(cells[gap]) for cells in below):
            continue
        left = {str(h).strip().casefold() for h in header[:gap] if not blank(h)}
        right = [str(h).strip() for h in header[gap + 1:] if not blank(h)]
        if not left or not right:
            continue
        totals = any(_total_word(v) for cells in below for v in cells[gap + 1:])
        if not (totals or {h.casefold() for h in right} & left):
            continue
        cut = [(line, list(cells[:gap])) for line, cells in rows[at:]]
        return [*rows[:at], *cut], [f"a second table beside the first, after the empty {unit} {gap + 1} "
                                    f"({', '.join(right)}): not read"]
    return list(rows), []


def _excel_frame(rows: Records, header_at: int) -> pd.DataFrame:
    """The table below ``rows[header_at]`` (the header), indexed by Excel row number."""
    header = list(rows[header_at][1])
    width = max([len(header)] + [len(cells) for _, cells in rows[header_at + 1:]])
    header += [None] * (width - len(header))
    data = [list(cells) + [None] * (width - len(cells)) for _, cells in rows[header_at + 1:]]
    table = pd.DataFrame(data, columns=range(width), dtype=object)
    table.index = pd.Index([line for line, _ in rows[header_at + 1:]], name="line", dtype="int64")
    names = ["" if h is None else str(h).strip() for h in header]
    keep = [i for i in range(width) if names[i] or table[i].notna().any()]
    table = table[keep]
    table.columns = _unique_headers([names[i] for i in keep])
    return table


#: A formula cell without a stored value: (cell, Excel row (or sheet!row), column header or None when the column
#: was dropped, text).
Formula = tuple[str, int | str, str | None, str]


def _header_fit(cells: Sequence[object], aliases: Mapping[str, tuple[str, ...]],
                mapping: Mapping[str, str] | None) -> tuple[int, float]:
    """How well a row reads as the header: the columns planner recognises by name, and their summed confidence."""
    headers = [str(c).strip() for c in cells if c is not None and str(c).strip()]
    if len(headers) < 2:
        return 0, 0.0
    headers = _unique_headers(headers)
    by_hand = {normalise_header(h) for h in (mapping or {})}
    mapped = [h for h in headers if normalise_header(h) in by_hand]
    reading = recognise(pd.DataFrame(columns=[h for h in headers if h not in mapped]), aliases, None,
                        use_values=False)
    found = [m for m in reading.columns if m.target]
    return len(found) + len(mapped), sum(m.confidence for m in found) + len(mapped)


def _find_header(rows: Records, aliases: Mapping[str, tuple[str, ...]],
                 mapping: Mapping[str, str] | None) -> tuple[int, tuple[int, float]]:
    """Which of the first rows is the header: the first row, unless a row below it is recognised better.

    Files exported by municipalities often carry a title, a date or a row of
    group headings above the real header; those rows are skipped (and said so).
    """
    best, best_fit = 0, _header_fit(rows[0][1], aliases, mapping) if rows else (0, 0.0)
    for at in range(1, min(HEADER_SEARCH_LINES, len(rows) - 1) + 1):
        fit = _header_fit(rows[at][1], aliases, mapping)
        if fit[0] >= 2 and fit > best_fit:
            best, best_fit = at, fit
    return best, best_fit


#: What a row of units under the header holds (compared in lower case): "m2" under "Kavel", "aantal" under
#: "Bewoners". Such a row is no location; its units go into the column names ("Kavel (m2)").
UNIT_WORDS = frozenset({"m2", "m²", "m^2", "ha", "hectare", "aantal", "stuks", "st.", "personen", "pers.",
                        "jaar", "jaartal", "%", "€", "eur", "euro", "km", "m", "fte", "nr.", "nr", "#", "(m2)",
                        "(m²)", "(ha)", "[m2]", "[m²]", "[ha]"})


def _units_below(rows: list, at: int, unit: str) -> tuple[list, list[str]]:
    """The rows with a row of units directly under the header (``m2``, ``ha``, ``aantal``) folded into the header's
    names, so that "Kavel" over "m2" reads as "Kavel (m2)", and a note; the rows unchanged when there is none."""
    if at + 1 >= len(rows):
        return rows, []
    line, cells = rows[at + 1]
    texts = ["" if c is None else str(c).strip() for c in cells]
    filled = [t for t in texts if t]
    if not filled or any(t.lower() not in UNIT_WORDS for t in filled):
        return rows, []
    header_line, header = rows[at]
    named = list(header)
    for position, text in enumerate(texts):
        if text and position < len(named) and named[position] not in (None, ""):
            named[position] = f"{str(named[position]).strip()} ({text.strip('()[]')})"
    out = [*rows[:at], (header_line, named), *rows[at + 2:]]
    return out, [f"units on {unit} {line} under the header ({', '.join(filled)}) read into the column names"]


def _skipped_note(rows: Records, at: int, unit: str) -> list[str]:
    if at == 0:
        return []
    above = " | ".join(" ".join(str(c).strip() for c in cells if c is not None and str(c).strip())
                       for _, cells in rows[:at])
    above = above if len(above) <= 80 else above[:77] + "..."
    return [f"header on {unit} {rows[at][0]}: the {at} row(s) above it were taken as a title and skipped "
            f"('{above}')"]


def _merged_ranges(path: Path, sheet: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The merged cells of a sheet as ((first row, column), (last row, column)), counted from 0."""
    from python_calamine import CalamineWorkbook

    try:
        return list(CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).merged_cell_ranges or [])
    except Exception:  # the sheet was read already; without its merges it reads as before
        return []


#: Header words of a column of dates or years: a year merged over several rows is each row's year (a label), not a
#: figure to count once.
_WHEN_WORDS = frozenset({"jaar", "startjaar", "year", "start", "oplevering", "opleverjaar", "ingebruikname",
                         "realisatie", "realisatiejaar", "datum", "peildatum", "opening", "fase", "planning"})


def _a_label(value: object, header: object) -> bool:
    """A merged number that labels each row it spans: a date, or a year under a header of dates or years."""
    if isinstance(value, (datetime.date, pd.Timestamp)):
        return True
    words = set(header_key(header).words) if header is not None else set()
    return (isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer()
            and 1950 <= value <= 2100 and bool(words & _WHEN_WORDS or any(w.endswith("jaar") for w in words)))


def _fill_merged(rows: Records, merges: Sequence[tuple[tuple[int, int], tuple[int, int]]],
                 header_line: int) -> tuple[Records, list[str]]:
    """Rows below the header with the value of a cell merged over several rows in each of those rows.

    Registers laid out for people merge a municipality's name over its locations; Excel shows the name beside
    each of them, but the file holds it in the first row only, and the other rows would have no municipality.
    Only rows that hold something else are filled (no row is made up), and only downwards in the merged column.
    """
    by_line = {line: list(cells) for line, cells in rows}
    filled, columns, once = 0, [], []
    header = by_line.get(header_line, [])
    for (first, column), (last, _) in merges:
        top, bottom = first + 1, last + 1  # Excel row numbers
        if bottom <= top or top <= header_line or top not in by_line:
            continue
        cells = by_line[top]
        value = cells[column] if column < len(cells) else None
        if value is None:
            continue
        label = column < len(header) and _a_label(value, header[column])
        if not isinstance(value, str) and not label:  # a count or an area over several rows is one figure: once
            once.append(column)
            continue
        for line in range(top + 1, bottom + 1):
            below = by_line.get(line)
            if below is None:
                continue
            below.extend([None] * (column + 1 - len(below)))
            if below[column] is None:
                below[column] = value
                filled += 1
                columns.append(column)

    def named(indices: list[int]) -> str:
        return ", ".join(sorted({str(header[c]) if c < len(header) and header[c] is not None else f"column {c + 1}"
                                 for c in indices}))

    notes = []
    if filled:
        notes.append(f"{filled} cell(s) under merged cells that span several rows ({named(columns)}): each row takes "
                     "the merged value, as the spreadsheet shows it")
    if once:
        notes.append(f"{len(once)} number(s) merged over several rows ({named(once)}): counted once, in the first "
                     "row of each")
    return [(line, by_line[line]) for line, _ in rows], notes


def _read_excel(path: Path, aliases: Mapping[str, tuple[str, ...]], mapping: Mapping[str, str] | None,
                kind: str = "xlsx") -> tuple[pd.DataFrame, list[str], list[Formula]]:
    """The sheet and header row of a workbook that planner recognises best, as a table, and notes on the choice.

    A workbook may keep the same table (the same header) on several visible sheets. Sheets named after places
    (``Horst``, ``Sevenum``: woonplaatsen or municipalities) are parts of one register and are read whole, rows
    named ``sheet!row``. Sheets named after periods (``2024``, ``Q3 2025``, ``peildatum 1-7-2025``, ``mrt``) are
    versions of one register: the latest is read. Other same-header sheets (``Blad1`` / ``Blad2``, ``Register
    (2)``) may be copies: only the best is read, and the reading names the others. Hidden sheets are never read.
    """
    every = _excel_sheets(path, limit=HEADER_SEARCH_LINES + 2, kind=kind)
    hidden = _hidden_sheets(path, kind)
    sheets = [(name, rows) for name, rows in every if rows and name not in hidden]
    if not sheets:
        raise InputError("the file holds no rows" + (" on a visible sheet" if hidden else ""), source=str(path))
    choices = [(name, rows, *_find_header(rows, aliases, mapping)) for name, rows in sheets]
    # The first sheet unless another is recognised better; then that sheet is read whole.
    name, first_rows, at, _ = max(enumerate(choices), key=lambda item: (item[1][3], -item[0]))[1]
    header = _header_cells(first_rows[at][1])
    alike = [(n, a) for n, r, a, f in choices if f[0] >= 2 and _header_cells(r[a][1]) == header]
    # Sheets per place may differ a little (a remark column more, another order): the same columns recognised.
    targets = _targets(first_rows[at][1], aliases, mapping)
    kin = [(n, a) for n, r, a, f in choices if f[0] >= 2 and _targets(r[a][1], aliases, mapping) == targets]
    notes = _sheet_note(name, sheets, every, hidden)
    hidden_note = [n for n in notes if n.startswith("hidden sheet")]  # said whichever sheets are read
    # A sites workbook keeps its plans per phase, year or business park on sheets: all of them are plans.
    sites = "sector" in aliases
    if len(kin) > 1 and (sites or _named_after_places([n for n, _ in kin])):
        parts = [_sheet_table(path, n, a, kind, (aliases, mapping), label=True) for n, a in kin]
        parts, kin, copies = _without_copies(parts, kin)
        if sites:
            parts, kin, more = _plan_sheets(parts, kin, aliases, mapping)
            copies += more
        names = _names_by_target(list(parts[0][0].columns), aliases, mapping)
        tables = [p[0].rename(columns={h: names.get(t, h) for h, t in
                                       _targets_of(list(p[0].columns), aliases, mapping).items()}) for p in parts]
        what = "of plans" if sites else "named after places"
        notes = [f"{len(kin)} Excel sheets {what} with the same columns ({', '.join(repr(n) for n, _ in kin)}): "
                 "all read, rows named sheet!row" if len(kin) > 1 else f"Excel sheet '{kin[0][0]}'", *copies]
        more = [note for p in parts for note in p[1]]
        return pd.concat(tables), notes + hidden_note + more, [f for p in parts for f in p[2]]
    if len(alike) > 1:
        periods = [_sheet_period(n) for n, _ in alike]
        if all(p is not None for p in periods) and len(set(periods)) == len(periods):
            name, at = alike[periods.index(max(p for p in periods if p is not None))]
            notes = [f"Excel sheets per period with the same columns ({', '.join(repr(n) for n, _ in alike)}): "
                     f"the latest, '{name}', read; the others are earlier versions and were not read"]
        else:
            others = ", ".join(repr(n) for n, _ in alike if n != name)
            notes = [f"Excel sheet '{name}' read; sheet(s) {others} have the same columns and were NOT read (a copy, "
                     "or another part of the register? Put every location on one sheet, or name the sheets after "
                     "their places, to count them all)"]
    table, more, formulas = _sheet_table(path, name, at, kind, (aliases, mapping))
    return table, list(dict.fromkeys(notes + hidden_note)) + more, formulas


#: Words in a sheet's name that say its plans are not current (``Afgevallen plannen``, ``Archief``, ``Concept``).
_OLD_SHEET = re.compile(r"afgevallen|vervallen|ingetrokken|archief|archive|\boud\b|\boude\b|verlopen|afgewezen|"
                        r"concept|backup|kopie|copy|histori|history|mutaties", re.IGNORECASE)


def _plan_sheets(parts: list, kin: list, aliases: Mapping[str, tuple[str, ...]], mapping: Mapping[str, str] | None
                 ) -> tuple[list, list, list[str]]:
    """Of a sites workbook's same-header sheets, those that hold current plans: a sheet named as dropped, archived or
    a draft is not read; sheets that list the same plan names are versions of one list (``Monitor 2023`` /
    ``Monitor 2024``), of which the latest by its name (else the first) is read. Each left-out sheet is named."""
    notes: list[str] = []
    keep = [i for i, (name, _) in enumerate(kin) if not _OLD_SHEET.search(str(name))]
    if len(keep) < len(kin) and keep:
        notes.append(f"Excel sheet(s) {', '.join(repr(kin[i][0]) for i in range(len(kin)) if i not in keep)} named as "
                     "dropped, archived or a draft: not read")
    else:
        keep = list(range(len(kin)))
    names = []
    for i in keep:
        table = parts[i][0]
        column = next((h for h, t in _targets_of(list(table.columns), aliases, mapping).items() if t == "name"), None)
        names.append(set(table[column].dropna().astype(str).str.strip().str.lower()) - {""} if column else set())
    shared = any(names[a] & names[b] for a in range(len(keep)) for b in range(a + 1, len(keep)))
    if shared and len(keep) > 1:
        periods = [_sheet_period(kin[i][0]) for i in keep]
        chosen = (keep[periods.index(max(p for p in periods if p is not None))]
                  if all(p is not None for p in periods) else keep[0])
        notes.append(f"Excel sheets {', '.join(repr(kin[i][0]) for i in keep)} list the same plans: versions of one "
                     f"list, so only '{kin[chosen][0]}' was read")
        keep = [chosen]
    return [parts[i] for i in keep], [kin[i] for i in keep], notes


def _without_copies(parts: list, kin: list) -> tuple[list, list, list[str]]:
    """Sheets read together, without those whose every row is a row of the other sheets (``Blad2`` a copy of
    ``Blad1``; an ``Alle plannen`` sheet listing the plans of the sheets per park again): such a sheet is not
    read, and named."""
    def rows_of(table: pd.DataFrame) -> list[tuple[str, ...]]:
        return [tuple(str(v) for v in row) for row in table.itertuples(index=False)]

    every = [rows_of(part[0]) for part in parts]
    kept: list = []
    names: list[tuple[str, int]] = []
    notes: list[str] = []
    dropped: set[int] = set()
    # Largest sheets first: a summary holds the rows of the others, so it is the one left out.
    for i in sorted(range(len(parts)), key=lambda k: (-len(every[k]), -k)):
        others = {row for k in range(len(parts)) if k != i and k not in dropped for row in every[k]}
        if every[i] and all(row in others for row in every[i]):
            dropped.add(i)
            notes.append(f"Excel sheet '{kin[i][0]}' holds only rows of the other sheets (a copy or a summary): "
                         "not read")
    for i, (part, name) in enumerate(zip(parts, kin, strict=True)):
        if i not in dropped:
            kept.append(part)
            names.append(name)
    return kept, names, notes


def _targets_of(headers: Sequence[object], aliases: Mapping[str, tuple[str, ...]],
                mapping: Mapping[str, str] | None) -> dict[str, str]:
    """Header -> what planner reads it as, by name (headers it does not recognise left out)."""
    cells = [str(h).strip() for h in headers if h is not None and str(h).strip()]
    reading = recognise(pd.DataFrame(columns=_unique_headers(cells)), aliases, mapping, use_values=False)
    return {m.header: m.target for m in reading.columns if m.target}


def _targets(cells: Sequence[object], aliases: Mapping[str, tuple[str, ...]],
             mapping: Mapping[str, str] | None) -> frozenset[str]:
    return frozenset(_targets_of(cells, aliases, mapping).values())


def _names_by_target(headers: Sequence[object], aliases: Mapping[str, tuple[str, ...]],
                     mapping: Mapping[str, str] | None) -> dict[str, str]:
    """Target -> the header the first sheet gives it: the other sheets' columns take these names."""
    return {target: header for header, target in _targets_of(headers, aliases, mapping).items()}


def _sheet_note(name: str, sheets: list, every: list, hidden: set[str]) -> list[str]:
    """How the sheet was chosen, with the hidden sheets left out named."""
    if len(sheets) == 1:
        note = "Excel (first sheet)" if name == every[0][0] else f"Excel sheet '{name}'"
    else:
        note = (f"Excel sheet '{name}' of {len(sheets)} with rows (" + ", ".join(f"'{n}'" for n, _ in sheets)
                + "): the one whose headers planner recognises best")
    skipped = [n for n, rows in every if n in hidden and rows]
    return [note] + ([f"hidden sheet(s) not read: {', '.join(repr(n) for n in skipped)}"] if skipped else [])


def _hidden_sheets(path: Path, kind: str) -> set[str]:
    """The names of a workbook's hidden sheets (hidden or very hidden in Excel and LibreOffice)."""
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        return {m.name for m in book.sheets_metadata if "visible" not in str(m.visible).lower().split(".")[-1]}
    except Exception:  # the sheets are read (and a damaged file reported) by the reader itself
        return set()


_MONTHS = {"jan": 1, "feb": 2, "mrt": 3, "maa": 3, "mar": 3, "apr": 4, "mei": 5, "may": 5, "jun": 6, "jul": 7,
           "aug": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11, "dec": 12}


def _sheet_period(name: str) -> tuple[int, int, int] | None:
    """The period a sheet is named after, as (year, month, day) to order by: ``2024``, ``Q3 2025``, ``peildatum
    1-7-2025``, ``2025-07-01``, ``juli 2025``, ``mrt``. None when the name is no period."""
    text = str(name).strip().lower()
    if match := re.search(r"(?<!\d)(\d{1,2})[-./](\d{1,2})[-./]((?:19|20)\d\d)(?!\d)", text):
        return int(match.group(3)), int(match.group(2)), int(match.group(1))
    if match := re.search(r"(?<!\d)((?:19|20)\d\d)[-./](\d{1,2})[-./](\d{1,2})(?!\d)", text):
        return int(match.group(1)), int(match.group(2)), int(match.group(3))
    year_match = re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text)
    year = int(year_match.group(1)) if year_match else 0
    if match := re.search(r"\bq([1-4])\b|\bkwartaal\s*([1-4])\b", text):
        return year, 3 * int(match.group(1) or match.group(2)), 1
    month = next((m for word in re.findall(r"[a-z]+", text) for key, m in _MONTHS.items() if word.startswith(key)),
                 None)
    if month is not None:
        return year, month, 1
    return (year, 0, 0) if year_match else None


def _named_after_places(names: list[str]) -> bool:
    """Whether every sheet is named after a woonplaats or a municipality (``Horst``, ``Gemeente Venlo``)."""
    from .places import _lookup, _variants

    try:
        lookup = _lookup()
    except Exception:  # no place table: take the sheets as copies, the safe reading
        return False
    return all(any(k in lookup for k in _variants(str(n).strip())) for n in names)


def _header_cells(cells: Sequence[object]) -> tuple[str, ...]:
    return tuple(normalise_header(c) for c in cells if c is not None and str(c).strip())


def _sheet_table(path: Path, name: str, at: int, kind: str,
                 recognition: tuple[Mapping[str, tuple[str, ...]], Mapping[str, str] | None], label: bool = False
                 ) -> tuple[pd.DataFrame, list[str], list[Formula]]:
    """One sheet's table below its header row ``at``, notes on it, and its formulas without a stored value;
    with ``label`` the rows are named ``sheet!row`` (several sheets in one table)."""
    rows = _excel_sheets(path, only=name, kind=kind)[0][1]
    rows, merged_note = _fill_merged(rows, _merged_ranges(path, name), rows[at][0])
    try:  # older and other workbooks always store a formula's value; only Excel 2007+ files written by programs may not
        formulas = _formulas_without_values(path, name) if kind == "xlsx" else []
    except Exception as exc:
        raise InputError(Problem(f"cannot read as Excel ({exc})", fix="save it again as .xlsx"),
                         source=str(path)) from None
    header_line = rows[at][0]
    rows, units = _units_below(rows, at, "Excel row")
    rows, grouped = _group_headers(rows, at, *recognition)
    rows, under = _sub_headers(rows, at, "Excel row")
    units += grouped + under
    rows, beside = _side_table(rows, at, "Excel column")
    units += beside
    table = _excel_frame(rows, at)
    # Which column each formula is in, as the table names it (the header row and those above are not data).
    names = dict(zip(range(len(table.columns)), table.columns, strict=True))
    positions = _kept_positions(rows, at)
    below = [(cell, f"{name}!{row}" if label else row, names.get(positions.get(column - 1, -1)), text)
             for cell, row, column, text in formulas if row > header_line]
    xml = _sheet_xml(path, name) if kind == "xlsx" else ""
    table, more = _hidden_columns(table, [names.get(positions.get(c - 1, -1)) for c in _hidden_column_numbers(xml)],
                                  *recognition)
    units += more
    struck = [line for line in _struck_rows(path, xml) if line in set(table.index)] if xml else []
    if struck:
        table = table.drop(index=struck)
        shown = ", ".join(f"{name}!{line}" if label else str(line) for line in struck[:8])
        units.append(f"{len(struck)} row(s) struck through in Excel (crossed out): not read (Excel rows {shown}"
                     f"{', ...' if len(struck) > 8 else ''})")
    hidden = [line for line in _hidden_rows(xml) if line in set(table.index)]
    if hidden:
        shown = ", ".join(f"{name}!{line}" if label else str(line) for line in hidden[:8])
        units.append(f"{len(hidden)} row(s) hidden in Excel (by a filter, or by hand) were read all the same (Excel "
                     f"rows {shown}{', ...' if len(hidden) > 8 else ''}): delete them if they should not count")
    if label:
        table.index = pd.Index([f"{name}!{line}" for line in table.index], name="line", dtype=object)
    return table, _skipped_note(rows, at, "Excel row") + merged_note + units, below


def _hidden_columns(table: pd.DataFrame, hidden: list, aliases: Mapping[str, tuple[str, ...]],
                    mapping: Mapping[str, str] | None) -> tuple[pd.DataFrame, list[str]]:
    """Columns an Excel sheet hides (old figures kept beside the current ones): one that means what a visible
    column means is not read; another is read all the same; both are said."""
    hidden = [h for h in dict.fromkeys(hidden) if h is not None and h in table.columns]
    if not hidden:
        return table, []
    visible = [c for c in table.columns if c not in hidden]
    shown = _targets_of(visible, aliases, mapping)
    meanings = _targets_of(hidden, aliases, mapping)
    # ``BVO (m2)`` hidden beside ``BVO (m2) actueel``: the same figure, an older version; ``GBO`` hidden beside
    # ``BVO`` is another figure of the same meaning, and is read (it may be the one that counts)
    dropped = [h for h in hidden if any(t == meanings.get(h) and set(header_key(h).words) <= set(header_key(v).words)
                                        for v, t in shown.items())]
    kept = [h for h in hidden if h not in dropped]
    notes = []
    if dropped:
        notes.append(f"column(s) hidden in Excel, whose meaning a visible column gives, not read: "
                     f"{', '.join(repr(str(h)) for h in dropped)}")
    if kept:
        notes.append(f"column(s) hidden in Excel read all the same: {', '.join(repr(str(h)) for h in kept)}; "
                     "delete them if they should not count")
    return table.drop(columns=dropped), notes


def _sheet_xml(path: Path, sheet: str) -> str:
    """The XML of one .xlsx sheet, read from the file without loading the workbook (its hidden rows and columns);
    empty when the file cannot be read so (it was read already)."""
    import posixpath
    import xml.etree.ElementTree as ET  # only the workbook's catalogue; its sheets were read safely before

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        with zipfile.ZipFile(path) as archive:
            book = ET.fromstring(archive.read("xl/workbook.xml"))
            target_id = next(s.get(f"{rel}id") for s in book.iter(f"{main}sheet") if s.get("name") == sheet)
            links = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            target = next(str(r.get("Target") or "") for r in links if r.get("Id") == target_id)
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            return archive.read(member).decode("utf-8", errors="replace")
    except Exception:
        return ""


def _struck_rows(path: Path, text: str) -> list[int]:
    """The rows of a sheet's XML whose every filled cell is struck through (a plan or location crossed out in a
    list kept by hand): the cell styles (``s=``) whose font has ``<strike/>``, from the workbook's styles."""
    try:
        with zipfile.ZipFile(path) as archive:
            styles = archive.read("xl/styles.xml").decode("utf-8", errors="replace")
    except Exception:
        return []
    fonts_block = re.search(r"<(?:\w+:)?fonts\b[^>]*>(.*?)</(?:\w+:)?fonts>", styles, re.DOTALL)
    xfs_block = re.search(r"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", styles, re.DOTALL)
    if not fonts_block or not xfs_block:
        return []
    fonts = re.findall(r"<(?:\w+:)?font\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?font>)", fonts_block.group(1), re.DOTALL)
    struck_fonts = {i for i, body in enumerate(fonts)
                    if re.search(r"<(?:\w+:)?strike\b(?![^>]*val=\"(?:0|false)\")", body or "")}
    xfs = re.findall(r"<(?:\w+:)?xf\b([^>]*)", xfs_block.group(1))
    struck_styles = {i for i, attributes in enumerate(xfs)
                     if (m := re.search(r'\bfontId="(\d+)"', attributes)) and int(m.group(1)) in struck_fonts}
    if not struck_styles:
        return []
    out = []
    for row in re.finditer(r"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"[^>]*>(.*?)</(?:\w+:)?row>", text, re.DOTALL):
        cells = [(m.group(1), m.group(2)) for m in re.finditer(
            r"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", row.group(2), re.DOTALL)]
        filled = [attributes for attributes, body in cells if body and re.search(r"<(?:\w+:)?(?:v|is)\b", body)]
        styles_of = [int(m.group(1)) if (m := re.search(r'\bs="(\d+)"', a)) else 0 for a in filled]
        if filled and all(style in struck_styles for style in styles_of):
            out.append(int(row.group(1)))
    return out


def _hidden_column_numbers(text: str) -> list[int]:
    """The column numbers (1 for A) a sheet's XML hides (``<col min="4" max="5" hidden="1"/>``)."""
    out: list[int] = []
    for match in re.finditer(r"<(?:\w+:)?col\b[^>]*>", text):
        tag = match.group(0)
        low, high = re.search(r'\bmin="(\d+)"', tag), re.search(r'\bmax="(\d+)"', tag)
        if re.search(r'\bhidden="(?:1|true)"', tag) and low and high:
            out += range(int(low.group(1)), min(int(high.group(1)), int(low.group(1)) + 1000) + 1)
    return out


def _hidden_rows(text: str) -> list[int]:
    """The row numbers a sheet's XML hides (``<row r="3" hidden="1">``)."""
    return sorted([int(m.group(1)) for m in re.finditer(
        r"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"[^>]*?\bhidden=\"(?:1|true)\"", text)] + [
        int(m.group(1)) for m in re.finditer(r"<(?:\w+:)?row\b[^>]*?\bhidden=\"(?:1|true)\"[^>]*?\br=\"(\d+)\"",
                                             text)])


def _group_headers(rows: list, at: int, aliases: Mapping[str, tuple[str, ...]], mapping: Mapping[str, str] | None
                   ) -> tuple[list, list[str]]:
    """Header cells that mean something only with the group heading above them (``Aantal personen`` over
    ``Huidig`` and ``Maximaal``): read as both together when planner recognises the two together and not the cell
    alone. A heading covers its own column and the empty cells to its right (as a merged cell shows it)."""
    if at == 0 or not rows[at - 1][1]:
        return rows, []
    above, header = list(rows[at - 1][1]), list(rows[at][1])
    if sum(1 for c in above if c is not None and str(c).strip()) < 2:  # a title over the table, not headings
        return rows, []
    groups: list[str | None] = []
    current: str | None = None
    for position in range(len(header)):
        cell = above[position] if position < len(above) else None
        if cell is not None and str(cell).strip():
            current = str(cell).strip()
        groups.append(current)
    changed = []
    for position, (cell, group) in enumerate(zip(header, groups, strict=True)):
        if cell is None or not str(cell).strip() or group is None or len(str(cell).split()) > 2:
            continue
        together = f"{group} {str(cell).strip()}"
        if _target_of(str(cell).strip(), aliases) is None and _target_of(together, aliases) is not None:
            header[position] = together
            changed.append(f"'{together}'")
    if not changed:
        return rows, []
    rows = list(rows)
    rows[at] = (rows[at][0], header)
    return rows, [f"header cell(s) read with the group heading above them: {', '.join(changed)}"]


def _sub_headers(rows: list, at: int, unit: str) -> tuple[list, list[str]]:
    """A second header row below the first that splits a heading into columns (``Aantal bewoners`` over ``Man``,
    ``Vrouw``, ``Totaal``, the heading merged over the three): read together as ``Aantal bewoners Man`` ... and the
    row taken out of the data. Only a row of text cells, each under a heading or under the empty cells to its
    right, at least one of them under an empty header cell."""
    if at + 1 >= len(rows):
        return rows, []
    header, below = list(rows[at][1]), list(rows[at + 1][1])
    def text(cell: object) -> str:
        return "" if cell is None else str(cell).strip()

    filled = [p for p, c in enumerate(below) if text(c)]
    if len(filled) < 2 or any(not isinstance(below[p], str) or not re.search(r"[^\W\d_]", below[p])
                              for p in filled):  # sub-headers are words (Man, Vrouw, Totaal), not numbers or marks
        return rows, []
    group, groups = "", []
    for position in range(max(len(header), len(below))):
        cell = text(header[position]) if position < len(header) else ""
        group = cell or group
        groups.append((cell, group))
    if not any(p < len(groups) and not groups[p][0] and groups[p][1] for p in filled) or any(
            p >= len(groups) or not groups[p][1] for p in filled):
        return rows, []
    header += [None] * (len(groups) - len(header))
    joined = []
    for p in filled:
        header[p] = f"{groups[p][1]} {text(below[p])}"
        joined.append(f"'{header[p]}'")
    rows = [*rows[:at], (rows[at][0], header), *rows[at + 2:]]
    return rows, [f"header cells on {unit} {rows[at][0] + 1 if isinstance(rows[at][0], int) else rows[at][0]} "
                  f"read with the heading above them: {', '.join(joined)}"]


def _target_of(header: str, aliases: Mapping[str, tuple[str, ...]]) -> str | None:
    """What planner reads one header as, by its name alone (None: not recognised)."""
    return recognise(pd.DataFrame(columns=[header]), aliases, None, use_values=False).columns[0].target


def _kept_positions(rows: Records, header_at: int) -> dict[int, int]:
    """Sheet column (0-based) -> position among the table's columns, as :func:`_excel_frame` keeps them."""
    header = list(rows[header_at][1])
    width = max([len(header)] + [len(cells) for _, cells in rows[header_at + 1:]])
    names = ["" if i >= len(header) or header[i] is None else str(header[i]).strip() for i in range(width)]
    kept = [i for i in range(width)
            if names[i] or any(i < len(cells) and cells[i] is not None for _, cells in rows[header_at + 1:])]
    return {column: position for position, column in enumerate(kept)}


def _check_formulas(formulas: Sequence[Formula], reading: Reading, path: Path) -> list[str]:
    """Stop for formulas without a stored value in the columns planner reads (they would read as empty cells);
    name those in other columns in a note."""
    used = set(reading.recognised.values())
    read = [f for f in formulas if f[2] is None or f[2] in used]
    if read:
        raise InputError([Problem(f"cell {cell} holds the formula {text} but no calculated value",
                                  row=f"line {row}", fix="open the file in Excel or LibreOffice and save it "
                                  "(that stores the values), or paste the values instead of formulas")
                          for cell, row, _, text in read[:20]], source=str(path))
    if not formulas:
        return []
    columns = ", ".join(f"'{c}'" for c in dict.fromkeys(f[2] for f in formulas))
    return [f"{len(formulas)} formula cell(s) without a stored value in column(s) planner does not use "
            f"({columns}): not needed"]


def _choose_layer(path: Path, aliases: Mapping[str, tuple[str, ...]],
                  mapping: Mapping[str, str] | None) -> tuple[str | None, list[str]]:
    """The layer of a multi-layer file (GeoPackage) whose columns planner recognises best, and a note."""
    if path.suffix.lower() in (".parquet", ".zip", ".shp"):
        return None, []
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(_vector_target(path))]
    except (pyogrio.errors.DataSourceError, OSError):
        return None, []  # open_vector says what is wrong with the file
    if len(layers) < 2:
        return None, []
    scored = []
    for number, name in enumerate(layers):
        info = pyogrio.read_info(_vector_target(path), layer=name)
        fit = _header_fit([str(f) for f in info["fields"]] + ["", ""], aliases, mapping)
        scored.append(((int(info["features"]) > 0, fit, -number), name))
    best, name = max(scored)
    # Other layers of the same kind: with features, and recognised nearly as well (a layer per sector may name its
    # area otherwise); a plan area or a legend beside the locations is recognised by one column at most.
    alike = [n for key, n in sorted(scored, key=lambda item: -item[0][2])
             if key[0] and key[1][0] >= max(2, best[1][0] - 1)]
    if best[0] and best[1][0] >= 2 and len(alike) > 1:
        notes = []
        current = [n for n in alike if not _OLD_SHEET.search(n)]
        if current and len(current) < len(alike):  # ``huisvesting_historie``, ``archief``
            notes.append(f"layer(s) {', '.join(repr(n) for n in alike if n not in current)} named as history, an "
                         "archive or a draft: not read")
            alike = current
        periods = [_sheet_period(n) for n in alike]
        if len(alike) > 1 and all(p is not None for p in periods) and len(set(periods)) == len(periods):
            latest = alike[periods.index(max(p for p in periods if p is not None))]
            return latest, [*notes, f"layers per period with the same columns ({', '.join(repr(n) for n in alike)}):"
                                    f" the latest, '{latest}', read; the others are earlier versions and were not "
                                    "read"]
        if len(alike) == 1:
            return alike[0], notes
        return LAYER_JOIN.join(alike), [*notes, f"{len(alike)} layers of the same kind "
                                                f"({', '.join(repr(n) for n in alike)}): all read, features named "
                                                "layer!feature"]
    return name, [f"layer '{name}' of {len(layers)} (" + ", ".join(f"'{n}'" for n in layers)
                  + "): the one whose columns planner recognises best; the others were not read"]


#: Joins the names of layers read together (a character no layer name holds).
LAYER_JOIN = "\x1f"


def _layers_together(path: Path, layers: list[str], first: gpd.GeoDataFrame, suffix: str, crs: str | None
                     ) -> gpd.GeoDataFrame:
    """Layers of one GeoPackage with the same columns (one per municipality) as one table, in the first layer's
    coordinate system, each feature named ``layer!feature``."""
    parts = [first]
    for name in layers[1:]:
        part = _plain_vector(open_vector(path, name), suffix, crs)
        if part.crs is not None and first.crs is not None and part.crs != first.crs:
            part = part.to_crs(first.crs)
        parts.append(part)
    for name, part in zip(layers, parts, strict=True):
        part.index = pd.Index([f"{name}!{i}" for i in part.index], name="feature", dtype=object)
    return gpd.GeoDataFrame(pd.concat(parts), geometry=first.geometry.name, crs=first.crs)


def _plain_vector(frame: gpd.GeoDataFrame, suffix: str, crs: str | None) -> gpd.GeoDataFrame:
    """A vector file's features numbered from 1, in two dimensions, without KML's style and view fields; a property
    that holds a list or an object (GeoJSON allows it) as its JSON text."""
    import json

    for column in frame.columns:
        if column != frame.geometry.name and frame[column].dtype == object:
            nested = frame[column].map(lambda v: isinstance(v, list | dict | tuple | np.ndarray))
            if nested.any():
                frame[column] = frame[column].where(~nested, frame[column][nested].map(
                    lambda v: json.dumps(v.tolist() if isinstance(v, np.ndarray) else v, default=str)))
    if suffix in (".kml", ".kmz"):
        frame = _description_tables(frame.drop(columns=[c for c in KML_HOUSEKEEPING if c in frame.columns]))
    if frame.has_z.any():  # heights (KML, CAD exports) play no part in planner: plans are drawn in 2D
        note = frame.attrs.get("description_note")
        frame = frame.set_geometry(shapely.force_2d(frame.geometry.values))
        if note:
            frame.attrs["description_note"] = note
    if frame.crs is None and crs is not None:
        frame = frame.set_crs(crs)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="feature")
    return frame


_TABLE_ROW = re.compile(r"<tr\b[^>]*>\s*<t[dh]\b[^>]*>(.*?)</t[dh]>\s*<t[dh]\b[^>]*>(.*?)</t[dh]>\s*</tr>",
                        re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]*>")


def _description_tables(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A KML whose attributes are only an HTML table of field name and value in each feature's description (as
    ArcGIS "Layer To KML" writes it): the table's fields as columns (the description itself dropped). Read as plain
    text, tag by tag: nothing in the HTML is run or fetched."""
    if "description" not in frame.columns:
        return frame
    import html

    def fields(text: object) -> dict[str, str]:
        if not isinstance(text, str):
            return {}
        if "<t" in text.lower():  # an HTML table: a row per field, its name and its value
            pairs = [(html.unescape(_TAGS.sub("", k)).strip(), html.unescape(_TAGS.sub("", v)).strip())
                     for k, v in _TABLE_ROW.findall(text)]
        else:  # lines typed as "Sector: logistiek", one per line or per <br>
            lines = re.split(r"<br\s*/?>|\n", text, flags=re.IGNORECASE)
            pairs = [(k.strip(), v.strip()) for k, _, v in (html.unescape(_TAGS.sub("", line)).partition(":")
                                                            for line in lines) if v.strip()]
            pairs = pairs if len(pairs) >= 2 and all(len(k) <= 40 for k, _ in pairs) else []
        return {k: v for k, v in pairs if k and k.lower() not in ("field name", "veldnaam", "field")}

    found = frame["description"].map(fields)
    if not found.map(bool).any():
        return frame
    table = pd.DataFrame(list(found), index=frame.index)
    table = table.drop(columns=[c for c in table.columns if c in frame.columns and c != "description"])
    out = frame.drop(columns=["description"]).join(table)
    out = gpd.GeoDataFrame(out, geometry=frame.geometry.name, crs=frame.crs)
    out.attrs["description_note"] = ("attributes read from each feature's description (a table or lines of field "
                                     f"and value) ({', '.join(map(str, table.columns[:8]))})")
    return out


def _table_cells(path: Path, aliases: Mapping[str, tuple[str, ...]],
                 mapping: Mapping[str, str] | None) -> tuple[pd.DataFrame, list[str], list[Formula]]:
    """A text or workbook file's table below its header, read by what the file holds, and notes on the reading."""
    content = workbook_kind(path)
    if content in ("html", "xml"):
        what = "a web page (HTML)" if content == "html" else "an Excel 2003 XML spreadsheet"
        raise InputError(Problem(f"the file is named {path.suffix} but holds {what}, as some systems export "
                                 "tables", fix="open it in Excel or LibreOffice and save it as .xlsx or .csv"),
                         source=str(path))
    if content == "text":
        records, sep, encoding = read_csv_records(path)
        rows: Records = [(line, list(cells)) for line, cells in records]
        at, _ = _find_header(rows, aliases, mapping)
        records, units = _units_below(records, at, "line")
        records, grouped = _group_headers(records, at, aliases, mapping)
        records, under = _sub_headers(records, at, "line")
        records, beside = _side_table(records, at, "column")
        table, file_notes = csv_frame(records, at, sep, encoding, path)
        file_notes = [*file_notes, *beside]
        file_notes = (_kind_note(path, content) + file_notes + _skipped_note(rows, at, "line") + units + grouped
                      + under)
        formulas: list[Formula] = []
    else:
        table, file_notes, formulas = _read_excel(path, aliases, mapping, content)
        file_notes = _kind_note(path, content) + file_notes
    table = table.dropna(how="all")
    if len(table) == 0:
        raise InputError("the file holds no rows", source=str(path))
    return table, file_notes, formulas


def read_table(path: str | Path, aliases: Mapping[str, tuple[str, ...]],
               mapping: Mapping[str, str] | None = None, crs: str | None = None,
               strict: bool = True, kind: str = "file",
               notes: Mapping[str, str] | None = None,
               second_choice: Mapping[str, frozenset[str]] | None = None,
               never: Mapping[str, frozenset[str]] | None = None,
               first_choice: Mapping[str, frozenset[str]] | None = None) -> tuple[gpd.GeoDataFrame, None]:
    """Read any supported file as a GeoDataFrame with canonical column names.

    Every header is scored against the aliases (and the coordinate names) by
    :func:`planner.columns.recognise`; ``mapping`` (header -> canonical name,
    coordinates ``x``, ``y``, ``lon``, ``lat`` and ``wkt`` included) wins.
    How the file was read is in ``frame.attrs["reading"]`` (a
    :class:`~planner.columns.Reading`). The index numbers rows as the user
    sees them: ``line`` in CSV/Excel, ``feature`` in vector files. The second
    value is kept for older callers (numbers are now read per column).
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"file not found: {path}")
    suffix = path.suffix.lower()
    file_notes: list[str] = []
    kinds = {t: "number" for t in NUMBER_TARGETS if t in aliases}
    check_archive(path)
    layer, layer_notes = _choose_layer(path, aliases, mapping) if suffix in VECTOR_SUFFIXES else (None, [])
    opened = open_vector(path, layer.split(LAYER_JOIN)[0] if layer else layer) if suffix in VECTOR_SUFFIXES else None
    if opened is not None and not isinstance(opened, gpd.GeoDataFrame):
        # A table without geometry (a GeoPackage attribute table): read as a spreadsheet is, coordinates included.
        table = pd.DataFrame(opened).dropna(how="all")
        table.index = pd.RangeIndex(1, len(table) + 1, name="feature")
        table, combined = _combined_columns(table, aliases, mapping)
        layer_notes = [*layer_notes, *combined]
        try:
            reading = recognise(table, aliases, mapping, kinds=kinds, source=str(path), notes=notes,
                                second_choice=second_choice, never=never, first_choice=first_choice)
        except InputError as exc:
            raise exc.with_source(str(path)) from None
        frame = table_to_geodataframe(table.rename(columns=rename_for(reading)), str(path), crs, strict)
        file_notes = [*layer_notes, "a table without geometry: places from its columns"]
        if frame.attrs.get("coordinate_note"):
            file_notes.append(frame.attrs.pop("coordinate_note"))
        frame.index.name = "feature"
    elif suffix in VECTOR_SUFFIXES:
        frame = _plain_vector(opened, suffix, crs)
        file_notes = [*layer_notes, *([frame.attrs.pop("description_note")] if frame.attrs.get("description_note")
                                      else [])]
        if layer is not None and LAYER_JOIN in layer:
            frame = _layers_together(path, layer.split(LAYER_JOIN), frame, suffix, crs)
        frame, attributes, combined = _vector_attributes(frame, aliases, mapping)
        file_notes = [*file_notes, *combined]
        try:
            reading = recognise(attributes, aliases, mapping, kinds=kinds, coordinates=False, source=str(path),
                                cut_names=suffix in (".shp", ".zip", ".dbf"),
                                notes=notes, second_choice=second_choice, never=never, first_choice=first_choice)
        except InputError as exc:
            raise exc.with_source(str(path)) from None
        frame = frame.rename(columns=rename_for(reading))
    elif suffix in TABLE_SUFFIXES:
        table, file_notes, formulas = _table_cells(path, aliases, mapping)
        table, combined = _combined_columns(table, aliases, mapping)
        file_notes += combined
        try:
            reading = recognise(table, aliases, mapping, kinds=kinds, source=str(path), notes=notes,
                                second_choice=second_choice, never=never, first_choice=first_choice)
        except InputError as exc:
            raise exc.with_source(str(path)) from None
        file_notes += _check_formulas(formulas, reading, path)
        frame = table_to_geodataframe(table.rename(columns=rename_for(reading)), str(path), crs, strict)
        if frame.attrs.get("coordinate_note"):
            file_notes.append(frame.attrs.pop("coordinate_note"))
        frame.index.name = "line"
    else:
        raise InputError(Problem(f"unsupported file type '{path.suffix}'",
                                 fix=OTHER_FORMATS.get(suffix, "use " + ", ".join(VECTOR_SUFFIXES + TABLE_SUFFIXES))),
                         source=str(path))
    if len(frame) == 0:
        raise InputError("the file holds no rows", source=str(path))
    reading = Reading(reading.source, reading.columns, tuple(file_notes), kind=kind)
    frame.attrs["reading"] = reading
    return frame, None


#: The way out for formats planners are given but planner does not read (a plan's GML from ruimtelijkeplannen.nl or
#: the omgevingsloket, a CAD drawing, a lone Shapefile part).
OTHER_FORMATS: dict[str, str] = {
    ".gml": "a plan's GML (IMRO) holds the plan's zoning, not the sites' sector and area: open it in QGIS, select "
            "the business plots, add the columns sector and floor_area_m2 (or plot_area_ha), and save them as a "
            "GeoPackage (.gpkg)",
    ".dxf": "a CAD drawing: open it in QGIS, turn the closed lines into polygons (Vector > Geometry Tools > Lines to "
            "Polygons), set RD New (EPSG:28992), add sector and an area column, and save as a GeoPackage (.gpkg)",
    ".dwg": "a CAD drawing: save it as DXF in the CAD program, then as a GeoPackage in QGIS (with sector and an area "
            "column)",
    ".dbf": "a Shapefile's table alone: zip the .shp, .shx, .dbf and .prj together and give the .zip",
    ".shx": "a Shapefile part alone: zip the .shp, .shx, .dbf and .prj together and give the .zip",
    ".prj": "a Shapefile part alone: zip the .shp, .shx, .dbf and .prj together and give the .zip",
    ".pdf": "a PDF is a picture of a table: export the table from its source as Excel or CSV",
    ".docx": "a Word document: copy the table into Excel and save it as .xlsx",
}


def _vector_attributes(frame: gpd.GeoDataFrame, aliases: Mapping[str, tuple[str, ...]],
                       mapping: Mapping[str, str] | None) -> tuple[gpd.GeoDataFrame, pd.DataFrame, list[str]]:
    """A vector file's attribute table, with columns that are one column in parts joined (see below)."""
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    attributes, combined = _combined_columns(attributes, aliases, mapping)
    if combined:
        frame = gpd.GeoDataFrame(attributes.assign(**{frame.geometry.name: frame.geometry}),
                                 geometry=frame.geometry.name, crs=frame.crs)
    return frame, attributes, combined


#: Words that split a count into parts (``Bewoners man`` / ``Bewoners vrouw``, ``Bewoners 18+`` / ``<18``,
#: ``Bewoners Pools`` / ``Bewoners overig``): such parts are read together when the file has no total.
#: Words that name people by sex or age: with nothing else beside them (``Aantal volwassenen`` / ``Aantal
#: kinderen``) they are parts of the occupants.
PERSON_WORDS = frozenset({"man", "mannen", "vrouw", "vrouwen", "male", "female", "men", "women", "volwassen",
                          "volwassenen", "kind", "kinderen", "minderjarig", "minderjarigen", "meerderjarig",
                          "meerderjarigen", "adults", "children"})
#: Member states of the EU by their Dutch name, adjective or code: a part of its own beside ``Bewoners EU`` would
#: be counted twice (a Pole is an EU citizen), so such parts are never summed.
EU_NATIONS = frozenset({"pools", "poolse", "polen", "pl", "roemeens", "roemeense", "roemenie", "ro", "bulgaars",
                        "bulgaarse", "bulgarije", "bg", "hongaars", "hongaarse", "hongarije", "hu", "litouws",
                        "litouwse", "litouwen", "lt", "lets", "letse", "letland", "lv", "slowaaks", "slowaakse", "sk",
                        "tsjechisch", "tsjechische", "cz", "portugees", "portugese", "portugal", "pt", "spaans",
                        "spaanse", "spanje", "es", "grieks", "griekse", "griekenland", "gr", "kroatisch",
                        "kroatische", "kroatie", "hr", "nederlands", "nederlandse", "nederland", "nl", "duits",
                        "duitse", "duitsland", "italiaans", "italiaanse", "it", "sloveens", "estisch", "ee"})
#: Nationalities outside the EU and the words that close a list of nationalities.
OTHER_NATIONS = frozenset({"oekraiens", "oekraiense", "oekraine", "ua", "turks", "turkse", "tr", "marokkaans",
                           "brits", "britse", "gb", "uk", "overig", "overige", "overigen", "anders", "andere", "other",
                           "others", "rest", "eu", "niet", "non", "buiten", "buitenland", "buitenlands",
                           "buitenlandse"})
#: Age bands (``Bewoners <18`` / ``18-65`` / ``>65``, ``0 t/m 17``, ``18 en ouder``), or numbered buildings.
AGE_WORDS = frozenset({str(age) for age in range(100)} | {"t", "tm", "tot", "jaar", "jr", "ouder", "jonger", "plus",
                                                          "en"})
#: Words of a count made more than once (``Bewoners controle 1`` / ``2``, ``meting``, ``ronde``): the same people
#: counted twice, never parts to sum.
COUNT_ROUNDS = frozenset({"controle", "meting", "bezoek", "ronde", "telling", "inspectie", "peiling", "opname",
                          "visit", "count", "check", "hercontrole"})
SPLIT_WORDS = PERSON_WORDS | EU_NATIONS | OTHER_NATIONS | AGE_WORDS | {"m", "v", "onbekend", "unknown"}
#: Parts of a building's gross floor area (the hall, the offices, the mezzanine): BVO counts them all.
FLOOR_PART_WORDS = frozenset({"hal", "hallen", "bedrijfshal", "distributiehal", "opslag", "kantoor", "kantoren",
                              "kantoorruimte", "mezzanine", "mezzanines", "entresol", "expeditie", "bedrijfsruimte",
                              "warehouse", "office", "offices", "begane", "grond", "verdieping", "zolder",
                              "1", "2", "3", "4", "5", "6"})
#: Parcels of one plot (``Kavel 1 (ha)``, ``Kavel 2 (ha)``).
PLOT_PART_WORDS = frozenset({"1", "2", "3", "4", "5", "6", "a", "b", "c", "d", "noord", "zuid", "oost", "west"})
#: Workers by contract (``Vaste medewerkers`` / ``Uitzendkrachten``): parts of the announced jobs; the words that
#: name workers on their own (``Uitzendkrachten``) are in :data:`WORKER_WORDS`.
WORKER_WORDS = frozenset({"uitzendkrachten", "uitzendkracht", "flexkrachten", "flexwerkers", "seizoenskrachten",
                          "seizoenwerkers", "seizoensarbeiders", "oproepkrachten", "inleenkrachten", "payrollers",
                          "temps", "gedetacheerden"})
JOB_PART_WORDS = WORKER_WORDS | frozenset({"vast", "vaste", "uitzend", "flex", "flexibel", "flexibele", "tijdelijk",
                                           "tijdelijke", "inhuur", "ingehuurd", "ingehuurde", "seizoen", "seizoens",
                                           "eigen", "payroll", "oproep", "permanent", "temporary", "agency"})
#: What may be summed, by target, and the words that make a header a part of it.
SUMMED_PARTS: dict[str, frozenset[str]] = {"occupants": SPLIT_WORDS, "floor_area_m2": FLOOR_PART_WORDS,
                                           "plot_area_ha": PLOT_PART_WORDS, "declared_jobs": JOB_PART_WORDS}
#: Words that name the people of a target on their own, so a part of nothing else (``Aantal kinderen``,
#: ``Uitzendkrachten``) belongs with the target's other parts.
SELF_NAMED: dict[str, frozenset[str]] = {"occupants": frozenset(), "declared_jobs": WORKER_WORDS}
#: Words of a phase (``m2 BVO fase 1`` / ``fase 2``): a phase opens in its own year, so it needs its own row.
PHASE_WORDS = frozenset({"fase", "phase", "deelplan", "deelfase", "1", "2", "3", "4", "5", "i", "ii", "iii"})
#: The words that make a column one of a phase (a number alone is a storey or a parcel).
PHASE_NAMES = frozenset({"fase", "phase", "deelplan", "deelfase"})
#: Targets a plan gives per phase.
PHASED_TARGETS = frozenset({"floor_area_m2", "plot_area_ha", "declared_jobs"})
#: Units of area, kept apart when a header's rest is matched again.
UNITS_OF_AREA = frozenset({"m2", "ha", "hectare", "are"})


def _combined_columns(table: pd.DataFrame, aliases: Mapping[str, tuple[str, ...]],
                      mapping: Mapping[str, str] | None) -> tuple[pd.DataFrame, list[str]]:
    """Columns that are one column in parts, joined before the headers are matched: the same header in other
    capitals (``Bewoners`` / ``bewoners`` from features written by different programs), when no row fills more
    than one; and a count split over columns (``Bewoners man`` / ``Bewoners vrouw``) without a column of the total,
    summed per row. Headers mapped by hand are left as they are."""
    notes: list[str] = []
    given = set(mapping or {})
    groups: dict[str, list[str]] = {}
    for column in table.columns:
        if isinstance(column, str) and column not in given:
            groups.setdefault(column.strip().casefold(), []).append(column)
    for members in (m for m in groups.values() if len(m) > 1):
        filled = table[members].notna() & table[members].astype(object).map(lambda v: str(v).strip() != "")
        if (filled.sum(axis=1) > 1).any():
            continue
        table = table.copy()
        table[members[0]] = table[members].astype(object).where(filled).bfill(axis=1).iloc[:, 0]
        table = table.drop(columns=members[1:])
        notes.append(f"columns {', '.join(repr(m) for m in members)} differ only in capitals and no row fills more "
                     f"than one: read as one column '{members[0]}'")
    for target, words in SUMMED_PARTS.items():
        table, more = _summed_parts(table, aliases, given, target, words)
        notes += more
    _phases(table, aliases, given)
    return table, notes


def _parts(table: pd.DataFrame, given: set[str], words: frozenset[str]
           ) -> tuple[dict[frozenset[str], list[str]], set[frozenset[str]]]:
    """Headers grouped by what is left of them without ``words`` (those holding such a word), and the rests of
    headers without any (a whole: ``Bewoners`` beside ``Bewoners man``)."""
    parts: dict[frozenset[str], list[str]] = {}
    wholes: set[frozenset[str]] = set()
    for column in table.columns:
        if not isinstance(column, str) or column in given:
            continue
        key = header_key(column)
        found = set(key.words) | (set(key.qualifiers) - {COUNTED})
        rest = frozenset(found - words)
        (parts.setdefault(rest, []).append(column) if found & words else wholes.add(rest))
    return parts, wholes


def _rest_target(rest: frozenset[str], aliases: Mapping[str, tuple[str, ...]]) -> str | None:
    """What the words left of a header (without its part or phase words) are read as."""
    units = sorted(rest & UNITS_OF_AREA)
    text = " ".join(sorted(w for w in rest if w not in UNITS_OF_AREA)) + (f" ({' '.join(units)})" if units else "")
    return _targets_of([text], aliases, None).get(text)


def _summed_parts(table: pd.DataFrame, aliases: Mapping[str, tuple[str, ...]], given: set[str], target: str,
                  words: frozenset[str]) -> tuple[pd.DataFrame, list[str]]:
    """A count or area split over columns without a column of the whole, summed per row (see above)."""
    notes: list[str] = []
    if target not in aliases:
        return table, notes
    parts, wholes = _parts(table, given, words)
    # a column read as the target on its own (``Aantal personen`` beside ``Bewoners man``) is the whole already
    named = _targets_of([c for c in table.columns if isinstance(c, str)], aliases, None)
    loose = [m for m in parts.get(frozenset(), []) if set(header_key(m).words) & SELF_NAMED.get(target, frozenset())]
    into = [r for r in parts if r and _rest_target(r, aliases) == target]
    if loose and len(into) == 1:  # ``Uitzendkrachten`` beside ``Vaste medewerkers``
        parts[into[0]] = parts[into[0]] + loose
        parts[frozenset()] = [m for m in parts[frozenset()] if m not in loose]
    for rest, members in parts.items():
        if len(members) < 2 or rest in wholes or rest & PHASE_NAMES or _overlapping(members) or any(
                header_period(m) != (0, 0, 0) for m in members):  # dates order columns (the latest), never sum
            continue
        if rest & COUNT_ROUNDS:
            continue  # ``Bewoners controle 1`` / ``2``: two counts of the same people, not parts
        # ``Aantal volwassenen`` / ``Aantal kinderen``: people with no noun beside them are the occupants
        read_as = _rest_target(rest, aliases) if rest else (
            "occupants" if all(set(header_key(m).words) & PERSON_WORDS for m in members) else
            "declared_jobs" if all(set(header_key(m).words) & WORKER_WORDS for m in members) else None)
        if read_as != target or any(t == target and h not in members for h, t in named.items()):
            continue
        numbers = pd.DataFrame({m: read_numbers(table[m], words=True).values for m in members}, index=table.index)
        texts = table[members].astype(object).map(lambda v: v is not None and str(v).strip() != "" and
                                                  not (isinstance(v, float) and np.isnan(v)))
        if (texts & numbers.isna()).any().any():  # a part that is no number: leave the columns as they are
            continue
        bare = re.sub(r"\s+", " ", re.sub(r"(?i)(?<![\w])(" + "|".join(sorted(words, key=len, reverse=True))
                                           + r")(?![\w])[+]?", " ", members[0])).strip(" -_:<>+")
        pieces = [m[len(bare):].strip(" -_:") if bare and m.casefold().startswith(bare.casefold()) else
                  " ".join(w for w in header_key(m).words if w in words) or m for m in members]
        pieces = pieces if len(set(pieces)) == len(pieces) and all(pieces) else members
        noun = bare if rest else f"{bare} personen".strip()  # ``Aantal volwassenen`` + ``kinderen``: persons
        name = f"{noun} ({' + '.join(pieces)})"
        at = list(table.columns).index(members[0])
        table = table.drop(columns=members)
        table.insert(at, name, numbers.sum(axis=1, min_count=1))
        notes.append(f"{' + '.join(repr(m) for m in members)}: parts of one count without a column of the total, "
                     f"summed per row as '{name}'")
    return table, notes


def _overlapping(members: Sequence[str]) -> bool:
    """Parts that overlap: all EU citizens beside one member state (``Bewoners EU`` / ``Bewoners Pools``)."""
    words = [set(header_key(m).words) for m in members]
    # ``overig EU`` beside ``Pools`` is the rest of the EU: no overlap
    whole_eu = any("eu" in w and not w & {"niet", "non", "buiten", "overig", "overige", "overigen", "ander",
                                          "andere", "rest"} for w in words)
    return whole_eu and any(w & EU_NATIONS for w in words)


def _phases(table: pd.DataFrame, aliases: Mapping[str, tuple[str, ...]], given: set[str]) -> None:
    """A plan's area or jobs in a column per phase (``m2 BVO fase 1``, ``m2 BVO fase 2``): refused, since each
    phase opens in its own year and needs its own row; reading one column would lose the others."""
    if "sector" not in aliases:  # a register has no phases
        return
    parts, wholes = _parts(table, given, PHASE_WORDS)
    for rest, members in parts.items():
        if len(members) < 2 or rest in wholes or not rest or not all(
                set(header_key(m).words) & PHASE_NAMES for m in members):
            continue
        target = _rest_target(rest, aliases)
        if target in PHASED_TARGETS:
            raise InputError(Problem(
                f"{', '.join(repr(m) for m in members)}: one {target} per phase in columns",
                fix="give each phase its own row (with its own start year), or map the one column to use: "
                    f"--map \"{members[0]}={target}\""))


#: A header that gives its figures in thousands: ``BVO (x1000 m2)``, ``(x 1.000 m²)``, ``(* 1000)``, ``duizend m2``.
_THOUSANDS = re.compile(r"(?:[x×*]\s*1[.,]?000(?![\d.,])|\bduizend\b|[(\[]\s*1[.,]?000\s*m)", re.IGNORECASE)
#: ``(a)`` alone in brackets is the are; an ``a`` among other words (``deelgebied A``) is not.
_ARE = re.compile(r"[(\[]\s*(?:a|are)\s*[)\]]|\bare\b", re.IGNORECASE)


def _unit_factor(target: str, header: str | None) -> tuple[float, str]:
    """What a column's numbers are multiplied by when its header names another unit of area than its target, and
    how the reading says it: ``Kavel (m2)`` read as plot_area_ha is in square metres (/ 10,000), ``BVO (ha)`` in
    hectares (x 10,000), ``Kavel (are)`` in ares (1 are = 100 m2), ``BVO (x1000 m2)`` in thousands."""
    if header is None or not target.endswith(("_ha", "_m2")):
        return 1.0, ""
    marks = set(header_key(header).qualifiers)
    factor, note = 1.0, ""
    if _ARE.search(str(header)) and not marks & {"ha", "hectare", "m2"}:
        factor = 0.01 if target.endswith("_ha") else 100.0
        note = f"'{header}' is in are (100 m2): " + ("divided by 100 to hectares" if factor < 1
                                                     else "multiplied by 100 to m2")
    elif target.endswith("_ha") and "m2" in marks and not marks & {"ha", "hectare"}:
        factor, note = 1 / 10_000, f"'{header}' is in m2: divided by 10,000 to hectares"
    elif target.endswith("_m2") and marks & {"ha", "hectare"} and "m2" not in marks:
        factor, note = 10_000.0, f"'{header}' is in ha: multiplied by 10,000 to m2"
    if _THOUSANDS.search(str(header)):
        factor *= 1000
        note = "; ".join(n for n in (note, f"'{header}' gives thousands: multiplied by 1,000") if n)
    return factor, note


def _number_notes(frame: pd.DataFrame, columns: tuple[str, ...], reading: Reading) -> tuple[dict, Reading]:
    """Each number column read with :func:`planner.numbers.read_numbers`; notation notes added to the reading."""
    out = {}
    for column in columns:
        if column in frame.columns:
            numbers = read_numbers(frame[column], words=True)
            header = reading.recognised.get(column)
            factor, unit_note = _unit_factor(column, header)
            if factor != 1.0:
                numbers = dataclasses.replace(numbers, values=numbers.values * factor)
                for part in unit_note.split("; "):
                    reading = reading.with_note(part)
            numbers, reading = _cell_units(frame[column], column, numbers, reading,
                                           factor if factor in (1 / 10_000, 10_000.0) else 1.0)
            out[column] = numbers
            if numbers.convention not in (PLAIN,):
                reading = reading.with_note(f"{column}: {CONVENTION_TEXT[numbers.convention]} ({numbers.note})")
            for mask, what in ((numbers.no_value, "read as empty, as a blank cell would be"),
                               (numbers.approximate, "written with a word, a remark or as an approximation, read as "
                                                     "their number")):
                if mask is not None and mask.any():
                    examples = ", ".join(f"'{v}'" for v in pd.unique(frame.loc[mask, column].astype(str))[:3])
                    reading = reading.with_note(f"{column}: {int(mask.sum())} cell(s) {what} ({examples})")
    return out, reading


_CELL_UNIT = re.compile(r"(m2|m²|m\^2|ha|hectare)\.?\s*$", re.IGNORECASE)


def _cell_units(cells: pd.Series, column: str, numbers: NumberColumn, reading: Reading, header_factor: float = 1.0
                ) -> tuple[NumberColumn, Reading]:
    """An area cell that names its own unit, other than its column's (``4,5 ha`` under ``BVO (m2)``): converted by
    that unit, and said in the reading. Without it, 4,5 ha would be read as 4.5 m2. The column's unit is the one its
    header names (``header_factor``, see :func:`_unit_factor`), else the target's."""
    if not column.endswith(("_m2", "_ha")):
        return numbers, reading
    target = "ha" if column.endswith("_ha") else "m2"
    header_unit = target if header_factor == 1.0 else ("m2" if target == "ha" else "ha")
    units = cells.map(lambda v: (m.group(1).lower() if isinstance(v, str) and (m := _CELL_UNIT.search(v.strip()))
                                 else None))
    units = units.map(lambda u: None if not isinstance(u, str) else "ha" if u in ("ha", "hectare") else "m2")
    other = units.notna() & (units != header_unit)
    if not other.any():
        return numbers, reading
    to_target = {("m2", "ha"): 1 / 10_000, ("ha", "m2"): 10_000.0}
    factors = units[other].map(lambda u: to_target.get((u, target), 1.0) / header_factor).astype(float)
    values = numbers.values.copy()
    values[other] = values[other] * factors
    examples = ", ".join(f"'{v}'" for v in pd.unique(cells[other].astype(str))[:3])
    unit = "ha" if header_unit == "m2" else "m2"
    reading = reading.with_note(f"{column}: {int(other.sum())} cell(s) in {unit}, as the cell says ({examples}): "
                                "converted")
    return dataclasses.replace(numbers, values=values), reading


def reading_of(frame: pd.DataFrame) -> Reading | None:
    """The :class:`~planner.columns.Reading` a reader attached to ``frame``, if any."""
    reading = frame.attrs.get("reading")
    return reading if isinstance(reading, Reading) else None


def read_sites(path: str | Path, mapping: Mapping[str, str] | None = None,
               crs: str | None = None) -> gpd.GeoDataFrame:
    """Read planned sites from GeoPackage, GeoJSON, zipped Shapefile, CSV or Excel.

    Numbers are read per column (Dutch or English notation, decided from
    all the column's values); a cell that holds text which is not a number,
    or a number the column leaves ambiguous, is reported with its line and
    column.
    """
    frame, _ = read_table(path, SITE_ALIASES, mapping, crs, kind="sites", never=SITE_NEVER,
                          second_choice=SITE_SECOND_CHOICE, first_choice=SITE_FIRST_CHOICE)
    reading = _jobs_notes(reading_of(frame) or Reading(str(path)))
    totals = totals_rows(frame, ("floor_area_m2", "plot_area_ha", "declared_jobs"))
    nameless = _nameless_sums(frame) & ~totals
    if totals.any() or nameless.any():
        unit = frame.index.name or "row"
        raise InputError([Problem(f"a totals row ({totals_label(frame, i)})", row=f"{unit} {i}",
                                  fix="remove the row: its area would be counted a second time (if it is a real "
                                      "site, give it another name)")
                          for i in frame.index[totals.to_numpy()][:20]]
                         + [Problem("a row without a name whose figures are the sum of the rows above (a subtotal?)",
                                    row=f"{unit} {i}", fix="remove the row if it is a subtotal; if it is a site, "
                                                           "give it a name")
                            for i in frame.index[nameless.to_numpy()][:20]], source=str(path))
    from .impact import NUMERIC_COLUMNS

    rows = len(frame)
    frame, reading = _site_headings(frame, reading)
    frame, reading = _closed_sites(frame, reading)
    _check_needed(frame, reading, Path(path))
    if "sector" in frame.columns or "subtype" in frame.columns:
        from .sectornames import bundled_sector_names, translate_names

        given = frame["sector"] if "sector" in frame.columns else pd.Series(None, index=frame.index, dtype=object)
        sector, subtype, said = translate_names(given, frame["subtype"] if "subtype" in frame.columns else None,
                                                bundled_sector_names())
        if "sector" in frame.columns or sector.notna().any():
            frame["sector"] = sector
        if subtype is not None:
            frame["subtype"] = subtype
        for note in said:
            reading = reading.with_note(note)
    frame, reading = _years_in_text(frame, reading)
    columns, reading = _number_notes(frame, NUMERIC_COLUMNS, reading)
    problems: list[Problem] = []
    for column, numbers in columns.items():
        problems += numbers.problems(frame[column], column)
        frame[column] = numbers.values
    for column in ("abroad_share", "coverage"):
        if column in frame.columns:
            frame[column], reading, wrong = _shares(frame[column], reading.recognised.get(column), reading, column)
            problems += wrong
    if problems:
        raise InputError(problems, source=str(path))
    frame, reading = _floor_from_coverage(frame, reading)
    frame, reading = _pins_of_shapes(frame, reading)
    reading = _same_name_note(frame, reading)
    frame.attrs["reading"] = _repeats_note(frame, None, reading, what="site(s)",
                                           fix="each is counted; if one is a copy, delete it").with_rows(
        rows, len(frame))
    return frame


#: A plan's status that says it will bring no new jobs: it was withdrawn or refused, or it is built already (its
#: workers live somewhere now, and the housing register counts them).
SITE_CLOSED = re.compile(r"^\W*(?:plan\s+)?(vervallen|ingetrokken|geannuleerd|afgewezen|geweigerd|gestopt|stopgezet|"
                         r"van de baan|niet doorgegaan|afgeblazen|withdrawn|cancelled|refused|rejected)\b",
                         re.IGNORECASE)
SITE_BUILT = re.compile(r"^\W*(gerealiseerd|opgeleverd|in gebruik(?!\s*(?:name|genomen\s+(?:in|per|vanaf)))|"
                        r"in bedrijf|realised|realized|built|completed|operational)\b", re.IGNORECASE)


_EXPANSION = re.compile(r"uitbreiding|uitbreiden|expansion|extension|nieuw|herontwikkel|gepland|verwacht",
                        re.IGNORECASE)


def _jobs_notes(reading: Reading) -> Reading:
    """What the reading says about a sites file's jobs: new jobs read beside relocated ones, and FTE not read."""
    jobs_header = reading.recognised.get("declared_jobs")
    if jobs_header and "relocated_jobs" in reading.recognised and \
            set(header_key(jobs_header).words) & SITE_SECOND_CHOICE["declared_jobs"]:
        reading = reading.with_note(f"'{jobs_header}' is read as the site's announced jobs, from which the relocated "
                                    f"jobs ('{reading.recognised['relocated_jobs']}') are subtracted; if it counts "
                                    "only the new jobs, give the site's total jobs instead")
    for header in reading.unrecognised:
        key = header_key(header)
        if "fte" in set(key.words) | set(key.qualifiers):
            reading = reading.with_note(f"'{header}' counts full-time equivalents (FTE), not people: not read as "
                                        "announced jobs, which are heads; give the number of people, or map it by "
                                        "hand if it is one")
    return reading


def _floor_from_coverage(frame: gpd.GeoDataFrame, reading: Reading) -> tuple[gpd.GeoDataFrame, Reading]:
    """A site with its plot and the share that may be built on (``Bebouwingspercentage`` 80 %) but no floor area:
    floor area = plot x share (instead of the library's typical plot-to-floor ratio), said per site."""
    if "coverage" not in frame.columns or "plot_area_ha" not in frame.columns:
        return frame, reading
    floor = frame["floor_area_m2"] if "floor_area_m2" in frame.columns else pd.Series(np.nan, index=frame.index)
    floor = pd.to_numeric(floor, errors="coerce")
    plot = pd.to_numeric(frame["plot_area_ha"], errors="coerce")
    share = pd.to_numeric(frame["coverage"], errors="coerce")
    use = floor.isna() & plot.notna() & share.notna() & (share > 0)
    if not use.any():
        return frame, reading
    frame = frame.copy()
    frame["floor_area_m2"] = floor.where(~use, plot * 10_000.0 * share)
    unit = "lines" if frame.index.name == "line" else "rows"
    listed = ", ".join(str(i) for i in frame.index[use.to_numpy()][:8])
    return frame, reading.with_note(f"floor area of {int(use.sum())} site(s) from the plot times "
                                    f"'{reading.recognised.get('coverage', 'coverage')}' ({unit} {listed}): a "
                                    "maximum the plan allows, so the floor area may be smaller in the end")


def _closed_sites(frame: gpd.GeoDataFrame, reading: Reading) -> tuple[gpd.GeoDataFrame, Reading]:
    """Sites whose status says they bring no new demand (withdrawn, refused, or built already): left out, each
    named with its status, so that a plan list with its history does not count old plans."""
    if "status" not in frame.columns:
        return frame, reading
    status = frame["status"].astype(object).where(frame["status"].notna(), "").astype(str).str.strip()
    closed = status.map(lambda v: bool(SITE_CLOSED.search(v))).astype(bool)
    built = status.map(lambda v: bool(SITE_BUILT.search(v)) and not _EXPANSION.search(v)).astype(bool) & ~closed
    if not (closed | built).any():
        return frame, reading
    unit = "lines" if frame.index.name == "line" else "rows"
    names = frame["name"] if "name" in frame.columns else pd.Series("", index=frame.index)
    for mask, why in ((closed, "withdrawn or refused"), (built, "built already: its workers are housed today")):
        if mask.any():
            listed = ", ".join(f"{i} ('{names[i]}': {status[i]})" for i in frame.index[mask.to_numpy()][:8])
            reading = reading.with_note(f"{int(mask.sum())} site(s) left out, their status says {why} ({unit} "
                                        f"{listed}); clear the status to count them")
    kept = frame[~(closed | built).to_numpy()]
    if len(kept) == 0:
        raise InputError(Problem("every site's status says it brings no new jobs (withdrawn, refused or built)",
                                 column="status", fix="clear the status of the sites to assess"),
                         source=reading.source)
    return kept, reading


#: How far a pin may lie from the outline of its own site and still be the same site (m).
PIN_TOLERANCE_M = 100.0


def _same_figure(a: str, b: str) -> bool:
    """Two cells of one site drawn twice agree: equal, one empty, or numbers within 10 % (a pin's rounded 12 ha
    beside its polygon's 12.4 ha)."""
    if a == "" or b == "" or a.casefold() == b.casefold():
        return True
    x, y = pd.to_numeric(pd.Series([a, b]), errors="coerce")
    return bool(pd.notna(x) and pd.notna(y) and abs(x - y) <= 0.1 * max(abs(x), abs(y)))


def _pins_of_shapes(frame: gpd.GeoDataFrame, reading: Reading) -> tuple[gpd.GeoDataFrame, Reading]:
    """A site drawn twice, as its outline and as a pin on it (Google My Maps, a GIS layer of both): a point inside
    (or within :data:`PIN_TOLERANCE_M` of) a polygon with the same name, or with the same cells, is that site again.
    The pin is left out and named; the polygon is kept. Other points inside a polygon (another company in a
    business park) are counted."""
    if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None or len(frame) < 2:
        return frame, reading
    kinds = frame.geometry.geom_type
    pins, shapes = frame[kinds == "Point"], frame[kinds.isin(["Polygon", "MultiPolygon"])]
    if pins.empty or shapes.empty:
        return frame, reading
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pin_rd, shape_rd = pins.geometry.to_crs("EPSG:28992"), shapes.geometry.to_crs("EPSG:28992")
    cells = [c for c in frame.columns if c not in (frame.geometry.name, *_NOT_CELLS)]
    text = frame[cells].astype(object).where(frame[cells].notna(), "").astype(str)
    names = (text["name"].str.strip().str.casefold() if "name" in text.columns
             else pd.Series("", index=frame.index))
    near = shape_rd.sindex.query(pin_rd.to_numpy(), predicate="dwithin", distance=PIN_TOLERANCE_M)
    # What a site is besides its name: a pin with the same name but another sector or other figures (a DC inside
    # a greenport of that name) is another plan; a pin with no name is the same site only inside the polygon.
    kind = [c for c in ("sector", "subtype", "floor_area_m2", "plot_area_ha", "start_year", "declared_jobs")
            if c in text.columns]
    dropped = []
    for pin_at, shape_at in zip(*near, strict=True):
        pin, shape = pins.index[pin_at], shapes.index[shape_at]
        agree = all(_same_figure(text.at[pin, c], text.at[shape, c]) for c in kind)
        same_name = names[pin] != "" and names[pin] == names[shape] and agree
        inside = bool(shape_rd[shape].covers(pin_rd[pin]))
        if pin not in dropped and (same_name or (inside and text.loc[pin].equals(text.loc[shape]))):
            dropped.append(pin)
    if not dropped:
        return frame, reading
    frame = frame.copy()
    for pin_at, shape_at in zip(*near, strict=True):  # what only the pin gives (its start year) goes to the polygon
        pin, shape = pins.index[pin_at], shapes.index[shape_at]
        if pin in dropped:
            for column in cells:
                if text.at[shape, column] == "" and text.at[pin, column] != "":
                    frame.loc[shape, column] = frame.at[pin, column]
    unit = "lines" if frame.index.name == "line" else "rows"
    return frame.drop(index=dropped), reading.with_left_out(len(dropped)).with_note(
        f"{len(dropped)} site(s) drawn twice, as a polygon and as a pin on it with the same name or cells ({unit} "
        f"{', '.join(str(i) for i in dropped[:8])}): counted once, by the polygon")


def _nameless_sums(frame: pd.DataFrame) -> pd.Series:
    """Rows without a name whose figures (read as numbers, in any notation) are the sum of the rows above them: a
    subtotal typed in by hand. Refused with the totals rows, with the fix for the rare site that only looks so."""
    if "name" not in frame.columns:
        return pd.Series(False, index=frame.index)
    unnamed = frame["name"].isna() | (frame["name"].astype(str).str.strip() == "")
    numbers = pd.DataFrame({c: read_numbers(frame[c], words=True).values for c in
                            ("floor_area_m2", "plot_area_ha", "declared_jobs") if c in frame.columns})
    if not unnamed.any() or numbers.empty:
        return pd.Series(False, index=frame.index)
    return _sums_above(numbers, pd.Series(False, index=frame.index), unnamed) & unnamed


def _site_headings(frame: gpd.GeoDataFrame, reading: Reading) -> tuple[gpd.GeoDataFrame, Reading]:
    """Rows that hold a name and nothing else (``Venlo``, ``Horst aan de Maas`` above their sites): headings of a
    list laid out for people, not sites. Left out and named (before, each was refused as a site without a sector)."""
    if "name" not in frame.columns or len(frame) < 2:
        return frame, reading
    cells = frame[[c for c in frame.columns if c not in ("name", *_NOT_CELLS)
                   and c != getattr(frame, "_geometry_column_name", None)]]
    empty = ~(cells.notna() & cells.astype(object).map(lambda v: str(v).strip() != "")).any(axis=1)
    named = frame["name"].notna() & (frame["name"].astype(str).str.strip() != "")
    shape = (frame.geometry.notna() & ~frame.geometry.is_empty) if isinstance(frame, gpd.GeoDataFrame) \
        and frame.geometry.name in frame.columns else pd.Series(False, index=frame.index)
    headings = empty & named & ~shape
    position = pd.Series(np.arange(len(frame)), index=frame.index)
    alone = headings & ~headings.shift(1, fill_value=False) & ~headings.shift(-1, fill_value=False)
    headings = alone & (position < len(frame) - 1)  # a heading has a site below it, not another name alone
    if headings.sum() == 1:  # one alone is a heading only when it names a place (else: a site missing its figures)
        from .places import gemeente_from_place

        names = frame.loc[headings, "name"].astype(str).str.replace(r"\(.*?\)|^\s*(?:kern|gemeente|regio)\s+", "",
                                                                   regex=True, flags=re.IGNORECASE).str.strip()
        codes, problems = gemeente_from_place(names)
        headings[headings] = codes.notna().to_numpy() | problems.str.contains("lies in").to_numpy()
    if not headings.any() or headings.all():
        return frame, reading
    unit = "lines" if frame.index.name == "line" else "rows"
    listed = ", ".join(f"{i} ('{frame.at[i, 'name']}')" for i in frame.index[headings.to_numpy()][:8])
    return frame[~headings.to_numpy()], reading.with_left_out(int(headings.sum())).with_note(
        f"{int(headings.sum())} row(s) hold only a name, as a heading above the sites: not read as sites "
        f"({unit} {listed})")


def _same_name_note(frame: gpd.GeoDataFrame, reading: Reading) -> Reading:
    """Sites that share a name but not their figures (an old and a revised row of one plan?): each is counted, and
    named. Rows equal in every column are said by the repeats note instead."""
    if "name" not in frame.columns:
        return reading
    names = frame["name"].astype(object).where(frame["name"].notna(), "").astype(str).str.strip()
    shared = names.duplicated(keep=False) & (names != "")
    if not shared.any():
        return reading
    figures = [c for c in ("floor_area_m2", "plot_area_ha", "start_year", "declared_jobs") if c in frame.columns]
    unit = "lines" if frame.index.name == "line" else "rows"
    said = []
    for name, group in frame[shared.to_numpy()].groupby(names[shared], sort=False):
        if figures and len(group[figures].astype(object).drop_duplicates()) == 1:
            continue  # the same figures: the repeats note (or a second unit of the same plan)
        said.append(f"'{name}' ({unit} {', '.join(str(i) for i in group.index)})")
    if not said:
        return reading
    return reading.with_note(f"{len(said)} site name(s) on several rows with other figures: {'; '.join(said[:5])}: "
                             "each row is counted; if one is an older version of the plan, delete it")


def _check_needed(frame: gpd.GeoDataFrame, reading: Reading, path: Path) -> None:
    """Stop when a sites file has no sector or no area of any kind, naming what planner did not recognise."""
    polygons = bool(frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).any())
    needed = [name for name, present in (("sector", "sector" in frame.columns),
                                         ("floor_area_m2 or plot_area_ha",
                                          "floor_area_m2" in frame.columns or "plot_area_ha" in frame.columns
                                          or polygons))
              if not present]
    if needed:
        unknown = reading.unrecognised
        hint = (f"; columns planner does not recognise: {', '.join(repr(c) for c in unknown[:8])}" if unknown else "")
        example = (_area_example(frame, unknown) if "floor_area_m2 or plot_area_ha" in needed
                   else "--map \"Your header=sector\"")
        kinds = sorted({str(k) for k in frame.geometry.geom_type.dropna()} - {"Point", "MultiPoint"})
        if kinds and "floor_area_m2 or plot_area_ha" in needed:
            hint += (f"; the shapes are {', '.join(kinds)}, not polygons, so they give no plot area (a closed line "
                     "is no polygon: QGIS Vector > Geometry Tools > Lines to Polygons)")
        raise InputError(Problem(f"no column for {' and '.join(needed)}{hint}",
                                 fix=f"rename the header (e.g. bvo, vloeroppervlak, kavel_ha, sector) or map it: "
                                     f"{example}"), source=str(path))


def _area_columns(frame: pd.DataFrame, headers: Sequence[str]) -> list[str]:
    """Of ``headers``, those whose cells are mostly numbers that could be an area (not years, not codes like SBI
    52.10): the only ones worth suggesting as a site's floor or plot area."""
    out = []
    for header in headers:
        key = header_key(header)
        if header not in frame.columns or COUNTED in key.qualifiers or any(q.startswith("per_")
                                                                           for q in key.qualifiers):
            continue  # a count of plots or a figure per plot is no area of the site
        cells = frame[header].dropna()
        numbers = read_numbers(cells, words=True).values.dropna() if len(cells) else pd.Series(dtype=float)
        if len(cells) == 0 or len(numbers) < 0.8 * len(cells):
            continue
        years = numbers.between(1900, 2100) & (numbers == numbers.round())
        if years.all() or (numbers <= 0).all() or numbers.max() < 0.05:
            continue
        out.append(header)
    return out


def _area_example(frame: pd.DataFrame, unknown: Sequence[str]) -> str:
    """A ``--map`` for the site's area from a column that could hold one: a plot when the header says plot, ha or
    hectare, else the floor area; a placeholder when no column holds area-like numbers."""
    candidates = _area_columns(frame, unknown)
    for header in candidates:
        key = header_key(header)
        if any(w.startswith(tuple(PLOT_WORDS)) for w in key.words) or set(key.qualifiers) & {"ha", "hectare"}:
            return f"--map \"{header}=plot_area_ha\" (a plot in m2 is converted when the header says m2)"
    return f"--map \"{candidates[0]}=floor_area_m2\"" if candidates else "--map \"Your header=floor_area_m2\""


def _shares(values: pd.Series, header: str | None, reading: Reading, column: str = "abroad_share"
            ) -> tuple[pd.Series, Reading, list[Problem]]:
    """A share per site, as a fraction (``0,1``, ``0.1``) or a percentage (``10%``, or any number under a header that
    says ``%`` or ``procent``); a share outside 0-1 is reported with its row."""
    text = values.astype(object).where(values.notna(), None)
    marked = text.map(lambda v: isinstance(v, str) and v.strip().endswith("%")).astype(bool)
    stripped = text.map(lambda v: v.strip().rstrip("%").strip() if isinstance(v, str) else v)
    numbers = read_numbers(stripped, words=True)
    out = numbers.values.copy()
    words = set(header_key(header).words) | set(header_key(header).qualifiers) if header else set()
    percent_header = (bool(words & {"procent", "percentage", "pct", "perc"}) or "%" in str(header or "")
                      or any(w.endswith(("percentage", "procent")) for w in words))
    # a share column of whole numbers above 1 (80 under 'Bebouwingspercentage') is in percent as well
    percent_header = percent_header or bool(column != "abroad_share" and (out.dropna() > 1).all() and out.notna().any()
                                            and (out.dropna() <= 100).all())
    scaled = marked | (percent_header & out.notna())
    out[scaled] = out[scaled] / 100
    if scaled.any():
        reading = reading.with_note(f"{column}: {int(scaled.sum())} percentage(s) read as shares (10% = 0.1)")
    unit = values.index.name or "row"
    problems = numbers.problems(values, column)
    problems += [Problem(f"'{values[i]}' is not a share between 0 and 1", row=f"{unit} {i}", column=column,
                         fix="give a share between 0 and 1 (0.1) or a percentage (10%)")
                 for i in out.index[(out < 0) | (out > 1)][:20]]
    return out, reading, problems


_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


#: Words after which a start year is the one a plan moved to (``was 2026, nu 2029``, ``2026 (vertraagd tot 2028)``,
#: ``2026 -> 2028``, ``uitgesteld naar 2029``).
_MOVED = re.compile(r"\b(?:was\s+\d{4}\s*,?\s*(?:nu|thans)|vertraagd|uitgesteld|verschoven|verplaatst|delayed|"
                    r"postponed)\b|(?<=\d)\s*(?:->|→|=>)\s*(?=\d{4})", re.IGNORECASE)


def _years_in_text(frame: gpd.GeoDataFrame, reading: Reading) -> tuple[gpd.GeoDataFrame, Reading]:
    """A start year written as a date or with words (``Q3 2027``, ``2027-2028``, ``medio 2027``): its first year,
    or the year it moved to (``was 2026, nu 2029``: 2029).

    Plain numbers are left to the number reader; every cell read this way is listed in the reading.
    """
    if "start_year" not in frame.columns:
        return frame, reading
    values = frame["start_year"]
    read: dict[object, int] = {}
    for row, value in values.items():
        if hasattr(value, "year") and not isinstance(value, (int, float)):
            read[row] = int(value.year)
        elif isinstance(value, str) and not re.fullmatch(r"\s*\d+([.,]\d+)?\s*", value):
            years = _YEAR.findall(value)
            if years:
                moved = _MOVED.search(value)  # ``was 2026, nu 2029``, ``2026 -> 2028``: the year it moved to
                read[row] = int(_YEAR.findall(value[moved.end():])[0]) if moved and _YEAR.search(
                    value[moved.end():]) else int(years[0])
    if not read:
        return frame, reading
    frame = frame.copy()
    examples = ", ".join(f"'{values[r]}' → {y}" for r, y in list(read.items())[:3])
    frame["start_year"] = values.astype(object).where(~values.index.isin(list(read)),
                                                      pd.Series(read, dtype=object).reindex(values.index))
    return frame, reading.with_note(f"start_year: {len(read)} cell(s) with a date or words read as their first "
                                    f"year, or the year a plan moved to ({examples})")


#: Header aliases for housing registers (municipal exports, Dutch or English).
HOUSING_ALIASES: dict[str, tuple[str, ...]] = {
    "location_id": ("location_id", "id", "locatie_id", "locatienummer", "object_id", "bag_id", "vbo_id",
                    "verblijfsobject_id", "nummeraanduiding_id", "registratienummer", "objectnummer", "snf_nummer"),
    "address": ("address", "adres", "straat_huisnummer", "locatie_adres", "woonadres", "straat", "straatnaam"),
    "type": ("type", "soort", "woningtype", "huisvestingstype", "categorie", "soort_huisvesting", "location_type",
             "type_huisvesting", "type_locatie", "soort_locatie", "huisvestingsvorm", "woonvorm", "type_woning"),
    "floor_area_m2": ("floor_area_m2", "floor_area", "usable_floor_area", "gebruiksoppervlakte", "gbo",
                      "gebruiksoppervlakte_m2", "gbo_m2", "oppervlakte", "oppervlakte_m2", "woonoppervlakte",
                      "vloeroppervlakte", "vloeroppervlakte_m2", "oppervlak", "bvo", "bruto_vloeroppervlak",
                      # Shapefile field names cut to 10 characters (ArcGIS writes GEBR_OPP_M)
                      "gebr_opp", "gebr_opp_m2", "gebruiksopp", "woonopp"),
    "bedrooms": ("bedrooms", "slaapkamers", "aantal_slaapkamers", "slaapkamer", "number_of_bedrooms",
                 "slaapvertrekken", "kamers_slapen", "aant_slpk", "slpk", "aant_slaapk", "slaapk", "aantal_slpk"),
    "occupants": ("occupants", "persons", "bewoners", "aantal_bewoners", "ingeschrevenen",
                  "aantal_ingeschrevenen", "ingeschreven_personen", "personen", "aantal_personen", "residents",
                  "huidige_bewoners", "bezetting", "ingeschreven", "inschrijvingen", "bewoners_brp",
                  "arbeidsmigranten", "aantal_arbeidsmigranten", "huurders", "aantal_huurders", "werknemers",
                  "aantal_werknemers", "gehuisveste_personen", "gehuisvesten", "huidige_bezetting",
                  "feitelijke_bezetting", "aanwezige_personen", "current_occupants", "tenants", "aant_bewon",
                  "aant_bew", "bewon", "aant_pers", "aantal_bew"),
    "licensed_beds": ("licensed_beds", "vergunde_bedden", "bedden_vergunning", "beds", "bedden", "aantal_bedden",
                      "vergunning_bedden", "slaapplaatsen", "aantal_slaapplaatsen", "capaciteit_bedden",
                      "capaciteit", "capaciteit_personen", "max_aantal_personen", "maximaal_aantal_personen",
                      "maximale_bezetting", "max_bezetting", "max_personen", "max_bewoners", "maximaal_aantal_bewoners",
                      "aantal_plaatsen", "plaatsen", "capacity", "max_occupancy", "maximum_occupancy"),
    "bedroom_area_m2": ("bedroom_area_m2", "bedroom_area", "slaapkameroppervlakte", "oppervlakte_slaapkamers",
                        "oppervlakte_slaapkamers_m2"),
    "toilets": ("toilets", "toiletten", "wc", "aantal_toiletten", "aantal_wc"),
    "showers": ("showers", "douches", "aantal_douches"),
    "gemeentecode": ("gemeentecode", "gm_code", "gemeente_code", "cbs_code", "gemcode", "cbs_gemeentecode",
                     "municipality_code", "code_gemeente"),
    "gemeentenaam": ("gemeentenaam", "gemeente", "municipality"),
    "woonplaats": ("woonplaats", "plaats", "plaatsnaam", "place", "city", "town", "woonkern", "kern"),
    "postcode": ("postcode", "postal_code", "zip", "pc", "pc6", "pc4", "postcode_huisnummer"),
    "snf_certified": ("snf_certified", "snf", "snf_gecertificeerd", "snf_certificaat", "snf_keurmerk",
                      "gecertificeerd", "certified", "snf_certificering", "keurmerk_snf"),
    "status": ("status", "status_locatie", "status_vergunning", "vergunningstatus", "vergunningsstatus",
               "stand_van_zaken", "state", "vergunning", "mutatie", "soort_mutatie", "mutatiesoort",
               "laatste_mutatie", "mutatietype"),
    "in_use": ("in_gebruik", "in_use", "actief", "active", "operationeel", "locatie_in_gebruik"),
    # a yes/no column that says the location has closed (``Vervallen`` J/N, ``Gestopt`` x): the opposite of in_use
    "closed": ("vervallen", "gestopt", "beeindigd", "gesloten", "opgeheven", "gesloopt", "ingetrokken", "closed",
               "niet_meer_in_gebruik", "buiten_gebruik", "inactief", "inactive"),
    # the date the location stopped being used (``Einddatum``): in the past, the location is closed
    "end_date": ("einddatum", "datum_einde", "einde", "datum_beeindiging", "beeindigd_per", "gesloten_per",
                 "datum_sluiting", "end_date", "closed_on"),
    # several dwellings or units on one row (a chalet park, a campus of units)
    "units": ("units", "aantal_units", "wooneenheden", "aantal_wooneenheden", "woonunits", "aantal_woonunits",
              "aantal_woningen", "eenheden", "aantal_eenheden", "aantal_chalets", "chalets", "aantal_studios",
              "aantal_appartementen", "number_of_units", "dwellings"),
}

#: Notes shown beside a column's match, where its meaning is an approximation.
HOUSING_NOTES: dict[str, str] = {}
#: Gross floor area (BVO) fits a register's floor area only where no usable floor area (GBO) is given: the norms
#: count usable floor area, which is smaller by the walls and stairwells.
HOUSING_SECOND_CHOICE: dict[str, frozenset[str]] = {
    "floor_area_m2": frozenset({"bvo", "bruto"}),
    # the migrants (or employees, tenants) among the residents, where a column of all residents is there too
    "occupants": frozenset({"arbeidsmigranten", "migranten", "werknemers", "huurders"})}
#: A figure per part of a location (``Personen per slaapkamer``, ``Oppervlakte per unit``) or a percentage is no
#: count or area of the whole location (``per`` and ``%`` are kept as qualifiers by :func:`columns.header_key`).
PER_PART = frozenset({f"per_{part}" for part in (
    "slaapkamer", "slaapkamers", "kamer", "kamers", "unit", "units", "eenheid", "wooneenheid", "persoon", "personen",
    "bewoner", "bed", "bedden", "m2", "chalet", "studio", "appartement", "verdieping", "room", "bedroom", "person",
    "bewoners", "wooneenheden", "woonunit")}) | {"pct", "procent", "percentage", "bezettingsgraad"}
#: An extreme or an average of the rooms (``Oppervlakte kleinste slaapkamer``) is no area of the location.
_NOT_THE_WHOLE = frozenset({"kleinste", "grootste", "gemiddeld", "gemiddelde", "gem", "minimaal", "minimale"})
#: The area of the plot or garden is no floor area, whatever compound it ends in (``Perceeloppervlakte``); a
#: forecast is no one living there today; a maximum or a licence is no count of the people there now.
HOUSING_NEVER: dict[str, frozenset[str]] = {
    # a building (BAG pand) holds several dwellings: its id names no one location
    "location_id": frozenset({"pand", "pandid", "pand_id", "gebouw", "building", "perceel", "kadastraal"}),
    "floor_area_m2": frozenset({"perceel", "kavel", "terrein", "tuin", "grond", "plot", "erf", "kadastraal",
                                "slaapkamer", "slaapkamers"}) | PER_PART | _NOT_THE_WHOLE,
    "bedroom_area_m2": PER_PART | _NOT_THE_WHOLE,
    "bedrooms": PER_PART,
    "licensed_beds": PER_PART,
    # a figure per unit is no number of units, nor is a unit's number or name (``Unit`` 1, 2; ``Woning``)
    "units": PER_PART | {"oppervlakte", "oppervlak", "m2", "slaapkamers", "slaapkamer", "bewoners", "personen",
                         "unit", "=woning", "unitnummer", "woningnummer", "=nummer", "nr", "eigenaar", "huur"},
    "occupants": frozenset({"prognose", "verwacht", "verwachte", "gepland", "geplande", "toekomstig", "toekomstige",
                            "forecast", "expected", "planned", "max", "maximaal", "maximum", "maximale", "vergund",
                            "vergunde", "vergunning", "capaciteit", "graad"}) | PER_PART,
}

_TRUE = {"ja", "j", "yes", "y", "1", "x", "true", "waar", "gecertificeerd", "certified", "snf", "wel", "v", "✓"}
_FALSE = {"nee", "n", "no", "0", "false", "onwaar", "niet", "niet gecertificeerd", "not certified", "geen", "-"}


def read_flags(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Yes/no cells (ja/nee, yes/no, 1/0, x, true/false, gecertificeerd) as True/False/None, and the cells not read.

    Examples
    --------
    >>> flags, unread = read_flags(pd.Series(["Ja", "nee", "X", "", "misschien", 1]))
    >>> flags.tolist(), unread.tolist()
    ([True, False, True, None, None, True], [False, False, False, False, True, False])
    """
    text = values.astype(object).map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v))
                                     else str(v).strip().lower().removesuffix(".0"))
    flags = text.map(lambda v: True if v in _TRUE else False if v in _FALSE else None).astype(object)
    unread = (text != "") & flags.isna()
    return flags, unread


#: A long number as a spreadsheet shows it in scientific notation (``1,50701E+15``): its last digits are gone.
_SCIENTIFIC = re.compile(r"\s*[+-]?\d[.,]\d*\s*e\s*\+?\d+\s*", re.IGNORECASE)


def _lost_ids(frame: pd.DataFrame, reading: Reading) -> tuple[pd.DataFrame, Reading]:
    """Ids saved in scientific notation (a BAG id of 16 digits as Excel shows it) no longer tell locations apart:
    taken as them, every location with the same first digits would count once. They are left out of the ids."""
    ids = frame["location_id"]
    lost = ids.map(lambda v: isinstance(v, str) and _SCIENTIFIC.fullmatch(v) is not None).astype(bool)
    if not lost.any():
        return frame, reading
    frame = frame.copy()
    frame["location_id"] = ids.astype(object).where(~lost, None)
    example = str(ids[lost].iloc[0]).strip()
    return frame, reading.with_note(
        f"location_id: {int(lost.sum())} id(s) in scientific notation ('{example}'), as a spreadsheet shows long "
        "numbers: their last digits are lost, so they are not used to find repeated locations; save the column as "
        "text to keep them")


def _unknown_types_note(types: pd.Series, reading: Reading) -> Reading:
    """Name the type cells planner does not know: they count as ``overig`` (other), under the norm's general rule."""
    from .housing import normalise_type, type_key

    given = types.astype(object).where(types.notna(), "").astype(str).str.strip()
    unknown = (given != "") & (normalise_type(types) == "overig") & (given.map(type_key) != "")
    if not unknown.any():
        return reading
    counts = given[unknown].value_counts()
    names = ", ".join(f"'{name}' ({n})" for name, n in list(counts.items())[:6]) + (", ..." if len(counts) > 6 else "")
    return reading.with_note(f"type: {int(unknown.sum())} cell(s) of a kind planner does not know ({names}): counted "
                             "as other (overig), under the norm's general floor area per person")


#: Words of a status or a heading that say a location is not (or not yet, or no longer) in use: its places are no
#: capacity today. Matched as whole words in lower case; a vacant location (leegstand) is in use and counts.
NOT_IN_USE_WORDS = ("vervallen", "ingetrokken", "beeindigd", "beëindigd", "gesloten", "gesloopt", "aanvraag",
                    "aanvragen", "aangevraagd", "in behandeling", "geweigerd", "afgewezen", "niet meer in gebruik",
                    "niet in gebruik", "buiten gebruik", "inactief", "opgeheven", "gestopt", "gepland", "toekomstig",
                    "in voorbereiding", "in aanbouw", "nog niet vergund", "verlopen", "afgemeld", "afgemelde", "sloop",
                    "niet actief", "niet meer actief", "opgezegd", "stopgezet", "uit gebruik", "ontruimd",
                    "geannuleerd", "closed", "inactive", "pending", "planned", "withdrawn", "expired", "terminated",
                    "cancelled", "not in use", "demolished")
_NOT_IN_USE = re.compile(r"\b(" + "|".join(re.escape(w) for w in NOT_IN_USE_WORDS) + r")\b", re.IGNORECASE)


#: A status that names a closing word only to deny it, or a licence being renewed (``geen sloop gepland``,
#: ``aanvraag verlenging loopt``): the location is in use.
_STILL_IN_USE = re.compile(r"\bgeen\s+(?:sloop|aanvraag|aanvragen|sluiting|beeindiging|beëindiging|intrekking)\b|"
                           r"verlenging|hernieuwing|renewal", re.IGNORECASE)


def _not_in_use(frame: pd.DataFrame, problem: pd.Series, reading: Reading) -> tuple[pd.Series, Reading]:
    """Leave out locations that the register itself says are not in use: by a status (``vervallen``,
    ``aanvraag``), or by the heading of a second table below the first (``Aanvragen in behandeling``, followed by
    the header again). Their places are no capacity today; a planned location belongs in the pipeline file."""
    reasons = pd.Series("", index=frame.index, dtype=object)
    if "status" in frame.columns:
        status = frame["status"].astype(object).where(frame["status"].notna(), "").astype(str).str.strip()
        stopped = status.map(lambda v: bool(_NOT_IN_USE.search(v)) and not _STILL_IN_USE.search(v))
        reasons[stopped] = "status '" + status[stopped] + "': not a location in use"
    for column, closed_when in (("in_use", False), ("closed", True)):  # yes/no: In gebruik, Actief; Vervallen J/N
        if column in frame.columns:
            flags, unread = read_flags(frame[column])
            if column == "closed" and unread.any():  # ``Vervallen``: 1-3-2023, the date it closed
                ended = read_dates(frame[column].where(unread))
                flags = flags.where(~(ended <= pd.Timestamp(datetime.date.today())).fillna(False), True)
            header = reading.recognised.get(column, column)
            off = flags.map(lambda v, when=closed_when: v is when).astype(bool) & (reasons == "")
            reasons[off] = (f"status '{header}: " + frame.loc[off, column].astype(str)
                            + "': not a location in use")
    if "end_date" in frame.columns:  # Einddatum in the past
        ended = read_dates(frame["end_date"])
        header = reading.recognised.get("end_date", "end_date")
        past = (ended <= pd.Timestamp(datetime.date.today())).fillna(False).astype(bool) & (reasons == "")
        reasons[past] = (f"status '{header}: " + ended[past].dt.strftime("%d-%m-%Y")
                         + "': not a location in use")
    reasons, reading = _lived_in(frame, reasons, reading)
    problem = problem.copy()
    structural = [p for p in range(len(frame)) if _heading(frame.iloc[p])]
    for start, stop, heading in _blocks(frame):
        rows = frame.index[start:stop]
        structural.append(start - 1)
        problem[frame.index[start - 1]] += "the header again (a second table starts here), not a location; "
        if heading:
            problem[frame.index[start - 2]] += f"a heading ('{heading}'), not a location; "
        if heading and _NOT_IN_USE.search(heading):
            reasons[rows] = reasons[rows].where(reasons[rows] != "", f"under the heading '{heading}'")
    for start, stop, heading in _headed_blocks(frame):
        if _NOT_IN_USE.search(heading):
            rows = frame.index[start:stop]
            reasons[rows] = reasons[rows].where(reasons[rows] != "", f"under the heading '{heading}'")
    reasons.iloc[sorted(set(structural))] = ""  # a heading or the header again is no location to leave out
    left = reasons != ""
    if not left.any():
        return problem, reading
    planned = reasons.str.contains(_PLANNED)
    problem[left & planned] += (reasons[left & planned] + ", left out of the capacity (a planned location belongs "
                                "in the pipeline); ")
    problem[left & ~planned] += reasons[left & ~planned] + ", left out of the capacity; "
    counts = reasons[left].str.extract(r"^(?:status '([^']*)'|under the heading '([^']*)')").bfill(axis=1)[0]
    names = ", ".join(f"'{k}' ({n})" for k, n in counts.value_counts().head(5).items())
    return problem, reading.with_note(f"{int(left.sum())} location(s) not in use left out of the capacity ({names})")


def _lived_in(frame: pd.DataFrame, reasons: pd.Series, reading: Reading) -> tuple[pd.Series, Reading]:
    """Locations whose status says a licence was applied for (``Aanvraag in behandeling``, ``Vergunning
    aangevraagd``) while people live there: an existing location awaiting its licence (every location must apply
    under the Wgv) is in use, so it is counted, and said. One that is yet to be built (``gepland``, ``in aanbouw``:
    its figure is what is planned) stays out; one whose status says closed while people live there stays out, and
    is named."""
    if "occupants" not in frame.columns:
        return reasons, reading
    people = pd.to_numeric(frame["occupants"], errors="coerce").fillna(0) > 0
    planned = (reasons != "") & reasons.str.contains(_APPLIED) & people
    closed = (reasons != "") & ~reasons.str.contains(_PLANNED) & people
    unit = "lines" if frame.index.name == "line" else "rows"
    if planned.any():
        reasons = reasons.where(~planned, "")
        reading = reading.with_note(
            f"{int(planned.sum())} location(s) whose status says a licence was applied for have occupants "
            f"({unit} {', '.join(str(i) for i in frame.index[planned.to_numpy()][:8])}): counted as in use (an "
            "existing location awaiting its licence)")
    if closed.any():
        reading = reading.with_note(
            f"{int(closed.sum())} location(s) whose status says closed still have occupants ({unit} "
            f"{', '.join(str(i) for i in frame.index[closed.to_numpy()][:8])}): left out of the capacity and of the "
            "occupants; check them")
    return reasons, reading


#: Of the words above, those of a licence applied for: an existing location may be waiting for it.
_APPLIED = re.compile(r"\b(?:aanvraag|aanvragen|aangevraagd|in behandeling|nog niet vergund|pending)\b",
                      re.IGNORECASE)
#: Of the words above, those of a location that is not yet in use (its place is in the pipeline, not gone).
_PLANNED = re.compile(r"\b(?:aanvraag|aanvragen|aangevraagd|in behandeling|gepland|toekomstig|in voorbereiding|"
                      r"in aanbouw|nog niet vergund|pending|planned)\b", re.IGNORECASE)


def _headed_blocks(frame: pd.DataFrame) -> list[tuple[int, int, str]]:
    """Rows under a heading row (one text cell and nothing else) inside the table, up to the next heading row:
    a register that lists its closed locations under ``Gesloten locaties`` without repeating the header."""
    positions = [p for p in range(len(frame)) if _heading(frame.iloc[p])]
    out = []
    for number, start in enumerate(positions):
        stop = positions[number + 1] if number + 1 < len(positions) else len(frame)
        out.append((start + 1, stop, str(_heading(frame.iloc[start]))))
    return out


def _blocks(frame: pd.DataFrame) -> list[tuple[int, int, str | None]]:
    """Tables below the first one: positions from a row that repeats the header (two or more recognised columns
    hold their own header) to the next such row, with the heading in the row just above it, if any."""
    reading = reading_of(frame)
    if reading is None:
        return []
    headers = {target: normalise_header(h) for target, h in reading.recognised.items() if target in frame.columns}
    if len(headers) < 2:
        return []
    again = np.zeros(len(frame), dtype=int)
    for target, header in headers.items():
        again += frame[target].map(lambda v, h=header: isinstance(v, str) and normalise_header(v) == h).to_numpy()
    starts = [int(p) for p in np.flatnonzero(again >= 2)]
    blocks = []
    for number, start in enumerate(starts):
        stop = starts[number + 1] if number + 1 < len(starts) else len(frame)
        heading = _heading(frame.iloc[start - 1]) if start > 0 else None
        blocks.append((start + 1, stop - (1 if number + 1 < len(starts) and _heading(frame.iloc[stop - 1]) else 0),
                       heading))
    return blocks


def _heading(row: pd.Series) -> str | None:
    """A row that holds one text cell and nothing else: a heading over a table."""
    filled = [v for v in row.to_numpy() if v is not None and not (isinstance(v, float) and np.isnan(v))
              and not (isinstance(v, str) and not v.strip()) and not hasattr(v, "geom_type")]
    return filled[0].strip() if len(filled) == 1 and isinstance(filled[0], str) else None


#: A register's median floor area above which ``90.000``-style cells cannot be thousands: no register of
#: dwellings and lodgings has a typical location of 10,000 m2 (as decimals, a typical dwelling is 50-150 m2).
MAX_MEDIAN_FLOOR_AREA_M2 = 10_000.0


def _decimals_after_all(frame: pd.DataFrame, columns: dict, reading: Reading) -> tuple[dict, Reading]:
    """A floor-area column whose every cell has a dot and three digits (``90.000``, ``112.500``), as systems
    export numbers with three decimals, was read as thousands; if that makes the typical location larger than
    :data:`MAX_MEDIAN_FLOOR_AREA_M2`, the dots are decimal points, and the reading says so."""
    numbers = columns.get("floor_area_m2")
    if numbers is None or not numbers.note.startswith("every dot is followed by three digits"):
        return columns, reading
    median = float(numbers.values.median())
    if not median > MAX_MEDIAN_FLOOR_AREA_M2:
        return columns, reading
    columns = dict(columns)
    columns["floor_area_m2"] = read_numbers(frame["floor_area_m2"], decimal=".", words=True)
    reading = dataclasses.replace(reading, notes=tuple(n for n in reading.notes
                                                       if not n.startswith("floor_area_m2: Dutch notation")))
    return columns, reading.with_note(
        f"floor_area_m2: every number has three decimals ('{frame['floor_area_m2'].dropna().iloc[0]}'); read as "
        f"thousands the typical location would have {median:.0f} m2, so the dots are decimal points")


#: Words in an occupants cell that say nobody lives there (read as 0; elsewhere ``leeg`` is an unknown value).
EMPTY_WORDS = frozenset({"leeg", "leegstand", "leegstaand", "geen", "geen bewoners", "onbewoond", "niemand",
                         "vacant", "empty", "none", "nobody"})


def _empty_locations(frame: pd.DataFrame, reading: Reading) -> tuple[pd.DataFrame, Reading]:
    """``leegstand``, ``geen`` or ``onbewoond`` under the occupants: nobody lives there, 0 occupants (said)."""
    if "occupants" not in frame.columns:
        return frame, reading
    text = frame["occupants"].map(lambda v: str(v).strip().lower().rstrip(".") if isinstance(v, str) else "")
    empty = text.isin(EMPTY_WORDS)
    if not empty.any():
        return frame, reading
    frame = frame.copy()
    frame["occupants"] = frame["occupants"].astype(object).where(~empty, 0)
    words = ", ".join(f"'{w}'" for w in sorted(set(text[empty])))
    return frame, reading.with_note(f"occupants: {int(empty.sum())} cell(s) saying nobody lives there ({words}) "
                                    "read as 0 occupants")


#: Words after ``per`` that name one of several units on a row (``Oppervlakte per unit``).
PER_UNIT_WORDS = frozenset({"unit", "units", "eenheid", "wooneenheid", "woonunit", "woning", "chalet", "studio",
                        "appartement"})
_PER_UNIT = re.compile(r"\bper\s+(?:" + "|".join(sorted(PER_UNIT_WORDS)) + r")\b", re.IGNORECASE)
#: Below this floor area per unit, a row's area cannot be the whole of its units (checked in :func:`_per_unit`).
MIN_M2_PER_UNIT = 10.0


def _per_unit(frame: pd.DataFrame, reading: Reading) -> tuple[pd.DataFrame, Reading]:
    """Rows holding several units (``Aantal units`` 20): a figure ``per unit`` times the units is the location's
    figure; a figure per unit without a number of units is not used; and where the units are given beside plain
    figures, the reading says they are taken as the whole location's (and names rows whose area is too small for
    that)."""
    units = read_numbers(frame["units"], words=True).values if "units" in frame.columns else None
    unit_header = reading.recognised.get("units", "units")
    for header in [c for c in frame.columns if isinstance(c, str) and _PER_UNIT.search(c)]:
        bare = _PER_UNIT.sub(" ", header)
        found = _targets_of([bare], HOUSING_ALIASES, None).get(bare.strip())
        if found not in ("floor_area_m2", "bedrooms", "licensed_beds", "bedroom_area_m2", "occupants"):
            continue
        if found in frame.columns:
            continue
        if units is None:
            reading = reading.with_note(f"'{header}' is a figure per unit: without a column with the number of units "
                                        f"(Aantal units) it is not used as the location's {found}")
            continue
        frame = frame.copy()
        frame[found] = read_numbers(frame[header], words=True).values * units
        reading = reading.with_note(f"'{header}' times '{unit_header}' read as the location's {found}")
        reading = dataclasses.replace(reading, columns=tuple(
            dataclasses.replace(m, target=found, how="per unit", note=f"times '{unit_header}'")
            if m.header == header else m for m in reading.columns))
    if units is not None and "floor_area_m2" in frame.columns and not any(
            m.how == "per unit" for m in reading.columns):
        several = units > 1
        if several.any():
            area = read_numbers(frame["floor_area_m2"], words=True).values
            small = several & (area / units < MIN_M2_PER_UNIT)
            lines = ", ".join(str(i) for i in frame.index[small.to_numpy()][:5])
            label = "lines" if frame.index.name == "line" else "rows"
            reading = reading.with_note(
                f"'{unit_header}' gives more than one unit on {int(several.sum())} row(s): their floor area, "
                "bedrooms and occupants are read as the whole location's; if they are per unit, give them per unit "
                "(Oppervlakte per unit) or one row per unit")
            if lines:
                reading = reading.with_note(f"{label} {lines}: less than {MIN_M2_PER_UNIT:.0f} m2 per unit of "
                                            f"'{unit_header}', so the floor area looks like that of one unit")
    return frame, reading


#: The start of a remark below a table: a source, a footnote, an explanation (``Bron: BRP peildatum 1-1-2024``,
#: ``* incl. 2 kinderen``, ``1) volgens vergunning``).
_REMARK_START = re.compile(r"^\s*(?:(?:bron|bronnen|toelichting|opmerking|opmerkingen|noot|noten|let op|n\.b|nb|"
                           r"source|sources|note|notes|legenda|verklaring|peildatum|gegevens|stand per)(?![\w-])|"
                           r"[*¹²³†]+\s|\d\)\s)", re.IGNORECASE)
_NOT_CELLS = ("geometry", "placed_by", "input_problem")


def _remark_rows(frame: pd.DataFrame, reading: Reading) -> tuple[pd.DataFrame, Reading]:
    """Rows at the end of the table that hold a remark, not a location (``Bron: BRP peildatum 1-1-2024``, a footnote
    ``* incl. 2 kinderen``): at most two cells, the first a text that starts as a remark does. Left out, each
    named with its text, so that a source line is not counted as an unusable location."""
    cells = frame[[c for c in frame.columns if c not in _NOT_CELLS and c != getattr(frame, "_geometry_column_name",
                                                                                         None)]]
    remarks = []
    for label in reversed(list(frame.index)):
        row = [v for v in cells.loc[label].tolist() if v is not None and not (isinstance(v, float) and np.isnan(v))
               and str(v).strip() != ""]
        if not row:
            continue
        if len(row) > 2 or not isinstance(row[0], str) or not _REMARK_START.match(row[0]):
            break
        remarks.append(label)
    if not remarks or len(remarks) == len(frame):  # a table of remarks only is no register to shorten
        return frame, reading
    unit = "lines" if frame.index.name == "line" else "rows"
    listed = ", ".join(f"{label} ('{str(next(v for v in cells.loc[label] if isinstance(v, str)))[:40]}')"
                       for label in reversed(remarks))
    return frame.drop(index=remarks), reading.with_left_out(len(remarks)).with_note(
        f"{len(remarks)} row(s) below the table hold a remark, not a location: not read ({unit} {listed})")


def _side_notes(frame: pd.DataFrame, reading: Reading) -> tuple[pd.DataFrame, Reading]:
    """Rows that hold text only in columns planner does not use (a legend or an explanation beside the table that
    runs on below it: ``Slaapkamers = opgave eigenaar``): no location. Left out and named, so that they are not
    counted as unusable locations."""
    used = [t for t in reading.recognised if t in frame.columns]
    other = [c for c in frame.columns if c not in used and c not in _NOT_CELLS
             and c != getattr(frame, "_geometry_column_name", None)]
    if not used or not other:
        return frame, reading

    def filled(cells: pd.DataFrame) -> pd.DataFrame:
        return cells.notna() & cells.astype(object).map(lambda v: str(v).strip() != "")

    has_shape = (frame.geometry.notna() & ~frame.geometry.is_empty if isinstance(frame, gpd.GeoDataFrame)
                 and frame.geometry.name in frame.columns else pd.Series(False, index=frame.index))
    notes = ~filled(frame[used]).any(axis=1) & filled(frame[other]).any(axis=1) & ~has_shape
    if not notes.any() or notes.all():
        return frame, reading
    unit = "lines" if frame.index.name == "line" else "rows"
    listed = ", ".join(str(i) for i in frame.index[notes.to_numpy()][:8])
    return frame[~notes.to_numpy()], reading.with_left_out(int(notes.sum())).with_note(
        f"{int(notes.sum())} row(s) hold text only in columns planner does not use (a legend or remarks beside the "
        f"table): not read as locations ({unit} {listed})")


#: Headers of a column with the date a row's figures hold for (a register exported at several dates).
_DATE_WORDS = frozenset({"peildatum", "datum", "peilmoment", "meetdatum", "standdatum", "date", "reference_date"})


def _latest_date(frame: pd.DataFrame, reading: Reading) -> tuple[pd.DataFrame, Reading]:
    """A register that lists its locations at several dates (``Peildatum`` 1-1-2024 and 1-7-2024): each location
    (by its id, else its address and place) is read at its latest date; the earlier rows are left out and counted
    in the reading. Without repeated locations the column changes nothing."""
    with_id = "location_id" in frame.columns
    headers = sorted((c for c in frame.columns if isinstance(c, str) and c not in _NOT_CELLS
                      and c in reading.unrecognised and _date_rank(c, with_id) is not None),
                     key=lambda c: _date_rank(c, with_id) or 0)
    key = _location_key(frame)
    if not headers or key is None:
        return frame, reading
    header, dates = next(((h, d) for h in headers if (d := read_dates(frame[h])).notna().mean() >= 0.8
                          and d.nunique() >= 2), (headers[0], None))
    if dates is None:
        return frame, reading
    order = dates.fillna(pd.Timestamp.min)
    if not with_id:
        # Without an id a location is its address. Rows at one address are one location at several dates only
        # where no two of them share a date (two rows at one address and date are two units), and, unless the
        # column is a reference date (Peildatum), where each date is that of a whole export (on several rows).
        if _date_rank(header, with_id) != 0 and dates.value_counts().mean() < 2:
            return frame, reading
        twice = pd.Series(list(zip(key, order, strict=True)), index=frame.index).duplicated(keep=False)
        key = key.where(~twice.groupby(key.to_numpy()).transform("any").to_numpy())
    latest = order.groupby(key.to_numpy()).transform("max")
    earlier = (order < latest) & key.notna()
    if not earlier.any():
        return frame, reading
    unit = "lines" if frame.index.name == "line" else "rows"
    lines = ", ".join(str(i) for i in frame.index[earlier.to_numpy()][:8]) + (", ..." if earlier.sum() > 8 else "")
    frame, filled = _fill_from_earlier(frame, order, key, unit[:-1])
    reading = reading.with_left_out(int(earlier.sum())).with_note(
        f"'{header}' holds {dates.nunique()} dates and {int(key[earlier].nunique())} location(s) appear at more than "
        f"one: each is read at its latest date; {int(earlier.sum())} earlier row(s) not read ({unit} {lines})")
    if filled:
        reading = reading.with_note(
            f"the latest row of {len(filled)} location(s) leaves a lasting feature empty ({'; '.join(filled[:4])}"
            f"{'; ...' if len(filled) > 4 else ''}): taken from the location's latest earlier row that gives it; "
            "occupants are never taken from an earlier date")
    # Stacked whole exports: a location missing from the newest one may have closed since (said, still counted).
    newest = order.max()
    behind = ~earlier & key.notna() & (order < newest)
    if behind.any() and (order == newest).sum() >= 2 and dates.value_counts().mean() >= 2:
        listed = ", ".join(str(i) for i in frame.index[behind.to_numpy()][:8])
        reading = reading.with_note(
            f"{int(behind.sum())} location(s) are missing from the newest date ({newest:%d-%m-%Y}) and were read at "
            f"an earlier one ({unit} {listed}): if that export is complete, they have closed since; delete them")
    return frame[~earlier.to_numpy()], reading


#: What a location keeps from one date to the next (its size, rooms, licence, kind and place), so a later row that
#: leaves it empty may take it from an earlier row; the occupants change and are never carried forward.
LASTING_FEATURES = ("floor_area_m2", "bedrooms", "licensed_capacity", "units", "type", "snf_certified", "address",
                    "gemeentecode", "woonplaats", "gemeentenaam", "postcode", "x", "y", "lon", "lat", "wkt")


def _fill_from_earlier(frame: pd.DataFrame, order: pd.Series, key: pd.Series, unit: str
                       ) -> tuple[pd.DataFrame, list[str]]:
    """Each location's lasting features (:data:`LASTING_FEATURES`) that its rows leave empty, filled from its
    latest earlier row that gives them; with what was filled, per location, for the reading."""
    columns = [c for c in LASTING_FEATURES if c in frame.columns]
    if not columns:
        return frame, []
    cells = frame[columns].astype(object)
    empty = cells.isna() | cells.map(lambda v: isinstance(v, str) and v.strip() == "")
    ranked = cells.where(~empty).assign(_key=key.to_numpy(), _order=order.to_numpy()).sort_values("_order")
    carried = ranked.groupby("_key", sort=False)[columns].ffill().reindex(frame.index)
    fill = empty & carried.notna() & key.notna().to_numpy()[:, None]
    if not fill.to_numpy().any():
        return frame, []
    frame = frame.copy()
    for column in columns:
        if fill[column].any():
            frame[column] = frame[column].astype(object).where(~fill[column], carried[column])
    described = [f"{unit} {label}: {', '.join(c for c in columns if fill.at[label, c])}"
                 for label in frame.index[fill.any(axis=1).to_numpy()]]
    return frame, described


#: Dates that are no date of the row's figures: an end, a start, a licence's expiry, a birth, a year of building.
_NOT_THE_ROWS_DATE = frozenset({"einddatum", "eind", "begindatum", "begin", "startdatum", "ingangsdatum",
                                "vervaldatum", "geboortedatum", "bouwjaar", "vergunning", "vergunningsdatum", "tot",
                                "vanaf", "geldig", "controle", "inspectie", "opleverdatum", "oplevering", "aanvraag",
                                "bouw", "verkoop", "aankoop"})
_DATE_NAMES = {"januari": "1", "februari": "2", "maart": "3", "april": "4", "mei": "5", "juni": "6", "juli": "7",
               "augustus": "8", "september": "9", "oktober": "10", "november": "11", "december": "12",
               "jan": "1", "feb": "2", "mrt": "3", "maa": "3", "apr": "4", "jun": "6", "jul": "7", "aug": "8",
               "sep": "9", "sept": "9", "okt": "10", "nov": "11", "dec": "12"}


#: Dates of an event of the row (a registration, a report): the row's date where locations have ids (the later
#: report of a location wins), but no sign of whole exports where rows are keyed by their address.
_EVENT_DATE = frozenset({"inschrijving", "inschrijfdatum", "melding", "aanmelding", "meldingsdatum"})


def _date_rank(header: str, with_id: bool = True) -> int | None:
    """How surely a header holds the date a row's figures hold for (0 first: ``Peildatum``, ``Peildatum BRP``;
    1: ``Mutatiedatum``, ``Datum``; 2: ``Jaar``); None for other headers and for dates of something else
    (``Einddatum``, ``Datum laatste controle``; without ids also ``Datum melding``)."""
    words = set(header_key(header).words)
    if words & _NOT_THE_ROWS_DATE or (not with_id and words & _EVENT_DATE):
        return None
    if words & {"peildatum", "peilmoment", "standdatum", "peiljaar", "reference_date"}:
        return 0
    if words & _DATE_WORDS or any(w.endswith("datum") for w in words) or {"datum", "mutatie"} <= words:
        return 1
    if words and words <= {"jaar", "year", "stand", "per"}:
        return 2
    return None


def read_dates(values: pd.Series) -> pd.Series:
    """Dates as a register writes them: ``1-7-2024``, ``2024-07-01``, ``1 juli 2024``, ``mrt-24``, a year alone,
    or an Excel serial day number (``45474``, as a CSV export of a date cell gives it); NaT where none is read.

    >>> dates = read_dates(pd.Series(["1 juli 2024", "mrt-24", "45474", "2023", "01-07-2024", "?"]))
    >>> dates.dt.strftime("%Y-%m-%d").tolist()
    ['2024-07-01', '2024-03-01', '2024-07-01', '2023-01-01', '2024-07-01', nan]
    """
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip().str.lower()
    numbers = pd.to_numeric(text, errors="coerce")
    serial = numbers.between(20_000, 80_000) & (numbers == numbers.round())
    year = numbers.between(1950, 2100) & (numbers == numbers.round())

    def plain(cell: str) -> str:
        cell = re.sub(r"\b([a-z]+)\.?\b", lambda m: _DATE_NAMES.get(m.group(1), m.group(1)), cell)
        if match := re.fullmatch(r"(\d{1,2})[-/ ](\d{2})", cell):  # ``mrt-24``: a month and a year of two digits
            return f"1-{match.group(1)}-20{match.group(2)}"
        if match := re.fullmatch(r"(\d{1,2})[-/ ](\d{1,2})[-/ ](\d{4})", cell):
            return f"{match.group(1)}-{match.group(2)}-{match.group(3)}"
        return cell

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dates = pd.to_datetime(text.map(plain).where(text != ""), errors="coerce", dayfirst=True, format="mixed")
    dates = dates.where(~serial, pd.to_datetime(numbers.where(serial), unit="D", origin="1899-12-30"))
    return dates.where(~year, pd.to_datetime(numbers.where(year).astype("Int64").astype(str), format="%Y",
                                             errors="coerce"))


#: Columns that complete an address: ``Huisnummer``, ``Toevoeging``, ``Huisletter``.
_ADDRESS_PARTS = frozenset({"huisnummer", "huisnr", "toevoeging", "toev", "huisletter", "letter",
                            "huisnummertoevoeging", "housenumber"})
#: Columns that tell units at one address apart (``Unit``, ``Kamer``, ``Gebouw``): one location each at a date,
#: but rooms or units of one address for the note on shared addresses.
_UNIT_PARTS = frozenset({"unit", "unitnummer", "unitnr", "appartement", "appartementnummer", "kamer", "kamernummer",
                         "kamernr", "bouwnummer", "bouwnr", "chalet", "chaletnummer", "gebouw", "woning",
                         "woningnummer"})


def _ids_per_part(frame: pd.DataFrame, reading: Reading) -> tuple[pd.DataFrame, Reading]:
    """Sheets or layers read together (rows named ``sheet!row``) whose location ids start again on each (``1``,
    ``2`` on the Venlo sheet and again on the Tegelen sheet): an id that names other locations on two sheets is
    an id within its sheet, so every id is read with its sheet's name (``Tegelen!1``), and the reading says so.
    The same location on two sheets (the same id with the same address and area) stays one location."""
    labels = pd.Series(frame.index.astype(str), index=frame.index)
    if not labels.str.contains("!", regex=False).all():
        return frame, reading
    from .housing import normalise_ids

    part = labels.str.rsplit("!", n=1).str[0]
    ids = normalise_ids(frame["location_id"]).astype(object)
    telling = [c for c in ("address", "floor_area_m2", "x", "lon", "wkt") if c in frame.columns]
    seen = pd.DataFrame({"id": ids, "part": part}).join(frame[telling].astype(str))
    clashes = [i for i, rows in seen[ids.notna()].groupby("id") if rows["part"].nunique() > 1
               and len(rows.drop(columns="part").drop_duplicates()) > 1]
    if not clashes:
        return frame, reading
    frame = frame.copy()
    frame["location_id"] = (part + "!" + frame["location_id"].astype(str)).where(frame["location_id"].notna())
    return frame, reading.with_note(
        f"location ids start again on each sheet or layer ({', '.join(repr(str(i)) for i in clashes[:4])} name "
        "other locations on different ones): each id is read with its sheet or layer (sheet!id)")


#: Of those, the words of a room: rooms of one address may be rooms of one location (said in a note).
_ROOM_WORDS = frozenset({"kamer", "kamernummer", "kamernr"})


def _names_a_part(header: str, parts: frozenset[str]) -> bool:
    """A header of a column that names a part of an address (``Huisnummer``, ``Toev.``, ``Unitnummer``, ``Kamer
    nr``), not one that only mentions one (``Huur per kamer``, ``Kamer van Koophandel nr``)."""
    key = header_key(header)
    words = set(key.words)
    return bool(words & parts) and words <= parts | {"nummer", "nr", "no", "naam", "id", "code"} and not any(
        q.startswith("per_") for q in key.qualifiers)


def _location_key(frame: pd.DataFrame, units: bool = True) -> pd.Series | None:
    """What names one location in a register: its id, else its address with its place (None without either),
    completed by the unit or building column that tells dwellings at one address apart; with ``units`` also by
    the room (a room of its own date is a location at that date)."""
    if "location_id" in frame.columns:
        from .housing import normalise_ids

        return normalise_ids(frame["location_id"]).astype(object)
    if "address" not in frame.columns:
        return None
    address = frame["address"].astype(object).where(frame["address"].notna(), "").astype(str)
    # the house number, its letter or addition, or a unit number in columns of their own
    parts = _ADDRESS_PARTS | (_UNIT_PARTS if units else _UNIT_PARTS - _ROOM_WORDS)
    for column in (c for c in frame.columns if isinstance(c, str) and _names_a_part(c, parts)):
        address = address + " " + frame[column].astype(object).where(frame[column].notna(), "").astype(str)
    address = address.str.lower().str.replace(r"[^\w]+", " ", regex=True).str.strip()
    if not address[address != ""].str.contains(r"\d", regex=True).all():
        return None  # a street without its number names no one location
    place = next((frame[c].astype(object).where(frame[c].notna(), "").astype(str).str.lower().str.strip()
                  for c in ("gemeentecode", "woonplaats", "gemeentenaam", "postcode") if c in frame.columns), "")
    key = address + "|" + place
    return key.where(address != "")


def _shared_address_note(frame: pd.DataFrame, rows: pd.Series, reading: Reading) -> Reading:
    """Rows that share an address (and place) but no location id, and differ in other cells: rooms or persons of
    one location, or several units at one address? Each row is counted as a location, and the reading says so."""
    if "location_id" in frame.columns:
        return reading
    key = _location_key(frame, units=False)
    if key is None:
        return reading
    key = key.where(rows.to_numpy())
    shared = key.notna() & key.duplicated(keep=False) & ~frame.index.isin(repeated_rows(frame[rows.to_numpy()]).index)
    if not shared.any():
        return reading
    unit = "lines" if frame.index.name == "line" else "rows"
    groups = [f"{', '.join(str(i) for i in group.index[:6])} ('{frame['address'][group.index[0]]}')"
              for _, group in key[shared].groupby(key[shared], sort=False)]
    return reading.with_note(f"{len(groups)} address(es) on several rows without a location id ({unit} "
                             f"{'; '.join(groups[:5])}{'; ...' if len(groups) > 5 else ''}): each row is counted "
                             "as a location; if the rows are rooms or persons of one location, give one row per "
                             "location (or a location_id)")


#: Said when a register has no column of people living at each location.
NO_OCCUPANTS = ("no column of current occupants: every location is counted as empty, so its whole capacity counts "
                "as spare and no overcrowding is found (map the column by hand if the file has one)")


def read_housing(path: str | Path, mapping: Mapping[str, str] | None = None,
                 crs: str | None = None) -> gpd.GeoDataFrame:
    """Read a housing register (CSV, Excel, GeoPackage, GeoJSON, zipped Shapefile).

    Unlike :func:`read_sites` it never stops for a bad cell: numbers are read
    per column (see :mod:`planner.numbers`); a cell that is not a number
    keeps its text, and an ambiguous one is left empty with the reason in
    ``input_problem``, so :func:`planner.housing.check_housing` reports that
    row by its line and keeps it out of the totals. A location without
    coordinates and without a ``gemeentecode`` is placed in its municipality
    by its woonplaats (or municipality name); ``placed_by`` says how each
    row was placed. An SNF-certified column becomes True/False.
    """
    frame, _ = read_table(path, HOUSING_ALIASES, mapping, crs, strict=False, kind="housing", notes=HOUSING_NOTES,
                          second_choice=HOUSING_SECOND_CHOICE, never=HOUSING_NEVER)
    reading = reading_of(frame) or Reading(str(path))
    from .housing import NUMERIC_COLUMNS as HOUSING_NUMBERS

    frame, reading = _remark_rows(frame, reading)
    frame, reading = _side_notes(frame, reading)
    frame, reading = _latest_date(frame, reading)
    frame, reading = _empty_locations(frame, reading)
    frame, reading = _per_unit(frame, reading)
    columns, reading = _number_notes(frame, HOUSING_NUMBERS, reading)
    columns, reading = _decimals_after_all(frame, columns, reading)
    problem = (frame["input_problem"].astype(object).where(frame["input_problem"].notna(), "").astype(str)
               if "input_problem" in frame.columns else pd.Series("", index=frame.index, dtype=object))
    for column, numbers in columns.items():
        if numbers.ambiguous.any():
            rows = numbers.ambiguous
            problem[rows] += [f"{column}: {ambiguity_message(frame.at[i, column], *numbers.readings[i], numbers.note)}"
                              f" (fix: {ambiguity_fix(*numbers.readings[i])}); " for i in frame.index[rows]]
        values = numbers.values.astype(object).where(~numbers.bad, frame[column]) if numbers.bad.any() \
            else numbers.values
        frame[column] = values
    if "snf_certified" in frame.columns:
        flags, unread = read_flags(frame["snf_certified"])
        if unread.any():
            examples = ", ".join(repr(v) for v in pd.unique(frame.loc[unread, "snf_certified"].astype(str))[:3])
            reading = reading.with_note(f"snf_certified: {int(unread.sum())} cell(s) not read as yes/no ({examples}): "
                                        "counted as unknown")
        frame["snf_certified"] = flags
    header = reading.recognised.get("floor_area_m2")
    if header is not None and set(header_key(header).words) & {"bvo", "bruto"}:
        reading = reading.with_note(f"'{header}' is gross floor area (BVO); the norms count usable floor area (GBO), "
                                    "so capacity may be overstated: give gebruiksoppervlakte where you have it")
    if "location_id" in frame.columns:
        frame, reading = _lost_ids(frame, reading)
        frame, reading = _ids_per_part(frame, reading)
    if "occupants" not in reading.recognised:
        reading = reading.with_note(NO_OCCUPANTS)
    if "type" in frame.columns:
        reading = _unknown_types_note(frame["type"], reading)
    totals = totals_rows(frame, HOUSING_NUMBERS)
    if totals.any():
        problem[totals.index[totals.to_numpy()]] += [f"a totals row ({totals_label(frame, i)}), not a location: "
                                                    "left out so its numbers are not counted twice; "
                                                    for i in totals.index[totals.to_numpy()]]
        reading = reading.with_note(f"{int(totals.sum())} totals row(s) (Totaal, Subtotaal, ...) left out of the "
                                    "capacity")
    problem, reading = _not_in_use(frame, problem, reading)
    reading = _repeats_note(frame, ~totals, reading)
    reading = _shared_address_note(frame, ~totals, reading)
    frame, problem, reading = _place_by_name(frame, problem, reading)
    frame["input_problem"] = problem.str.rstrip("; ").where(problem != "", "")
    frame.attrs["reading"] = reading
    return frame


def repeated_rows(frame: pd.DataFrame) -> pd.Series:
    """For each row equal to an earlier row in every column (its geometry too), the label of that earlier row.

    Such a row is a copy, or a second unit the register does not tell apart from the first: planner cannot know
    which, so it counts both and says so (a register with location ids counts a repeated id once, see B07).
    """
    geometry = getattr(frame, "_geometry_column_name", None)
    plain = pd.DataFrame(frame.drop(columns=[c for c in ("input_problem",) if c in frame.columns]), copy=True)
    if geometry in plain.columns:
        plain[geometry] = shapely.to_wkb(np.asarray(plain[geometry].array, dtype=object))
    key = pd.Series([""] * len(plain), index=plain.index, dtype=object)
    for column in plain.columns:
        values = plain[column].astype(object)
        key = key + "\x1f" + values.where(values.notna(), None).map(repr)
    repeated = key.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return pd.Series(dtype=object)
    first = pd.Series(frame.index, index=plain.index).groupby(key.to_numpy(), sort=False).transform("first")
    return first[repeated]


def _repeats_note(frame: pd.DataFrame, rows: pd.Series | None, reading: Reading, *, what: str = "row(s)",
                  fix: str = "each is counted; if one is a copy, delete it, or give every location an id "
                             "(location_id) so that a repeat counts once") -> Reading:
    """Name the rows (of those ``rows`` selects) that repeat an earlier row in every column: counted, since two
    equal rows may be meant (two equal plans, two equal units), but never silently."""
    repeats = repeated_rows(frame if rows is None else frame[rows.to_numpy()])
    if repeats.empty:
        return reading
    label = "lines" if frame.index.name == "line" else "rows"
    pairs = ", ".join(f"{row} = {first}" for row, first in list(repeats.items())[:5])
    more = ", ..." if len(repeats) > 5 else ""
    return reading.with_note(f"{len(repeats)} {what} repeat an earlier row in every column ({label} {pairs}{more}): "
                             f"{fix}")


#: Words with which a spreadsheet labels a row of sums (matched as the whole cell, or its first word).
TOTAL_WORDS = frozenset({"totaal", "totalen", "subtotaal", "eindtotaal", "generaal totaal", "totaal generaal",
                         "algemeen totaal", "som", "total", "totals", "subtotal", "grand total", "sum"})


#: Second words of a longer totals label ("Totaal gemeente Venlo", "Total all locations").
_TOTAL_OF = frozenset({"gemeente", "regio", "generaal", "alle", "locaties", "register", "all", "locations"})


def _total_word(value: object) -> bool:
    """A cell that labels a row of sums: ``Totaal``, ``Subtotaal:``, ``Totaal gemeente Venlo``, ``Grand total``.

    A company or street that merely starts with such a word (``Totaal Installatietechniek``) is not one.
    """
    if not isinstance(value, str):
        return False
    words = value.strip().lower().rstrip(":").split()
    if " ".join(words) in TOTAL_WORDS:
        return True
    return len(words) > 1 and words[0] in {"totaal", "subtotaal", "eindtotaal", "total", "subtotal"} \
        and (words[1] in _TOTAL_OF or value.strip().endswith(":"))


#: The words that start or end a label of a partial sum: ``Totaal Horst``, ``Horst Totaal`` (as Excel's Subtotal
#: command writes it), ``Subtotaal kern Sevenum``, ``Totaal aantal locaties: 3``.
_SUM_WORDS = frozenset({"totaal", "subtotaal", "eindtotaal", "total", "subtotal", "totalen", "totals"})


def _sum_label(value: object) -> bool:
    """A cell that may label a partial sum: its first or last word is a totals word (to be confirmed by sums)."""
    if not isinstance(value, str):
        return False
    words = re.findall(r"[a-z]+", value.strip().lower())
    return bool(words) and (words[0] in _SUM_WORDS or words[-1] in _SUM_WORDS)


def totals_rows(frame: pd.DataFrame, numbers: Sequence[str] = ()) -> pd.Series:
    """Rows a spreadsheet added to sum the others: a text cell that reads ``Totaal``, ``Subtotaal``, ``Total`` ...

    Counted with the locations, such a row would count every bed twice. A label that only starts or ends with such
    a word (``Totaal Horst``, ``Horst Totaal``) is a totals row when its figures in the ``numbers`` columns are the
    sums of the rows above it (since the previous totals row, or since the top); a company named ``Totaal
    Installatietechniek BV`` with figures of its own stays a row.
    """
    text = [c for c in frame.columns if c != getattr(frame, "_geometry_column_name", None)
            and (pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c]))]
    found = pd.Series(False, index=frame.index)
    labelled = pd.Series(False, index=frame.index)
    for column in text:
        found |= frame[column].map(_total_word).astype(bool)
        labelled |= frame[column].map(_sum_label).astype(bool)
    candidates = labelled & ~found
    columns = [c for c in numbers if c in frame.columns]
    if candidates.any() and columns:
        found |= _sums_above(frame[columns], found, candidates)
    return found


def _sums_above(values: pd.DataFrame, found: pd.Series, candidates: pd.Series) -> pd.Series:
    """Of the ``candidates``, those whose figures sum the rows above: since the last totals row (a subtotal, at least
    one column summing two rows or more, or two columns), or since the top (a grand total)."""
    table = values.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    out = pd.Series(False, index=values.index)
    block = np.zeros(table.shape[1])
    block_rows = 0
    running = np.zeros(table.shape[1])
    for position, (is_total, is_candidate) in enumerate(zip(found.to_numpy(), candidates.to_numpy(), strict=True)):
        row = table[position]
        if is_candidate:
            given = ~np.isnan(row) & (row != 0)
            same = given & (np.isclose(row, block, rtol=1e-9, atol=1e-6) | np.isclose(row, running, rtol=1e-9,
                                                                                      atol=1e-6))
            if same.any() and (block_rows >= 2 or same.sum() >= 2) and same.sum() == given.sum():
                out.iloc[position] = True
                is_total = True
        if is_total:
            block, block_rows = np.zeros(table.shape[1]), 0
            continue
        filled = np.nan_to_num(row)
        block += filled
        running += filled
        block_rows += 1
    return out


def totals_label(frame: pd.DataFrame, row: object) -> str:
    for column in frame.columns:
        value = frame.at[row, column]
        if _total_word(value) or _sum_label(value):
            return f"'{str(value).strip()}' in column {column}"
    return "Totaal"


def _place_by_name(frame: gpd.GeoDataFrame, problem: pd.Series, reading: Reading
                   ) -> tuple[gpd.GeoDataFrame, pd.Series, Reading]:
    """Fill missing municipal codes from the woonplaats (or municipality name); say how each row is placed."""
    from .housing import has_location, normalise_gemeentecode
    from .places import gemeente_from_place, place_in_address, postcode_digits

    placed = pd.Series(has_location(frame.geometry.to_numpy()), index=frame.index)
    code = (normalise_gemeentecode(frame["gemeentecode"]) if "gemeentecode" in frame.columns
            else pd.Series([None] * len(frame), index=frame.index, dtype=object))
    if "gemeentenaam" in frame.columns:  # codes written in the municipality column (GM0983, 0983)
        names = frame["gemeentenaam"].astype(object).where(frame["gemeentenaam"].notna(), "").astype(str).str.strip()
        coded = code.isna() & names.str.fullmatch(r"(?i)(?:GM\s?)?\d{3,4}(?:\s+\D.*)?").fillna(False).astype(bool)
        code = code.where(~coded, normalise_gemeentecode(names.where(coded)))
    how = pd.Series(np.where(placed, "coordinates", np.where(code.notna(), "gemeentecode", "")), index=frame.index,
                    dtype=object)
    reading = _code_and_place_note(frame, code, placed, reading)
    for column in ("woonplaats", "gemeentenaam"):
        if column not in frame.columns:
            continue
        missing = code.isna()
        if not missing.any():
            break
        found, why = gemeente_from_place(frame.loc[missing, column])
        code[missing] = found
        newly = missing & code.notna()
        how[newly & (how == "")] = column
        # Only a row that nothing else places is unusable for an unknown or ambiguous name.
        why_all = why.reindex(frame.index, fill_value="")
        stuck = missing & code.isna() & ~placed & (why_all != "")
        problem = problem.where(~stuck, problem + why_all + "; ")
        by_name = newly & ~placed  # rows with a point are placed by it; the name only backs it up
        if by_name.any():
            reading = reading.with_note(f"{int(by_name.sum())} row(s) without a point placed in their municipality "
                                        f"by {column} ({YEAR_NOTE})")
    if "address" in frame.columns and (code.isna() & ~placed).any():
        # A one-line address ("Markt 1, 5911 AA Venlo") names the place: used only where nothing else places the
        # row, and only when it is a woonplaats in one municipality (an unknown word is no reason to complain).
        missing = code.isna() & ~placed
        found, why = gemeente_from_place(place_in_address(frame.loc[missing, "address"]))
        code[missing] = found
        newly = missing & code.notna()
        several = why.reindex(frame.index, fill_value="").str.contains(" lies in ", regex=False) & missing & ~newly
        problem = problem.where(~several, problem + why.reindex(frame.index, fill_value="") + "; ")
        how[newly] = "address"
        if newly.any():
            reading = reading.with_note(f"{int(newly.sum())} row(s) without a point placed in their municipality "
                                        f"by the place at the end of their address ({YEAR_NOTE})")
    if "postcode" in frame.columns:
        only_postcode = ~placed & code.isna() & postcode_digits(frame["postcode"]).notna()
        if only_postcode.any():
            problem = problem.where(~only_postcode, problem + "postcode alone cannot place a location (planner has no "
                                    "postcode -> municipality table); add a woonplaats or gemeentecode column; ")
    if how.ne("").any() and code.notna().any():
        frame["gemeentecode"] = code
    frame["placed_by"] = how.where(how != "", None)
    return frame, problem, reading


YEAR_NOTE = "woonplaatsen on the 2024 municipal division, from woningwaardering"


def _code_and_place_note(frame: pd.DataFrame, code: pd.Series, placed: pd.Series, reading: Reading) -> Reading:
    """Rows placed by their code whose woonplaats lies in another municipality (``Reuver`` with GM0983 Venlo: it
    lies in Beesel): counted by the code, as given, and named, so that a wrong code does not move a location
    without a word."""
    if "woonplaats" not in frame.columns or not (code.notna() & ~placed).any():
        return reading
    from .herindeling import update_codes
    from .places import codes_named, gemeente_from_place

    rows = code.notna() & ~placed & frame["woonplaats"].notna()
    if not rows.any():
        return reading
    found, _ = gemeente_from_place(frame.loc[rows, "woonplaats"])
    given, _, _ = update_codes(code[rows], 2024)
    # a name that is also a woonplaats elsewhere (Beuningen in Losser) fits every municipality it may mean
    fits = pd.Series([g in codes_named(p) for g, p in zip(given, frame.loc[rows, "woonplaats"], strict=True)],
                     index=given.index)
    other = found.notna() & given.notna() & (found != given) & ~fits
    if not other.any():
        return reading
    unit = "lines" if frame.index.name == "line" else "rows"
    places = frame["woonplaats"].astype(str)
    listed = ", ".join(f"{i} ('{places[i]}' in {found[i]}, code {code[i]})" for i in other.index[other.to_numpy()][:5])
    return reading.with_note(f"{int(other.sum())} location(s) whose woonplaats lies in another municipality than "
                             f"their gemeentecode ({unit} {listed}): counted by the code; check which is right")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _risky(value: object) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_START)


#: Inside a cell of a CSV file: a separator a spreadsheet may split on (Excel with Dutch settings splits on ``;``
#: whatever the file's own separator), then what would start a formula in the cell that the split makes.
_FORMULA_INSIDE = re.compile(r"([;,\t|]\s*[\"']?)(?=[=+@]|-\S)")


def neutralise_formulas(frame: pd.DataFrame, inside: bool = False) -> pd.DataFrame:
    """Prefix text that a spreadsheet would run as a formula with a quote: cells, column headers and index names.
    With ``inside`` (for CSV files) also after every separator inside a text (``Hal 3;=cmd|...``), since a
    spreadsheet set to another separator splits the cell there.

    >>> neutralise_formulas(pd.DataFrame({"=SUM(A1)": ["=1+1", "ok"]})).to_dict("list")
    {"'=SUM(A1)": ["'=1+1", 'ok']}
    >>> neutralise_formulas(pd.DataFrame({"naam": ["Hal 3;=1+1;", "Noord, zuid"]}), inside=True)["naam"].tolist()
    ["Hal 3;'=1+1;", 'Noord, zuid']
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):  # text written as categories (GeoParquet): plain text
            series = out[column] = series.astype(object)
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            if inside:
                text = series.map(lambda v: isinstance(v, str) and bool(_FORMULA_INSIDE.search(v)))
                if text.any():
                    series = series.where(~text, series.astype(str).str.replace(_FORMULA_INSIDE, r"\1'", regex=True))
                    out[column] = series
            risky = series.map(_risky)
            if risky.any():
                out[column] = series.where(~risky, "'" + series.astype(str))
    if inside:
        out.columns = [_FORMULA_INSIDE.sub(r"\1'", c) if isinstance(c, str) else c for c in out.columns]
    out.columns = [f"'{c}" if _risky(c) else c for c in out.columns]
    out.index = out.index.set_names([f"'{n}" if _risky(n) else n for n in out.index.names])
    if isinstance(out.index, pd.MultiIndex) or out.index.dtype == object:
        out.index = out.index.map(lambda v: f"'{v}" if _risky(v) else v)
    return out


#: Coordinate systems results can be written in: RD New (Dutch GIS) and WGS84 (longitude/latitude).
OUTPUT_CRS = {"rd": "EPSG:28992", "wgs84": "EPSG:4326"}


def output_crs(crs: str | None) -> str | None:
    """The EPSG code for ``rd`` / ``wgs84`` (None: as the tables are)."""
    if crs is None:
        return None
    key = str(crs).lower()
    if key not in OUTPUT_CRS:
        raise InputError(Problem(f"unknown output CRS '{crs}'", fix="use rd (EPSG:28992) or wgs84 (EPSG:4326)"))
    return OUTPUT_CRS[key]


def _plain(frame: pd.DataFrame, crs: str | None = None) -> pd.DataFrame:
    """Attributes only, with the geometry given as a representative point (RD x/y, or lon/lat for WGS84)."""
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
        table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        geoms = frame.geometry
        if frame.crs is not None and (~shapely.is_missing(geoms.to_numpy())).any():
            points = geoms.to_crs("EPSG:28992").representative_point()
            names, digits = ("x_rd", "y_rd"), 1
            if crs == OUTPUT_CRS["wgs84"]:
                points, names, digits = points.to_crs("EPSG:4326"), ("lon", "lat"), 6
            table[names[0]] = np.where(points.is_empty | points.isna(), np.nan, points.x.round(digits))
            table[names[1]] = np.where(points.is_empty | points.isna(), np.nan, points.y.round(digits))
        return table
    return pd.DataFrame(frame)


def _json_safe(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Missing or infinite numbers as JSON nulls (GeoJSON has no NaN; GDAL would drop them with a warning)."""
    out = frame.copy()
    for column in out.columns:
        if column != out.geometry.name and pd.api.types.is_float_dtype(out[column]):
            values = out[column].to_numpy(dtype=float)
            if not np.isfinite(values).all():
                out[column] = pd.Series(values, index=out.index, dtype=object).where(np.isfinite(values), None)
    return out


def write_results(path: str | Path, layers: Mapping[str, pd.DataFrame], crs: str | None = None) -> Path:
    """Write named result tables to one file.

    * ``.gpkg``: each table a layer (spatial where it has geometry);
    * ``.xlsx``: each table a sheet, geometry as RD x/y, formulas neutralised;
    * ``.csv``: the first table, geometry as RD x/y, formulas neutralised;
    * ``.geojson``: the first table, which must have geometry.

    ``crs`` chooses the coordinate system: ``"rd"`` (RD New, EPSG:28992, as
    Dutch GIS users work), ``"wgs84"`` (EPSG:4326; in CSV and Excel as
    lon/lat columns) or None, as before: GeoPackage layers as the tables
    are, GeoJSON in WGS84, CSV and Excel as RD x/y. A GeoJSON in RD New
    names its CRS (the GeoJSON 2008 "crs" member), as PDOK's do.

    The file is written next to its target and moved into place, so a failed
    write never leaves half a file behind.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    target = output_crs(crs)
    if suffix not in OUTPUT_SUFFIXES:
        raise InputError(Problem(f"cannot write '{path.suffix}' files", fix="use " + ", ".join(OUTPUT_SUFFIXES)))
    if not layers:
        raise InputError("nothing to write")
    path.parent.mkdir(parents=True, exist_ok=True)
    # A folder of this write's own beside the target: runs writing the same file never share a temporary file,
    # and the finished file replaces the target in one rename.
    folder = Path(tempfile.mkdtemp(prefix=f".{path.stem}.", suffix=".partial", dir=path.parent))
    tmp = folder / path.name
    first = next(iter(layers.values()))
    try:
        if suffix == ".gpkg":
            for name, frame in layers.items():
                # A table whose geometry is all missing (a CSV without coordinates) is written without it.
                if isinstance(frame, gpd.GeoDataFrame) and (~shapely.is_missing(frame.geometry.to_numpy())).any():
                    spatial = frame.to_crs(target) if target and frame.crs is not None else frame
                    pyogrio.write_dataframe(spatial, tmp, layer=name, driver="GPKG", append=tmp.exists())
                else:
                    table = _plain(frame, target)
                    drop = table.index.name is None or table.index.name in table.columns
                    pyogrio.write_dataframe(table.reset_index(drop=drop), tmp, layer=name,
                                            driver="GPKG", append=tmp.exists())
        elif suffix == ".geojson":
            if not isinstance(first, gpd.GeoDataFrame):
                raise InputError("GeoJSON needs a table with geometry; write .csv or .xlsx instead")
            pyogrio.write_dataframe(_json_safe(first.to_crs(target or "EPSG:4326")), tmp, driver="GeoJSON")
        elif suffix == ".csv":
            neutralise_formulas(_plain(first, target), inside=True).to_csv(tmp, index=False, encoding="utf-8-sig")
        else:
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                for name, frame in layers.items():
                    table = neutralise_formulas(_plain(frame, target))
                    keep_index = table.index.name is not None and table.index.name not in table.columns
                    table.to_excel(writer, sheet_name=name[:31], index=keep_index)
        tmp.replace(path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return path
