"""The children's social care KPIs computed from Annex A, one documented function each, keyed by
the standard indicator it measures (`g2g.measures.indicators`).

Shared rules (docs/annex-a.md has the table and the sources):
- The snapshot date is the day the return was extracted; "the window" is the 6 months up to it,
  as Annex A's lists cover: from the day after the same date 6 months earlier to the snapshot,
  both included.
- Working days are Monday to Friday without English bank holidays (`g2g.core.dates`); a
  timescale counts the working days after the start day up to and including the end day, so
  the start day is day 0 (an assessment started on Monday and authorised on Tuesday took 1).
- A row whose dates or counts a KPI needs are blank or unreadable is left out of that KPI, and
  the data-quality report counts it; an end before its start is left out too.
- A value is numerator / denominator as a percentage (1 decimal place); with no denominator
  there is no value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from g2g.core.dates import months_before, weekday_bank_holidays
from g2g.measures.indicators import BY_KEY

from .reader import ROW

WINDOW_MONTHS = 6
CONVERSION_DAYS = 30  # a referral this many days after a contact counts as its outcome
CP_VISIT_WORKING_DAYS = 10  # the local standard for visits to children on a CP plan
PATHWAY_REVIEW_MONTHS = 6
CARE_LEAVER_AGES = (19, 21)  # DfE's headline cohort for care leavers' activity and accommodation


@dataclass(frozen=True)
class KpiResult:
    key: str
    numerator: int
    denominator: int

    @property
    def value(self) -> Decimal | None:
        if not self.denominator:
            return None
        share = Decimal(100 * self.numerator) / Decimal(self.denominator)
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def as_dict(self) -> dict:
        value = self.value
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": None if value is None else float(value),
        }


@dataclass(frozen=True)
class Kpi:
    """A KPI's definition, as the page and docs show it, and the function that computes it."""

    key: str  # the indicator key
    numerator: str
    denominator: str
    window: str
    rule: str
    lists: tuple[str, ...]
    compute: Callable[[Frames], tuple[int, int]]

    @property
    def name(self) -> str:
        return BY_KEY[self.key].name


@dataclass(frozen=True)
class Frames:
    """The typed lists and the snapshot date, as every KPI function takes them."""

    lists: dict[str, pl.DataFrame]
    snapshot: date

    @property
    def window_start(self) -> date:
        return months_before(self.snapshot, WINDOW_MONTHS) + timedelta(days=1)

    def get(self, key: str) -> pl.DataFrame | None:
        return self.lists.get(key)

    def in_window(self, column: str) -> pl.Expr:
        return pl.col(column).is_between(self.window_start, self.snapshot)

    def working_days(self, start: pl.Expr | date, end: pl.Expr | date) -> pl.Expr:
        return working_days_between(start, end, self.years)

    @property
    def years(self) -> range:
        """The years whose bank holidays the working-day counts need: from the year before the
        window's to the snapshot's. Every timescale counted ends in the window or on the
        snapshot, so one that starts before those years is over a year long, and over every
        limit here with or without its holidays. (A calendar of 31 years took 13 ms to make,
        as long as the KPIs took to count.)"""
        return range(self.window_start.year - 1, self.snapshot.year + 1)


KPIS: dict[str, Kpi] = {}


def kpi(key: str, *, numerator: str, denominator: str, window: str, rule: str = "", lists=()):
    """Register a KPI function under its indicator key."""
    if key not in BY_KEY:
        raise KeyError(f"{key!r} is not in the indicator catalogue")

    def register(function):
        KPIS[key] = Kpi(key, numerator, denominator, window, rule, tuple(lists), function)
        return function

    return register


