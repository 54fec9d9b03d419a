"""Demo set-up for measures: which standard indicator each seed measure tracks.

An improvement lead says this on the measure's edit page; for the demo it is written here, naming
each measure as Tameside's Appendix B does. England's published figures then become these
measures' England comparators."""

from g2g.tenancy.models import Authority

from .england import attach_england_figures
from .models import Measure

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
    },
}


def set_demo_indicators(authority: Authority) -> int:
    """Name the indicators of the authority's demo measures; return how many England figures
    became comparators."""
    names = DEMO_INDICATORS.get(authority.name, {})
    measures = list(Measure.objects.in_authority(authority).filter(name__in=names))
    for measure in measures:
        measure.indicator = names[measure.name]
        measure.save(update_fields=["indicator"])
    return attach_england_figures(measures)
