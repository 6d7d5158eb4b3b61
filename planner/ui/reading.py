"""Uploads: one way of reading them (errors that name the user's file), how a file was read, and how many of its
rows were used (shown above every page's figures)."""

from __future__ import annotations

import io
import json
import logging
import re
import tempfile
import zipfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from pathlib import Path, PurePath, PureWindowsPath
from typing import TypeVar

import pandas as pd
import streamlit as st

from .. import messages
from ..columns import Reading
from ..csvtext import _utf16
from ..errors import InputError, Problem
from ..formatting import fmt
from ..i18n import t
from ..io import SPREADSHEET_SUFFIXES, TEXT_TABLE_SUFFIXES
from ..messages import SITE_TERMS, message, term
from ..usable import RowsUsed, likely_cause
from . import show

T = TypeVar("T")


def reading_table(reading: Reading, lang: str) -> pd.DataFrame:
    """The reading as a table with translated headings."""
    table = reading.table()
    table["how"] = [t(f"how_{how}", lang) for how in table["how"]]
    table["meaning"] = [term(meaning, lang, reading.kind) if meaning else meaning for meaning in table["meaning"]]
    table["note"] = [message(note, lang) if isinstance(note, str) else note for note in table["note"]]
    return table.rename(columns={"header": t("col_header", lang), "meaning": t("col_meaning", lang),
                                 "confidence": t("col_confidence", lang), "how": t("col_how", lang),
                                 "note": t("col_note", lang)})


def show_reading(reading: Reading | None, lang: str, used: RowsUsed | None = None, expanded: bool = False) -> None:
    """An expander with header -> meaning and confidence, the file notes, and a caption with the rows used."""
    if reading is None:
        return
    name = PurePath(reading.source).name
    if used is not None:
        show.caption(t("rows_used", lang, used=fmt(used.used, lang), rows=fmt(used.rows, lang), name=name)
                     + (t("rows_left_out", lang, left=fmt(used.left_out, lang)) if used.left_out else ""))
    with st.expander(show.plain(t("how_read", lang, name=name)), expanded=expanded):
        show.caption(t("how_read_help", lang))
        st.dataframe(reading_table(reading, lang), hide_index=True, width="stretch")
        for note in reading.notes:
            show.caption(message(note_for(note, reading.kind, lang), lang))


def note_for(note: str, kind: str, lang: str) -> str:
    """A reading's note with the fields named for the kind of file: in a sites file ``floor_area_m2`` is the
    gross floor area, not a register's usable floor area (see :data:`planner.messages.SITE_TERMS`)."""
    if kind != "sites":
        return note
    for name, labels in SITE_TERMS.items():
        note = re.sub(rf"\b{name}\b", labels[lang], note)
    return note


def too_few_box(checked: pd.DataFrame, reading: Reading | None, used: RowsUsed, lang: str) -> None:
    """The error box shown above the results when fewer than half of a file's rows are usable."""
    if not used.too_few:
        return
    cause = likely_cause(checked, reading, used)
    text = f"{message(cause.message, lang)}. {t('too_few_fix', lang)}"
    show.error(t("too_few_usable", lang, name=PurePath(used.source).name, used=fmt(used.used, lang),
               rows=fmt(used.rows - used.left_out, lang), cause=text))


