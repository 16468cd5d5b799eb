"""The board pack (issue 14 §6): a real PDF, read back with poppler (pdftotext, pdffonts, pdfimages, pdftoppm).

Page images go to tests/artifacts/board-pack/ for a person to look at.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PORTFOLIO, ROOT
from sites import project

from scorecard import fmt
from scorecard.cli import main
from scorecard.rules.scorecard import compute_scorecard
from scorecard.months import parse_month
from scorecard.outputs.pack import PAGES, pack_context, pack_html, write_pack
from scorecard.policy import Policy
from builders import to_dict
from scorecard.report.build import build_report as report_of
from scorecard.validate.run import validate_paths

SHOTS = ROOT / "tests" / "artifacts" / "board-pack"

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="no poppler-utils (./dev test installs it)")


def card(folder: Path = PORTFOLIO, month: str = "2026-10"):
    result = validate_paths([folder], today=parse_month("2026-11"), base=folder)
    return compute_scorecard(result.initiatives, parse_month(month), Policy())


def pages_text(pdf: Path) -> list[str]:
    """Each page's text in reading order (not -layout: the decisions page has two columns side by side)."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack") / "board-pack.pdf"
    write_pack(report_of(card()), None, out, site_name="Example Corp AI scorecard")
    return out


def test_the_pack_has_a_cover_the_decisions_the_portfolio_and_a_page_per_decision(pack):
    doc = to_dict(card())
    pages = [one_line(p) for p in pages_text(pack)]
    decide = [i for i in doc["initiatives"] if i["verdict"] in ("scale", "kill")]
    assert len(pages) == 3 + min(len(decide), PAGES)
    assert pages[0].startswith("Example Corp AI scorecard Board pack · October 2026")
    assert f"{doc['portfolio']['initiatives']} initiatives, {doc['portfolio']['active']} active." in pages[0]
    assert pages[1].startswith("Decisions, Oct 2026")
    for item in decide:  # every decision on the decisions page, with its money a month
        stake = item["stake"]["monthly"]
        assert item["name"] in pages[1], item["name"]
        assert fmt.money(stake, "USD") in pages[1], item["name"]  # one sign on every page (issue 22 §3)
    for verdict in ("scale", "kill"):
        total = doc["portfolio"]["stake_by_verdict"][verdict]["monthly"]
        assert f"{fmt.money(total, 'USD')} a month at stake" in pages[1]
    assert pages[2].startswith("The portfolio, Oct 2026")
    assert fmt.money(doc["portfolio"]["net"], "USD") in pages[2]
    by_money = sorted(decide, key=lambda i: (-abs(i["stake"]["monthly"]), i["id"]))
    for page, item in zip(pages[3:], by_money):  # the most money at stake first, each page led by its name
        assert page.startswith(f"{item['name']} {item['business_unit']} · {item['stage']} · owner {item['owner']}")
        assert item["verdict"].upper() in page
        for reason in item["reasons"]:
            assert fmt.months_in_prose(reason["message"]).split(":")[-1].strip()[:30] in page
    assert all(p.rstrip().endswith(f"Page {n} of {len(pages)}") for n, p in enumerate(pages, 1) if n > 1)


def test_the_charts_are_vectors_and_the_fonts_are_embedded(pack):
    images = subprocess.run(["pdfimages", "-list", str(pack)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) == 2  # the header only: no raster image anywhere
    fonts = subprocess.run(["pdffonts", str(pack)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column
    # the charts' words are text in the PDF, drawn from the same specs as the site's charts
    pages = [one_line(p) for p in pages_text(pack)]
    assert "Stage funnel by cohort: reached and there now" in pages[2] and "entered at this stage" in pages[2]
    assert "Cumulative cost and benefit (USD)" in pages[3]
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pack), str(SHOTS / "page")], check=True)
    shots = sorted(SHOTS.glob("page-*.png"))
    assert len(shots) == len(pages) and all(s.stat().st_size > 5_000 for s in shots)


