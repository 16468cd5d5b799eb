"""`scorecard.json`: the typed report as JSON, one line per initiative (quick to write and to diff).

The document is `scorecard.report.doc`'s; this module only lays it out.
"""

from __future__ import annotations

import json
from scorecard.report.doc import report_doc
from scorecard.report.model import Report


def to_json(report: Report) -> str:
    doc = report_doc(report)
    items = doc.pop("initiatives")
    head = json.dumps(doc, ensure_ascii=False)
    body = ",\n".join(json.dumps(item, ensure_ascii=False) for item in items)
    return head[:-1] + ',\n"initiatives": [\n' + body + "\n]}\n"