def compute_kpis(
    lists: dict[str, pl.DataFrame], snapshot: date, each: Callable[..., Iterable] = map
) -> dict[str, KpiResult]:
    """Every KPI whose lists are in the return (a missing list gives no result). `each` maps a
    function over the KPIs: `map`, or a thread pool's."""
    frames = Frames(lists, snapshot)
    due = [
        key for key, definition in KPIS.items() if all(name in lists for name in definition.lists)
    ]
    counted = each(lambda key: KPIS[key].compute(frames), due)
    return {
        key: KpiResult(key, int(numerator), int(denominator))
        for key, (numerator, denominator) in zip(due, counted, strict=True)
    }


# ---------------------------------------------------------------------------------------------
# Dates


def working_days_between(start, end, years: range) -> pl.Expr:
    """`g2g.core.dates.working_days_between` for whole columns: working days after `start` up
    to and including `end` (negative when `end` is earlier, counting the days after it up to
    `start`). polars counts [start, end), so both move on a day. Bank holidays are known in
    `years`: the same count where both dates are in them."""
    start = pl.lit(start) if isinstance(start, date) else start
    end = pl.lit(end) if isinstance(end, date) else end
    one = pl.duration(days=1)
    holidays = weekday_bank_holidays(years.start, years.stop - 1)
    first, last = pl.min_horizontal(start, end), pl.max_horizontal(start, end)
    days = pl.business_day_count(first + one, last + one, holidays=holidays)
    return pl.when(end >= start).then(days).otherwise(-days)


def age_on(birth: pl.Expr, day: date) -> pl.Expr:
    """Whole years of age on `day`."""
    had_birthday = (birth.dt.month() < day.month) | (
        (birth.dt.month() == day.month) & (birth.dt.day() <= day.day)
    )
    return pl.lit(day.year) - birth.dt.year() - pl.when(had_birthday).then(0).otherwise(1)


def _count(frame: pl.DataFrame, numerator: pl.Expr, denominator: pl.Expr) -> tuple[int, int]:
    """Rows where the denominator holds and, of those, rows where the numerator holds too (null
    holds neither). Eager: a lazy query took several times longer over the working-day count."""
    counted = frame.filter(denominator)
    return counted.select(numerator.sum().alias("numerator"), pl.len()).row(0)


# ---------------------------------------------------------------------------------------------
# The KPIs


@kpi(
    "contact_conversion",
    numerator=f"contacts followed by a referral of the same child within {CONVERSION_DAYS} "
    "days (List 3), the contact's day included",
    denominator="contacts in the window (List 1)",
    window="contact date in the 6 months to the snapshot",
    rule=f"calendar days; a referral up to {CONVERSION_DAYS} days after the contact",
    lists=("contacts", "referrals"),
)
def contact_conversion(frames: Frames) -> tuple[int, int]:
    contacts = (
        frames.get("contacts")
        .select(ROW, "child_id", "contact_date")  # only these columns are copied by the filter
        .filter(frames.in_window("contact_date") & pl.col("child_id").is_not_null())
    )
    referrals = (
        frames.get("referrals")
        .select("child_id", "referral_date")
        .filter(pl.col("child_id").is_not_null() & pl.col("referral_date").is_not_null())
    )
    # Children have few referrals: pair each contact with its child's referrals and keep the
    # contacts with one in range (a join on the child, then a filter, is faster than an as-of
    # join by child). A contact is counted once however many referrals it pairs with, so
    # repeated referrals need not be dropped first (which took as long as the join).
    paired = contacts.join(referrals, on="child_id", how="inner").filter(
        pl.col("referral_date").is_between(
            pl.col("contact_date"), pl.col("contact_date") + pl.duration(days=CONVERSION_DAYS)
        )
    )
    return paired[ROW].n_unique(), contacts.height


@kpi(
    "re_referrals_12_months",
    numerator="referrals whose 'Number of Referrals in Last 12 Months' is 1 or more (a previous "
    "referral within 12 months)",
    denominator="referrals in the window with that number given (List 3)",
    window="referral date in the 6 months to the snapshot",
    rule="the column counts earlier referrals, as the D2I extract computes it",
    lists=("referrals",),
)
def re_referrals(frames: Frames) -> tuple[int, int]:
    return _count(
        frames.get("referrals"),
        pl.col("referrals_12_months") >= 1,
        frames.in_window("referral_date") & pl.col("referrals_12_months").is_not_null(),
    )


