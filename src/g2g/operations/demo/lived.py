"""The demo's plans lived through, month by month, and recorded in history as at the time.

- Oldham 2019–21 (April 2019 to March 2021): the August 2019 round is Oldham's real progress
  column, read by the importer from the plan as published in August 2019 (the block layout); the
  other months are synthetic updates in the plan's voice. Then the plan is closed as it ended.
- Tameside 2023 (August 2023 to December 2025): monthly rounds, all four BRAG ratings, end dates
  moved with their reasons and who agreed, sign-offs and a few returned updates; then closed.
- Tameside's plan after its 2024 inspection: drafted from the inspection's recommendations
  (`inspections.services.draft_plan_from_inspection`), leads and dates filled, approved when the
  2023 plan closed, and carried forward with monthly rounds up to last month (this month's round
  is the live one, `rounds.load_demo_rounds`).

Every word the demo writes is labelled: an update's `synthetic_note` says what of it is the
demo's, and the dates the demo gives the current plan's actions are demo content too. The seeds'
own words and dates are never changed.

Each history row is dated when it would have been written (django-simple-history reads an
instance's `_history_date`); what the importer and the services write is dated afterwards by
`dated` (their rows carry the moment of the load). Updates, rounds and tasks are written in bulk,
a few queries per plan whatever its length.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from g2g.core.dates import (
    add_months,
    add_working_days,
    current_period,
    is_working_day,
    month_end,
    month_start,
    today,
)
from g2g.importers.services import PlanWriter, read_plan_file
from g2g.inspections.models import Inspection
from g2g.inspections.services import draft_plan_from_inspection
from g2g.measures.models import (
    SYNTHETIC_SOURCE,
    ComparatorValue,
    Measure,
    MeasureValue,
    Milestone,
    StakeholderOutcome,
)
from g2g.plans.models import (
    Action,
    FocusArea,
    Objective,
    Plan,
    Post,
    PostHolder,
    Priority,
    ProgressUpdate,
    RatingDefinition,
)
from g2g.plans.services import approve_plan, close_plan, edit_action
from g2g.rounds.models import Round, Task
from g2g.tenancy.access import Access, access_for

OLDHAM_PROGRESS_SEED = "oldham-improvement-plan-2019-21-aug19-progress.txt"
OLDHAM_PROGRESS_MONTH = date(2019, 8, 1)

SYNTHETIC = "Synthetic: written for the demonstration in the plan's voice, not the council's words."
REAL_WORDS = (
    "The progress text is Oldham's own, word for word, from the plan's 'Progress update Aug 19' "
    "column; the ratings are the demo's (the published RAG column was colour only, lost in the "
    "text)."
)

# The models whose rows the importer and the plan services write for a plan: their history is
# dated when the plan was written, not when the demo was loaded.
PLAN_MODELS = [
    Plan,
    RatingDefinition,
    Post,
    PostHolder,
    Priority,
    Objective,
    FocusArea,
    Action,
    ProgressUpdate,
    Measure,
    Milestone,
    StakeholderOutcome,
]


@dataclass(frozen=True)
class Life:
    """A plan's life in the demo: its months and how the demo tells them."""

    authority: str
    first: date  # the first month of its rounds
    last: date  # the last month of its rounds
    seed: int  # the random generator's seed: the same demo every time
    slips: int = 0  # how many actions have an end date moved (with reason and who agreed)
    real: dict = field(default_factory=dict)  # (action ref, month) -> a real update there


