"""scorecard.csv: safe to open in a spreadsheet, numbers as numbers, the same on the site and from the CLI."""

from __future__ import annotations

import codecs
import csv
import io
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
import yaml
from builders import make, months
from sites import build, project

from scorecard.cli import main
from scorecard.rules.scorecard import compute_scorecard
from scorecard.months import parse_month
from scorecard.policy import Policy
from builders import to_csv, to_dict
from scorecard.model import LoadedInitiative

AS_OF = "2026-05"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
TEXT_COLUMNS = ("id", "name", "business_unit", "owner", "sponsor", "stage", "verdict", "primary_kpi",
                "primary_kpi_status", "payback_month", "projected_payback_month", "decision_overdue")
NUMBER_COLUMNS = ("score", "users", "cumulative_cost", "cumulative_benefit", "net", "roi_percent",
                  "months_since_update")


def hostile() -> list[LoadedInitiative]:
    """A formula in every text column, once for each dangerous first character; and a `-` before digits."""
    out = [make(f"hostile-{i}", name=f'{c}HYPERLINK("http://evil.example/{i}","click")',
                business_unit=f"{c}=cmd|' /C calc'!A0 unit {i}", owner={"name": f"{c}2+3+cmd|' /C calc'!A0"},
                sponsor={"name": f"{c}@SUM(1+1)*cmd|' /C calc'!A0"})
           for i, c in enumerate(DANGEROUS)]
    out.append(make("hostile-digits", name="-12", business_unit="-5", owner={"name": "-1.5"},
                    sponsor={"name": "+44 20 7946 0000"}))
    return out


def money() -> list[LoadedInitiative]:
    return [
        make("cents", month_blocks=months("2026-01", 3, users=lambda i: 7 * (i + 1),
                                          cost=lambda i: {"licenses": 1234.56, "people": 3000, "infrastructure": 500.1},
                                          benefit=lambda i: {"labor_savings": 6000.25})),
        make("whole", month_blocks=months("2026-01", 5)),
        make("losing", month_blocks=months("2026-01", 2, cost=lambda i: {"people": 2000.5},
                                           benefit=lambda i: {"labor_savings": 500})),
        make("nothing", sponsor=None, month_blocks={"2026-01": {"note": "kick-off"}}),
        make("unicode", name="Café Ünïcødé 財務ロボット 😀", business_unit="Finanças & Contrôle",
             owner={"name": "Zoë Ångström"}),
    ]


def csv_text(initiatives: list[LoadedInitiative]) -> str:
    return to_csv(compute_scorecard(initiatives, parse_month(AS_OF), Policy()))


def rows(text: str, **options: object) -> list[dict[str, object]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline=""), **options))


def neutral(text: str) -> str:
    """What OWASP says a text cell should hold: a `'` before a formula's first character."""
    return "'" + text if text[:1] in DANGEROUS else text


def cents(value: Decimal) -> str:
    q = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN).normalize()
    return format(q, "f")


def test_every_dangerous_first_character_in_every_text_column_is_neutralised():
    initiatives = hostile()
    read = {r["id"]: r for r in rows(csv_text(initiatives))}
    assert sorted(read) == sorted(li.id for li in initiatives)
    for li in initiatives:
        row, ini = read[li.id], li.model
        assert row["name"] == neutral(ini.name)
        assert row["owner"] == neutral(ini.owner.name)
        assert row["sponsor"] == neutral(ini.sponsor.name)
        assert row["business_unit"] == neutral(" ".join(ini.business_unit.split()))  # tidied: a leading tab goes
    assert read["hostile-0"]["name"] == "'=HYPERLINK(\"http://evil.example/0\",\"click\")"
    assert read["hostile-4"]["owner"] == "'\t2+3+cmd|' /C calc'!A0"
    assert read["hostile-5"]["sponsor"] == "'\r@SUM(1+1)*cmd|' /C calc'!A0"
    assert read["hostile-4"]["business_unit"] == "'=cmd|' /C calc'!A0 unit 4"
    digits = read["hostile-digits"]
    assert (digits["name"], digits["business_unit"], digits["owner"], digits["sponsor"]) == \
        ("'-12", "'-5", "'-1.5", "'+44 20 7946 0000")
    for row in read.values():
        for column in TEXT_COLUMNS:
            assert row[column][:1] not in DANGEROUS, (row["id"], column, row[column])


def test_text_cells_are_quoted_and_numbers_bare():
    text = csv_text(hostile() + money())
    typed = rows(text, quoting=csv.QUOTE_NONNUMERIC)  # unquoted cells come back as floats
    assert typed
    for row in typed:
        for column in TEXT_COLUMNS:
            assert isinstance(row[column], str), (row["id"], column)
        for column in NUMBER_COLUMNS:
            assert isinstance(row[column], float) or row[column] == "", (row["id"], column, row[column])
    line = next(line for line in text.splitlines() if line.startswith('"hostile-0"'))
    assert line.startswith('"hostile-0","\'=HYPERLINK(""http://evil.example/0"",""click"")",')