@kpi(
    "assessments_45_days",
    numerator="assessments authorised within 45 working days of their start",
    denominator="assessments authorised in the window (List 4)",
    window="authorisation date in the 6 months to the snapshot",
    rule="working days after the start day up to the authorisation day (start day = day 0)",
    lists=("assessments",),
)
def assessments_45_days(frames: Frames) -> tuple[int, int]:
    start, end = pl.col("start_date"), pl.col("authorised_date")
    return _count(
        frames.get("assessments"),
        frames.working_days(start, end) <= 45,
        frames.in_window("authorised_date") & start.is_not_null() & (end >= start),
    )


@kpi(
    "s47_to_icpc",
    numerator="section 47 enquiries with an initial child protection conference (ICPC) date",
    denominator="section 47 enquiries started in the window whose outcome is known: an ICPC "
    "held, or deemed unnecessary (List 5)",
    window="strategy discussion (section 47 start) in the 6 months to the snapshot",
    rule="enquiries still awaiting a decision are left out",
    lists=("section_47",),
)
def s47_to_icpc(frames: Frames) -> tuple[int, int]:
    held = pl.col("icpc_date").is_not_null()
    decided = held | (pl.col("icpc_unnecessary") == "Y")
    return _count(frames.get("section_47"), held, frames.in_window("s47_start_date") & decided)


@kpi(
    "icpc_15_days",
    numerator="ICPCs held within 15 working days of the strategy discussion that started the "
    "section 47 enquiry",
    denominator="ICPCs held in the window (List 5)",
    window="ICPC date in the 6 months to the snapshot",
    rule="working days after the strategy discussion up to the ICPC (day 0 = the discussion); "
    "an ICPC dated before its enquiry is left out, as DfE does",
    lists=("section_47",),
)
def icpc_15_days(frames: Frames) -> tuple[int, int]:
    start, icpc = pl.col("s47_start_date"), pl.col("icpc_date")
    return _count(
        frames.get("section_47"),
        frames.working_days(start, icpc) <= 15,
        frames.in_window("icpc_date") & start.is_not_null() & (icpc >= start),
    )


@kpi(
    "cp_second_time",
    numerator="plans whose child had one or more previous child protection plans, however long ago",
    denominator="child protection plans started in the window with the number of previous "
    "plans given (List 7)",
    window="plan start date in the 6 months to the snapshot",
    lists=("child_protection",),
)
def cp_second_time(frames: Frames) -> tuple[int, int]:
    return _count(
        frames.get("child_protection"),
        pl.col("previous_plans") >= 1,
        frames.in_window("start_date") & pl.col("previous_plans").is_not_null(),
    )


@kpi(
    "cp_ended_two_years",
    numerator="plans that lasted 2 years or more (end on or after the start's second anniversary)",
    denominator="child protection plans ended in the window (List 7)",
    window="plan end date in the 6 months to the snapshot",
    rule="calendar years",
    lists=("child_protection",),
)
def cp_ended_two_years(frames: Frames) -> tuple[int, int]:
    start, end = pl.col("start_date"), pl.col("end_date")
    return _count(
        frames.get("child_protection"),
        end >= start.dt.offset_by("2y"),
        frames.in_window("end_date") & start.is_not_null() & (end >= start),
    )