def at(day: date, hour: int = 10) -> datetime:
    """A moment on `day` in the service's time zone: when the demo says something was written."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def dated(since: datetime, when: datetime, models=PLAN_MODELS) -> None:
    """Every history row of `models` written since `since` (this step of the load) is dated
    `when` instead: the moment it would have been written."""
    for model in models:
        model.history.filter(history_date__gte=since).update(history_date=when)


def demo_users() -> dict:
    return get_user_model().objects.in_bulk(
        ["improvement_lead", "action_lead", "administrator"], field_name="username"
    )


# ---------------------------------------------------------------------------------------------
# How an action's months go: a believable spread, the same every load.

CAUSES = [
    "vacancies in the team",
    "sickness absence among managers",
    "a delay in commissioning",
    "competing demands on the same managers",
    "slower recruitment than planned",
    "a change of system supplier",
]


@dataclass
class Month:
    action_rating: str
    impact_rating: str
    narrative: str


def _topic(action: Action) -> str:
    words = " ".join(action.title.split()).rstrip(".")
    if words[:1].isupper() and not words[1:2].isupper():
        words = words[0].lower() + words[1:]
    return words if len(words) <= 90 else words[:89].rsplit(" ", 1)[0] + "…"


def _evidence(action: Action) -> str:
    first = " ".join(action.evidence_of_success.split()).split(". ")[0].strip(" .•")
    return f"{first}." if first else "The evidence of success is met."


def story(action: Action, months: list[date], rng: random.Random, end: date | None):
    """The action's ratings and words for each month of `months` until it is complete (Blue,
    signed off), as (month, Month) pairs. `end` is its end date as it then stood: most actions
    finish in their end month, some a month or two late (Red before), some have a spell of Red
    on the way; an ongoing action (no end date) never finishes."""
    fate = rng.random()
    trouble = fate < 0.2
    late = 2 if 0.2 <= fate < 0.3 and end else 0
    spell = rng.randrange(2, 10)
    done = add_months(end, late) if end else None
    topic = _topic(action)
    told, rating = [], "green"
    for index, month in enumerate(months):
        if done and month >= done:
            impact = rng.choice(["blue", "blue", "green"])
            told.append((month, Month("blue", impact, _done(action))))
            return told
        if action.start and month < month_start(action.start):
            words = (
                f"Preparation for {topic} is in hand ahead of its start in {action.start:%B %Y}."
            )
            told.append((month, Month("green", "amber", words)))
            continue
        if trouble and spell <= index < spell + 2:
            rating = "red"
        elif late and end and month >= add_months(end, -1):
            rating = "red"
        elif rating == "red":
            rating = "amber"
        elif index % 3 == 0:
            rating = rng.choices(["green", "amber"], weights=[7, 3])[0]
        impact = (
            "amber" if index < 4 or rating == "red" else rng.choice(["green", "amber", "green"])
        )
        told.append((month, Month(rating, impact, _words(rating, topic, month, rng))))
    return told


def _words(rating: str, topic: str, month: date, rng: random.Random) -> str:
    cause = rng.choice(CAUSES)
    if rating == "green":
        return (
            f"On track. Work on {topic} moved forward as planned in {month:%B}; the next "
            "milestone is in hand and the service manager reviews progress fortnightly."
        )
    if rating == "amber":
        return (
            f"Not fully on track. Progress on {topic} slowed in {month:%B} because of {cause}; "
            "a recovery plan is agreed and progress will be reported next month."
        )
    return (
        f"Off track. {topic[0].upper() + topic[1:]} has fallen behind because of {cause}. This "
        "has been escalated to the improvement board, which has agreed extra support."
    )


def _done(action: Action) -> str:
    return (
        f"Complete. {_evidence(action)} The evidence was reviewed at the improvement board and "
        "the action is signed off as done."
    )


# ---------------------------------------------------------------------------------------------
# Writing a plan's months: rounds, tasks and updates in bulk, each history row dated.


@dataclass
class Stage:
    status: str
    when: datetime
    user: object


def live_plan(plan: Plan, life: Life, users: dict, access: Access | None = None) -> int:
    """Write the plan's rounds and updates for every month of `life`; return how many updates.
    With `access`, end dates are moved (change control) for `life.slips` actions on the way."""
    rng = random.Random(f"{life.seed}:{plan.title}")  # noqa: S311  # nosec B311 - demo data
    months = []
    month = life.first
    while month <= life.last:
        months.append(month)
        month = add_months(month, 1)
    actions = list(plan.actions.filter(closed_on=None).order_by("order"))
    led = set(
        Action.objects.filter(plan=plan, leads__holders__user=users["action_lead"]).values_list(
            "pk", flat=True
        )
    )
    ends = {action.pk: action.end for action in actions}
    if access is not None:
        _slip(access, actions, months, life, rng, ends)
    stories = {a.pk: story(a, months, rng, ends[a.pk]) for a in actions}
    real = {
        (u.action_id, u.period): u
        for u in ProgressUpdate.objects.filter(action__plan=plan, period__in=months)
    }
    rounds = _rounds(plan, months, users["improvement_lead"])
    tasks, updates, stages = [], [], {}
    for action in actions:
        for month, told in stories[action.pk]:
            round_ = rounds[month]
            task = Task(round=round_, action=action)
            task._history_date = round_._history_date
            tasks.append(task)
            update = real.get((action.pk, month)) or ProgressUpdate(
                action=action,
                period=month,
                narrative=told.narrative,
                synthetic_note=SYNTHETIC,
            )
            if update.pk:
                update.synthetic_note = REAL_WORDS
            update.action_rating, update.impact_rating = told.action_rating, told.impact_rating
            update.evidence_text = f"Monthly performance report and audit summary for {action.ref}."
            author = users["action_lead"] if action.pk in led else None
            update.author = update.author or author
            stages[id(update)] = _stages(update, round_, rng, author, users["improvement_lead"])
            updates.append(update)
    bulk_create_with_history(tasks, Task, batch_size=500)
    _write_updates(updates, stages)
    return len(updates)


def _rounds(plan: Plan, months: list[date], opener) -> dict[date, Round]:
    rounds = {}
    for month in months:
        deadline = add_working_days(working_day_on_or_after(month_end(month)), -3)
        round_ = Round(plan=plan, period=month, deadline=deadline, opened_by=opener)
        round_._history_date = at(working_day_on_or_after(month), 9)
        round_._history_user = opener
        rounds[month] = round_
    bulk_create_with_history(list(rounds.values()), Round, batch_size=500)
    for round_ in rounds.values():  # opened_at is set on save: put back when it was
        Round.objects.filter(pk=round_.pk).update(opened_at=round_._history_date)
    return rounds


def _stages(update, round_: Round, rng: random.Random, author, signer) -> list[Stage]:
    """Submitted before the deadline; now and then returned and sent again; signed off."""
    deadline = round_.deadline
    submitted = at(deadline - timedelta(days=rng.randrange(0, 6)), 11)
    signed = at(add_working_days(deadline, rng.randrange(1, 4)), 15)
    stages = [Stage("submitted", submitted, author)]
    if update.pk is None and rng.random() < 0.04:
        returned = at(add_working_days(deadline, 1), 12)
        stages += [
            Stage("returned", returned, signer),
            Stage("submitted", returned + timedelta(days=1), author),
        ]
        signed = max(signed, returned + timedelta(days=2))
    return [*stages, Stage("signed_off", signed, signer)]


RETURN_COMMENT = (
    "Please say what the audit figures for the month showed, so the board can see the rating "
    "is right. (Synthetic: written for the demonstration.)"
)


def _apply(update: ProgressUpdate, stage: Stage) -> None:
    update.status = stage.status
    if stage.status == "submitted" and update.submitted_at is None:
        update.submitted_by, update.submitted_at = stage.user, stage.when
    elif stage.status == "returned":
        update.returned_by, update.returned_at = stage.user, stage.when
        update.return_comment = RETURN_COMMENT
    elif stage.status == "signed_off":
        update.signed_off_by, update.signed_off_at = stage.user, stage.when
    update._history_date, update._history_user = stage.when, stage.user


def _write_updates(updates: list[ProgressUpdate], stages: dict[int, list[Stage]]) -> None:
    """Each update's stages as its history rows, dated; the rows themselves as they ended."""
    new = [u for u in updates if u.pk is None]
    old = [u for u in updates if u.pk is not None]
    for update in updates:
        _apply(update, stages[id(update)][0])
    ProgressUpdate.objects.bulk_create(new, batch_size=500)
    # An update the importer wrote (the real August 2019 texts) gets its history anew: the
    # ratings and the label are the demo's, recorded with the rest.
    ProgressUpdate.history.filter(id__in=[u.pk for u in old]).delete()
    depth = max((len(s) for s in stages.values()), default=0)
    for index in range(depth):
        batch = []
        for update in updates:
            mine = stages[id(update)]
            if index < len(mine):
                if index:
                    _apply(update, mine[index])
                batch.append(update)
        ProgressUpdate.history.bulk_history_create(batch, batch_size=500, update=bool(index))
    fields = [
        "status",
        "action_rating",
        "impact_rating",
        "author",
        "evidence_text",
        "synthetic_note",
        "submitted_by",
        "submitted_at",
        "signed_off_by",
        "signed_off_at",
        "returned_by",
        "returned_at",
        "return_comment",
    ]
    ProgressUpdate.objects.bulk_update(updates, fields, batch_size=500)
    ids = [u.pk for u in updates]
    written = Coalesce(F("submitted_at"), F("signed_off_at"))
    ProgressUpdate.objects.filter(pk__in=ids).update(
        created_at=written, updated_at=Coalesce(F("signed_off_at"), F("submitted_at"))
    )
    ProgressUpdate.history.filter(id__in=ids).update(created_at=written)


