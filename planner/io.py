"""Reading and writing the files planners use: GeoPackage, GeoJSON, zipped
Shapefile, CSV and Excel.

This is the edge of the program: model functions never touch files. Readers
map common Dutch and English column headers onto the canonical names, read
decimal commas, find coordinates in two columns (RD New or WGS84) and number
rows the way the user sees them in the file (``line`` for CSV and Excel, where
the header is line 1; ``feature`` for vector files, from 1).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from .errors import InputError, Problem
from .numbers import parse_numbers

VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".zip", ".fgb", ".parquet")
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
OUTPUT_SUFFIXES = (".gpkg", ".geojson", ".csv", ".xlsx")

#: Header aliases (normalised: lower case, words joined by "_") for site files.
SITE_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "naam", "bedrijf", "bedrijfsnaam", "locatie", "site", "project"),
    "sector": ("sector", "branche"),
    "subtype": ("subtype", "subsector", "type", "soort"),
    "floor_area_m2": ("floor_area_m2", "floor_area", "bvo", "bvo_m2", "vloeroppervlak", "vloeroppervlakte",
                      "vloeroppervlak_m2", "vloeroppervlakte_m2", "gross_floor_area", "gfa_m2"),
    "plot_area_ha": ("plot_area_ha", "plot_area", "plot_ha", "kavel_ha", "kaveloppervlak_ha", "terrein_ha",
                     "oppervlakte_ha", "kavel"),
    "start_year": ("start_year", "startjaar", "jaar_ingebruikname", "ingebruikname", "start"),
    "ramp_up_years": ("ramp_up_years", "ramp_up", "ingroeijaren", "ingroei_jaren", "opbouwjaren"),
    "declared_migrants": ("declared_migrants", "opgave_arbeidsmigranten", "verwachte_arbeidsmigranten",
                          "arbeidsmigranten_opgave"),
    "declared_beds": ("declared_beds", "opgave_bedden", "eigen_bedden", "bedden_opgave"),
    "relocated_jobs": ("relocated_jobs", "verplaatste_banen", "verhuizende_banen", "banen_verplaatst",
                       "overgeplaatste_banen"),
    "relocated_from": ("relocated_from", "verplaatst_uit", "herkomst_gemeente", "van_gemeente"),
    "abroad_share": ("abroad_share", "aandeel_buitenland", "buitenland_aandeel"),
}

_X_NAMES = ("x", "x_rd", "rd_x", "xcoord", "x_coord", "x_coordinaat", "rdx")
_Y_NAMES = ("y", "y_rd", "rd_y", "ycoord", "y_coord", "y_coordinaat", "rdy")
_LON_NAMES = ("lon", "lng", "long", "longitude", "lengtegraad")
_LAT_NAMES = ("lat", "latitude", "breedtegraad")
_WKT_NAMES = ("wkt", "geometry", "geometrie", "geom")

#: Extent of RD New coordinates on Dutch territory, with a margin.
RD_BOUNDS = (-7_000.0, 289_000.0, 300_000.0, 629_000.0)
#: Extent of the Netherlands in longitude/latitude, with a margin.
NL_LONLAT_BOUNDS = (3.0, 50.6, 7.4, 53.7)


def normalise_header(name: object) -> str:
    """``"BVO (m2)"`` -> ``"bvo_m2"``, ``"X-coördinaat"`` -> ``"x_coordinaat"``.

    Lower case, accents dropped, words joined by underscores.
    """
    text = str(name).strip().lower().replace("²", "2")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[^0-9a-z]+", "_", text)
    return text.strip("_")


def map_columns(frame: pd.DataFrame, aliases: Mapping[str, tuple[str, ...]],
                mapping: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Rename columns to their canonical names.

    ``mapping`` (file header -> canonical name) is applied first and wins;
    then headers that match an alias are renamed. Other columns are kept as
    they are. Two headers mapping to one name is an error.
    """
    mapping = dict(mapping or {})
    rename: dict[str, str] = {}
    for column in frame.columns:
        if column in mapping:
            rename[column] = mapping[column]
            continue
        key = normalise_header(column)
        for canonical, names in aliases.items():
            if key in names:
                rename[column] = canonical
                break
    targets = pd.Series(list(rename.values()))
    double = targets[targets.duplicated()].unique().tolist()
    if double:
        sources = {t: [c for c, v in rename.items() if v == t] for t in double}
        raise InputError([Problem(f"columns {', '.join(map(repr, cols))} all mean '{t}'",
                                  fix="remove or rename all but one") for t, cols in sources.items()])
    return frame.rename(columns=rename)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def read_csv_text(path: Path) -> tuple[pd.DataFrame, str]:
    """Read a CSV whatever its encoding (UTF-8, UTF-8 with BOM, cp1252) and delimiter.

    Returns the table as text cells and the decimal mark the file uses:
    files separated by semicolons are Dutch-style (decimal comma).
    """
    text = _decode(path.read_bytes())
    if not text.strip():
        raise InputError("the file is empty", source=str(path))
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
        sep = dialect.delimiter
    except csv.Error:
        sep = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.ParserError as exc:
        raise InputError(f"cannot read as CSV: {exc}", source=str(path)) from None
    # Rows are numbered as lines of the file (the header is line 1); rows with only empty cells are no rows.
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="line")
    blank = frame.apply(lambda column: column.astype(str).str.strip() == "").all(axis=1)
    return frame[~blank], ("," if sep == ";" else ".")