def test_numbers_are_written_as_the_exact_numbers():
    read = {r["id"]: r for r in rows(csv_text(money()))}
    cost, benefit = 3 * (Decimal("1234.56") + 3000 + Decimal("500.1")), 3 * Decimal("6000.25")
    assert (read["cents"]["cumulative_cost"], read["cents"]["cumulative_benefit"], read["cents"]["net"]) == \
        ("14203.98", "18000.75", "3796.77")
    assert read["cents"]["cumulative_cost"] == cents(cost) and read["cents"]["net"] == cents(benefit - cost)
    assert read["cents"]["roi_percent"] == cents(100 * (benefit / cost - 1)) == "26.73"
    assert read["cents"]["users"] == "21"
    assert read["cents"]["months_since_update"] == "2"  # updated 2026-03, as of 2026-05

    whole = read["whole"]
    assert (whole["cumulative_cost"], whole["cumulative_benefit"], whole["net"]) == ("22500", "30000", "7500")
    assert whole["roi_percent"] == cents(100 * (Decimal(30000) / 22500 - 1)) == "33.33"
    assert (whole["users"], whole["months_since_update"]) == ("50", "0")

    losing = read["losing"]
    assert (losing["cumulative_cost"], losing["net"]) == ("4001", "-3001")
    assert losing["roi_percent"] == cents(100 * (Decimal(1000) / Decimal("4001") - 1)) == "-75.01"

    nothing = read["nothing"]
    assert [nothing[c] for c in ("sponsor", "users", "roi_percent", "payback_month")] == ["", "", "", ""]
    assert (nothing["cumulative_cost"], nothing["net"]) == ("", "")  # not measured: no figures, not zero

    doc = {i["id"]: i for i in to_dict(compute_scorecard(money(), parse_month(AS_OF), Policy()))["initiatives"]}
    for ident, row in read.items():
        assert row["score"] == ("" if doc[ident]["score"] is None else str(doc[ident]["score"]))
        assert row["decision_overdue"] == ("true" if doc[ident]["decision_overdue"] else "false")
        for column in NUMBER_COLUMNS:
            assert not row[column].endswith(".0") and "e" not in row[column].lower(), (ident, column, row[column])


def test_negative_numbers_are_bare_numbers_not_prefixed_text():
    line = next(line for line in csv_text(money()).splitlines() if line.startswith('"losing"'))
    assert ",-3001," in line and ",-75.01," in line and "'-" not in line


def test_starts_with_a_bom_and_ends_lines_with_lf():
    text = csv_text(money())
    data = text.encode("utf-8")
    assert data.startswith(codecs.BOM_UTF8) and text.count("\ufeff") == 1
    assert "\r\n" not in text and text.endswith("\n")
    assert data.decode("utf-8-sig").splitlines()[0].split(",")[:3] == ['"id"', '"name"', '"business_unit"']


def test_non_ascii_text_round_trips():
    data = csv_text(money()).encode("utf-8")
    read = next(r for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")) if r["id"] == "unicode")
    assert (read["name"], read["business_unit"], read["owner"]) == \
        ("Café Ünïcødé 財務ロボット 😀", "Finanças & Contrôle", "Zoë Ångström")


def test_csv_header_names_roi_as_a_percent():
    header = next(csv.reader(io.StringIO(csv_text(money())[1:])))
    assert "roi_percent" in header and "roi" not in header


@pytest.mark.slow
def test_the_site_ships_what_report_format_csv_prints(tmp_path, capsys):
    initiatives = tmp_path / "initiatives"
    initiatives.mkdir()
    for li in hostile() + money():
        data = li.model.model_dump(mode="json", exclude_none=True)
        (initiatives / f"{li.id}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                                   encoding="utf-8")
    config = project(tmp_path, initiatives)
    assert main(["report", "--config", str(config), "--format", "csv", "--as-of", AS_OF]) == 0
    printed = capsys.readouterr().out
    assert build(config, tmp_path / "site", "--as-of", AS_OF) == 0
    shipped = (tmp_path / "site" / "scorecard.csv").read_bytes()
    assert shipped == printed.encode("utf-8")
    assert printed == csv_text(hostile() + money())


@pytest.mark.parametrize("text", [" =1+1", "\u00a0=1+1", "\x00=1+1", "\n=1+1", "\uff1d1+1", "  @SUM(A1)"])
def test_a_formula_behind_blanks_or_in_full_width_is_neutralised_too(text):
    from scorecard.cells import csv_cell
    assert csv_cell(text) == "'" + text
