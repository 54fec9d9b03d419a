"""The standard children's social care indicators: one key each, shared by the England figures
(comparators), the KPIs computed from Annex A, and the measures that track them.

A measure names its indicator (`Measure.indicator`); that is how England's published figure and an
Annex A computation find the measure they belong to. Definitions and sources:
`../shared/reference/annex-a-and-kpis.md` (copied into docs/measures.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from .rating import Polarity


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    unit: str  # as Measure.Unit
    polarity: Polarity
    england_name: str = ""  # the `measure` column of data/england-kpis.csv, if published
    england_month: int = 3  # the month England's figure is for: March (year to 31 March) mostly


INDICATORS = [
    Indicator("contact_conversion", "Contacts that led to a referral", "%", Polarity.NEITHER),
    Indicator(
        "re_referrals_12_months",
        "Re-referrals within 12 months of a previous referral",
        "%",
        Polarity.LOWER,
        "Re-referrals within 12 months of a previous referral",
    ),
    Indicator(
        "assessments_45_days",
        "Assessments completed within 45 working days",
        "%",
        Polarity.HIGHER,
        "Assessments completed within 45 working days",
    ),
    Indicator(
        "s47_to_icpc",
        "Section 47 enquiries leading to an initial child protection conference",
        "%",
        Polarity.NEITHER,
        "Section 47 enquiries leading to an initial child protection conference",
    ),
    Indicator(
        "icpc_15_days",
        "Initial child protection conferences within 15 working days",
        "%",
        Polarity.HIGHER,
        "Initial child protection conferences within 15 working days of section 47 start",
    ),
    Indicator(
        "cp_second_time",
        "Child protection plans starting for a second or subsequent time",
        "%",
        Polarity.LOWER,
    ),
    Indicator(
        "cp_two_years",
        "Child protection plans ended that lasted 2 years or more",
        "%",
        Polarity.LOWER,
        "Child protection plans ended that lasted 2 years or more",
    ),
    Indicator(
        "cp_visits_in_time",
        "Children on a child protection plan visited within timescale",
        "%",
        Polarity.HIGHER,
    ),
    Indicator(
        "cla_rate",
        "Children looked after per 10,000 children",
        "rate per 10,000",
        Polarity.NEITHER,
        "Children looked after at 31 March per 10000 children",
    ),
    Indicator(
        "cla_three_placements",
        "Children in care with 3 or more placements in 12 months",
        "%",
        Polarity.LOWER,
    ),
    Indicator(
        "cla_long_term_stability",
        "Children in care in long-term stable placements",
        "%",
        Polarity.HIGHER,
        "Children in care long-term placement stability",
    ),
    Indicator(
        "care_leavers_eet",
        "Care leavers in education, employment or training",
        "%",
        Polarity.HIGHER,
    ),
    Indicator(
        "care_leavers_accommodation",
        "Care leavers aged 19-21 in suitable accommodation",
        "%",
        Polarity.HIGHER,
        "Care leavers aged 19-21 in suitable accommodation",
    ),
    Indicator(
        "pathway_plans_up_to_date",
        "Care leavers with a pathway plan reviewed in the last 6 months",
        "%",
        Polarity.HIGHER,
    ),
    Indicator(
        "audits_good_or_better",
        "Audited cases graded good or better",
        "%",
        Polarity.HIGHER,
    ),
    Indicator(
        "remedial_actions_on_time",
        "Audit remedial actions completed on time",
        "%",
        Polarity.HIGHER,
    ),
    Indicator(
        "caseload",
        "Average social worker caseload",
        "count",
        Polarity.LOWER,
        "Average social worker caseload",
        england_month=9,  # the workforce census is taken on 30 September
    ),
]

NO_INDICATOR = Indicator("", "", "", Polarity.NEITHER)
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
CHOICES = [(indicator.key, indicator.name) for indicator in INDICATORS]