def _first(columns: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((columns[n] for n in names if n in columns), None)


def _within(x: pd.Series, y: pd.Series, bounds: tuple[float, float, float, float]) -> bool:
    return bool(((x >= bounds[0]) & (x <= bounds[2]) & (y >= bounds[1]) & (y <= bounds[3])).all())


def table_to_geodataframe(frame: pd.DataFrame, decimal: str | None, source: str,
                          crs: str | None = None, strict: bool = True) -> gpd.GeoDataFrame:
    """Make points (or WKT shapes) from coordinate columns, finding the CRS.

    Columns ``x``/``y`` (and variants) are RD New when they fall within its
    Dutch extent, and longitude/latitude when they fall within the Dutch
    extent in degrees; ``lon``/``lat`` are WGS84. Rows without coordinates get
    an empty geometry and are kept. Swapped latitude/longitude is reported.
    With ``strict=False`` a coordinate that is not a number does not stop the
    read: the row gets no geometry and the reason in ``input_problem``.
    """
    columns = {normalise_header(c): c for c in frame.columns}
    wkt = _first(columns, _WKT_NAMES)
    if wkt is not None:
        text = frame[wkt].astype(object).where(frame[wkt].astype(str).str.strip() != "", None)
        try:
            geometry = gpd.GeoSeries.from_wkt(text, on_invalid="raise")
        except Exception as exc:
            raise InputError(Problem(f"column '{wkt}' holds text that is not WKT ({exc})", column=wkt,
                                     fix="write geometries as WKT, e.g. POINT (155000 463000)"),
                             source=source) from None
        return gpd.GeoDataFrame(frame.drop(columns=[wkt]), geometry=geometry.values, crs=crs or "EPSG:28992")
    xcol, ycol = _first(columns, _X_NAMES), _first(columns, _Y_NAMES)
    lonlat = False
    if xcol is None or ycol is None:
        xcol, ycol = _first(columns, _LON_NAMES), _first(columns, _LAT_NAMES)
        lonlat = True
    if xcol is None or ycol is None:
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([None] * len(frame), index=frame.index),
                                crs=crs)
    problems: list[Problem] = []
    xs, bad_x = parse_numbers(frame[xcol], decimal)
    ys, bad_y = parse_numbers(frame[ycol], decimal)
    for col, bad in ((xcol, bad_x), (ycol, bad_y)):
        problems += [Problem(f"coordinate '{frame.at[i, col]}' is not a number", f"line {i}", col)
                     for i in frame.index[bad]]
    if problems and strict:
        raise InputError(problems, source=source)
    if not strict:
        frame = frame.copy()
        frame["input_problem"] = ""
        for col, bad in ((xcol, bad_x), (ycol, bad_y)):
            frame.loc[bad, "input_problem"] = (frame.loc[bad, "input_problem"] + f"{col}: '"
                                               + frame.loc[bad, col].astype(str) + "' is not a coordinate; ")
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
        else:
            outside = ~((px.between(RD_BOUNDS[0], RD_BOUNDS[2]) & py.between(RD_BOUNDS[1], RD_BOUNDS[3]))
                        | (px.between(NL_LONLAT_BOUNDS[0], NL_LONLAT_BOUNDS[2])
                           & py.between(NL_LONLAT_BOUNDS[1], NL_LONLAT_BOUNDS[3])))
            where = ", ".join(f"line {i}" for i in px.index[outside][:10])
            raise InputError(Problem(
                f"coordinates in '{xcol}'/'{ycol}' are neither RD New nor longitude/latitude in the "
                f"Netherlands (first outliers: {where})",
                fix="give RD New x/y in metres or WGS84 lon/lat in degrees, one system for the whole file"),
                source=source)
    geometry = gpd.points_from_xy(xs.fillna(0), ys.fillna(0))
    geometry[~present.to_numpy()] = None
    return gpd.GeoDataFrame(frame.drop(columns=[xcol, ycol]), geometry=geometry, crs=crs)