SLIP_REASONS = [
    ("Recruitment to the new team took longer than planned", "Improvement Board"),
    ("The supplier's system change moved the go-live date", "Director of Children's Services"),
    ("Ofsted's inspection in December 2023 took the same managers", "Improvement Board"),
    ("Training was rescheduled so every team could attend", "Lead Member"),
    ("The partnership asked for a longer consultation", "Safeguarding Partnership Executive"),
]


def _slip(access, actions, months, life: Life, rng: random.Random, ends: dict) -> None:
    """Move the end date of `life.slips` actions, each in the month before it fell due, through
    change control (`edit_action`: the reason and who agreed are on the history row)."""
    candidates = [a for a in actions if a.end and life.first < month_start(a.end) <= life.last]
    for index, action in enumerate(rng.sample(candidates, min(life.slips, len(candidates)))):
        reason, agreed = SLIP_REASONS[index % len(SLIP_REASONS)]
        moved_on = working_day_on_or_after(add_months(month_start(action.end), -1) + timedelta(9))
        new_end = month_end(add_months(action.end, rng.randrange(2, 5)))
        action._history_date = at(moved_on, 14)
        edit_action(
            access,
            action,
            version=action.version,
            end=min(new_end, month_end(life.last)),
            change_reason=f"{reason}. (Synthetic: written for the demonstration.)",
            change_agreed_by=f"{agreed}, {moved_on:%-d %B %Y}",
        )
        del action._history_date
        ends[action.pk] = action.end


