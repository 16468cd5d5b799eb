"""Read a register the organisation already keeps: a CSV file or an Excel workbook, as rows of text.

Every cell becomes text, the way the spreadsheet shows it (a whole number without `.0`, a date as
YYYY-MM-DD); rows are numbered as the spreadsheet numbers them (the header is row 1), so that a problem
names the row a person finds by scrolling.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scorecard.errors import UserError
from scorecard.policy import ImportLimits

MIB = 2**20


@dataclass(frozen=True)
class Sheet:
    path: str
    """The file as the user named it, for problems."""
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]
    """(the spreadsheet's row number, {column: text}) for every row that is not blank."""


def read_sheet(path: Path, shown: str | None = None, sheet: str | None = None,
               limits: ImportLimits = ImportLimits()) -> Sheet:
    """The rows of a .csv or .xlsx file; a UserError (one line) when it cannot be read or is beyond `limits`.

    Rows are read one at a time and the limits checked as they come, so a register of a million rows, a
    column of one huge cell or a workbook that unzips to gigabytes is refused before it is held in memory."""
    shown = shown or str(path)
    if not path.is_file():
        raise UserError(f"{shown}: no such file")
    size = path.stat().st_size
    if size > limits.file_mb * MIB:
        raise UserError(f"{shown}: {size:,} bytes, larger than the {limits.file_mb:,} MiB the policy's "
                        "limits.import.file_mb allows; split the register, or raise the limit in the policy")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        header, raw = _read_xlsx(path, shown, sheet, limits)
    elif suffix in (".csv", ".txt"):
        if sheet is not None:
            raise UserError(f"{shown}: --sheet is for Excel workbooks; a CSV file has one table")
        header, raw = _read_csv(path, shown, limits)
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


def _bounded(records: Iterator[list[str]], shown: str, limits: ImportLimits,
             where: Callable[[], int]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the numbered rows of `records`, refused at the first row, column or cell beyond `limits`.

    `where()` is the spreadsheet row of the record just read (a CSV record may span several lines)."""
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, cells in enumerate(records, 1):
        if len(cells) > limits.columns:
            raise UserError(f"{shown}:{where()}: {len(cells):,} columns, more than the {limits.columns:,} the policy's "
                            "limits.import.columns allows; delete the unused columns, or raise the limit in the policy")
        for i, cell in enumerate(cells):
            if len(cell) > limits.cell_chars:
                raise _long_cell(shown, where(), i, len(cell), limits)
        if header is None:
            header = cells
            continue
        if number - 1 > limits.rows:
            raise _too_many_rows(shown, limits)
        rows.append((number, cells))
    if header is None:
        raise UserError(f"{shown}: the file is empty")
    return header, rows


def _long_cell(shown: str, row: int, column: int, length: int, limits: ImportLimits) -> UserError:
    return UserError(f"{shown}:{row}: column {column + 1} holds {length:,} characters, more than the "
                     f"{limits.cell_chars:,} the policy's limits.import.cell_chars allows; shorten the cell, "
                     "or raise the limit in the policy")


def _too_many_rows(shown: str, limits: ImportLimits) -> UserError:
    return UserError(f"{shown}: more than {limits.rows:,} rows, the most the policy's limits.import.rows allows; "
                     "split the register, or raise the limit in the policy")


@contextmanager
def _csv_field_limit(chars: int) -> Iterator[None]:
    """csv's own limit on one field (process-wide, so set for the read and put back)."""
    before = csv.field_size_limit()
    csv.field_size_limit(chars + 1)  # one more, so that a cell just over the limit is ours to report
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _read_csv(path: Path, shown: str, limits: ImportLimits) -> tuple[list[str], list[tuple[int, list[str]]]]:
    with path.open(encoding="utf-8-sig", newline="") as f, _csv_field_limit(limits.cell_chars):
        reader = csv.reader(f, strict=False)
        try:
            return _bounded(reader, shown, limits, lambda: reader.line_num)
        except UnicodeDecodeError as exc:
            raise UserError(f"{shown}:{reader.line_num + 1}: not UTF-8 text (byte {exc.start} of a block); "
                            "save it as CSV UTF-8") from None
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise UserError(f"{shown}:{reader.line_num}: a cell holds more than the {limits.cell_chars:,} "
                                "characters the policy's limits.import.cell_chars allows; shorten the cell, or "
                                "raise the limit in the policy") from None
            raise UserError(f"{shown}:{reader.line_num}: cannot read it as CSV: {exc}") from None


def _read_xlsx(path: Path, shown: str, sheet: str | None,
               limits: ImportLimits) -> tuple[list[str], list[tuple[int, list[str]]]]:
    import zipfile

    from openpyxl import load_workbook  # imported here: only import needs it

    try:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UserError(f"{shown}: cannot read it as an Excel workbook ({type(exc).__name__}); "
                        "save it again as .xlsx") from None
    if unzipped > limits.xlsx_uncompressed_mb * MIB:
        raise UserError(f"{shown}: unzips to {unzipped:,} bytes, more than the {limits.xlsx_uncompressed_mb:,} "
                        "MiB the policy's limits.import.xlsx_uncompressed_mb allows; save the register as CSV, or "
                        "raise the limit in the policy")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UserError(f"{shown}: cannot read it as an Excel workbook ({type(exc).__name__}); "
                        "save it again as .xlsx") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise UserError(f"{shown}: no sheet named '{sheet}'; its sheets are {', '.join(book.sheetnames)}")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        # the sheet's own <dimension ref="A1:BO3612"> (None when it has none): refused before a row is read
        last_row, last_column = ws.max_row, ws.max_column
        if isinstance(last_row, int) and last_row - 1 > limits.rows:
            raise UserError(f"{shown}: the sheet declares {last_row - 1:,} rows, more than the {limits.rows:,} "
                            "the policy's limits.import.rows allows; split the register, or raise the limit "
                            "in the policy")
        if isinstance(last_column, int) and last_column > limits.columns:
            raise UserError(f"{shown}: the sheet declares {last_column:,} columns, more than the "
                            f"{limits.columns:,} the policy's limits.import.columns allows; delete the unused "
                            "columns, or raise the limit in the policy")
        ws.reset_dimensions()  # then read every row there is: a sheet that understates its size loses none
        number = 0

        def rows() -> Iterator[list[str]]:
            nonlocal number
            for number, row in enumerate(ws.iter_rows(values_only=True), 1):
                yield [_cell_text(v) for v in row]

        header, raw = _bounded(rows(), shown, limits, lambda: number)
    finally:
        book.close()
    return header, raw


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
