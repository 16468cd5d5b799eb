"""Public and internal builds: who the site is for decides what it holds.

An internal build (the default) holds every initiative and every figure. A public build (the plugin option
`audience: public`) holds only the initiatives marked `visibility: public`, and leaves out what the policy's
`public.withhold` lists. The fields are taken out of the initiatives themselves, after validation and
before anything is computed, so that no page, data file, export, search index or chart can hold them:
what is not there cannot leak. The verdicts of a public build are judged on what it holds: where money is
withheld, the policy says so (`Policy.for_public`) and the rules that test cost and benefit stand aside,
so a public verdict never rests on figures the reader cannot see, nor on zeros standing in for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from typing import TYPE_CHECKING

from scorecard.model import WITHHELD_TEXT, ControlStatus, Initiative
from scorecard.model import LoadedInitiative

if TYPE_CHECKING:
    from scorecard.config import Settings



def for_audience(settings: Settings, initiatives: Sequence[LoadedInitiative]) -> list[LoadedInitiative]:
    """What the settings' build holds: every initiative, or for `audience: public` the public view."""
    if settings.audience != "public":
        return list(initiatives)
    return public_view(initiatives, settings.policy().public.withhold)


def public_view(initiatives: Sequence[LoadedInitiative], withhold: Sequence[str]) -> list[LoadedInitiative]:
    """The public initiatives, each without what `withhold` lists."""
    return [LoadedInitiative(li.id, li.path, _public(li.model, set(withhold)))
            for li in initiatives if li.model.visibility == "public"]


def _public(ini: Initiative, withhold: set[str]) -> Initiative:
    update: dict[str, Any] = {}
    money, notes, evidence = "money" in withhold, "notes" in withhold, "evidence" in withhold
    if "business_case" in withhold or money:
        update["business_case"] = None
    if "owner_email" in withhold:
        update["owner"] = ini.owner.model_copy(update={"email": None})
        if ini.sponsor is not None:
            update["sponsor"] = ini.sponsor.model_copy(update={"email": None})
    months = {}
    for key, block in ini.months.items():
        changes: dict[str, Any] = {}
        if money:
            changes.update(costs=None, benefits=None)
        if notes:
            changes.update(note=None, restated=None)
        if evidence:
            changes["evidence"] = None
        months[key] = block.model_copy(update=changes) if changes else block
    update["months"] = months
    if notes:
        update["stage_history"] = [e.model_copy(update={"note": None}) for e in ini.stage_history]
        update["decisions"] = [d.model_copy(update={"note": None}) for d in ini.decisions]
        update["kpis"] = [k.model_copy(update={"restated": None}) for k in ini.kpis]
    if notes or evidence:
        governance: dict[str, Any] = {}
        for ident, value in ini.governance.items():
            if isinstance(value, ControlStatus):
                value = value.model_copy(update={**({"note": None} if notes else {}),
                                                 **({"evidence": None} if evidence else {})})
            elif isinstance(value, str) and notes and not _is_date(value):
                value = WITHHELD_TEXT  # a control recorded in words: done, its words withheld
            governance[ident] = value
        update["governance"] = governance
    if "exemption_details" in withhold:
        update["exemptions"] = [e.model_copy(update={"reason": WITHHELD_TEXT, "approved_by": WITHHELD_TEXT[:200]})
                                for e in ini.exemptions]
    hidden = {w.split(".", 1)[1] for w in withhold if w.startswith("fields.")}
    if hidden:
        update["fields"] = {k: v for k, v in ini.fields.items() if k not in hidden}
    return ini.model_copy(update=update)


def _is_date(text: str) -> bool:
    from scorecard.months import parse_date_month

    return parse_date_month(text) is not None