# ---------------------------------------------------------------------------------------------
# The three plans.

OLDHAM = Life("Oldham", date(2019, 4, 1), date(2021, 3, 1), seed=2019)
TAMESIDE_2023 = Life("Tameside", date(2023, 8, 1), date(2025, 12, 1), seed=2023, slips=6)
TAMESIDE_APPROVED = date(2026, 1, 6)  # the day the plan after the 2024 inspection was approved
PLAN_NOTE = (
    "The demo drafted this plan from the recommendations of Tameside's inspection report (their "
    "words are the report's); its leads, dates and approval are made up."
)


def begin_plan(plan: Plan, since: datetime, start: date, end: date, approved: date) -> None:
    """The plan as written at `start`: its rows' history dated then, its period and approval."""
    dated(since, at(start, 9))
    Plan.objects.filter(pk=plan.pk).update(start=start, end=end, approved_at=at(approved, 9))
    Plan.history.filter(id=plan.pk).update(start=start, end=end, approved_at=at(approved, 9))
    plan.refresh_from_db()


def end_plan(access: Access, plan: Plan, on: date) -> None:
    """Close the plan through `close_plan`, as on `on`."""
    plan._history_date = at(on, 16)
    close_plan(access, plan)
    Plan.objects.filter(pk=plan.pk).update(closed_at=at(on, 16))
    Plan.history.filter(id=plan.pk, status="closed").update(closed_at=at(on, 16))


