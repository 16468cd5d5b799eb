"""Governance catalogues: the controls an organisation governs AI against, each with its reference.

Three presets ship with the tool; a policy file picks one (`governance.preset`) and may add controls,
override a preset control, and say which controls each risk tier requires. Every reference was checked
against the framework's own text: NIST AI RMF 1.0 (NIST AI 100-1, Tables 2-4), OMB memorandum M-25-21
(April 2025; the minimum practices for high-impact AI are in Section 4(b) of its appendix) and
Regulation (EU) 2024/1689 (the AI Act). OMB's independent review is part of the impact assessment
practice, 4(b)(ii), so its reference stops there.
"""

from __future__ import annotations

from dataclasses import dataclass

TIERS = ("low", "medium", "high")
UNKNOWN_TIER = "unknown"


def governed_tier(tier: str) -> str:
    """The tier whose controls apply: an unknown tier (a register that did not say) is governed as the strictest."""
    return TIERS[-1] if tier == UNKNOWN_TIER else tier


@dataclass(frozen=True)
class Control:
    id: str
    name: str
    """Its plain-language name."""
    description: str = ""
    references: tuple[str, ...] = ()
    """Where the framework asks for it, e.g. `EU AI Act Art. 9`."""
    kind: str = "date"
    """`date`: recorded as the date it was done; `text`: may be recorded as words (a process described)."""
    max_age_months: int | None = None
    """Redo it after this many months (None: the policy's `governance.max_age_months`)."""


FIELD_TYPES = ("text", "number", "date", "choice", "url", "email")


@dataclass(frozen=True)
class FieldSpec:
    """A field of the organisation's own register (the policy's `fields:`), recorded under an initiative's `fields:`."""

    id: str
    name: str
    """Its plain-language name, shown on the initiative page and as a table filter."""
    type: str = "text"
    """text, number, date (YYYY-MM or YYYY-MM-DD), choice (one of `choices`), url or email."""
    choices: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Catalogue:
    """What the policy lets an initiative record: governance controls (with the ones each risk tier requires)
    and the organisation's own fields. Validation, the compute and the site all read it."""

    preset: str
    controls: tuple[Control, ...]
    required: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
    """The control ids required at risk tier low, medium and high."""
    fields: tuple[FieldSpec, ...] = ()
    """The organisation's own fields, in the policy's order."""
    stage_requirements: str = "error"
    """How a missing sponsor or KPI from scaling on is reported: `error` or `warning` (an imported register)."""
    jump_factor: float = 10.0
    """A month's cost, benefit or users this many times the month before's (or a tenth of it) is probably a slip."""
    users_over_target: float = 2.0
    """Active users above this many times the target users are probably a slip (events, not people)."""
    jump_from_users: int = 50
    """A jump in users is checked only from this many users in the earlier month on."""
    milestone_max_months: int = 24
    """A decision's milestone is due at most this many months after the decision (`decisions.milestone_max_months`)."""
    metrics: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The policy's metrics that `pull:` may bind, each with the parameters an initiative gives it."""

    def field(self, ident: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.id == ident), None)

    def get(self, ident: str) -> Control | None:
        return next((c for c in self.controls if c.id == ident), None)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.controls)

    def required_for(self, tier: str) -> tuple[str, ...]:
        """The controls a tier requires; an unknown tier is governed as the strictest."""
        return self.required[TIERS.index(governed_tier(tier))]

    def name(self, ident: str) -> str:
        control = self.get(ident)
        return control.name if control else ident