@kpi(
    "cp_visits_in_time",
    numerator=f"plans whose last statutory visit was within {CP_VISIT_WORKING_DAYS} working "
    f"days before the snapshot, or, with no visit yet, that started within "
    f"{CP_VISIT_WORKING_DAYS} working days of it",
    denominator="child protection plans open on the snapshot date (List 7)",
    window="the snapshot date",
    rule=f"working days; {CP_VISIT_WORKING_DAYS} is a common local standard, not a national one",
    lists=("child_protection",),
)
def cp_visits_in_time(frames: Frames) -> tuple[int, int]:
    snapshot = frames.snapshot
    start, end, visit = pl.col("start_date"), pl.col("end_date"), pl.col("last_visit_date")
    limit = CP_VISIT_WORKING_DAYS
    visited = (visit <= snapshot) & (frames.working_days(visit, snapshot) <= limit)
    new = visit.is_null() & (frames.working_days(start, snapshot) <= limit)
    open_plan = (start <= snapshot) & (end.is_null() | (end > snapshot))
    return _count(frames.get("child_protection"), visited | new, open_plan)


@kpi(
    "cla_three_placements",
    numerator="children with 3 or more placements in the last 12 months",
    denominator="children in care on the snapshot date (List 8), each child once",
    window="the snapshot date",
    rule="a child on several rows counts once, with their highest number of placements",
    lists=("children_in_care",),
)
def cla_three_placements(frames: Frames) -> tuple[int, int]:
    snapshot = frames.snapshot
    start, ceased = pl.col("start_date"), pl.col("ceased_date")
    in_care = (
        frames.get("children_in_care")
        .filter(
            pl.col("child_id").is_not_null()
            & (start <= snapshot)
            & (ceased.is_null() | (ceased > snapshot))
        )
        .group_by("child_id")
        .agg(pl.col("placements_12_months").max())
    )
    return in_care.filter(pl.col("placements_12_months") >= 3).height, in_care.height


def _care_leavers_aged(frames: Frames, low: int, high: int) -> pl.DataFrame:
    """Care leavers aged `low` to `high` on the snapshot: by date of birth, else the age
    column; each child once; those with no age are left out."""
    age = pl.coalesce(age_on(pl.col("birth_date"), frames.snapshot), pl.col("age"))
    return (
        frames.get("care_leavers")
        .filter(pl.col("child_id").is_not_null() & age.is_between(low, high))
        .unique("child_id", keep="first", maintain_order=True)
    )


@kpi(
    "care_leavers_eet",
    numerator="care leavers whose activity is education, training or employment (codes F1-F5, "
    "P1-P5)",
    denominator="care leavers aged 19 to 21 on the snapshot date (List 9); no information "
    "counts as not in education, employment or training, as DfE counts it",
    window="the snapshot date",
    lists=("care_leavers",),
)
def care_leavers_eet(frames: Frames) -> tuple[int, int]:
    cohort = _care_leavers_aged(frames, *CARE_LEAVER_AGES)
    return cohort.filter(pl.col("activity").str.contains(r"^[FP]\d$")).height, cohort.height


@kpi(
    "care_leavers_accommodation",
    numerator="care leavers whose accommodation is suitable",
    denominator="care leavers aged 19 to 21 on the snapshot date (List 9); no information "
    "counts as not suitable, as DfE counts it",
    window="the snapshot date",
    lists=("care_leavers",),
)
def care_leavers_accommodation(frames: Frames) -> tuple[int, int]:
    cohort = _care_leavers_aged(frames, *CARE_LEAVER_AGES)
    return cohort.filter(pl.col("suitability") == "SUITABLE").height, cohort.height


@kpi(
    "pathway_plans_up_to_date",
    numerator=f"care leavers whose pathway plan was reviewed in the {PATHWAY_REVIEW_MONTHS} "
    "months up to the snapshot",
    denominator="care leavers (List 9), each child once",
    window=f"review date in the {PATHWAY_REVIEW_MONTHS} months to the snapshot",
    rule="the 6-month review interval is the usual practice, not a national statistic",
    lists=("care_leavers",),
)
def pathway_plans_up_to_date(frames: Frames) -> tuple[int, int]:
    leavers = (
        frames.get("care_leavers")
        .filter(pl.col("child_id").is_not_null())
        .unique("child_id", keep="first", maintain_order=True)
    )
    return _count(leavers, frames.in_window("pathway_review_date"), pl.lit(True))
