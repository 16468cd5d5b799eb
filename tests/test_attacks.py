"""The attack corpus: one case per class of attack, as data in tests/attacks/*.yaml, run in the default suite.

A case names its class (`attack`), what it tries (`case`), the files it puts in a fresh portfolio (an
initiative as text, or as the sample initiative with some lines replaced), links, FIFOs and files outside the
repository, whether the portfolio is a git repository (and what a pull request then changes), the command,
and the exact outcome: the exit code, the lines printed, strings that must appear nowhere (output and every
file the command wrote), and strings some written file must hold. Each command runs in the portfolio's folder,
with `--today 2026-11`; `{root}` in a case stands for that folder. SECURITY.md says why each class matters.

A new feature that opens a class again fails here; a new class gets its own file.
"""

from __future__ import annotations

import json
import os
from fnmatch import fnmatch
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import FIXTURES, ROOT, SAMPLE
from scorecard.cli import main
from sites import project

CASES = sorted((ROOT / "tests" / "attacks").glob("*.yaml"))
CLASSES = {"markup", "paths", "numbers", "yaml", "markdown", "formulas", "withheld", "git"}


def _cases() -> list[Any]:
    out = []
    for path in CASES:
        for i, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))):
            out.append(pytest.param(case, id=f"{path.stem}-{i}-{case['case'][:40]}"))
    return out


def _text(spec: Any) -> str:
    """A file's text: as written, or the sample initiative with `replace` applied (each old text must be there)."""
    if isinstance(spec, str):
        return spec
    text = (FIXTURES / spec["fixture"]).read_text(encoding="utf-8") if "fixture" in spec else SAMPLE
    for old, new in spec.get("replace", {}).items():
        assert old in text, f"the sample initiative has no {old!r}"
        text = text.replace(old, new, 1)
    return text + spec.get("append", "")


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false",
                    *args], cwd=root, check=True, capture_output=True)


def _written(root: Path, before: set[Path]) -> dict[str, str]:
    """Every regular file under root the command made or changed (as text, undecodable bytes replaced)."""
    out = {}
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink() and ".git" not in path.parts and path not in before:
            if path.suffix == ".xlsx":
                out[path.relative_to(root).as_posix()] = _xlsx_text(path)
            else:
                out[path.relative_to(root).as_posix()] = path.read_bytes().decode("utf-8", "replace")
    return out


def _xlsx_text(path: Path) -> str:
    """A workbook as text: each cell's value, and `FORMULA` before any cell that holds a formula."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    return "\n".join(("FORMULA " if c.data_type == "f" else "") + str(c.value)
                     for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None)


@pytest.mark.parametrize("case", _cases())
def test_attack(case, tmp_path, monkeypatch, capsys):
    assert case["attack"] in CLASSES, case["attack"]
    root = tmp_path / "repo"
    config = project(root, Path("initiatives"), policy="policy.yml" if "policy" in case else None)
    if "policy" in case:
        (root / "policy.yml").write_text(case["policy"], encoding="utf-8")
    if case.get("audience") == "public":
        text = config.read_text(encoding="utf-8")
        assert "      initiatives: initiatives\n" in text
        config.write_text(text.replace("      initiatives: initiatives\n",
                                       "      initiatives: initiatives\n      audience: public\n"), encoding="utf-8")
    (root / "initiatives").mkdir()
    for name, text in (case.get("outside") or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    for name, spec in (case.get("files") or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = _text(spec)
        for mark, (unit, times) in (case.get("repeat") or {}).items():
            text = text.replace(mark, unit * times)
        path.write_bytes(text.encode("utf-8"))
    for name, target in (case.get("links") or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).symlink_to(target)
    for name in case.get("fifos") or []:
        os.mkfifo(root / name)
    if case.get("git"):
        _git(root, "init", "-q", "-b", "main")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", "base")
        for name, spec in (case.get("change") or {}).items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(_text(spec).encode("utf-8"))
    before = {p for p in root.rglob("*") if p.is_file()}
    monkeypatch.chdir(root)
    args = [a.replace("{root}", str(root)) for a in case["command"]]
    code = main([*args, "--today", "2026-11"])
    captured = capsys.readouterr()
    expect = case["expect"]

    def lines(text: str) -> list[str]:
        return [line.replace(str(root), "{root}").replace(str(tmp_path), "{tmp}") for line in text.splitlines()]

    if os.environ.get("ATTACKS_SHOW"):  # for writing a new case: what it gave, one JSON line per case
        with open(os.environ["ATTACKS_SHOW"], "a", encoding="utf-8") as f:
            f.write(json.dumps({"case": case["case"], "exit": code, "out": lines(captured.out),
                                "err": lines(captured.err)}, ensure_ascii=False) + "\n")
    assert code == expect["exit"], captured
    if "out" in expect:
        assert lines(captured.out) == expect["out"]
    if "err" in expect:
        assert lines(captured.err) == expect["err"]
    written = _written(root, before)
    for name in expect.get("wrote", []):
        assert name in written, (name, sorted(written))
    if expect.get("wrote_nothing"):
        assert written == {}, sorted(written)
    everything = {"standard output": captured.out, "standard error": captured.err, **written}
    searched = {k: v for k, v in everything.items()
                if not expect.get("absent_in") or any(fnmatch(k, pattern) for pattern in expect["absent_in"])}
    assert searched, "absent_in matches no file"
    for needle in expect.get("absent", []):
        found = [where for where, text in searched.items() if needle in text]
        assert not found, f"{needle!r} is in {found}"
    for name, needles in (expect.get("holds") or {}).items():
        text = everything[name]
        for needle in needles:
            assert needle in text, (name, needle)
    for name in expect.get("untouched", []):
        assert (tmp_path / name).read_text(encoding="utf-8") == case["outside"][name]


def test_the_corpus_covers_every_class():
    seen = {case["attack"] for path in CASES for case in yaml.safe_load(path.read_text(encoding="utf-8"))}
    assert seen == CLASSES
