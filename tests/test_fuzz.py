"""A fuzzer that keeps the trust boundary closed: whatever a pull request writes, the answer is clean.

Hypothesis mutates a valid initiative file (byte flips, truncation, random
Unicode in every text field, random YAML from a small grammar, numbers at the
float and int extremes) and file names and folder layouts. For every input:

- nothing raises: every outcome is a list of problems (the command's exit 0 or 1);
- every problem names a file and a line, on one line;
- whatever validates also computes, reports (JSON, CSV, table) and renders every page.

`./dev test` runs a fixed, derandomised budget (the `ci` profile); `./dev fuzz`
runs a long random one (the `fuzz` profile). A case it ever found is kept below
as an `@example`, so it runs on every test run.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLE
from scorecard.outputs.scorecard_csv import to_csv
from scorecard.outputs.scorecard_json import to_json
from scorecard.outputs.table import to_table
from scorecard.report.build import build_report
from scorecard.rules.scorecard import compute_scorecard
from scorecard.months import parse_month
from scorecard.policy import load_policy
from scorecard.render.pages import SiteOptions, render_site
from scorecard.validate.run import validate_paths

TODAY = parse_month("2026-11")
POLICY = load_policy(None)
SAFE_PATH = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?/)*[a-z0-9][a-z0-9-]{1,62}[a-z0-9]\.yaml$")

settings.register_profile("ci", max_examples=60, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("fuzz", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("SCORECARD_FUZZ_PROFILE", "ci"))

TEXT_FIELD = re.compile(r"^(\s*-?\s*(?:name|summary|business_unit|note|reason|title|by|approved_by|unit): )(.*)$", re.M)
NUMBER = re.compile(r"(?<=: )-?[0-9]+(?:\.[0-9]+)?(?=[,}\n])")


def check(folder: Path) -> None:
    """The property: clean problems, and whatever validates computes, reports and renders."""
    result = validate_paths([folder], today=TODAY, base=folder)
    for p in result.problems:
        assert p.path and p.line >= 1 and p.column >= 1, p
        assert "\n" not in f"{p.path}{p.message}{p.hint}", p
    for li in result.initiatives:
        assert SAFE_PATH.match(li.path), li.path
    if result.failed() or not result.initiatives:
        return
    # the latest month with data (a month before it would leave the fuzzed figures out)
    month = max((parse_month(k) or 0 for li in result.initiatives for k in li.model.months), default=TODAY - 1)
    card = compute_scorecard(result.initiatives, month, POLICY)
    typed = build_report(card)
    text = to_json(typed)
    json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(AssertionError(f"{c} in the report")))
    to_csv(typed)
    to_table(typed)
    pages = render_site(typed, card, build_report(compute_scorecard(result.initiatives, month - 1, POLICY)),
                        SiteOptions(edit_url="https://git.example/edit/{path}"))
    assert "initiatives/" + result.initiatives[0].id + ".md" in pages


def check_text(data: bytes, name: str = "sample.yaml") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / name).write_bytes(data)
        check(Path(tmp))


# ---- mutations of a valid file ---------------------------------------------------------------------------

@given(st.data())
def test_byte_flips_and_truncation(data):
    raw = bytearray(SAMPLE.encode("utf-8"))
    for _ in range(data.draw(st.integers(0, 8))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    check_text(bytes(raw))


@given(st.data())
def test_random_unicode_in_every_text_field(data):
    fields = list(TEXT_FIELD.finditer(SAMPLE))

    def replace(m: re.Match[str]) -> str:
        value = data.draw(st.text(min_size=0, max_size=80))
        return m.group(1) + json.dumps(value)  # a JSON string is a valid YAML double-quoted scalar

    chosen = data.draw(st.sets(st.integers(0, len(fields) - 1), min_size=1))
    out, last = [], 0
    for i, m in enumerate(fields):
        out.append(SAMPLE[last:m.start()])
        out.append(replace(m) if i in chosen else m.group(0))
        last = m.end()
    out.append(SAMPLE[last:])
    check_text("".join(out).encode("utf-8"))


EXTREMES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1.7e308", "-1.7e308", "5e-324", "1e15", "-1e15", "1e12", "0", "-0", ".nan", ".inf", "-.inf",
                     "9" * 5000, "1" + "0" * 30, "0x1F", "0o17", "1_000", "1e400"]),
    st.integers(min_value=-(10**40), max_value=10**40),
)


@given(st.data())
def test_numbers_at_the_extremes(data):
    spots = list(NUMBER.finditer(SAMPLE))
    chosen = data.draw(st.sets(st.integers(0, len(spots) - 1), min_size=1, max_size=6))
    out, last = [], 0
    for i, m in enumerate(spots):
        out.append(SAMPLE[last:m.start()])
        if i in chosen:
            value = data.draw(EXTREMES)
            out.append(repr(value) if isinstance(value, float) else str(value))
        else:
            out.append(m.group(0))
        last = m.end()
    out.append(SAMPLE[last:])
    check_text("".join(out).encode("utf-8"))


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(), st.text(max_size=20),
                    st.sampled_from(["2026-01", "2026-02-30", "yes", "~", "*a", "&a x", "!!str x", "{}", "[]"]))
YAML_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=20)
KEYS = ["name", "summary", "owner", "stage", "stage_history", "kpis", "months", "governance", "exemptions",
        "decisions", "adoption", "tags", "risk_tier", "sponsor", "business_unit", "business_case"]
AMOUNT = st.one_of(st.sampled_from([0, 1e-300, 0.01, 1e12]), st.floats(0, 1e12))


@settings(max_examples=max(30, settings.default.max_examples // 2))  # each case renders a whole page: half the profile
@given(st.fixed_dictionaries({"approved": st.sampled_from(["2020-01", "2026-02", "2026-10"]), "by": st.just("Council"),
                              "annual_benefit": AMOUNT},
                             optional={"investment": AMOUNT, "payback_months": st.integers(1, 240),
                                       "users": st.integers(1, 10**7), "note": st.text(min_size=1, max_size=30)}),
       st.sampled_from([{"status": "in_progress", "due": "2026-01"}, {"status": "not_applicable", "note": "n/a"},
                        {"status": "done", "date": "2026-02-01"}, "2026-02-01", None]))
def test_any_valid_business_case_and_control_status_computes_and_renders(case, control):
    data = yaml.safe_load(SAMPLE)
    data["business_case"] = case
    data["governance"]["privacy_review"] = control
    check_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8"))


@given(st.sampled_from(KEYS), YAML_VALUES)
def test_random_yaml_in_place_of_a_section(key, value):
    data = yaml.safe_load(SAMPLE)
    data[key] = value
    try:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return
    check_text(text.encode("utf-8"))


@given(YAML_VALUES)
def test_random_yaml_documents(value):
    check_text(yaml.safe_dump(value, allow_unicode=True).encode("utf-8"))


# ---- file names and folder layouts ---------------------------------------------------------------------

NAME = st.text(alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)),
               min_size=1, max_size=40).filter(lambda n: n not in (".", "..") and len(n.encode()) < 200)


@given(st.lists(st.tuples(st.lists(NAME, max_size=2), NAME, st.sampled_from(["file", "link-out", "link-in", "dangling", "fifo", "dir"])),
                min_size=1, max_size=6))
def test_file_names_and_folder_layouts(entries):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "initiatives"
        root.mkdir()
        outside = Path(tmp) / "outside.yaml"
        outside.write_text("name: SECRET-OUTSIDE\n", encoding="utf-8")
        for folders, name, kind in entries:
            parent = root.joinpath(*folders)
            try:
                parent.mkdir(parents=True, exist_ok=True)
                path = parent / name
                if path.exists() or path.is_symlink():
                    continue
                if kind == "file":
                    path.write_text(SAMPLE, encoding="utf-8")
                elif kind == "link-out":
                    path.symlink_to(outside)
                elif kind == "link-in":
                    path.symlink_to(root)
                elif kind == "dangling":
                    path.symlink_to(Path(tmp) / "nowhere")
                elif kind == "fifo":
                    os.mkfifo(path)
                else:
                    path.mkdir()
            except (OSError, ValueError):
                continue  # a name the file system refuses (too long, ...) is not a case
        result = validate_paths([root], today=TODAY, base=root)
        assert all("SECRET-OUTSIDE" not in p.message for p in result.problems)
        check(root)


# ---- cases found by the fuzzer, kept as regular tests -----------------------------------------------------

FOUND = [
    # (what it was, the file): each once crashed a stage after validation or validation itself
    ("two amounts that sum past the float range", SAMPLE.replace("{licenses: 12000,", "{licenses: 1.7e308, other: 1.7e308,")),
    ("a 5,000-digit integer", SAMPLE.replace("users: 12", "users: " + "9" * 5000)),
    ("a KPI spanning the float range", SAMPLE.replace("    baseline: 20\n", "    baseline: 1.7e308\n")
     .replace("    target: 12\n", "    target: -1.7e308\n")),
    ("a month with Arabic-Indic digits beside its ASCII twin", SAMPLE.replace("  2026-02:", "  \u0662\u0660\u0662\u0666-02:")),
    ("a month key with a trailing newline", SAMPLE.replace("  2026-02:", '  "2026-02\\n":')),
    # found by a review that attacked the hardened tool
    ("progress rounding to 1 a hair before the target", SAMPLE.replace("    target: 12\n", "    target: 0\n", 1)
     .replace("cycle_time: 18,", "cycle_time: 1e-15,")),
    ("a KPI projection beyond any calendar", SAMPLE.replace("    target: 1200\n", "    target: 1e15\n")
     .replace("hours_saved: 40}", "hours_saved: 0}").replace("hours_saved: 90}", "hours_saved: 1e-300}")),
    ("a payback projection beyond any calendar", SAMPLE.replace("{labor_savings: 20000}", "{other: 1e-310}")
     .replace("{labor_savings: 26000}", "{other: 1e-310}")),
    ("a cost of 5e-324", SAMPLE.replace("{licenses: 12000, infrastructure: 3000, people: 15000}", "{licenses: 5e-324}")),
    ("a KPI whose target is 1e-300 from its baseline", SAMPLE.replace("    baseline: 0\n", "    baseline: 0\n")
     .replace("    target: 1200\n", "    target: 1e-300\n").replace("hours_saved: 90}", "hours_saved: -1e15}")),
    ("months before 1970", SAMPLE.replace("2026-", "1969-").replace("2025-", "1968-")),
]


def test_found_cases():
    for what, text in FOUND:
        check_text(text.encode("utf-8"))
