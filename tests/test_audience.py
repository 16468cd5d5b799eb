"""Public and internal builds: a public build holds only public initiatives, and what the policy withholds is
absent from every file it writes. Checked with sentinels: a unique marker in every withheld field of a fixture,
then every output file searched for every marker."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl

import pytest
import yaml

from conftest import FIXTURES, ROOT
from scorecard import fmt
from scorecard.cli import main
from sites import Html, build, project

MARKERS = {
    "business_case": ["SNTLCASENOTE", "SNTLCASEBY"],
    "owner_email": ["sntl-owner@example.com", "sntl-sponsor@example.com"],
    "notes": ["SNTLMONTHNOTE", "SNTLRESTATED", "SNTLSTAGENOTE", "SNTLDECISIONNOTE", "SNTLGOVNOTE", "SNTLKPIRESTATED",
              "SNTLWORDSCONTROL"],
    "evidence": ["sntl-month-evidence.example", "sntl-gov-evidence.example"],
    "exemption_details": ["SNTLEXEMPTREASON", "SNTLAPPROVER"],
    "fields.vendor": ["SNTLVENDOR"],
    "internal initiative": ["SNTLINTERNALNAME", "sntl-internal-only"],
}
POLICY = """\
fields:
  vendor: {name: Vendor}
  topic_area: {name: Topic area}
public:
  withhold: [money, business_case, owner_email, notes, evidence, exemption_details, fields.vendor]
