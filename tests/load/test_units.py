"""Business units: one unit however it is written, one stable page each, never over a generated page."""

from __future__ import annotations

import csv
import hashlib
import io
import re

from builders import make
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.compute.portfolio import similar_pairs
from scorecard.rules.scorecard import compute_scorecard
from scorecard.months import parse_month
from scorecard.policy import Policy
from scorecard.problem import Problem
from scorecard.render.pages import SiteOptions
from builders import site_pages, to_csv, to_dict
from scorecard.load.units import spelling_problems, spellings, unit_key, unit_slug, unit_slugs

AS_OF = parse_month("2026-10")
OPTIONS = SiteOptions()
SALES = ["Sales", "sales", "Sales ", "SALES", "  sales\t", "Ｓａｌｅｓ", "Sales\u200b"]


def card(units: list[str]):
    return compute_scorecard([make(f"i{n}", business_unit=u) for n, u in enumerate(units)], AS_OF, Policy())


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]


def test_names_that_differ_in_case_spacing_width_or_invisible_characters_are_one_unit():
    assert {unit_key(u) for u in SALES} == {"sales"}
    assert unit_key("  Sales \t  Ops ") == unit_key("sales ops") == "sales ops"
    assert unit_key("Straße") == unit_key("STRASSE")
    assert unit_key("Sales Ops") != unit_key("SalesOps")
    assert {unit_slug(u) for u in SALES} == {"sales"}


def test_slugs_are_transliterated():
    assert unit_slug("Finanças & Contrôle") == "financas-controle"
    assert unit_slug("Øresund Łódź Æther") == "oresund-lodz-aether"
    assert unit_slug("Customer  Service") == "customer-service"


def test_a_name_with_nothing_left_after_transliteration_gets_a_hash_slug():
    assert unit_slug("財務") == f"unit-{short_hash('財務')}"
    assert re.fullmatch(r"unit-[0-9a-f]{6}", unit_slug("財務"))
    assert unit_slug("営業") != unit_slug("財務")
    assert unit_slugs(["財務", "営業", "Zeta"])["財務"] == unit_slugs(["財務"])["財務"] == unit_slug("財務")


def test_a_unit_never_takes_a_generated_page():
    slugs = unit_slugs(["Index", "index", "README", "Sales"])
    assert slugs["Index"] == slugs["index"] == f"index-{short_hash('index')}"
    assert slugs["README"] == f"readme-{short_hash('readme')}"
    assert "index" not in slugs.values()


def test_different_units_with_the_same_transliteration_get_distinct_stable_slugs():
    slugs = unit_slugs(["Café", "Cafe", "CAFE"])
    assert slugs["Cafe"] == slugs["CAFE"] == "cafe"
    assert slugs["Café"] == f"cafe-{short_hash('café')}"
    # a unit named like another's suffixed slug keeps its plain slug; the suffixed one takes a longer hash
    squatter = f"cafe {short_hash('café')}"
    slugs = unit_slugs(["Café", "Cafe", squatter])
    assert slugs[squatter] == f"cafe-{short_hash('café')}"
    assert slugs["Café"] == "cafe-" + hashlib.sha256("café".encode()).hexdigest()[:12]
    assert len(set(slugs.values())) == 3


def test_adding_units_moves_no_other_unit():
    units = ["Sales", "Finanças & Contrôle", "財務", "Index", "Legal"]
    before = unit_slugs(units)
    assert before == {"Sales": "sales", "Finanças & Contrôle": "financas-controle", "Legal": "legal",
                      "財務": f"unit-{short_hash('財務')}", "Index": f"index-{short_hash('index')}"}
    for added in ("SALES", "sales ", "Aardvark", "Zeta", "営業", "Finance", "A" * 300, "Index 2"):
        after = unit_slugs([*units, added])
        assert {u: after[u] for u in units} == before, added
    assert unit_slugs([*units, "SALES"])["SALES"] == "sales"


NAMES = st.text(alphabet="aAáÁeé 財-&.", min_size=1, max_size=6).filter(lambda s: s.strip())


@settings(max_examples=300, deadline=None)
@given(st.lists(NAMES, max_size=8), NAMES)
def test_a_page_moves_only_when_the_newcomer_takes_its_exact_address(existing, new):
    before, after = unit_slugs(existing), unit_slugs([*existing, new])
    for name in existing:
        if before[name] != after[name]:
            assert after[new] == before[name], (name, new)
    by_key: dict[str, set[str]] = {}
    for name, slug in after.items():
        by_key.setdefault(unit_key(name), set()).add(slug)
    assert all(len(s) == 1 for s in by_key.values())
    assert len({next(iter(s)) for s in by_key.values()}) == len(by_key)  # one slug per unit, no two alike
    assert not {"index", "readme"} & set(after.values())