PRESETS: dict[str, Catalogue] = {
    'default': Catalogue('default', (
        Control('risk_assessment', 'AI risk assessment',
                'The likely benefits and harms of the AI system, and how likely and how severe each one is, are identified and documented before launch.',
                ('NIST AI RMF MAP 5.1',)),
        Control('privacy_review', 'Privacy and data-protection review',
                'The privacy risks of the AI system, including how it collects, uses and could expose personal data, are examined and documented.',
                ('NIST AI RMF MEASURE 2.10',)),
        Control('bias_assessment', 'Bias and fairness assessment',
                'The system is checked for unfair or biased results across the groups of people it affects, and the results are documented.',
                ('NIST AI RMF MEASURE 2.11',)),
        Control('monitoring', 'Live drift and quality monitoring',
                'The behaviour and output quality of the system are monitored while it runs in production, so that drift or degradation is caught.',
                ('NIST AI RMF MEASURE 2.4',)),
        Control('rollback_plan', 'Approved rollback plan',
                'An approved plan with named owners exists to switch off, roll back or replace the system if it performs outside its intended use.',
                ('NIST AI RMF MANAGE 2.4',)),
        Control('human_review', 'Human review and redress process',
                "A written process lets affected people report problems, have the system's decisions reviewed by a person, and appeal the outcome.",
                ('NIST AI RMF MEASURE 3.3',), kind="text"),
    ), (
        ('risk_assessment',),
        ('risk_assessment', 'privacy_review', 'monitoring', 'rollback_plan'),
        ('risk_assessment', 'privacy_review', 'monitoring', 'rollback_plan', 'bias_assessment', 'human_review'),
    )),
    'omb-m-25-21': Catalogue('omb-m-25-21', (
        Control('pre_deployment_testing', 'Pre-deployment testing',
                'The AI is tested before deployment under conditions that reflect its expected real-world use, and plans to reduce the risks found are prepared.',
                ('OMB M-25-21 Appendix §4(b)(i)',)),
        Control('ai_impact_assessment', 'AI impact assessment',
                "A documented assessment covers the AI's purpose and expected benefit, data quality, potential impacts on privacy and civil rights, costs and formal risk acceptance.",
                ('OMB M-25-21 Appendix §4(b)(ii)',)),
        Control('independent_review', 'Independent review of the AI',
                'An office, oversight board or person not involved in building the AI reviews it as part of the impact assessment.',
                ('OMB M-25-21 Appendix §4(b)(ii)',)),
        Control('ongoing_monitoring', 'Ongoing monitoring for performance and harm',
                'Once live, the AI is monitored for its performance and security and for adverse impacts on privacy, civil rights and civil liberties.',
                ('OMB M-25-21 Appendix §4(b)(iii)',)),
        Control('operator_training', 'Adequate training for operators',
                'People who operate the AI get sufficient and periodic training to interpret and act on its output and manage its risks.',
                ('OMB M-25-21 Appendix §4(b)(iv)',)),
        Control('human_oversight_failsafe', 'Human oversight, intervention and fail-safe',
                "People can oversee, intervene in and answer for the AI's decisions, and an appropriate fail-safe minimises the risk of significant harm.",
                ('OMB M-25-21 Appendix §4(b)(v)',)),
        Control('remedies_and_appeals', 'Remedies and appeals for affected people',
                'People affected by an AI-enabled decision can get timely human review and can appeal or contest the outcome.',
                ('OMB M-25-21 Appendix §4(b)(vi)',)),
        Control('public_feedback', 'Feedback from end users and the public',
                'End users and the public are consulted about the AI and their feedback is incorporated.',
                ('OMB M-25-21 Appendix §4(b)(vii)',)),
    ), (
        ('pre_deployment_testing', 'ai_impact_assessment'),
        ('pre_deployment_testing', 'ai_impact_assessment', 'ongoing_monitoring', 'operator_training'),
        ('pre_deployment_testing', 'ai_impact_assessment', 'independent_review', 'ongoing_monitoring', 'operator_training', 'human_oversight_failsafe', 'remedies_and_appeals', 'public_feedback'),
    )),
    'eu-ai-act-high-risk': Catalogue('eu-ai-act-high-risk', (
        Control('risk_management_system', 'Risk management system',
                "A documented, continuous process identifies, evaluates and reduces the system's risks to health, safety and fundamental rights throughout its lifecycle.",
                ('EU AI Act Art. 9',)),
        Control('data_governance', 'Data quality and data governance',
                'Training, validation and testing data are governed and are relevant, representative, as error-free and complete as possible, and examined for bias.',
                ('EU AI Act Art. 10',)),
        Control('technical_documentation', 'Technical documentation',
                'Technical documentation showing how the system meets the high-risk requirements is drawn up before launch and kept up to date.',
                ('EU AI Act Art. 11',)),
        Control('record_keeping', 'Automatic event logging (record-keeping)',
                'The system automatically records events in logs over its lifetime so that its functioning can be traced and monitored.',
                ('EU AI Act Art. 12',)),
        Control('transparency_to_deployers', 'Transparency and instructions for deployers',
                'The system is transparent enough for deployers to interpret its output and comes with clear, complete instructions for use.',
                ('EU AI Act Art. 13',)),
        Control('human_oversight', 'Human oversight',
                'The system is built so that people can effectively oversee it while it is in use, including interpreting, overriding or stopping it.',
                ('EU AI Act Art. 14',)),
        Control('accuracy_robustness_cybersecurity', 'Accuracy, robustness and cybersecurity',
                'The system reaches and keeps an appropriate level of accuracy, robustness and cybersecurity throughout its lifecycle.',
                ('EU AI Act Art. 15',)),
        Control('fundamental_rights_impact_assessment', 'Fundamental rights impact assessment (deployer)',
                'Before first use, the deployer assesses who may be affected, the specific risks of harm to their fundamental rights, the oversight measures and what happens if the risks materialise.',
                ('EU AI Act Art. 27',)),
    ), (
        ('risk_management_system', 'technical_documentation'),
        ('risk_management_system', 'data_governance', 'technical_documentation', 'record_keeping', 'accuracy_robustness_cybersecurity'),
        ('risk_management_system', 'data_governance', 'technical_documentation', 'record_keeping', 'transparency_to_deployers', 'human_oversight', 'accuracy_robustness_cybersecurity', 'fundamental_rights_impact_assessment'),
    )),
}
DEFAULT = PRESETS["default"]
"""The six controls of format version 1, required by risk tier as before."""
