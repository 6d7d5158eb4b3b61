"""CSV text as exports write it: any delimiter, UTF-8 or Windows-1252, trailing delimiters.

The one CSV reader of planner, for users' files (through :mod:`planner.io`)
and for planner's own data files (norm sets, parameters, reference objects),
which the model modules read through :func:`read_data_csv` without touching
the rest of the input and output layer.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .errors import InputError, Problem

#: Delimiters tried on CSV files, in order of preference when they fit equally well.
DELIMITERS = (";", "\t", "|", ",")
_DELIMITER_NAMES = {";": "semicolon", "\t": "tab", "|": "pipe", ",": "comma"}


def _utf16(raw: bytes) -> str | None:
    """The codec of UTF-16 text (Excel's "Unicode text" export): by its byte-order mark, or, without one, by
    the zero bytes that ASCII characters leave in every other position."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = raw[:2000]
    if len(head) >= 4:
        odd, even = head[1::2].count(0), head[0::2].count(0)
        if odd > 0.4 * len(head) / 2 and even == 0:
            return "utf-16-le"
        if even > 0.4 * len(head) / 2 and odd == 0:
            return "utf-16-be"
    return None


def _decode(raw: bytes) -> tuple[str, str]:
    codec = _utf16(raw)
    if codec is not None:
        try:
            return raw.decode(codec), "UTF-16"
        except UnicodeDecodeError:
            pass
    for encoding, label in (("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252")):
        try:
            return raw.decode(encoding), label
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "Latin-1"


#: How many lines above the header a file may have (a title, a date, a group-heading row).
HEADER_SEARCH_LINES = 10


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits a header and the rows below it into the same number of cells.

    A row with one cell more than the header, the last one empty (a trailing
    delimiter), counts as fitting. The header may lie up to
    :data:`HEADER_SEARCH_LINES` lines down (a title line above it has fewer
    cells); the earliest line that fits best counts. Ties go to ``;``, tab,
    ``|``, ``,`` in that order.
    """
    lines = [line for line in text.splitlines() if line.strip()][:60]
    best, best_score = ",", (-1.0, 0, 0)
    for sep in DELIMITERS:
        rows = list(csv.reader(lines, delimiter=sep))
        for start in range(min(HEADER_SEARCH_LINES, max(len(rows) - 1, 1))):
            header = _strip_trailing(rows[start])
            if len(header) < 2:
                continue
            data = rows[start + 1:]
            fits = sum(1 for r in data if len(_strip_trailing(r)) <= len(header) and len(r) in
                       (len(rows[start]), len(rows[start]) + 1, len(header), len(header) + 1))
            score = (fits / len(data) if data else 1.0, len(header), -start)
            if score > best_score:
                best, best_score = sep, score
    return best


def _strip_trailing(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    return row[:end]


def _unique_headers(headers: list[str]) -> list[str]:
    out: list[str] = []
    for number, header in enumerate(headers, start=1):
        name = header.strip() or f"column {number}"
        candidate, count = name, 1
        while candidate in out:
            count += 1
            candidate = f"{name} ({count})"
        out.append(candidate)
    return out


def read_csv_records(path: Path) -> tuple[list[tuple[int, list[str]]], str, str]:
    """The non-empty rows of a CSV as ``(line, cells)``, with the delimiter and the encoding's name.

    Any encoding (UTF-8, UTF-8 with BOM, cp1252) and delimiter (``;`` ``,`` tab ``|``).
    """
    text, encoding = _decode(path.read_bytes())
    if not text.strip():
        raise InputError("the file is empty", source=str(path))
    if "\r" in text and "\n" not in text:  # "CSV (Macintosh)" from Excel for Mac: lines end in CR alone
        text = text.replace("\r", "\n")
    sep = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, skipinitialspace=True)
    try:
        records = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise InputError(f"cannot read as CSV: {exc}", source=str(path)) from None
    return [(line, row) for line, row in records if any(cell.strip() for cell in row)], sep, encoding


def csv_frame(records: list[tuple[int, list[str]]], header_at: int, sep: str, encoding: str,
              path: Path) -> tuple[pd.DataFrame, list[str]]:
    """The table below ``records[header_at]`` (the header) as text cells, indexed by file line, and notes."""
    header = _strip_trailing(records[header_at][1])
    width = len(header)
    trailing = 0
    problems = []
    rows, lines = [], []
    for line, row in records[header_at + 1:]:
        if len(row) > width:
            extra = row[width:]
            if any(cell.strip() for cell in extra):
                problems.append(Problem(f"{len(_strip_trailing(row))} cells but the header has {width}", f"line {line}",
                                        fix=f"quote values that contain '{sep}', or add the missing header(s)"))
                continue
            trailing += 1
            row = row[:width]
        rows.append([cell.strip() for cell in row] + [""] * (width - len(row)))
        lines.append(line)
    if problems:
        raise InputError(problems[:20], source=str(path))
    frame = pd.DataFrame(rows, columns=_unique_headers(header), dtype=object)
    frame.index = pd.Index(lines, name="line", dtype="int64")
    notes = [f"{_DELIMITER_NAMES[sep]}-separated ('{sep}'), {encoding}"]
    if trailing:
        notes.append(f"{trailing} of {len(rows)} data row(s) end with an extra '{sep}' (trailing delimiter): "
                     "ignored, no column shifts")
    if len(records[header_at][1]) > width:
        notes.append(f"{len(records[header_at][1]) - width} empty column(s) at the end of the header: ignored")
    return frame, notes


def read_csv_text(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """Read a CSV whatever its encoding (UTF-8, UTF-8 with BOM, cp1252) and delimiter (``;`` ``,`` tab ``|``).

    Returns the table as text cells, indexed by the line of the file (the
    header is its first non-empty line), and notes on how it was read. A
    delimiter at the end of the rows (``a;b;c;``) and empty trailing columns
    are recognised and ignored, so no column shifts; a row with more filled
    cells than the header is an error, since its columns cannot be told apart.
    """
    records, sep, encoding = read_csv_records(path)
    return csv_frame(records, 0, sep, encoding, path)


def read_data_csv(path: Path, required: Sequence[str]) -> pd.DataFrame:
    """A data file (parameters, norm sets, reference objects) as stripped text cells, indexed by file line.

    Any delimiter and encoding (see :func:`read_csv_text`); a missing file or
    column is an error naming the file.
    """
    if not Path(path).is_file():
        raise InputError(f"file not found: {path}")
    frame, _ = read_csv_text(Path(path))
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(Problem(f"missing column(s) {', '.join(missing)}",
                                 fix=f"the file needs the columns {', '.join(required)}"), source=str(path))
    return frame.apply(lambda column: column.astype(str).str.strip())