def test_a_unit_is_shown_with_its_most_common_spelling_ties_to_sort_order():
    assert set(spellings(["Sales", "sales", "Sales ", "SALES"]).values()) == {"Sales"}  # 'Sales ' counts as 'Sales'
    assert set(spellings(["sales", "SALES", "Sales"]).values()) == {"SALES"}  # a tie: first in code-point order
    assert spellings(["Legal", "Sales"]) == {"Legal": "Legal", "Sales": "Sales"}
    names = ["b", "B", "B", "a"]
    assert spellings(names) == spellings(list(reversed(names)))


def test_the_roll_up_has_one_row_per_unit_with_one_spelling():
    units = ["Sales", "sales", "Sales ", "SALES", "Finanças & Contrôle", "財務", "Index", "Index"]
    c = card(units)
    by_unit = c.portfolio["by_business_unit"]
    assert list(by_unit) == ["Finanças & Contrôle", "Index", "Sales", "財務"]
    assert [t["initiatives"] for t in by_unit.values()] == [1, 2, 4, 1]
    assert by_unit["Sales"]["cumulative_cost"] == 4 * by_unit["財務"]["cumulative_cost"]
    assert {i["business_unit"] for i in to_dict(c)["initiatives"]} == set(by_unit)
    assert {r["business_unit"] for r in csv.DictReader(io.StringIO(to_csv(c)[1:], newline=""))} == set(by_unit)


def test_look_alike_units_are_not_flagged_as_duplicated_effort_across_units():
    items = [("a", "Sales", "invoice matching robot for suppliers"),
             ("b", "sales ", "invoice matching robot for suppliers"),
             ("c", "Legal", "invoice matching robot for suppliers")]
    assert [(p["a"], p["b"]) for p in similar_pairs(items, 0.5)] == [("a", "c"), ("b", "c")]


def test_render_site_keeps_the_units_index_and_gives_each_unit_one_page():
    units = ["Sales", "sales", "Sales ", "SALES", "Finanças & Contrôle", "財務", "Index"]
    out = site_pages(card(units), None, OPTIONS)
    pages = sorted(p for p in out if p.startswith("units/"))
    assert pages == sorted(["units/index.md", "units/sales.md", "units/financas-controle.md",
                            f"units/unit-{short_hash('財務')}.md", f"units/index-{short_hash('index')}.md"])
    index = out["units/index.md"]
    assert "# Business units" in index and "# Index" not in index
    for slug in ("sales", "financas-controle", f"unit-{short_hash('財務')}", f"index-{short_hash('index')}"):
        assert f'href="{slug}/"' in index, slug
    assert index.split("---\n", 2)[-1].startswith("# Business units\n")  # after the front matter
    assert out[f"units/index-{short_hash('index')}.md"].startswith("# Index\n")
    sales = out["units/sales.md"]
    assert sales.startswith("# Sales\n")
    assert all(f"initiatives/i{n}/" in sales for n in range(4)) and "initiatives/i4/" not in sales
    assert 'href="../../units/sales/"' in out["initiatives/i1.md"]  # written 'sales', linked to the one page


def test_adding_a_unit_moves_no_page_on_the_site():
    before = {p for p in site_pages(card(["Sales", "財務", "Finanças & Contrôle"]), None, OPTIONS)
              if p.startswith("units/")}
    after = {p for p in site_pages(card(["Sales", "財務", "Finanças & Contrôle", "SALES", "Aardvark", "営業"]),
                                    None, OPTIONS) if p.startswith("units/")}
    assert before <= after and len(after - before) == 2


def test_spelling_problems_warn_each_file_that_spells_its_unit_differently():
    units = {"a": "Sales", "b": "Sales", "c": "Sales", "d": "sales", "e": "Sales ", "f": "Legal"}
    initiatives = [make(ident, business_unit=unit) for ident, unit in units.items()]
    problems = spelling_problems(initiatives)
    assert [p.path for p in problems] == ["d.yaml", "e.yaml"]
    assert all(isinstance(p, Problem) and (p.line, p.column, p.level, p.rule) == (1, 1, "warning", "unit-spelling")
               for p in problems)
    assert problems[0].message == "business unit 'sales' is written 'Sales' in 4 other files; use one spelling"
    assert problems[0].hint.startswith("write 'Sales': units are compared without regard to case and spacing")
    assert problems[1].message == ("business unit 'Sales ' is shown as 'Sales': they differ only in spaces, "
                                   "invisible characters or Unicode encoding")
    assert spelling_problems([make("a", business_unit="Sales"), make("b", business_unit="Legal")]) == []


def test_spelling_problems_show_invisible_characters():
    problems = spelling_problems([make("a", business_unit="Sales"), make("b", business_unit="Sales\u200b\t")])
    assert [p.message for p in problems] == ["business unit 'Sales\\u200b\\t' is shown as 'Sales': they differ only "
                                             "in spaces, invisible characters or Unicode encoding"]