# -- one way of reading an upload, for every uploader ---------------------------------------------------------------

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = TEXT_TABLE_SUFFIXES
JSON_SUFFIXES = (".geojson", ".json")
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".zip", ".kmz")
WORKBOOK_SUFFIXES = SPREADSHEET_SUFFIXES
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The first bytes of a valid file of each binary kind.
MAGIC = {".gpkg": b"SQLite format 3\x00", ".parquet": b"PAR1"}
SEPARATORS = (";", ",", "\t", "|")
GEOJSON_TYPES = ("FeatureCollection", "Feature", "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                 "MultiPolygon", "GeometryCollection")


class UploadError(InputError):
    """An upload that cannot be read at all; the message is a translated text (``key``) that names the file."""

    def __init__(self, key: str, name: str, **values: object):
        self.key, self.name, self.values = key, name, values
        super().__init__(Problem(t(key, "en", name=name, **values), fix=t(f"{key}_fix", "en", name=name, **values)))

    def text(self, lang: str) -> str:
        """The message in ``lang``, with the fix."""
        message = t(self.key, lang, name=self.name, **self.values)
        return f"{message} {t('upload_fix', lang)}: {t(f'{self.key}_fix', lang, name=self.name, **self.values)}"


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _content_suffix(suffix: str, data: bytes) -> str:
    """The kind a table upload is checked as: by its content where that and the name disagree, as the readers do
    (:func:`planner.io.workbook_kind`): a workbook under a text name, an ``.xls`` that a system wrote as text."""
    if data.startswith((b"PK\x03\x04", OLE2)) and suffix in TEXT_SUFFIXES + WORKBOOK_SUFFIXES:
        return ".zip-workbook" if data.startswith(b"PK") else ".ole-workbook"
    if suffix in WORKBOOK_SUFFIXES and suffix not in (".xlsx", ".xlsm") and not data.startswith(b"PK"):
        return ".txt"
    return suffix


def check_upload(name: str, data: bytes) -> None:
    """Refuse a file that cannot be what its name says (empty, not text, only a header, not a zip...).

    These are the files on which the readers would fail with a library's own words; the message here names the
    user's file, the line where one can be given, and the fix. Only cheap checks: the start of the file.
    """
    suffix = _content_suffix(PurePath(name).suffix.lower(), data)
    if not data.strip():
        raise UploadError("upload_empty", name)
    if suffix in TEXT_SUFFIXES:
        head = data[:65536]
        codec = _utf16(head)
        if b"\x00" in head and codec is None:
            raise UploadError("upload_not_text", name)
        text = head.decode(codec, errors="replace") if codec else _decoded(head)
        lines = [line for line in text.splitlines() if line.strip(" \t;,|\"'")]
        if not lines:
            raise UploadError("upload_empty", name)
        if not any(sep in lines[0] for sep in SEPARATORS):
            raise UploadError("upload_not_table", name, line=lines[0].strip()[:60])
        if len(lines) == 1 and len(data) <= len(head):
            raise UploadError("upload_header_only", name, header=lines[0].strip()[:80])
    elif suffix in ZIP_SUFFIXES or suffix == ".zip-workbook":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            raise UploadError("upload_zip_broken" if suffix == ".zip" else "upload_excel_broken", name) from None
        if suffix != ".zip" and "[Content_Types].xml" not in names and "mimetype" not in names:
            raise UploadError("upload_excel_broken", name)
    elif suffix in MAGIC and not data.startswith(MAGIC[suffix]):
        raise UploadError("upload_not_kind", name, kind=suffix.lstrip(".").upper())


def diagnose(name: str, data: bytes, path: Path | None = None) -> None:
    """After a reader failed: say what is wrong with the file in words, where that can be found out.

    Where a JSON file is broken or stops (line and column), JSON that is not GeoJSON, a GeoPackage or Parquet
    file that is damaged or incomplete. Nothing is raised when the file looks whole: the reader's error stands.
    """
    suffix = PurePath(name).suffix.lower()
    kind = suffix.lstrip(".").upper()
    if suffix in JSON_SUFFIXES:
        text = _decoded(data)
        try:
            content = json.loads(text)
        except RecursionError:  # nested deeper than Python parses: no GeoJSON planner reads
            raise UploadError("upload_not_geojson", name) from None
        except json.JSONDecodeError as exc:
            # Stops half-way: the error is at (or near) the end, with brackets still open.
            truncated = len(text[exc.pos:].strip()) <= 32 and (text.count("{") > text.count("}")
                                                                or text.count("[") > text.count("]"))
            raise UploadError("upload_json_truncated" if truncated else "upload_json_broken", name,
                              line=exc.lineno, column=exc.colno) from None
        if not isinstance(content, dict) or content.get("type") not in GEOJSON_TYPES:
            raise UploadError("upload_not_geojson", name)
        if content.get("type") == "FeatureCollection" and not content.get("features"):
            raise UploadError("upload_no_features", name)
    elif suffix == ".parquet" and not data.rstrip(b"\x00").endswith(MAGIC[".parquet"]):
        raise UploadError("upload_damaged", name, kind=kind)
    elif suffix == ".gpkg" and path is not None:
        import sqlite3

        try:
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
                db.execute("SELECT count(*) FROM gpkg_contents").fetchone()
        except sqlite3.Error:
            raise UploadError("upload_damaged", name, kind=kind) from None


def _clean(text: str, folder: str, name: str, temporary: str) -> str:
    return text.replace(temporary, name).replace(folder + "/", "").replace(folder, "")


def clean_error(exc: InputError, folder: str, name: str, temporary: str) -> InputError:
    """The reader's error with the server's temporary path replaced by the user's file name."""
    if isinstance(exc, UploadError):
        return exc
    problems = [replace(p, message=_clean(p.message, folder, name, temporary),
                        fix=_clean(p.fix, folder, name, temporary),
                        row=_clean(p.row, folder, name, temporary) if isinstance(p.row, str) else p.row)
                for p in exc.problems]
    return InputError(problems, source=name)


def read_uploaded(upload: tuple[str, bytes], reader: Callable[[Path], T], folder: str | None = None) -> T:
    """Run ``reader`` on an upload written under the user's file name to a private temporary folder.

    Every failure becomes an :class:`~planner.errors.InputError` that names the user's file (never the
    server's path): a file that cannot be what its name says is refused before it is read; an error of the
    reader gets its paths cleaned; anything else (a library's own exception) becomes a plain "cannot be read"
    message, and its details go to the server log.
    """
    name = PureWindowsPath(upload[0]).name or "upload"  # a browser may send a whole Windows path
    check_upload(name, upload[1])
    with tempfile.TemporaryDirectory(dir=folder) as where:
        path = Path(where) / name
        path.write_bytes(upload[1])
        try:
            return reader(path)
        except InputError as exc:
            diagnose(name, upload[1], path)
            raise clean_error(exc, where, name, str(path)) from None
        except Exception:  # a library's own exception: the user gets words, the log gets the details
            diagnose(name, upload[1], path)
            logger.warning("reading the upload %s failed", name, exc_info=True)
            raise UploadError("upload_unreadable", name,
                              kind=PurePath(name).suffix.lstrip(".").upper() or "?") from None


def error_text(exc: InputError, lang: str) -> str:
    """The message an upload's error shows: translated where planner knows the case, the file named always."""
    if isinstance(exc, UploadError):
        return exc.text(lang)
    return f"{t('input_error', lang)}: {messages.error_text(exc, lang)}"


def read_upload(read: Callable[[], T], lang: str) -> T | None:
    """``read()`` (a reading of an upload, usually cached in state); on failure the error is shown *here*, at the
    uploader, and None returned."""
    try:
        return read()
    except InputError as exc:
        show.error(error_text(exc, lang))
        return None


def inputs_of_other_pages_ok(lang: str, sites: bool = True, housing: bool = True) -> bool:
    """Whether the sites (Bedrijvigheid) and the register (Woningvoorraad) can be used; if not, an error that says
    which page's input it is, so that a bad sites file is not taken for a fault of this page's own uploads."""
    from . import state

    checks = [("page_sites", state.current_sites)] if sites else []
    checks += [("page_housing", state.current_checked)] if housing else []
    for page, read in checks:
        try:
            frame = read()
        except InputError as exc:
            show.error(t("input_failed_elsewhere", lang, page=t(page, lang), error=error_text(exc, lang)))
            return False
        if page == "page_sites" and len(frame) and (message := unplaced_sites(frame, lang)):
            show.error(t("input_failed_elsewhere", lang, page=t(page, lang), error=message))
            return False
    return True


def unplaced_sites(sites: pd.DataFrame, lang: str) -> str | None:
    """A message when sites have no place (a file without coordinates), naming up to five of them."""
    geometry = getattr(sites, "geometry", None)
    if geometry is None:
        return None
    missing = geometry.isna() | geometry.is_empty
    if missing.any():  # a site that names its municipality is placed at its middle by the allocation
        from ..allocation import named_municipality
        from .state import boundary_layer

        missing &= ~named_municipality(sites).isin(boundary_layer().codes)
    if not missing.any():
        return None
    names = sites["name"] if "name" in sites.columns else pd.Series(sites.index.astype(str), index=sites.index)
    shown = ", ".join(str(n) for n in names[missing].head(5)) + (", ..." if missing.sum() > 5 else "")
    message = t("sites_without_place", lang, n=fmt(int(missing.sum()), lang), total=fmt(len(sites), lang), names=shown)
    upload = st.session_state.get("sites_upload")
    return f"{PureWindowsPath(upload[0]).name}: {message}" if upload else message