def test_the_same_month_gives_the_same_bytes(pack, tmp_path):
    again = tmp_path / "again.pdf"
    write_pack(report_of(card()), None, again, site_name="Example Corp AI scorecard")
    assert again.read_bytes() == pack.read_bytes()


def test_the_pack_fetches_nothing_and_hostile_text_stays_text(tmp_path):
    hostile = ROOT / "tests" / "fixtures" / "hostile"
    html = pack_html(pack_context(report_of(card(hostile)), None))
    assert "<script" not in html.split("<body>", 1)[1].lower()
    templates = tmp_path / "pages"  # a template that asks for a local file and a remote one gets neither
    templates.mkdir()
    source = (ROOT / "site_templates" / "pages" / "board-pack.html.j2").read_text(encoding="utf-8")
    (templates / "board-pack.html.j2").write_text(source.replace(
        "<body>", '<body><img src="file:///etc/hostname"><img src="http://127.0.0.1:9/x.png">'
                  '<link rel="stylesheet" href="file:///etc/hostname">', 1), encoding="utf-8")
    out = tmp_path / "pack.pdf"
    write_pack(report_of(card(hostile)), None, out, [templates, ROOT / "site_templates" / "pages"])
    images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) == 2
    text = one_line("".join(pages_text(out)))
    names = [i["name"] for i in to_dict(card(hostile))["initiatives"] if i["verdict"] in ("scale", "kill")]
    assert names  # the hostile portfolio has decisions: their pages hold the payloads as text
    for name in names[:3]:
        assert one_line(name)[:20] in text, name


def test_scorecard_pack_writes_the_month_asked_for(tmp_path, capsys):
    config = project(tmp_path, PORTFOLIO)
    out = tmp_path / "pack.pdf"
    assert main(["pack", "--config", str(config), "--as-of", "2026-09", "--output", str(out)]) == 0
    assert capsys.readouterr().err == f"wrote {out} as of 2026-09\n"
    assert "Board pack · September 2026" in one_line(pages_text(out)[0])


def test_without_pango_the_pack_says_what_to_install_and_the_build_goes_on(tmp_path):
    config = project(tmp_path, PORTFOLIO)
    fake = tmp_path / "no-pango" / "weasyprint"  # imports the way WeasyPrint does when Pango is not installed
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise OSError(\"cannot load library 'libpango-1.0-0': libpango-1.0-0: "
                                      "cannot open shared object file: No such file or directory\")\n")
    env = {"NO_MKDOCS_2_WARNING": "1", "SCORECARD_TODAY": "2026-11", "PATH": "/usr/bin:/bin",
           "PYTHONPATH": str(fake.parent)}
    scorecard = [sys.executable, "-m", "scorecard"]
    run = subprocess.run([*scorecard, "pack", "--config", str(config), "--as-of", "2026-10", "--output",
                          str(tmp_path / "p.pdf")], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == ("scorecard: error: the board pack needs the Pango library for WeasyPrint (Debian or Ubuntu: "
                          "apt-get install libpango-1.0-0 libpangoft2-1.0-0): cannot load library 'libpango-1.0-0': "
                          "libpango-1.0-0: cannot open shared object file: No such file or directory\n")
    assert not (tmp_path / "p.pdf").exists()
    site = tmp_path / "site"
    run = subprocess.run([*scorecard, "build", "--config", str(config), "--as-of", "2026-10", "--site-dir", str(site)],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "WARNING -  no board-pack.pdf in the site: the board pack needs the Pango library" in run.stderr
    assert (site / "index.html").is_file() and not (site / "board-pack.pdf").exists()


def test_every_build_puts_the_pack_in_the_site_and_the_home_page_links_it(example_site):
    pdf = example_site / "board-pack.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    doc = json.loads((example_site / "scorecard.json").read_text(encoding="utf-8"))
    assert pages_text(pdf)[1].split()[:3] == ["Decisions,", "Oct", "2026"] and doc["as_of"] == "2026-10"
    assert 'href="board-pack.pdf">Board pack (PDF)</a>' in (example_site / "index.html").read_text(encoding="utf-8")