"""


def fixture(tmp_path: Path, audience: str) -> Path:
    """The test portfolio, contract-review public and carrying a marker in every withheld field."""
    folder = tmp_path / audience
    shutil.copytree(FIXTURES / "portfolio", folder / "initiatives")
    path = folder / "initiatives" / "contract-review.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["visibility"] = "public"
    data["owner"]["email"] = "sntl-owner@example.com"
    data["sponsor"]["email"] = "sntl-sponsor@example.com"
    data["business_case"] = {"approved": "2025-08", "by": "SNTLCASEBY", "annual_benefit": 654321,
                             "note": "SNTLCASENOTE"}
    data["stage_history"][0]["note"] = "SNTLSTAGENOTE"
    data["decisions"][0]["note"] = "SNTLDECISIONNOTE"
    data["kpis"][1]["restated"] = "SNTLKPIRESTATED"
    data["governance"]["privacy_review"] = {"status": "done", "date": "2026-02-26", "note": "SNTLGOVNOTE",
                                            "evidence": "https://sntl-gov-evidence.example/x"}
    data["governance"]["human_review"] = "SNTLWORDSCONTROL"
    data["exemptions"] = [{"rule": "pilot_purgatory", "reason": "SNTLEXEMPTREASON", "approved_by": "SNTLAPPROVER",
                           "expires": "2027-01"}]
    data["fields"] = {"vendor": "SNTLVENDOR", "topic_area": "Legal"}
    months = data["months"]
    first = sorted(months)[0]
    months[first]["note"] = "SNTLMONTHNOTE"
    months[first]["restated"] = "SNTLRESTATED"
    months[first]["evidence"] = "https://sntl-month-evidence.example/q3"
    months[first]["costs"]["other"] = 7777777.77  # a money marker of its own
    months[first]["confirmed"] = ["costs"]  # a spike, and it is right
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for other in ("lead-scoring", "service-triage"):  # two more public ones, with nothing withheld in them
        extra = folder / "initiatives" / f"{other}.yaml"
        extra.write_text(extra.read_text(encoding="utf-8") + "visibility: public\n", encoding="utf-8")
    internal = folder / "initiatives" / "sntl-internal-only.yaml"
    internal.write_text((FIXTURES / "portfolio" / "invoice-ocr.yaml").read_text(encoding="utf-8")
                        .replace("name: ", "name: SNTLINTERNALNAME ", 1), encoding="utf-8")
    (folder / "policy.yml").write_text(POLICY, encoding="utf-8")
    config = project(folder, Path("initiatives"), as_of="2026-10", policy="policy.yml")
    if audience == "public":
        text = config.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^site_name: .*$", "site_name: AI use cases (public record)", text, count=1)
        config.write_text(text.replace("      policy: policy.yml", "      policy: policy.yml\n      audience: public"),
                          encoding="utf-8")
    return config


def every_text(site: Path) -> dict[str, str]:
    """Every file of the site as text (gzip opened, binary read as Latin-1 so that every byte is searched)."""
    out = {}
    for path in site.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            if path.suffix == ".gz":
                raw = gzip.decompress(raw)
            out[path.relative_to(site).as_posix()] = raw.decode("utf-8", errors="replace") + raw.decode("latin-1")
    return out


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("audience")
    out = {}
    for audience in ("internal", "public"):
        config = fixture(tmp, audience)
        site = tmp / f"site-{audience}"
        assert build(config, site) == 0
        out[audience] = site
        out[f"{audience}-config"] = config
    return out


def test_the_internal_build_holds_every_marker(sites):
    """The fixture is right: each marker reaches the internal site (else the public test proves nothing)."""
    text = "\n".join(every_text(sites["internal"]).values())
    missing = [m for group in MARKERS.values() for m in group if m not in text]
    assert missing == ["sntl-sponsor@example.com", "SNTLKPIRESTATED"]  # no page shows these two, even internally


def test_the_public_build_holds_no_withheld_value_in_any_file(sites):
    internal = json.loads((sites["internal"] / "scorecard.json").read_text(encoding="utf-8"))
    review = next(i for i in internal["initiatives"] if i["id"] == "contract-review")
    fin = review["financials"]
    money = [str(int(fin["cumulative_cost"])), f"{fin['cumulative_cost']:,.0f}", "7777777", "7,777,777", "654321",
             "654,321", fmt.money(fin["cumulative_cost"], "USD"), fmt.money(fin["net"], "USD")]
    files = every_text(sites["public"])
    assert len(files) > 20
    leaks = [(name, marker) for name, text in files.items()
             for marker in [m for group in MARKERS.values() for m in group] + money if marker in text]
    assert leaks == []


def test_the_public_build_lists_only_public_initiatives_and_says_what_it_withholds(sites):
    site = sites["public"]
    report = json.loads((site / "scorecard.json").read_text(encoding="utf-8"))
    assert sorted(i["id"] for i in report["initiatives"]) == ["contract-review", "lead-scoring", "service-triage"]
    assert all("financials" not in i and "stake" not in i and "business_case" not in i for i in report["initiatives"])
    assert "net" not in report["portfolio"] and report["withheld"] == ["money"]
    header = (site / "scorecard.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "net" not in header.split(",") and '"fields.topic_area"' in header
    assert not (site / "initiatives" / "sntl-internal-only").exists()
    assert not (site / "board-pack.pdf").exists() and not (site / "digest.md").exists()
    page = Html((site / "initiatives" / "contract-review" / "index.html").read_text(encoding="utf-8")).visible
    assert "Cost and benefit figures are withheld from the public record." in page
    assert "Topic area Legal" in page and "Vendor" not in page
    assert "Pilot purgatory waived until Jan 2027; who approved it and why is withheld from the public record" in page
    data = Html((site / "data" / "index.html").read_text(encoding="utf-8"))
    downloads = [a["href"] for tag, a in data.tags if tag == "a" and "download" in a]
    assert downloads == ["../scorecard.json", "../scorecard.csv", "../initiative.schema.json"]
    documented = set(re.findall(r"<code>([a-z_.]+)</code>", (site / "data" / "index.html").read_text(encoding="utf-8")))
    assert set(header.replace('"', "").lstrip("\ufeff").split(",")) <= documented and "net" not in documented
    home = Html((site / "index.html").read_text(encoding="utf-8")).visible
    assert "AI use cases (public record): October 2026" in home  # the H1 follows the configuration's site_name
    assert "This is the public record : it lists the initiatives marked public, without cost and benefit figures." \
        in home
    assert "Cumulative cost" not in home and not re.search(r"USD\s*[0-9−-]", home)
    # no table or tile stands in a "withheld" for money: the columns and tiles are not there at all
    said = ["Cost and benefit figures are withheld from the public record.", "some fields are withheld.",
            "who approved it and why is withheld from the public record", "Withheld from the public record"]
    for path in site.rglob("*.html"):
        text = Html(path.read_text(encoding="utf-8")).visible
        for sentence in said:
            text = text.replace(sentence, "")
        assert "withheld" not in text and "At stake" not in text and "Net" not in text.split(), path


def test_report_and_export_follow_the_audience_too(sites, capsys):
    config = sites["public-config"]
    assert main(["report", "--format", "json", "--config", str(config), "--today", "2026-11"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["initiatives"] and "SNTLINTERNALNAME" not in out
    assert all(m not in out for m in MARKERS["owner_email"] + MARKERS["notes"] + MARKERS["evidence"])
    assert "financials" not in out and '"stake"' not in out
    assert main(["report", "--format", "csv", "--config", str(config), "--today", "2026-11"]) == 0
    header = capsys.readouterr().out.splitlines()[0].lstrip("\ufeff").replace('"', "").split(",")
    assert "net" not in header and "fields.vendor" not in header and "fields.topic_area" in header
    assert main(["report", "--config", str(config), "--today", "2026-11"]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split() == ["initiative", "stage", "verdict", "since", "primary", "KPI"]
    assert "cost and benefit withheld (public build)" in table and "USD" not in table
    book = config.parent / "public.xlsx"
    assert main(["export", "--format", "xlsx", "-o", str(book), "--config", str(config), "--today", "2026-11"]) == 0
    capsys.readouterr()
    sheets = {ws.title: [c.value for c in next(ws.iter_rows(max_row=1))] for ws in openpyxl.load_workbook(book)}
    assert sheets["Monthly figures"] == ["initiative", "month", "users"]
    assert not {"net", "cumulative_cost", "stake_monthly", "fields.vendor"} & set(sheets["Initiatives"])
    with zipfile.ZipFile(book) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist())
    assert [m for group in MARKERS.values() for m in group if m in xml] == [] and "7777777" not in xml


@pytest.mark.parametrize("value,expected", [
    ("everyone", "scorecard: error: mkdocs.yml: the scorecard option audience is 'everyone'; use internal or public"),
])
def test_an_unknown_audience_is_one_line(tmp_path, capsys, value, expected):
    config = fixture(tmp_path, "internal")
    config.write_text(config.read_text(encoding="utf-8").replace("      policy: policy.yml",
                                                                 f"      policy: policy.yml\n      audience: {value}"),
                      encoding="utf-8")
    code = main(["build", "--config", str(config), "--site-dir", str(tmp_path / "site"), "--today", "2026-11"])
    assert code == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == expected
    assert not (tmp_path / "site").exists()


def test_public_verdicts_rest_only_on_what_the_public_build_holds(sites):
    """Money withheld: the cost and benefit rules stand aside (no 'incomplete costs' from figures that were
    removed, no payback test on zeros), the score is the other four parts, and the methodology says so."""
    def judged(site: Path) -> dict[str, tuple[str, list[str]]]:
        report = json.loads((site / "scorecard.json").read_text(encoding="utf-8"))
        return {i["id"]: (i["verdict"], [r["rule"] for r in i["reasons"]]) for i in report["initiatives"]}

    internal, public = judged(sites["internal"]), judged(sites["public"])
    assert internal["contract-review"] == ("kill", ["no_payback", "pilot_purgatory", "decision_overdue"])
    # public, it says scale: the council's scale decision and the move to scaling in Apr 2026 stand to Sep (the
    # policy's follow-through), so it has waited only since Oct 2026, not yet overdue
    assert public == {"contract-review": ("scale", ["scale_ready", "pilot_purgatory"]),
                      "lead-scoring": ("kill", ["kpi_off_track", "pilot_purgatory", "governance_gap",
                                                "decision_overdue"]),
                      "service-triage": ("sustain", ["healthy"])}
    note = ("This public record holds no cost or benefit figures. Its verdicts are judged on what it publishes, "
            "so that each can be worked out from these pages")
    method = Html((sites["public"] / "methodology" / "index.html").read_text(encoding="utf-8")).visible
    assert note in method and "No payback, Incomplete costs and Business case short do not fire" in method
    assert note not in Html((sites["internal"] / "methodology" / "index.html").read_text(encoding="utf-8")).visible


def test_a_public_build_never_compares_with_another_scorecard(sites, tmp_path):
    """--previous (or the previous option) naming the internal scorecard.json would bring its initiatives and
    totals into the public Changes page and tiles: a public build compares with its own month before."""
    config, internal = sites["public-config"], sites["internal"] / "scorecard.json"
    site = tmp_path / "site"
    assert build(config, site, "--previous", str(internal)) == 0
    assert sorted(p.name for p in site.rglob("*")) == sorted(p.name for p in sites["public"].rglob("*"))
    for name in ("index.html", "changes/index.html", "search/search_index.json"):
        assert (site / name).read_bytes() == (sites["public"] / name).read_bytes(), name
    text = "\n".join(every_text(site).values())
    assert "SNTLINTERNALNAME" not in text and "sntl-internal-only" not in text


@pytest.mark.parametrize("command,what", [("pack", "board pack"), ("digest", "digest")])
def test_the_board_pack_and_digest_refuse_a_public_configuration(sites, tmp_path, capsys, command, what):
    extra = ["--output", str(tmp_path / "pack.pdf")] if command == "pack" else []
    code = main([command, "--config", str(sites["public-config"]), "--today", "2026-11", *extra])
    assert code == 1 and not (tmp_path / "pack.pdf").exists()
    assert capsys.readouterr().err.strip().splitlines() == [
        f"scorecard: error: the scorecard option audience is public, and a public record has no {what}; "
        "give --config the internal mkdocs.yml"]


def test_the_public_schema_and_methodology_name_no_withheld_field(sites):
    site = sites["public"]
    schema = json.loads((site / "initiative.schema.json").read_text(encoding="utf-8"))
    assert sorted(schema["properties"]["fields"]["properties"]) == ["topic_area"]
    method = Html((site / "methodology" / "index.html").read_text(encoding="utf-8")).visible
    assert "vendor (Vendor" not in method and "fields.vendor" not in method and "FieldPolicy" not in method
    assert "topic_area (Topic area, text)" in method and "1 of the organisation's own fields" in method
    internal = Html((sites["internal"] / "methodology" / "index.html").read_text(encoding="utf-8")).visible
    assert "vendor (Vendor, text), topic_area (Topic area, text)" in internal and "FieldPolicy" not in internal


def test_the_pull_request_diff_of_a_public_configuration_shows_only_the_public_record(tmp_path, capsys):
    config = fixture(tmp_path, "public")
    repo = config.parent

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo, check=True,
                       capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    (repo / "initiatives" / "sntl-internal-only.yaml").unlink()  # an internal initiative goes
    assert main(["diff", "--config", str(config), "--base", "HEAD", "--today", "2026-11", "--format", "json"]) == 0
    out = capsys.readouterr().out
    changes = json.loads(out)["changes"]
    assert "SNTLINTERNALNAME" not in json.dumps(changes) and not changes["removed"]  # not in the public record


def test_a_public_build_quotes_nothing_from_an_internal_file_in_its_log(tmp_path, capsys):
    config = fixture(tmp_path, "public")
    internal = config.parent / "initiatives" / "sntl-internal-only.yaml"
    text = internal.read_text(encoding="utf-8")
    internal.write_text(text.replace("name: SNTLINTERNALNAME ", "name: SNTLINTERNALNAME budget 9876543 # SNTLWARN ", 1),
                        encoding="utf-8")
    assert build(config, tmp_path / "site") == 0
    err = capsys.readouterr().err
    assert "SNTL" not in err and "9876543" not in err
    assert ("scorecard: 0 errors, 1 warning in 1 file not shown: the audience is public and they are not published; "
            "scorecard validate shows them") in err.splitlines()
    assert main(["validate", "--config", str(config)]) == 0  # the team still sees it where it works
    shown = capsys.readouterr()
    assert "sntl-internal-only.yaml:2:7: warning" in shown.out and "SNTLINTERNALNAME budget 9876543" in shown.out


UNSHOWN_ERROR = ("1 error, 0 warnings in 1 file not shown: the audience is public and they are not published; "
                 "scorecard validate shows them")


@pytest.mark.parametrize("fmt", ["standard", "github", "json"])
def test_a_public_build_names_no_internal_files_error_in_any_format(tmp_path, capsys, fmt):
    """An internal file's error stops a public build (no version from invalid data), and is counted, not quoted."""
    config = fixture(tmp_path, "public")
    internal = config.parent / "initiatives" / "sntl-internal-only.yaml"
    internal.write_text(internal.read_text(encoding="utf-8") + "canary_secret_key: SNTLVALUE\n", encoding="utf-8")
    args = ["--config", str(config), "--today", "2026-11"]
    assert main(["build", *args, "--site-dir", str(tmp_path / "site")]) == 1
    assert main(["report", *args]) == 1
    err = capsys.readouterr()
    assert "canary" not in err.err + err.out and "sntl" not in (err.err + err.out).lower()
    assert err.err.splitlines() == [f"13 files checked: 1 error, 0 warnings ({UNSHOWN_ERROR})"] * 2
    assert not (tmp_path / "site").exists()
    assert main(["report", *args, "--format", "json"]) == 1
    err = capsys.readouterr().err
    assert json.loads(err) == {"files": 13, "errors": 1, "warnings": 0, "problems": [],
                               "not_shown": {"errors": 1, "warnings": 0, "files": 1}}
    # the validator, which the team runs on its own files, still says where and what (in every format)
    assert main(["validate", "--config", str(config), "--format", fmt]) == 1
    assert "sntl-internal-only.yaml" in capsys.readouterr().out


