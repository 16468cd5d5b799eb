"""The fuzzer, extended past the YAML reader: the register import (CSV and xlsx) and the pull request diff.

For any register, import answers with one-line problems and writes only files that validate, inside the
initiatives folder, none holding a control character or a cell a spreadsheet would run; or it refuses the
register in one line. For any change to a committed initiative file, diff answers with one-line problems and
Markdown and JSON that parse, or refuses in one line. Nothing raises. The profiles are test_fuzz.py's.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import tempfile
import unicodedata
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

import test_fuzz  # the profiles (ci, fuzz) are registered and loaded there
from conftest import SAMPLE
from scorecard.cli import main
from test_interop import MAPPING, POLICY
from sites import project

COLUMNS = ["Ref", "Title", "Division", "Lead", "Email", "What", "Phase", "Risk", "Approved", "Budget"]
NASTY = st.sampled_from(["", " ", "=1+1", "+cmd|' /C calc'!A0", "-2", "@SUM(1)", "'=x", "\t=1", "\r\n", "Live",
                         "Idea", "Trial", "Low", "High", "2026-02-30", "2025-11-03", "1e400", "nan", "-5", "AI-001",
                         "a@b.example", "x@y; z@w", "https://e.example/x", "javascript:alert(1)", "\u2028", "\x00",
                         "<script>alert(1)</script>", "{{ 7*7 }}", "x" * 400, "ﬁ", "\ud800", "DHS-314", "7"])
CELL = st.one_of(NASTY, st.text(max_size=40))
ROWS = st.lists(st.lists(CELL, min_size=0, max_size=12), min_size=0, max_size=12)
TODAY = "2026-11"


def _portfolio(root: Path) -> Path:
    config = project(root, Path("initiatives"), policy="policy.yml")
    (root / "policy.yml").write_text(POLICY, encoding="utf-8")
    (root / "mapping.yml").write_text(MAPPING, encoding="utf-8")
    (root / "initiatives").mkdir()
    return config


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([*args, "--today", TODAY])
    return code, out.getvalue(), err.getvalue()


def _check_import(root: Path, register: Path) -> None:
    config = root / "mkdocs.yml"
    code, out, err = _run("import", str(register), "--mapping", str(root / "mapping.yml"), "--config", str(config))
    assert code in (0, 1), (code, err)
    if code == 1:
        assert len(err.splitlines()) == 1 and err.startswith("scorecard: error: "), err
        assert list((root / "initiatives").iterdir()) == []  # refused: nothing written
        return
    assert out.splitlines()[-1].startswith("import: ")
    for line in out.splitlines():
        assert line.isprintable(), line
    written = sorted((root / "initiatives").rglob("*.yaml"))
    for path in written:
        assert path.resolve().is_relative_to((root / "initiatives").resolve())
        text = path.read_text(encoding="utf-8")
        # no control character or line separator (the import's clean() removes them); other text is data
        assert not any(unicodedata.category(c) == "Cc" and c != "\n" or c in "\u2028\u2029" for c in text), text
    code, out, _ = _run("validate", "--config", str(config))
    assert code == 0, out  # every file written validates
    # and the portfolio it makes exports with no cell a spreadsheet would run
    code, out, err = _run("export", "--config", str(config))
    assert code == 0 or not written, err
    for row in csv.reader(io.StringIO(out.lstrip("\ufeff"))):
        for cell in row:
            assert not cell[:1] in ("=", "+", "@", "\t", "\r") or cell.startswith("'"), cell


def _safe(text: str) -> str:
    """What a CSV file can hold as UTF-8 (a lone surrogate cannot be written)."""
    return text.encode("utf-8", "replace").decode("utf-8")


@given(header=st.lists(st.sampled_from(COLUMNS + ["", "Extra", "Ref"]), min_size=0, max_size=12), rows=ROWS)
@example(header=COLUMNS, rows=[["AI-001", "=HYPERLINK(\"x\")", "Fin", "A", "a@b.example", "W", "Live", "Low",
                                "2025-11-03", "1e400"]])
def test_any_csv_register(header, rows):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "p"
        _portfolio(root)
        register = Path(tmp) / "register.csv"
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([_safe(h) for h in header])
        writer.writerows([[_safe(c) for c in row] for row in rows])
        register.write_text(buffer.getvalue(), encoding="utf-8")
        _check_import(root, register)


@given(data=st.binary(max_size=400))
def test_any_bytes_as_a_csv_register(data):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "p"
        _portfolio(root)
        register = Path(tmp) / "register.csv"
        register.write_bytes(",".join(COLUMNS).encode() + b"\n" + data)
        _check_import(root, register)


@settings(max_examples=25)
@given(rows=ROWS, numbers=st.lists(st.one_of(st.integers(), st.floats(allow_nan=True)), max_size=4))
def test_any_xlsx_register(rows, numbers):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "p"
        _portfolio(root)
        book = Workbook()
        ws = book.active
        ws.append(COLUMNS)
        for row in rows:
            ws.append([ILLEGAL_CHARACTERS_RE.sub("", _safe(c)) for c in row])
        if numbers:
            ws.append(["AI-900", "Numbers", "Fin", "A", "a@b.example", "W", "Live", "Low", numbers[0], numbers[-1]])
        register = Path(tmp) / "register.xlsx"
        book.save(register)
        _check_import(root, register)


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root, check=True,
                   capture_output=True)


@settings(max_examples=25)
@given(cut=st.integers(0, len(SAMPLE)), insert=st.text(max_size=30), rename=st.booleans(), delete=st.booleans())
@example(cut=SAMPLE.index("  2026-02:"), insert="", rename=False, delete=False)  # a month block removed
def test_any_change_to_a_committed_file_in_diff(cut, insert, rename, delete):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "p"
        config = project(root, Path("initiatives"))
        (root / "initiatives").mkdir()
        path = root / "initiatives" / "sample-x.yaml"
        path.write_text(SAMPLE, encoding="utf-8")
        _git(root, "init", "-q", "-b", "main")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", "base")
        if delete:
            path.unlink()
        else:
            path.write_text(_safe(SAMPLE[:cut] + insert + SAMPLE[cut:]), encoding="utf-8")
            if rename:
                path.rename(root / "initiatives" / "sample-y.yaml")
        for fmt in ("markdown", "json"):
            code, out, err = _run("diff", "--config", str(config), "--base", "HEAD", "--format", fmt)
            assert code in (0, 1), err
            assert err == "" or (len(err.splitlines()) == 1 and err.startswith("scorecard: error: ")), err
            if fmt == "json" and out:
                doc = json.loads(out)
                for p in doc["problems"]:
                    assert "\n" not in p["message"] + p["hint"] + p["path"], p
            if fmt == "markdown":
                assert out.startswith("## Scorecard check against <code>HEAD</code>"), out
