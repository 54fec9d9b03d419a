"""The indicator catalogue: one entry per standard children's social care indicator, read by the
scorecard, Annex A, the API, the board pack and the "how we compare" pages.

Each indicator has a key (what a measure names in `Measure.indicator`), a name and definition,
its unit and polarity (which way is better), the Children's Social Care National Framework
outcome or enabler it evidences, and, when DfE publishes it for every authority, where: the
publication, the file (`DATA_FILES`, matched by name so next year's file loads the same way),
the rows (breakdown values) and the column. An indicator DfE does not publish as such but that
can be calculated from published figures says how (`Calculation`), and is labelled
"calculated from published figures" wherever it is shown. `annex_a_kpi` says whether an Annex A
KPI computes the same thing (`g2g.annexa.kpis`; a test keeps the two lists equal).

What was chosen where a published file differs from the older catalogue is in
docs/published-figures.md: `cp_two_years` is DfE's "child protection plans open at 31 March that
had lasted 2 years or more" (file d5); the Annex A KPI "plans ended that lasted 2 years or more"
is `cp_ended_two_years`. `cin_rate` is calculated (children in need at 31 March, file b1, per
10,000 children, with the population estimate published in the children looked after file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .rating import Polarity, Unit

# ---------------------------------------------------------------------------------------------
# The National Framework (Children's Social Care: National Framework, December 2023)


class FrameworkArea(StrEnum):
    FAMILIES_TOGETHER = "families_together"
    FAMILY_NETWORK = "family_network"
    SAFE = "safe"
    STABLE_HOMES = "stable_homes"
    MULTI_AGENCY = "multi_agency"
    LEADERS = "leaders"
    WORKFORCE = "workforce"


@dataclass(frozen=True)
class Area:
    key: FrameworkArea
    kind: str  # "Outcome" or "Enabler"
    number: int
    title: str


FRAMEWORK = [
    Area(
        FrameworkArea.FAMILIES_TOGETHER,
        "Outcome",
        1,
        "Children, young people and families stay together and get the help they need",
    ),
    Area(
        FrameworkArea.FAMILY_NETWORK,
        "Outcome",
        2,
        "Children and young people are supported by their family network",
    ),
    Area(
        FrameworkArea.SAFE,
        "Outcome",
        3,
        "Children and young people are safe in and outside of their homes",
    ),
    Area(
        FrameworkArea.STABLE_HOMES,
        "Outcome",
        4,
        "Children in care and care leavers have stable, loving homes",
    ),
    Area(
        FrameworkArea.MULTI_AGENCY,
        "Enabler",
        1,
        "Multi-agency working is prioritised and effective",
    ),
    Area(
        FrameworkArea.LEADERS,
        "Enabler",
        2,
        "Leaders drive conditions for effective practice",
    ),
    Area(
        FrameworkArea.WORKFORCE,
        "Enabler",
        3,
        "The workforce is equipped and effective",
    ),
]
AREAS = {area.key: area for area in FRAMEWORK}


# ---------------------------------------------------------------------------------------------
# DfE's publications and their files


@dataclass(frozen=True)
class Publication:
    title: str
    url: str
    period: str  # what a year means in its files
    month: int  # the month a year's figure is dated on a monthly chart


CIN = Publication(
    "Children in need",
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "characteristics-of-children-in-need",
    "year ending 31 March",
    3,
)
CLA = Publication(
    "Children looked after in England including adoptions",
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "children-looked-after-in-england-including-adoptions",
    "year ending 31 March",
    3,
)
CSWW = Publication(
    "Children's social work workforce",
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "children-s-social-work-workforce",
    "at 30 September (the workforce census)",
    9,
)

# The columns every tidy file (explore-education-statistics layout) starts with.
GEOGRAPHY = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
)


@dataclass(frozen=True)
class DataFile:
    """One of DfE's published files as this service reads it: found in a folder by its name
    (`pattern`, a regular expression: next year's file has a new year in its name), with exactly
    these columns (a changed column is an error, so a figure is never read from the wrong one)."""

    key: str
    pattern: str
    publication: Publication | None
    columns: tuple[str, ...]
    note: str = ""  # why nothing is loaded from it, when nothing is


DATA_FILES = [
    DataFile(
        "b1",
        r"b1_children_in_need_\d{4}_to_\d{4}\.csv",
        CIN,
        GEOGRAPHY
        + (
            "category",
            "Anypoint_episodes",
            "Anypoint_child",
            "Started_episodes",
            "Started_child",
            "Ended_episodes",
            "Ended_child",
            "At31_episodes",
            "awaiting_assessment",
        ),
    ),
    DataFile(
        "c1",
        r"c1_children_in_need_referrals_and_rereferrals_\d{4}_to_\d{4}\.csv",
        CIN,
        GEOGRAPHY
        + (
            "category",
            "referral_count",
            "rereferral_count",
            "rereferral_percent",
            "no_further_action_count",
            "no_further_action_percent",
            "not_in_need_count",
            "not_in_need_percent",
            "referral_child_count",
            "rereferral_child_count",
            "rereferral_child_percent",
        ),
    ),
    DataFile(
        "d3",
        r"d3_cpps_subsequent_plan_\d{4}_to_\d{4}\.csv",
        CIN,
        GEOGRAPHY + ("category", "CPP_start", "CPP_subsequent", "CPP_subsequent_percent"),
    ),
    DataFile(
        "d5",
        r"d5_cpps_at31march_by_duration_\d{4}_to_\d{4}\.csv",
        CIN,
        GEOGRAPHY
        + (
            "category",
            "CPP_At31",
            "3_months_or_less",
            "3_months_or_less_percent",
            "more_than_3_months_6_months",
            "more_than_3_months_6_months_percent",
            "more_than_6_months_less_than_1_year",
            "more_than_6_months_less_than_1_year_percent",
            "1_year_less_than_2_years",
            "1_year_less_than_2_years_percent",
            "2_years_or_more",
            "2_years_or_more_percent",
        ),
    ),
    DataFile(
        "cla_rate",
        r"cla_number_and_rate_per_10k_children(_\d{4}(_to_\d{4})?)?\.csv",
        CLA,
        GEOGRAPHY + ("population_type", "population_estimate", "children_count", "rate_per_10000"),
    ),
    DataFile(
        "cla_placement_stability",
        r"la_cla_placement_stability(_\d{4}(_to_\d{4})?)?\.csv",
        CLA,
        GEOGRAPHY + ("cla_group", "placement_stability", "children_count", "children_percent"),
    ),
    DataFile(
        "cla_new_placements",
        r"la_cla_during_year_new_placements(_\d{4}(_to_\d{4})?)?\.csv",
        CLA,
        GEOGRAPHY + ("characteristic", "breakdown", "children_count", "children_percent"),
    ),
    DataFile(
        "cla_school_moves",
        r"la_cla_school_moves(_\d{4}(_to_\d{4})?)?\.csv",
        CLA,
        GEOGRAPHY + ("cla_group", "move_measure", "school_stability", "number", "percentage"),
    ),
    DataFile(
        "cla_social_workers",
        r"la_cla_swcount(_\d{4}(_to_\d{4})?)?\.csv",
        CLA,
        GEOGRAPHY + ("cla_group", "sw_stability", "number", "percentage"),
    ),
    DataFile(
        "care_leavers_activity",
        r"la_care_leavers_activity(_\d{4}(_to_\d{4})?)?\.csv",
        CLA,
        GEOGRAPHY + ("care_leaver_age", "breakdown", "care_leaver_count", "care_leaver_percent"),
    ),
    DataFile(
        "care_leavers_accommodation",
        r"la_care_leavers_accommodation_suitability(_\d{4}(_to_\d{4})?)?\.csv",
        CLA,
        GEOGRAPHY + ("care_leaver_age", "breakdown", "care_leaver_count", "care_leaver_percent"),
    ),
    DataFile(
        "csww",
        r"csww_indicators_\d{4}_to_\d{4}\.csv",
        CSWW,
        GEOGRAPHY
        + (
            "inpost_fte",
            "inpost_headcount",
            "starters_fte",
            "starters_headcount",
            "leavers_fte",
            "leavers_headcount",
            "turnover_rate_fte",
            "turnover_rate_headcount",
            "agency_fte",
            "agency_headcount",
            "agency_rate_fte",
            "agency_rate_headcount",
            "agency_cover_fte",
            "agency_cover_rate_fte",
            "vacancy_fte",
            "vacancy_rate_fte",
            "vacancy_agency_cover_rate_fte",
            "case_holders_fte",
            "cases",
            "caseload_fte",
            "working_days_lost_fte",
            "absence_rate_fte",
        ),
    ),
    DataFile(
        "adoption_stages",
        r"national_cla_adopted_average_time_between_adoption_process_stages\.csv",
        CLA,
        (
            "time_period",
            "time_identifier",
            "geographic_level",
            "country_code",
            "country_name",
            "cla_group",
            "stage_of_adoption_process",
            "age_start_poc",
            "number",
        ),
        note="England only (no authority or region figures to compare), and given as "
        "years:months text: read and checked, not loaded",
    ),
]
FILES_BY_KEY = {data_file.key: data_file for data_file in DATA_FILES}

# Files in DfE's folder that are read elsewhere or not at all (named so the loader can say so).
OTHER_FILES = {
    r"sn_model_\d{4}_wide\.csv": "DfE's statistical neighbour model: loaded as the "
    "authorities' statistical neighbours",
    r"LA_Inspection_Outcomes_as_at_.*\.ods": "Ofsted's judgements, which the ILACS overview "
    "workbook already gives each authority (g2g load_authorities): not loaded",
    r"README(\.md)?": "the folder's description",
}


@dataclass(frozen=True)
class Source:
    """Where a figure is published: the file, the rows (each breakdown column's value) and the
    column holding the figure."""

    file: str  # a DataFile key
    column: str
    rows: tuple[tuple[str, str], ...] = ()  # (breakdown column, value), all of which must hold

    @property
    def data_file(self) -> DataFile:
        return FILES_BY_KEY[self.file]


@dataclass(frozen=True)
class Calculation:
    """An indicator calculated from published figures: numerator ÷ denominator × `per`,
    rounded half up to `places` decimal places. A suppressed part suppresses the result."""

    numerator: Source
    denominator: Source
    per: int
    places: int
    words: str  # how it is calculated, file by file
    summary: str = ""  # the same, in a few words


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    unit: str  # a Unit value
    polarity: Polarity
    england_name: str = ""  # the `measure` column of data/england-kpis.csv, if given there
    england_month: int = 3  # the month England's figure (from that file) is for
    short: str = ""  # the subject of a sentence: "3+ placements fell from 13% to 11%"
    definition: str = ""
    framework_area: FrameworkArea | None = None
    published: Source | None = None  # DfE publishes it for every authority, here
    calculated: Calculation | None = None  # or it is calculated from published figures
    annex_a_kpi: bool = False  # an Annex A KPI computes the same thing
    notes: tuple[str, ...] = field(default=())

    @property
    def sources(self) -> tuple[Source, ...]:
        if self.published:
            return (self.published,)
        if self.calculated:
            return (self.calculated.numerator, self.calculated.denominator)
        return ()

    @property
    def publication(self) -> Publication | None:
        return self.sources[0].data_file.publication if self.sources else None

    @property
    def has_published_figures(self) -> bool:
        return bool(self.sources)

    @property
    def month(self) -> int:
        """The month of the year a published figure is dated on a monthly chart."""
        publication = self.publication
        return publication.month if publication else self.england_month

    @property
    def source_words(self) -> str:
        """ "Children looked after in England including adoptions (DfE), la_cla_placement_
        stability.csv" or, for a calculated indicator, how it is calculated."""
        publication = self.publication
        if publication is None:
            return ""
        files = ", ".join(dict.fromkeys(_file_words(source) for source in self.sources))
        text = f"{publication.title} (DfE), {publication.period}: {files}"
        if self.calculated:
            text += f"; calculated from published figures: {self.calculated.words}"
        return text

    @property
    def source_short(self) -> str:
        """ "Children looked after in England including adoptions (DfE), year ending 31 March"
        and, for a calculated indicator, what it is calculated from."""
        publication = self.publication
        if publication is None:
            return ""
        text = f"{publication.title} (DfE), {publication.period}"
        if self.calculated:
            text += f"; calculated from published figures: {self.calculated.summary}"
        return text

    @property
    def subject(self) -> str:
        return self.short or self.name

    @property
    def unit_label(self) -> str:
        return Unit(self.unit).label


def _file_words(source: Source) -> str:
    rows = "; ".join(f"{column} = {value!r}" for column, value in source.rows)
    return f"{source.data_file.key} file, column {source.column}" + (
        f" where {rows}" if rows else ""
    )


INDICATORS = [
    # Outcome 1: families stay together and get the help they need
    Indicator(
        "cin_rate",
        "Children in need per 10,000 children",
        Unit.RATE,
        Polarity.NEITHER,
        short="The rate of children in need",
        definition="Children in need at 31 March (episodes open on that day) per 10,000 "
        "children under 18 in the area.",
        framework_area=FrameworkArea.FAMILIES_TOGETHER,
        calculated=Calculation(
            Source("b1", "At31_episodes", (("category", "Children in Need"),)),
            Source(
                "cla_rate",
                "population_estimate",
                (("population_type", "Children looked after on 31 March each year"),),
            ),
            per=10_000,
            places=1,
            summary="children in need at 31 March per 10,000 children under 18, with the "
            "population estimate DfE publishes with its children looked after figures",
            words="children in need at 31 March (b1, At31_episodes) ÷ the population aged under "
            "18 (the children looked after file's population_estimate) × 10,000, to one "
            "decimal place; so only for the years both files cover",
        ),
    ),
    Indicator(
        "re_referrals_12_months",
        "Re-referrals within 12 months of a previous referral",
        Unit.PERCENT,
        Polarity.LOWER,
        short="Re-referrals",
        definition="Referrals in the year that were within 12 months of a previous referral of "
        "the same child, as a percentage of all referrals in the year.",
        framework_area=FrameworkArea.FAMILIES_TOGETHER,
        published=Source("c1", "rereferral_percent", (("category", "Referrals and Re-referrals"),)),
        annex_a_kpi=True,
    ),
    Indicator(
        "assessments_45_days",
        "Assessments completed within 45 working days",
        Unit.PERCENT,
        Polarity.HIGHER,
        "Assessments completed within 45 working days",
        short="Assessments within 45 working days",
        definition="Assessments completed in the period that were completed within 45 working "
        "days of their start.",
        framework_area=FrameworkArea.FAMILIES_TOGETHER,
        annex_a_kpi=True,
    ),
    Indicator(
        "cla_rate",
        "Children looked after per 10,000 children",
        Unit.RATE,
        Polarity.NEITHER,
        short="The rate of children looked after",
        definition="Children looked after at 31 March per 10,000 children under 18.",
        framework_area=FrameworkArea.FAMILIES_TOGETHER,
        published=Source(
            "cla_rate",
            "rate_per_10000",
            (("population_type", "Children looked after on 31 March each year"),),
        ),
    ),
    Indicator(
        "cla_starting_rate",
        "Children starting to be looked after per 10,000 children",
        Unit.RATE,
        Polarity.NEITHER,
        short="The rate of children starting to be looked after",
        definition="Children who started to be looked after during the year, per 10,000 "
        "children under 18.",
        framework_area=FrameworkArea.FAMILIES_TOGETHER,
        published=Source(
            "cla_rate",
            "rate_per_10000",
            (("population_type", "Children starting to be looked after each year"),),
        ),
    ),
    # Multi-agency working
    Indicator(
        "contact_conversion",
        "Contacts that led to a referral",
        Unit.PERCENT,
        Polarity.NEITHER,
        short="Contacts leading to a referral",
        definition="Contacts followed by a referral of the same child.",
        framework_area=FrameworkArea.MULTI_AGENCY,
        annex_a_kpi=True,
    ),
    # Outcome 3: safe in and outside their homes
    Indicator(
        "s47_to_icpc",
        "Section 47 enquiries leading to an initial child protection conference",
        Unit.PERCENT,
        Polarity.NEITHER,
        "Section 47 enquiries leading to an initial child protection conference",
        short="Section 47 enquiries leading to a conference",
        definition="Section 47 enquiries whose outcome was an initial child protection conference.",
        framework_area=FrameworkArea.SAFE,
        annex_a_kpi=True,
    ),
    Indicator(
        "icpc_15_days",
        "Initial child protection conferences within 15 working days",
        Unit.PERCENT,
        Polarity.HIGHER,
        "Initial child protection conferences within 15 working days of section 47 start",
        short="Conferences within 15 working days",
        definition="Initial child protection conferences held within 15 working days of the "
        "strategy discussion that started the section 47 enquiry.",
        framework_area=FrameworkArea.SAFE,
        annex_a_kpi=True,
    ),
    Indicator(
        "cp_second_time",
        "Child protection plans starting for a second or subsequent time",
        Unit.PERCENT,
        Polarity.LOWER,
        short="Repeat child protection plans",
        definition="Child protection plans starting in the year for a child who had been the "
        "subject of a plan before (at any time), as a percentage of plans starting.",
        framework_area=FrameworkArea.SAFE,
        published=Source(
            "d3",
            "CPP_subsequent_percent",
            (("category", "Child Protection Plans which are a second or subsequent plan"),),
        ),
        annex_a_kpi=True,
    ),
    Indicator(
        "cp_two_years",
        "Child protection plans open at 31 March that had lasted 2 years or more",
        Unit.PERCENT,
        Polarity.LOWER,
        short="Child protection plans lasting 2 years or more",
        definition="Children on a child protection plan at 31 March whose plan had lasted 2 "
        "years or more, as a percentage of all children on a plan that day (DfE's d5 table). "
        "Not the same as plans ended in the year that lasted 2 years or more "
        "(cp_ended_two_years, which Annex A computes).",
        framework_area=FrameworkArea.SAFE,
        published=Source(
            "d5",
            "2_years_or_more_percent",
            (("category", "Child Protection Plans by length of time"),),
        ),
    ),
    Indicator(
        "cp_ended_two_years",
        "Child protection plans ended that lasted 2 years or more",
        Unit.PERCENT,
        Polarity.LOWER,
        "Child protection plans ended that lasted 2 years or more",
        short="Ended plans that lasted 2 years or more",
        definition="Child protection plans ended in the period that had lasted 2 years or "
        "more. DfE publishes England's figure; the authority figures are not among the files "
        "loaded.",
        framework_area=FrameworkArea.SAFE,
        annex_a_kpi=True,
    ),
    Indicator(
        "cp_visits_in_time",
        "Children on a child protection plan visited within timescale",
        Unit.PERCENT,
        Polarity.HIGHER,
        short="Child protection visits in time",
        definition="Children on a plan whose last statutory visit was within the local "
        "timescale (not a national statistic).",
        framework_area=FrameworkArea.SAFE,
        annex_a_kpi=True,
    ),
    # Outcome 4: stable, loving homes
    Indicator(
        "cla_three_placements",
        "Children in care with 3 or more placements in 12 months",
        Unit.PERCENT,
        Polarity.LOWER,
        short="3+ placements",
        definition="Children looked after at 31 March who had 3 or more placements during the "
        "year, as a percentage of children looked after at 31 March.",
        framework_area=FrameworkArea.STABLE_HOMES,
        published=Source(
            "cla_placement_stability",
            "children_percent",
            (
                ("cla_group", "CLA on 31 March"),
                ("placement_stability", "With 3 or more placements during the year"),
            ),
        ),
        annex_a_kpi=True,
    ),
    Indicator(
        "cla_long_term_stability",
        "Children in care in long-term stable placements",
        Unit.PERCENT,
        Polarity.HIGHER,
        short="Long-term placement stability",
        definition="Children under 16 looked after continuously for at least 2.5 years at 31 "
        "March who had lived with the same carer for at least 2 years.",
        framework_area=FrameworkArea.STABLE_HOMES,
        published=Source(
            "cla_placement_stability",
            "children_percent",
            (
                (
                    "cla_group",
                    "Children looked after continuously for at least 2.5 years on 31 March "
                    "aged under 16 years",
                ),
                ("placement_stability", "Living with the same carer for at least 2 years"),
            ),
        ),
    ),
    Indicator(
        "cla_placed_over_20_miles",
        "New placements outside the authority and more than 20 miles from home",
        Unit.PERCENT,
        Polarity.LOWER,
        short="New placements outside the authority over 20 miles from home",
        definition="Placements that started during the year outside the authority's boundary "
        "and more than 20 miles from the child's home, as a percentage of all new placements "
        "(DfE's published figure; placements inside the boundary but over 20 miles away are "
        "published apart and not added in).",
        framework_area=FrameworkArea.STABLE_HOMES,
        published=Source(
            "cla_new_placements",
            "children_percent",
            (
                ("characteristic", "Location of new placements during the year"),
                ("breakdown", "Placed outside LA boundary more than 20 miles from home"),
            ),
        ),
    ),
    Indicator(
        "cla_school_moves",
        "Children in care with a school move during the year",
        Unit.PERCENT,
        Polarity.LOWER,
        short="School moves",
        definition="Children looked after at 31 March with one or more school moves during the "
        "year.",
        framework_area=FrameworkArea.STABLE_HOMES,
        published=Source(
            "cla_school_moves",
            "percentage",
            (
                ("cla_group", "CLA on 31 March"),
                ("move_measure", "Any moves"),
                ("school_stability", "With one or more moves during the year"),
            ),
        ),
    ),
    Indicator(
        "care_leavers_eet",
        "Care leavers aged 19-21 in education, employment or training",
        Unit.PERCENT,
        Polarity.HIGHER,
        short="Care leavers in education, employment or training",
        definition="Care leavers aged 19 to 21 in education, employment or training around "
        "their birthday; no information counts as not.",
        framework_area=FrameworkArea.STABLE_HOMES,
        published=Source(
            "care_leavers_activity",
            "care_leaver_percent",
            (
                ("care_leaver_age", "19 to 21 years"),
                ("breakdown", "Total in education, employment or training"),
            ),
        ),
        annex_a_kpi=True,
    ),
    Indicator(
        "care_leavers_accommodation",
        "Care leavers aged 19-21 in suitable accommodation",
        Unit.PERCENT,
        Polarity.HIGHER,
        short="Care leavers in suitable accommodation",
        definition="Care leavers aged 19 to 21 whose accommodation was considered suitable; no "
        "information counts as not.",
        framework_area=FrameworkArea.STABLE_HOMES,
        published=Source(
            "care_leavers_accommodation",
            "care_leaver_percent",
            (
                ("care_leaver_age", "19 to 21 years"),
                ("breakdown", "Accommodation considered suitable"),
            ),
        ),
        annex_a_kpi=True,
    ),
    Indicator(
        "pathway_plans_up_to_date",
        "Care leavers with a pathway plan reviewed in the last 6 months",
        Unit.PERCENT,
        Polarity.HIGHER,
        short="Pathway plans up to date",
        definition="Care leavers whose pathway plan was reviewed in the last 6 months (local "
        "practice, not a national statistic).",
        framework_area=FrameworkArea.STABLE_HOMES,
        annex_a_kpi=True,
    ),
    # Leaders
    Indicator(
        "audits_good_or_better",
        "Audited cases graded good or better",
        Unit.PERCENT,
        Polarity.HIGHER,
        short="Audits good or better",
        definition="Cases audited in the month graded good or outstanding.",
        framework_area=FrameworkArea.LEADERS,
    ),
    Indicator(
        "remedial_actions_on_time",
        "Audit remedial actions completed on time",
        Unit.PERCENT,
        Polarity.HIGHER,
        short="Remedial actions on time",
        definition="Remedial actions from audits completed by their due date.",
        framework_area=FrameworkArea.LEADERS,
    ),
    # Workforce
    Indicator(
        "sw_turnover",
        "Social worker turnover",
        Unit.PERCENT,
        Polarity.LOWER,
        short="Social worker turnover",
        definition="Full-time-equivalent (FTE) children and family social workers who left in "
        "the year to 30 September, as a percentage of FTE social workers in post.",
        framework_area=FrameworkArea.WORKFORCE,
        published=Source("csww", "turnover_rate_fte"),
    ),
    Indicator(
        "sw_agency_rate",
        "Agency social workers",
        Unit.PERCENT,
        Polarity.LOWER,
        short="The agency rate",
        definition="FTE agency social workers at 30 September as a percentage of FTE social "
        "workers in post and agency workers.",
        framework_area=FrameworkArea.WORKFORCE,
        published=Source("csww", "agency_rate_fte"),
    ),
    Indicator(
        "sw_vacancy_rate",
        "Social worker vacancies",
        Unit.PERCENT,
        Polarity.LOWER,
        short="The vacancy rate",
        definition="FTE vacancies at 30 September as a percentage of FTE vacancies and social "
        "workers in post.",
        framework_area=FrameworkArea.WORKFORCE,
        published=Source("csww", "vacancy_rate_fte"),
    ),
    Indicator(
        "caseload",
        "Average social worker caseload",
        Unit.FTE_RATIO,
        Polarity.LOWER,
        short="The average caseload",
        definition="Cases held at 30 September per FTE case-holding social worker.",
        framework_area=FrameworkArea.WORKFORCE,
        published=Source("csww", "caseload_fte"),
    ),
    Indicator(
        "sw_absence_rate",
        "Social worker sickness absence",
        Unit.PERCENT,
        Polarity.LOWER,
        short="Sickness absence",
        definition="Working days lost to sickness in the year as a percentage of working days "
        "available, for FTE social workers.",
        framework_area=FrameworkArea.WORKFORCE,
        published=Source("csww", "absence_rate_fte"),
    ),
    Indicator(
        "cla_three_social_workers",
        "Children in care with 3 or more social workers during the year",
        Unit.PERCENT,
        Polarity.LOWER,
        short="Children in care with 3+ social workers",
        definition="Children looked after at 31 March who had 3 or more social workers during "
        "the year (first published for 2024).",
        framework_area=FrameworkArea.WORKFORCE,
        published=Source(
            "cla_social_workers",
            "percentage",
            (
                ("cla_group", "CLA on 31 March"),
                ("sw_stability", "3 or more social workers during the year"),
            ),
        ),
    ),
]

NO_INDICATOR = Indicator("", "", "", Polarity.NEITHER)
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
CHOICES = [(indicator.key, indicator.name) for indicator in INDICATORS]
PUBLISHED = [indicator for indicator in INDICATORS if indicator.has_published_figures]
PUBLISHED_KEYS = [indicator.key for indicator in PUBLISHED]


def by_area(indicators=None) -> list[tuple[Area, list[Indicator]]]:
    """The framework's outcomes and enablers in order, each with its indicators (of those given,
    default all) in catalogue order."""
    chosen = INDICATORS if indicators is None else indicators
    return [
        (area, [indicator for indicator in chosen if indicator.framework_area == area.key])
        for area in FRAMEWORK
    ]