def live_oldham(seeds: Path, plan: Plan, log=print) -> None:
    """Oldham 2019–21: the plan as written in April 2019, its real August 2019 progress, the
    other months synthetic, closed at the end of March 2021."""
    users = demo_users()
    access = access_for(users["improvement_lead"], "oldham")
    published = read_plan_file(seeds / OLDHAM_PROGRESS_SEED)
    by_ref = {action.ref: action for action in plan.actions.all()}
    writer = PlanWriter(plan, published, None)
    real = 0
    for drafted in published.actions:
        action = by_ref.get(drafted.ref)
        progress = [p for p in drafted.progress if p.period == OLDHAM_PROGRESS_MONTH]
        if action is None or not progress:
            continue
        drafted.progress = progress
        writer.add_progress(action, drafted)
        real += 1
    count = live_plan(plan, OLDHAM, users)
    end_plan(access, plan, date(2021, 4, 1))
    log(
        f"Oldham: {plan} lived April 2019 – March 2021: {count} updates ({real} of August 2019 "
        f"read from {OLDHAM_PROGRESS_SEED}, the rest synthetic), closed April 2021"
    )


def live_tameside(plan: Plan, log=print) -> Plan:
    """Tameside 2023, closed at the start of January 2026; then the plan after its 2024
    inspection, drafted, filled in and approved: Tameside's current plan."""
    users = demo_users()
    access = access_for(users["improvement_lead"], "tameside")
    count = live_plan(plan, TAMESIDE_2023, users, access)
    log(
        f"Tameside: {plan} lived August 2023 – December 2025: {count} synthetic updates, "
        f"{TAMESIDE_2023.slips} end dates moved"
    )
    current = _plan_after_inspection(access, plan, users)
    end_plan(access, plan, TAMESIDE_APPROVED - timedelta(days=1))
    approved = Plan.objects.get(pk=current.pk)
    approved._history_date = at(TAMESIDE_APPROVED, 11)
    approve_plan(access, approved)
    Plan.objects.filter(pk=current.pk).update(approved_at=at(TAMESIDE_APPROVED, 11))
    last = add_months(current_period(), -1)
    if last >= month_start(TAMESIDE_APPROVED):
        life = Life("Tameside", month_start(TAMESIDE_APPROVED), last, seed=2024)
        count = live_plan(approved, life, users)
    log(
        f"Tameside: {approved} (demo content) approved {TAMESIDE_APPROVED:%-d %B %Y}, "
        f"{count} updates to {last:%B %Y}"
    )
    return approved


def _plan_after_inspection(access: Access, previous: Plan, users) -> Plan:
    """The draft from the 2024 inspection (published 13 February 2024), its leads and dates
    filled in by the improvement lead in December 2025 (demo content: the dates are spread over
    the plan's two years, counted from its approval)."""
    inspection = access.scope(
        Inspection.objects.filter(type=Inspection.Type.ILACS, end__year=2023)
    ).get()
    since = timezone.now()
    draft = draft_plan_from_inspection(access, inspection)
    dated(since, at(date(2025, 12, 1), 10), [Plan, Priority, Action])
    posts = list(Post.objects.filter(actions__plan=previous).distinct().order_by("title")) or list(
        Post.objects.in_authority(access.authority)
    )
    lead_post = (
        Post.objects.in_authority(access.authority)
        .filter(holders__user=users["action_lead"])
        .first()
    )
    actions = list(draft.actions.order_by("order"))
    start = TAMESIDE_APPROVED
    # The first ends fall in the plan's early months, the rest every two months: by the month
    # the demo is loaded some are done (Blue), and one in five at most is past its end.
    for index, action in enumerate(actions):
        post = lead_post if lead_post and index % 2 == 1 else posts[index % len(posts)]
        end = month_end(add_months(start, 3 + 2 * index))
        action._history_date = at(date(2025, 12, 10), 10 + index % 6)
        edit_action(
            access,
            action,
            version=action.version,
            leads=[post],
            start=start,
            end=end,
            timescale_text=f"{start:%B %Y} – {end:%B %Y}",
        )
        del action._history_date
    Plan.objects.filter(pk=draft.pk).update(
        start=start,
        end=month_end(add_months(start, 23)),
        period="2026-27",
        synthetic_note=PLAN_NOTE,
    )
    return draft


