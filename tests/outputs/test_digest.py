"""The digest (issue 14 §7): this month's decisions with their money, what changed and what is overdue."""

from __future__ import annotations

from conftest import PORTFOLIO
from scorecard import fmt
from scorecard.cli import main
from scorecard.outputs.digest import digest_markdown
from scorecard.rules.scorecard import compute_scorecard
from scorecard.months import parse_month
from scorecard.policy import Policy
from builders import to_dict
from scorecard.report.read import parse_report
from scorecard.validate.run import validate_paths

URL = "https://example-org.github.io/ai-scorecard/"


def cards():
    result = validate_paths([PORTFOLIO], today=parse_month("2026-11"), base=PORTFOLIO)
    return [to_dict(compute_scorecard(result.initiatives, parse_month(m), Policy())) for m in ("2026-10", "2026-09")]


def digest(current, previous):
    """The digest of two report documents (as scorecard.json holds them), read through the typed model."""
    return digest_markdown(parse_report(current), parse_report(previous), URL)


def test_the_digest_names_each_decision_with_its_money_and_links_into_the_site():
    current, previous = cards()
    text = digest(current, previous)
    assert text.startswith("# AI initiative scorecard: October 2026\n\nAs of Oct 2026: 12 initiatives, 10 active;")
    # one sign (issue 22 §3): what following the verdict is worth a month, as on the site's cards
    assert "−USD" not in text.split("## Changed")[0]  # the example's kills all burn: stopping them avoids it
    for verdict in ("scale", "kill"):
        total = current["portfolio"]["stake_by_verdict"][verdict]
        items = [i for i in current["initiatives"] if i["verdict"] == verdict]
        words = "the net that reaching target users adds" if verdict == "scale" else "the net burn that stopping them avoids"
        assert total["losing"] == 0  # so the gains are the total
        assert f"- **{verdict.title()} {len(items)}**: {fmt.money(total['monthly'], 'USD')} a month at stake: {words}" in text
        for item in items:
            line = next(ln for ln in text.splitlines() if f"{URL}initiatives/{item['id']}/)" in ln)
            n = item["waiting_months"]  # the one "since" (issue 22 §6): waiting since, as on the site
            assert (f": {fmt.money(item['stake']['monthly'], 'USD')} a month, {item['stake']['label']}; waiting since "
                    f"{fmt.month_name(item['waiting_since'])} ({n} {'month' if n == 1 else 'months'})") in line
            assert item["waiting_since"] not in line  # months in words: "since May 2026", never 2026-05
    moved = [v for v in current["initiatives"] if v["verdict"] != next(
        p["verdict"] for p in previous["initiatives"] if p["id"] == v["id"])]
    assert "## Changed since Sep 2026" in text
    for item in moved:
        assert f"initiatives/{item['id']}/)" in text.split("## Changed since Sep 2026")[1]
    assert len(text.splitlines()) < 40  # short enough for an e-mail or a chat post


def test_text_from_a_file_is_inert_markdown_in_the_digest():
    current, previous = cards()
    victim = next(i for i in current["initiatives"] if i["verdict"] == "kill")
    victim["name"] = "[click](javascript:alert(1)) <img src=x onerror=alert(1)> **bold**"
    text = digest(current, previous)
    assert "javascript:alert" not in text.replace("javascript&#58;", "") and "<img" not in text and "**bold**" not in text
    assert "&#91;click&#93;&#40;javascript&#58;alert&#40;1&#41;&#41; &#60;img" in text


def test_every_build_writes_the_digest_that_scorecard_digest_prints(example_site, capsys):
    config = example_site.parent / "mkdocs.yml"
    assert main(["digest", "--as-of", "2026-10", "--config", str(config)]) == 0
    printed = capsys.readouterr().out
    assert (example_site / "digest.md").read_text(encoding="utf-8") == printed
    assert "## Decide this month" in printed
