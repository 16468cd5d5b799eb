"""The pull-request check's outputs: the comment (Markdown, from `site_templates/markdown/pull-request.md.j2`)
and the JSON of `scorecard diff --format json`.

Everything from a file (paths, keys, values, names, messages) is escaped by the Markdown environment
(`scorecard.render.markdown`), so it cannot end a table cell, open a code span or start a line.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from markupsafe import Markup

from scorecard.diff.model import Diff, is_not_applicable
from scorecard.render.escape import md_inline
from scorecard.render.markdown import code, markdown_environment
from scorecard.report.model import InitiativeReport

STATUS_WORDS = {"A": "added", "M": "changed", "D": "deleted", "T": "changed type"}
TEMPLATE = "pull-request.md.j2"


def _where(path: str, line: int | None) -> Markup:
    return code(path if line is None else f"{path}:{line}")


def _reason(reason: str | None) -> Markup:
    return md_inline(reason) if reason else Markup("**no reason given**")


def to_markdown(d: Diff) -> str:
    env = markdown_environment()
    env.filters.update(where=_where, reason=_reason)
    errors = sum(p.level == "error" for p in d.problems)
    text = env.get_template(TEMPLATE).render(d=d, errors=errors, status_words=STATUS_WORDS,
                                             is_not_applicable=is_not_applicable)
    return text.rstrip("\n") + "\n"


def _printable(text: str) -> str:
    """`text` with any lone surrogate (a file name that is not UTF-8) as U+FFFD, so that it can be written out."""
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


def to_json(d: Diff) -> str:
    changes = None
    if d.changes is not None:
        def brief(item: InitiativeReport) -> dict[str, Any]:
            return {"id": item.id, "name": item.name, "verdict": item.verdict, "score": item.score}
        c = d.changes
        changes = {
            "new": [brief(i) for i in c["new"]], "removed": [brief(i) for i in c["removed"]],
            "verdicts": [{**brief(v["item"]), "before": v["before"], "after": v["after"],
                          "score_before": v["score_before"], "score_after": v["score_after"],
                          "reasons": [r.message for r in v["item"].reasons if r.verdict == v["after"]]}
                         for v in c["verdicts"]],
            "reviews": [{**brief(r["item"]), "ruled": r["ruled"]} for r in c.get("reviews", [])],
            "stages": [{"id": s["item"].id, "before": s["before"], "after": s["after"]} for s in c["stages"]],
            "kpis": [{"id": k["item"].id, "kpi": k["kpi"], "before": k["before"], "after": k["after"]}
                     for k in c["kpis"]],
        }
    return _printable(json.dumps({
        "base": d.base, "commit": d.commit, "as_of": d.as_of, "files": [asdict(c) for c in d.files],
        "problems": [asdict(p) for p in d.problems], "months_added": d.months_added,
        "restatements": [asdict(r) for r in d.restatements], "goalposts": [asdict(g) for g in d.goalposts],
        "not_applicable": [asdict(n) for n in d.not_applicable],
        "removals": [asdict(r) for r in d.removals], "changes": changes,
    }, indent=2, ensure_ascii=False, default=str)) + "\n"
