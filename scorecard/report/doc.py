"""The report as a JSON document: what `scorecard.json` holds, and each initiative as one line of it.

A build that withholds money writes no money key at all (`withheld: [money]`),
rather than a null that would read as "no figure"; a report that withholds
nothing writes no `withheld` key. The JSON output, the site's search data and
the workbook all read this one document.
"""

from __future__ import annotations

import json
from typing import Any

from scorecard.report.build import MONEY_KEYS, PORTFOLIO_MONEY
from scorecard.report.model import Report


def report_doc(report: Report) -> dict[str, Any]:
    """The report as the JSON object `scorecard.json` holds."""
    exclude: dict[str, Any] = {} if report.withheld else {"withheld": True}
    if not report.money:
        money = {k: True for k in PORTFOLIO_MONEY}
        exclude["portfolio"] = {**money, "by_business_unit": {"__all__": money}}
        exclude["initiatives"] = {"__all__": {k: True for k in MONEY_KEYS}}
    return report.model_dump(mode="json", exclude=exclude)


def item_lines(report: Report) -> list[str]:
    """Each initiative as one line of JSON, as `to_json` writes it."""
    return [json.dumps(item, ensure_ascii=False) for item in report_doc(report)["initiatives"]]
