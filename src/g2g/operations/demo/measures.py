"""Demo set-up for measures: which standard indicator each seed measure tracks.

An improvement lead says this on the measure's edit page; for the demo it is written here, naming
each measure as Tameside's Appendix B does. The indicator's unit and polarity become the
measure's, and its published figures (DfE: England, the region, the statistical neighbours'
average and the authority's own) become the measure's comparators."""

from pathlib import Path

from g2g.measures.models import Measure
from g2g.measures.outcomes import read_stakeholder_outcomes, write_stakeholder_outcomes
from g2g.measures.services import link_indicator
from g2g.plans.reads import current_plan
from g2g.tenancy.access import operator_access
from g2g.tenancy.models import Authority

DEMO_INDICATORS = {
    "Tameside": {
        "No. of child & family assessments completed under 45 working days": "assessments_45_days",
        "Timeliness of S47 enquires to Initial Child Protection Conference (ICPC).": "icpc_15_days",
        "% of child protection statutory visits taking place within timescale": "cp_visits_in_time",
        "Cared for children with 3 or more placements in a 12 month period": "cla_three_placements",
        "Cared for children for 2.5 years who were living in the same placement for at least 2 "
        "years": "cla_long_term_stability",
        "% of up to date pathway plans.": "pathway_plans_up_to_date",
        "% actions completed following audits": "remedial_actions_on_time",
        "Case file audits": "audits_good_or_better",
        "Caseload data": "caseload",
    },
}


def set_demo_indicators(authority: Authority) -> int:
    """Name the indicators of the authority's demo measures; return how many published figures
    became comparators."""
    access = operator_access(authority)
    names = DEMO_INDICATORS.get(authority.name, {})
    measures = access.scope(Measure.objects.filter(name__in=names))
    return sum(link_indicator(access, measure, names[measure.name]) for measure in measures)


def load_demo_outcomes(seeds: Path, plans: list[tuple[str, str]], log=print) -> None:
    """The demo: for each (authority name, seed file), read the statements from the seed text
    and add them to the authority's current plan. Seeds without the table add nothing."""
    for authority_name, seed in plans:
        access = operator_access(Authority.objects.get(name=authority_name))
        plan = current_plan(access)
        drafts = read_stakeholder_outcomes((seeds / seed).read_text("utf-8"))
        if plan is None or not drafts:
            continue
        added = write_stakeholder_outcomes(access, plan, drafts)
        log(f"{authority_name}: {added} stakeholder outcomes read from {seed}")
