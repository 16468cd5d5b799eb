"""Rendering helpers: escaping, HTML blocks kept from Markdown, chart data."""

from __future__ import annotations

import json

import markdown

from scorecard.render.blocks import restore, stash
from scorecard.render.charts import columns
from scorecard.render.escape import html_text, json_script, md_inline, safe_url


def test_html_text_escapes_markup_and_braces():
    assert html_text('<b a="1">{{ x }}</b> & \'') == \
        "&lt;b a=&#34;1&#34;&gt;&#123;&#123; x &#125;&#125;&lt;/b&gt; &amp; &#39;"


def test_md_inline_leaves_no_markdown_syntax():
    text = "*a* [b](javascript:x) {: onclick=y } <i>"
    rendered = markdown.markdown("# " + md_inline(text), extensions=["attr_list"])
    assert rendered == "<h1>" + str(md_inline(text)) + "</h1>"
    assert "<em>" not in rendered and "<a" not in rendered and "onclick=" not in rendered.replace("onclick&#61;", "")


def test_json_script_has_no_markup_and_reads_back():
    value = {"t": "</script><!-- & \u2028"}
    text = json_script(value)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value


def test_safe_url_allows_only_http_and_https_and_percent_encodes_the_rest():
    assert safe_url("https://a.example/x?y=1&z=2") == "https://a.example/x?y=1&z=2"
    assert safe_url("HTTPS://wiki.example.com/AP/Sean's+notes?$filter=Unit%20eq%20'AP'") == \
        "HTTPS://wiki.example.com/AP/Sean's+notes?$filter=Unit%20eq%20'AP'"
    assert safe_url('http://x"y<b>`{|}\\^caf\u00e9') == "http://x%22y%3Cb%3E%60%7B%7C%7D%5C%5Ecaf%C3%A9"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:x", "data:text/html,x", "//evil.example", "https://a b",
                "https://a\x00b", "https://a\u2028b", " https://a.example", "https://"):
        assert safe_url(bad) is None, bad


def test_mailto_and_edit_links_are_percent_encoded():
    from scorecard.render.escape import attribute, edit_link, mailto
    assert mailto("sean.o'brien@example.com") == "mailto:sean.o'brien@example.com"
    assert mailto("a?cc=x@evil.example") == "mailto:a%3Fcc%3Dx@evil.example"
    assert mailto("a@b.c\nBcc: d@e.f") is None
    url = edit_link('https://git.example/edit/main/{path}?q="x"', "initiatives/a b\"<x>.yaml")
    assert url == "https://git.example/edit/main/initiatives/a%20b%22%3Cx%3E.yaml?q=%22x%22"
    assert attribute("https://x.example/?a=1&b='2'") == "https://x.example/?a=1&amp;b=&#39;2&#39;"


def test_stashed_blocks_come_back_unchanged_and_markdown_sees_only_headings():
    page = "# Title\n\n<div class=\"x\">\n<p>one</p>\n\n</div>\n\n## Part\n\n<table><tr><td>*not em*</td></tr></table>\n"
    text, blocks = stash(page)
    assert text == "# Title\n\n<!--scorecard-block-0-->\n\n## Part\n\n<!--scorecard-block-1-->\n"
    html = restore(markdown.markdown(text), blocks)
    assert html == markdown.markdown(page)  # the same page, Markdown never parsed the blocks


def test_a_block_with_blank_lines_inside_stays_one_block():
    page = "<div>\n\n*raw* text\n\n<div>inner</div>\n\n</div>\n\nafter *em*\n"
    text, blocks = stash(page)
    assert text == "<!--scorecard-block-0-->\n\nafter *em*\n" and len(blocks) == 1
    assert restore(markdown.markdown(text), blocks) == markdown.markdown(page)
    assert stash("<hr>\n\n*em*\n")[0] == "<!--scorecard-block-0-->\n\n*em*\n"  # a void tag closes itself


def test_columns_halves_repeated_keys():
    rows = [{"month": "2026-01", "value": 1}, {"month": "2026-02", "value": 2}]
    assert columns(rows) == {"month": ["2026-01", "2026-02"], "value": [1, 2]}
    assert columns([]) == []