def test_a_public_plain_mkdocs_build_counts_an_internal_error_too(tmp_path):
    config = fixture(tmp_path, "public")
    internal = config.parent / "initiatives" / "sntl-internal-only.yaml"
    internal.write_text(internal.read_text(encoding="utf-8") + "canary_secret_key: SNTLVALUE\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SCORECARD_TODAY": "2026-11"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(tmp_path / "site")],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert "canary" not in proc.stderr + proc.stdout and "sntl" not in (proc.stderr + proc.stdout).lower()
    assert UNSHOWN_ERROR in proc.stderr


def test_a_public_files_own_error_is_quoted_in_a_public_build(tmp_path, capsys):
    config = fixture(tmp_path, "public")
    public = next(p for p in sorted((config.parent / "initiatives").rglob("*.yaml"))
                  if "visibility: public" in p.read_text(encoding="utf-8"))
    public.write_text(public.read_text(encoding="utf-8") + "unknwon_key: 1\n", encoding="utf-8")
    assert main(["build", "--config", str(config), "--today", "2026-11", "--site-dir", str(tmp_path / "s")]) == 1
    err = capsys.readouterr().err
    assert "error [unknown-key] unknown key 'unknwon_key'" in err and public.name in err
    assert "not shown" not in err


def test_the_shipped_public_configuration_builds(tmp_path, capsys):
    """mkdocs.public.yml as shipped, beside the repository's mkdocs.yml, on the tests' own portfolio."""
    for name in ("mkdocs.yml", "mkdocs.public.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "docs").mkdir()
    shutil.copytree(FIXTURES / "portfolio", tmp_path / "initiatives")
    config = str(tmp_path / "mkdocs.public.yml")
    assert main(["build", "--config", config, "--site-dir", str(tmp_path / "empty"), "--today", "2026-11"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "scorecard: no initiative says visibility: public, so the public record is empty; add `visibility: public` "
        "to the files that may be published"]
    public = tmp_path / "initiatives" / "contract-review.yaml"
    public.write_text(public.read_text(encoding="utf-8") + "visibility: public\n", encoding="utf-8")
    assert main(["build", "--config", config, "--site-dir", str(tmp_path / "site"), "--today", "2026-11"]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == [f"built {tmp_path / 'site'} as of 2026-10: 1 initiative"] and out.err == ""
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "AI use cases (public record)" in home and "USD" not in Html(home).visible
