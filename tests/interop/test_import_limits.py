"""The import's limits (the policy's `limits.import`): each at its edge, passing at the limit and refused one past it
with one line, before the register is held in memory; and the cap on the problems printed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from test_interop import own_project, run

HEADER = "Ref,Title,Division,Lead,Email,What,Phase,Risk,Approved,Budget"
ROW = "AI-{n:03d},Invoice matching {n},Finance,Ana Ruiz,ana@example.com,Matches invoices.,Live,Low,2025-11-03,100"
HINT = "or raise the limit in the policy"


def portfolio(tmp_path: Path, **limits: int) -> Path:
    config = own_project(tmp_path)
    policy = config.parent / "policy.yml"
    body = "".join(f"    {k}: {v}\n" for k, v in limits.items())
    policy.write_text(policy.read_text(encoding="utf-8") + f"limits:\n  import:\n{body}", encoding="utf-8")
    return config


def register(tmp_path: Path, rows: int, name: str = "register.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *(ROW.format(n=n) for n in range(1, rows + 1))]) + "\n", encoding="utf-8")
    return path


def dry_run(capsys, config: Path, sheet: Path, *more: str) -> tuple[int, list[str], list[str]]:
    return run(capsys, "import", str(sheet), "--mapping", str(config.parent / "mapping.yml"), "--config", str(config),
               "--dry-run", *more)


def test_rows_at_the_limit_import_and_one_more_is_refused(tmp_path, capsys):
    config = portfolio(tmp_path, rows=5)
    code, out, _ = dry_run(capsys, config, register(tmp_path, 5))
    assert code == 0 and out[-1].startswith("import: 5 rows: 5 created")
    sheet = register(tmp_path, 6)
    assert dry_run(capsys, config, sheet) == (1, [], [
        f"scorecard: error: {sheet}: more than 5 rows, the most the policy's limits.import.rows allows; split the "
        f"register, {HINT}"])


def test_columns_at_the_limit_import_and_one_more_is_refused(tmp_path, capsys):
    config = portfolio(tmp_path, columns=11)
    ok = register(tmp_path, 2, header=HEADER + ",Extra")
    assert dry_run(capsys, config, ok)[0] == 0
    sheet = register(tmp_path, 2, "wide.csv", header=HEADER + ",Extra,More")
    assert dry_run(capsys, config, sheet) == (1, [], [
        f"scorecard: error: {sheet}:1: 12 columns, more than the 11 the policy's limits.import.columns allows; delete "
        f"the unused columns, {HINT}"])


@pytest.mark.parametrize("extra", [1, 10_000])  # one past the limit (ours), and far past it (csv's own limit)
def test_a_cell_at_the_limit_imports_and_a_longer_one_is_refused(tmp_path, capsys, extra):
    config = portfolio(tmp_path, cell_chars=300)
    sheet = tmp_path / "register.csv"
    sheet.write_text(f"{HEADER}\n{ROW.format(n=1)}\nAI-002,{'x' * 300},Finance,A,a@example.com,W,Live,Low,,\n",
                     encoding="utf-8")
    assert dry_run(capsys, config, sheet)[0] == 0
    sheet.write_text(f"{HEADER}\n{ROW.format(n=1)}\nAI-002,{'x' * (300 + extra)},Finance,A,a@example.com,W,Live,Low,,\n",
                     encoding="utf-8")
    expected = (f"scorecard: error: {sheet}:3: column 2 holds 301 characters, more than the 300 the policy's "
                f"limits.import.cell_chars allows; shorten the cell, {HINT}" if extra == 1 else
                f"scorecard: error: {sheet}:3: a cell holds more than the 300 characters the policy's "
                f"limits.import.cell_chars allows; shorten the cell, {HINT}")
    assert dry_run(capsys, config, sheet) == (1, [], [expected])
    import csv
    assert csv.field_size_limit() == 131072  # csv's process-wide limit is put back


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, capsys):
    config = portfolio(tmp_path, file_mb=1)
    sheet = tmp_path / "register.csv"
    with sheet.open("w", encoding="utf-8") as f:
        f.write(HEADER + "\n")
        f.write("x" * (2**20 - len(HEADER) - 1))  # exactly 1 MiB: read (and refused for its cell, not its size)
    code, _, err = dry_run(capsys, config, sheet)
    assert code == 1 and "limits.import.cell_chars" in err[0]
    with sheet.open("a", encoding="utf-8") as f:
        f.write("x")
    assert dry_run(capsys, config, sheet) == (1, [], [
        f"scorecard: error: {sheet}: 1,048,577 bytes, larger than the 1 MiB the policy's limits.import.file_mb allows; split "
        f"the register, {HINT}"])


def _workbook(path: Path, rows: int, columns: int = 10, dimension: str | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(HEADER.split(",") + [f"C{i}" for i in range(10, columns)])
    for n in range(1, rows + 1):
        ws.append(ROW.format(n=n).split(",") + [""] * (columns - 10))
    book.save(path)
    if dimension is not None:  # a sheet that declares a size it does not have (a crafted file)
        with zipfile.ZipFile(path) as src:
            parts = {i.filename: src.read(i.filename) for i in src.infolist()}
        sheet = parts["xl/worksheets/sheet1.xml"].decode()
        start = sheet.index('<dimension ref="')
        end = sheet.index('"', start + len('<dimension ref="'))
        parts["xl/worksheets/sheet1.xml"] = (sheet[:start] + f'<dimension ref="{dimension}' + sheet[end:]).encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
            for name, data in parts.items():
                dst.writestr(name, data)
    return path


def test_a_workbooks_declared_dimension_is_refused_before_a_row_is_read(tmp_path, capsys):
    config = portfolio(tmp_path, rows=5, columns=10)
    assert dry_run(capsys, config, _workbook(tmp_path / "ok.xlsx", 5))[0] == 0
    book = _workbook(tmp_path / "big.xlsx", 2, dimension="A1:J1000001")
    assert dry_run(capsys, config, book) == (1, [], [
        f"scorecard: error: {book}: the sheet declares 1,000,000 rows, more than the 5 the policy's limits.import.rows "
        f"allows; split the register, {HINT}"])
    wide = _workbook(tmp_path / "wide.xlsx", 2, dimension="A1:XFD3")
    assert dry_run(capsys, config, wide) == (1, [], [
        f"scorecard: error: {wide}: the sheet declares 16,384 columns, more than the 10 the policy's "
        f"limits.import.columns allows; delete the unused columns, {HINT}"])
    # a sheet that understates its size is still stopped by the rows read
    liar = _workbook(tmp_path / "liar.xlsx", 6, dimension="A1:J2")
    assert dry_run(capsys, config, liar) == (1, [], [
        f"scorecard: error: {liar}: more than 5 rows, the most the policy's limits.import.rows allows; split the "
        f"register, {HINT}"])


def test_a_workbook_that_unzips_past_the_limit_is_refused_before_it_is_opened(tmp_path, capsys):
    config = portfolio(tmp_path, xlsx_uncompressed_mb=1)
    book = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b" " * (2**20 + 1))  # 1 MiB and a byte of blanks: a few KB zipped
    assert book.stat().st_size < 10_000
    assert dry_run(capsys, config, book) == (1, [], [
        f"scorecard: error: {book}: unzips to 1,048,577 bytes, more than the 1 MiB the policy's "
        f"limits.import.xlsx_uncompressed_mb allows; save the register as CSV, {HINT}"])


def test_problems_printed_are_capped_with_the_total(tmp_path, capsys):
    config = portfolio(tmp_path, problems_shown=3)
    sheet = tmp_path / "register.csv"
    sheet.write_text(HEADER + "\n" + "\n".join(f"AI-{n:03d},T{n},Finance,A,a@example.com,W,Nope,Low,,"
                                               for n in range(1, 6)) + "\n", encoding="utf-8")
    code, out, _ = dry_run(capsys, config, sheet)
    phase = "Phase: 'Nope' is not a value the mapping knows; recorded as proposed"
    assert code == 0 and out == [f"{sheet}:{n}: {phase}" for n in (2, 3, 4)] + [
        "import: 2 more problems not shown (5 in all); --all-problems prints every one",
        "import: 5 rows: 5 created, 0 updated, 0 unchanged, 5 problems; dry run: nothing written"]
    code, out, _ = dry_run(capsys, config, sheet, "--all-problems")
    assert out[:-1] == [f"{sheet}:{n}: {phase}" for n in range(2, 7)]


def test_a_million_rows_are_refused_fast_and_in_little_memory(tmp_path):
    """The case the issue measured (295 s and 2.6 GB before): refused at the default limit of 100,000 rows.

    Memory, not time, is asserted: the peak of the child process stays far below what reading it all took."""
    config = own_project(tmp_path)
    sheet = tmp_path / "million.csv"
    with sheet.open("w", encoding="utf-8") as f:
        f.write(HEADER + "\n")
        for n in range(1_000_000):
            f.write(f"AI-{n},T,Finance,A,a@example.com,W,Live,Low,,\n")
    proc = subprocess.run([sys.executable, "-c", "import sys, resource; from scorecard.cli import main; code = main(sys.argv[1:]); "
                           "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(code)",
                           "import", str(sheet), "--mapping", str(config.parent / "mapping.yml"), "--config",
                           str(config), "--dry-run", "--today", "2026-11"], capture_output=True, text=True)
    lines = proc.stderr.splitlines()
    assert (proc.returncode, proc.stdout) == (1, "")
    assert lines[0] == (f"scorecard: error: {sheet}: more than 100,000 rows, the most the policy's limits.import.rows "
                        f"allows; split the register, {HINT}")
    assert int(lines[1]) < 600 * 1024  # KiB: the rows up to the limit, not the million