# When each demo plan was written and ran: (start, end, approved).
PLAN_DATES = {
    "Oldham": (date(2019, 4, 1), date(2021, 3, 31), date(2019, 4, 1)),
    "Tameside": (date(2023, 8, 1), date(2025, 12, 31), date(2023, 8, 1)),
}


@transaction.atomic
def live_demo_plans(seeds: Path, plans: dict[str, Plan], log=print) -> None:
    """Live each newly loaded demo plan (`plans`: by the authority's name)."""
    if "Tameside" in plans and today() < TAMESIDE_APPROVED + timedelta(days=31):
        raise RuntimeError("The demo's story needs today's date to be February 2026 or later")
    if "Oldham" in plans:
        live_oldham(seeds, plans["Oldham"], log=log)
    if "Tameside" in plans:
        live_tameside(plans["Tameside"], log=log)


# The months of synthetic measure values: each authority's one continuous series per measure.
MEASURE_MONTHS = {
    "Oldham": (date(2019, 4, 1), date(2021, 3, 1)),
    "Tameside": (date(2023, 8, 1), None),
}


def measure_months(authority_name: str) -> tuple[int, date]:
    """(how many months, the last) of the authority's synthetic measure values: Oldham's over its
    2019–21 plan, Tameside's from August 2023 to this month."""
    first, last = MEASURE_MONTHS[authority_name]
    last = last or current_period()
    return (last.year - first.year) * 12 + last.month - first.month + 1, last


def date_measure_values(authority) -> None:
    """Each synthetic value (and comparator) recorded as a council would: on the tenth of the
    month after its month (never later than now)."""
    now = timezone.now()
    for model, synthetic in (
        (MeasureValue, {"source": MeasureValue.Source.SYNTHETIC}),
        (ComparatorValue, {"source": SYNTHETIC_SOURCE}),
    ):
        # The rows read once, then updated by primary key a month at a time: an update
        # filtered through the join to the measure took minutes a month on PostgreSQL.
        measures = list(Measure.objects.filter(authority=authority).values_list("pk", flat=True))
        by_period: dict[date, list[int]] = defaultdict(list)
        for history_id, period in model.history.filter(
            measure_id__in=measures, **synthetic
        ).values_list("history_id", "period"):
            by_period[period].append(history_id)
        for period, ids in by_period.items():
            when = min(now, at(add_months(period, 1) + timedelta(days=9), 9))
            model.history.filter(history_id__in=ids).update(history_date=when)


def one_series_each(authority) -> int:
    """A measure the service computes (from audits) or a council enters keeps that one series:
    the synthetic values generated for it before are removed with their history, so no series
    splices two sources (a jump the scorecard would read as a change in performance). Returns
    how many values were removed."""
    own = MeasureValue.objects.filter(measure__authority=authority).exclude(
        source=MeasureValue.Source.SYNTHETIC
    )
    spliced = MeasureValue.objects.filter(
        measure__in=own.values("measure"), source=MeasureValue.Source.SYNTHETIC
    )
    ids = list(spliced.values_list("pk", flat=True))
    MeasureValue.history.filter(id__in=ids).delete()
    MeasureValue.objects.filter(pk__in=ids).delete()
    MeasureValue.history.filter(id__in=ids).delete()  # the deletion's own history rows
    return len(ids)
