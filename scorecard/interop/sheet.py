"""Read a register the organisation already keeps: a CSV file or an Excel workbook, as rows of text.

Every cell becomes text, the way the spreadsheet shows it (a whole number without `.0`, a date as
YYYY-MM-DD); rows are numbered as the spreadsheet numbers them (the header is row 1), so that a problem
names the row a person finds by scrolling.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from scorecard.errors import UserError

MAX_BYTES = 200 * 1024 * 1024
"""A register larger than this is refused: the whole federal inventory is 10 MB."""


@dataclass(frozen=True)
class Sheet:
    path: str
    """The file as the user named it, for problems."""
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]
    """(the spreadsheet's row number, {column: text}) for every row that is not blank."""


def read_sheet(path: Path, shown: str | None = None, sheet: str | None = None) -> Sheet:
    """The rows of a .csv or .xlsx file; a UserError (one line) when it cannot be read."""
    shown = shown or str(path)
    if not path.is_file():
        raise UserError(f"{shown}: no such file")
    if path.stat().st_size > MAX_BYTES:
        raise UserError(f"{shown}: larger than {MAX_BYTES // 2**20} MB; split it")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        header, raw = _read_xlsx(path, shown, sheet)
    elif suffix in (".csv", ".txt"):
        if sheet is not None:
            raise UserError(f"{shown}: --sheet is for Excel workbooks; a CSV file has one table")
        header, raw = _read_csv(path, shown)
    else:
        raise UserError(f"{shown}: import reads .csv and .xlsx files; save the register as one of them")
    names = [h.strip() for h in header]
    if not any(names):
        raise UserError(f"{shown}: the first row is empty; it must name the columns")
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise UserError(f"{shown}:1: the column '{name}' appears twice; rename one of them")
        seen.add(name)
    rows = []
    for number, cells in raw:
        if not any(c.strip() for c in cells):
            continue
        rows.append((number, {n: (cells[i] if i < len(cells) else "") for i, n in enumerate(names) if n}))
    return Sheet(shown, tuple(names), tuple(rows))


def _read_csv(path: Path, shown: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{shown}: not UTF-8 text (byte {exc.start}); save it as CSV UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise UserError(f"{shown}:{reader.line_num}: cannot read it as CSV: {exc}") from None
    if not records:
        raise UserError(f"{shown}: the file is empty")
    return records[0], [(n, r) for n, r in enumerate(records[1:], 2)]


def _read_xlsx(path: Path, shown: str, sheet: str | None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    import zipfile

    from openpyxl import load_workbook  # imported here: only import needs it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UserError(f"{shown}: cannot read it as an Excel workbook ({type(exc).__name__}); "
                        "save it again as .xlsx") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise UserError(f"{shown}: no sheet named '{sheet}'; its sheets are {', '.join(book.sheetnames)}")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()
    if not rows:
        raise UserError(f"{shown}: the sheet is empty")
    return rows[0], [(n, r) for n, r in enumerate(rows[1:], 2)]


def _cell_text(value: object) -> str:
    """A cell as the spreadsheet shows it: numbers without a needless `.0`, dates as ISO text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