def open_vector(path: Path) -> gpd.GeoDataFrame:
    target = str(path)
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
    if path.suffix.lower() == ".parquet":
        try:
            return gpd.read_parquet(path)
        except (ValueError, OSError) as exc:  # pyarrow's errors derive from these
            raise InputError(Problem(f"cannot read the file as GeoParquet ({exc})",
                                     fix="write it as GeoParquet (geopandas .to_parquet, ogr2ogr -f Parquet, QGIS)"),
                             source=str(path)) from None
    try:
        frame = gpd.read_file(target, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        raise InputError(Problem(f"cannot read the file ({exc})",
                                 fix="check that it is a complete GeoPackage, GeoJSON or zipped Shapefile"),
                         source=str(path)) from None
    return frame


def _formulas_without_values(path: Path) -> list[tuple[str, int, str]]:
    """Formula cells of the first sheet whose calculated value is not stored (files written by programs).

    Excel and LibreOffice store each formula's last value, which planner
    reads; a formula without one would read as an empty cell, so it is
    reported instead of silently dropped.
    """
    import openpyxl

    formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    values = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet, cached = formulas.worksheets[0], values.worksheets[0]
        found = []
        for row, cached_row in zip(sheet.iter_rows(), cached.iter_rows(), strict=False):
            for cell, value in zip(row, cached_row, strict=False):
                if cell.data_type == "f" and value.value is None:
                    found.append((cell.coordinate, cell.row, str(cell.value)[:40]))
        return found
    finally:
        formulas.close()
        values.close()


def read_table(path: str | Path, aliases: Mapping[str, tuple[str, ...]],
               mapping: Mapping[str, str] | None = None, crs: str | None = None,
               strict: bool = True) -> tuple[gpd.GeoDataFrame, str | None]:
    """Read any supported file as a GeoDataFrame with canonical column names.

    Returns the frame and the decimal mark of text files (None for vector and
    Excel files, whose numbers are typed). The index numbers rows as the user
    sees them: ``line`` in CSV/Excel, ``feature`` in vector files.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"file not found: {path}")
    suffix = path.suffix.lower()
    decimal: str | None = None
    if suffix in VECTOR_SUFFIXES:
        frame = open_vector(path)
        if frame.crs is None and crs is not None:
            frame = frame.set_crs(crs)
        frame.index = pd.RangeIndex(1, len(frame) + 1, name="feature")
    elif suffix in TABLE_SUFFIXES:
        if suffix in (".csv", ".txt"):
            table, decimal = read_csv_text(path)
        else:
            try:
                table = pd.read_excel(path, dtype=object, engine="openpyxl")
                formulas = _formulas_without_values(path)
            except Exception as exc:
                raise InputError(Problem(f"cannot read as Excel ({exc})",
                                         fix="save it again as .xlsx"), source=str(path)) from None
            if formulas:
                raise InputError([Problem(f"cell {cell} holds the formula {text} but no calculated value",
                                          row=f"line {row}", fix="open the file in Excel or LibreOffice and save it "
                                          "(that stores the values), or paste the values instead of formulas")
                                  for cell, row, text in formulas[:20]], source=str(path))
            table.index = pd.RangeIndex(2, len(table) + 2, name="line")
            table = table.dropna(how="all")
        frame = table_to_geodataframe(table, decimal, str(path), crs, strict)
        frame.index.name = "line"
    else:
        raise InputError(Problem(f"unsupported file type '{path.suffix}'",
                                 fix="use " + ", ".join(VECTOR_SUFFIXES + TABLE_SUFFIXES)), source=str(path))
    if len(frame) == 0:
        raise InputError("the file holds no rows", source=str(path))
    try:
        frame = map_columns(frame, aliases, mapping)
    except InputError as exc:
        raise exc.with_source(str(path)) from None
    return frame, decimal


def read_sites(path: str | Path, mapping: Mapping[str, str] | None = None,
               crs: str | None = None) -> gpd.GeoDataFrame:
    """Read planned sites from GeoPackage, GeoJSON, zipped Shapefile, CSV or Excel.

    Numbers are parsed with the file's decimal convention; a cell that holds
    text which is not a number is reported with its line and column.
    """
    frame, decimal = read_table(path, SITE_ALIASES, mapping, crs)
    from .impact import NUMERIC_COLUMNS

    unknown = [str(c) for c in frame.columns if c not in SITE_ALIASES and c != frame.geometry.name
               and c != "input_problem"]
    polygons = bool(frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).any())
    needed = [name for name, present in (("sector", "sector" in frame.columns),
                                         ("floor_area_m2 or plot_area_ha",
                                          "floor_area_m2" in frame.columns or "plot_area_ha" in frame.columns
                                          or polygons))
              if not present]
    if needed:
        hint = (f"; columns planner does not recognise: {', '.join(repr(c) for c in unknown[:8])}" if unknown else "")
        example = f"--map \"{unknown[0]}=floor_area_m2\"" if unknown else "--map \"Your header=floor_area_m2\""
        raise InputError(Problem(f"no column for {' and '.join(needed)}{hint}",
                                 fix=f"rename the header (e.g. bvo, vloeroppervlak, kavel_ha, sector) or map it: "
                                     f"{example}"), source=str(path))
    problems: list[Problem] = []
    prefix = frame.index.name or "row"
    for column in NUMERIC_COLUMNS:
        if column in frame.columns:
            values, bad = parse_numbers(frame[column], decimal)
            problems += [Problem(f"'{frame.at[i, column]}' is not a number", f"{prefix} {i}", column,
                                 "write a plain number") for i in frame.index[bad]]
            frame[column] = values
    if problems:
        raise InputError(problems, source=str(path))
    return frame


#: Header aliases for housing registers (municipal exports, Dutch or English).
HOUSING_ALIASES: dict[str, tuple[str, ...]] = {
    "location_id": ("location_id", "id", "locatie_id", "locatienummer", "object_id", "bag_id", "vbo_id",
                    "verblijfsobject_id", "nummeraanduiding_id"),
    "address": ("address", "adres", "straat_huisnummer", "locatie_adres", "woonadres"),
    "type": ("type", "soort", "woningtype", "huisvestingstype", "categorie", "soort_huisvesting", "location_type"),
    "floor_area_m2": ("floor_area_m2", "floor_area", "usable_floor_area", "gebruiksoppervlakte", "gbo",
                      "gebruiksoppervlakte_m2", "gbo_m2", "oppervlakte", "oppervlakte_m2", "woonoppervlakte",
                      "vloeroppervlakte", "vloeroppervlakte_m2"),
    "bedrooms": ("bedrooms", "slaapkamers", "aantal_slaapkamers", "slaapkamer", "number_of_bedrooms"),
    "occupants": ("occupants", "persons", "bewoners", "aantal_bewoners", "ingeschrevenen",
                  "aantal_ingeschrevenen", "ingeschreven_personen", "personen", "aantal_personen"),
    "licensed_beds": ("licensed_beds", "vergunde_bedden", "bedden_vergunning", "beds", "bedden", "aantal_bedden",
                      "vergunning_bedden"),
    "bedroom_area_m2": ("bedroom_area_m2", "bedroom_area", "slaapkameroppervlakte", "oppervlakte_slaapkamers",
                        "oppervlakte_slaapkamers_m2"),
    "toilets": ("toilets", "toiletten", "wc", "aantal_toiletten", "aantal_wc"),
    "showers": ("showers", "douches", "aantal_douches"),
    "gemeentecode": ("gemeentecode", "gm_code", "gemeente_code", "cbs_code", "gemcode"),
    "gemeentenaam": ("gemeentenaam", "gemeente", "municipality"),
}


def read_housing(path: str | Path, mapping: Mapping[str, str] | None = None,
                 crs: str | None = None) -> gpd.GeoDataFrame:
    """Read a housing register (CSV, Excel, GeoPackage, GeoJSON, zipped Shapefile).

    Unlike :func:`read_sites` it never stops for a bad cell: numbers are
    parsed with the file's decimal convention and a cell that is not a number
    keeps its text, so :func:`planner.housing.check_housing` reports that row
    by its line and keeps it out of the totals.
    """
    frame, decimal = read_table(path, HOUSING_ALIASES, mapping, crs, strict=False)
    from .housing import NUMERIC_COLUMNS as HOUSING_NUMBERS

    for column in HOUSING_NUMBERS:
        if column in frame.columns:
            values, bad = parse_numbers(frame[column], decimal)
            frame[column] = values.astype(object).where(~bad, frame[column]) if bad.any() else values
    return frame


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a quote."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            risky = series.map(lambda v: isinstance(v, str) and v.startswith(_FORMULA_START))
            if risky.any():
                out[column] = series.where(~risky, "'" + series.astype(str))
    return out


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Attributes only, with the geometry given as a representative point in RD New."""
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
        table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        geoms = frame.geometry
        if frame.crs is not None and (~shapely.is_missing(geoms.to_numpy())).any():
            points = geoms.to_crs("EPSG:28992").representative_point()
            table["x_rd"] = np.where(points.is_empty | points.isna(), np.nan, points.x.round(1))
            table["y_rd"] = np.where(points.is_empty | points.isna(), np.nan, points.y.round(1))
        return table
    return pd.DataFrame(frame)


def write_results(path: str | Path, layers: Mapping[str, pd.DataFrame]) -> Path:
    """Write named result tables to one file.

    * ``.gpkg``: each table a layer (spatial where it has geometry);
    * ``.xlsx``: each table a sheet, geometry as RD x/y, formulas neutralised;
    * ``.csv``: the first table, geometry as RD x/y, formulas neutralised;
    * ``.geojson``: the first table, which must have geometry.

    The file is written next to its target and moved into place, so a failed
    write never leaves half a file behind.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise InputError(Problem(f"cannot write '{path.suffix}' files", fix="use " + ", ".join(OUTPUT_SUFFIXES)))
    if not layers:
        raise InputError("nothing to write")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.partial{path.suffix}")
    tmp.unlink(missing_ok=True)
    first = next(iter(layers.values()))
    try:
        if suffix == ".gpkg":
            for name, frame in layers.items():
                # A table whose geometry is all missing (a CSV without coordinates) is written without it.
                if isinstance(frame, gpd.GeoDataFrame) and (~shapely.is_missing(frame.geometry.to_numpy())).any():
                    pyogrio.write_dataframe(frame, tmp, layer=name, driver="GPKG", append=tmp.exists())
                else:
                    table = _plain(frame)
                    drop = table.index.name is None or table.index.name in table.columns
                    pyogrio.write_dataframe(table.reset_index(drop=drop), tmp, layer=name,
                                            driver="GPKG", append=tmp.exists())
        elif suffix == ".geojson":
            if not isinstance(first, gpd.GeoDataFrame):
                raise InputError("GeoJSON needs a table with geometry; write .csv or .xlsx instead")
            pyogrio.write_dataframe(first.to_crs("EPSG:4326"), tmp, driver="GeoJSON")
        elif suffix == ".csv":
            neutralise_formulas(_plain(first)).to_csv(tmp, index=False, encoding="utf-8-sig")
        else:
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                for name, frame in layers.items():
                    table = neutralise_formulas(_plain(frame))
                    keep_index = table.index.name is not None and table.index.name not in table.columns
                    table.to_excel(writer, sheet_name=name[:31], index=keep_index)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
