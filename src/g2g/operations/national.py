"""A synthetic national dataset: every authority with an improvement plan, three years of monthly
progress updates, a scorecard of measures with values and comparators, and its users.

It exists to measure the service at national scale (`make bench`) and to try it with realistic
volumes. Everything it writes is synthetic and says so (plan titles, measure values' source).
Rows are written with bulk inserts, keeping django-simple-history's records; the same seed gives
the same data, because each authority draws from its own generator seeded by the seed and its
slug (adding an authority changes no other authority's data).
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from g2g.core.dates import add_months, current_period, month_end, month_start
from g2g.measures.indicators import INDICATORS
from g2g.measures.models import Measure, Milestone
from g2g.measures.rating import Polarity
from g2g.measures.services import generate_synthetic_values
from g2g.plans.models import (
    Action,
    FocusArea,
    Objective,
    Plan,
    Post,
    PostHolder,
    Priority,
    ProgressUpdate,
    Rating,
)
from g2g.tenancy.access import operator_access
from g2g.tenancy.models import Authority, Membership, Role
from g2g.tenancy.reference import read_ilacs_overview
from g2g.tenancy.services import load_authorities

PLAN_TITLE = "Synthetic improvement plan (national benchmark data)"
SYNTHETIC_PREFIX = "synthetic-"  # slug of authorities made up when no reference workbook is given

POSTS = [
    "Director of Children's Services",
    "AD Children's Social Care",
    "Head of Safeguarding and Quality Assurance",
    "Head of Early Help",
    "Principal Social Worker",
    "Head of Corporate Parenting",
    "Head of Workforce Development",
    "Head of Performance and Intelligence",
]

PRIORITIES = [
    ("Leadership, management and governance", ["Strategic oversight", "Partnership working"]),
    ("The front door and early help", ["Front door / MASH", "Early help offer"]),
    ("Help and protection", ["Assessments", "Child protection planning"]),
    ("Children in care", ["Placement sufficiency", "Permanence planning"]),
    ("Care leavers", ["Pathway planning", "Education, employment and training"]),
    ("Workforce and practice quality", ["Recruitment and retention", "Quality assurance"]),
]

FOCUS_AREAS = [
    ("FA1", "Threshold application", "The impact of leaders on social work practice"),
    ("FA2", "Timeliness of assessments", "The experiences and progress of children who need help"),
    ("FA3", "Management oversight", "The impact of leaders on social work practice"),
    ("FA4", "Voice of the child", "The experiences and progress of children in care"),
    ("FA5", "Placement stability", "The experiences and progress of children in care"),
    ("FA6", "Care leavers' pathway plans", "The experiences and progress of care leavers"),
]

VERBS = ["Embed", "Review", "Strengthen", "Audit", "Implement", "Develop", "Refresh", "Monitor"]
SUBJECTS = [
    "the threshold document across partner agencies",
    "management oversight of child in need plans",
    "the quality of supervision for front-line social workers",
    "timeliness of strategy discussions",
    "the voice of the child in assessments",
    "sufficiency of local foster placements",
    "pathway plans for care leavers",
    "the practice model and its training offer",
    "return home interviews for missing children",
    "the escalation policy for disputes between agencies",
    "permanence planning for children in care",
    "case file audits and their follow-up",
]

NARRATIVES = {
    Rating.RED: "Progress has slipped this month; a recovery plan is going to the board.",
    Rating.AMBER: "Work is under way but not yet on track; actions agreed to close the gap.",
    Rating.GREEN: "Work is on track and the latest audit shows practice improving.",
    Rating.BLUE: "Completed: impact evidenced in audits and in what children tell us.",
}
RATINGS = [Rating.RED, Rating.AMBER, Rating.GREEN, Rating.BLUE]

# 10 users per authority, in this mix of roles.
USER_ROLES = [Role.ADMINISTRATOR, Role.IMPROVEMENT_LEAD, Role.IMPROVEMENT_LEAD]
USER_ROLES += [Role.ACTION_LEAD] * 4 + [Role.VIEWER] * 3

MEASURE_SUBJECTS = [
    "children seen alone at their last visit",
    "children in need plans reviewed on time",
    "strategy discussions held within 1 working day",
    "return home interviews offered within 72 hours",
    "child in need visits within timescale",
    "supervisions recorded within 6 weeks",
    "children in care reviews held on time",
    "personal education plans up to date",
    "health assessments for children in care on time",
    "care leavers in touch with the authority",
]
MEASURE_QUALIFIERS = ["", " (under 5s)", " (disabled children)", " (16 and 17 year olds)"]


@dataclass(frozen=True)
class NationalSize:
    """How much each authority gets."""

    actions: int = 60
    months: int = 36
    measures: int = 50
    users: int = 10


@dataclass(frozen=True)
class NationalResult:
    authorities: int
    skipped: list[str]
    actions: int
    updates: int
    measures: int
    values: int
    users: int

    def __str__(self) -> str:
        text = (
            f"{self.authorities} authorities: {self.actions} actions, {self.updates} progress "
            f"updates, {self.measures} measures, {self.values} measure values, {self.users} users"
        )
        if self.skipped:
            text += (
                f"; {len(self.skipped)} skipped (already have a plan): {', '.join(self.skipped)}"
            )
        return text


def measure_names() -> list[tuple[str, Polarity]]:
    """The percentage measures a synthetic scorecard takes, in order: the standard indicators,
    then local ones (55 in all)."""
    names = [(i.name, i.polarity) for i in INDICATORS if i.unit == Measure.Unit.PERCENT]
    names += [
        (f"% of {subject}{qualifier}", Polarity.HIGHER)
        for qualifier in MEASURE_QUALIFIERS
        for subject in MEASURE_SUBJECTS
    ]
    return names


def authority_seed(seed: int, slug: str) -> int:
    """A stable number per authority and seed (Python's hash() of a str changes per process)."""
    return zlib.crc32(f"{seed}:{slug}".encode())


@transaction.atomic
def generate_national(
    count: int,
    *,
    seed: int = 1,
    reference: Path | None = None,
    size: NationalSize = NationalSize(),  # noqa: B008 - frozen dataclass, never mutated
    password: str | None = None,
    end: date | None = None,
    log: Callable[[str], None] = print,
) -> NationalResult:
    """Create `count` authorities' synthetic plans, updates, measures and users, all or nothing.

    Authorities come from the reference workbook when given (real names, regions, neighbours and
    grades; the first `count` by name), else are made up. An authority that already has a plan
    is skipped and named in the result. The `months` months run up to `end` (default: this
    month). Users share one password (hashed once) or none at all (they cannot sign in).
    """
    last = month_start(end or current_period())
    authorities = _authorities(count, reference)
    has_plan = set(
        Plan.objects.filter(authority__in=authorities).values_list("authority", flat=True)
    )
    skipped = [a.name for a in authorities if a.pk in has_plan]
    authorities = [a for a in authorities if a.pk not in has_plan]
    hashed = make_password(password)  # None gives an unusable password
    totals = {"actions": 0, "updates": 0, "measures": 0, "values": 0, "users": 0}
    for number, authority in enumerate(authorities, start=1):
        written = _authority(authority, seed, size, last, hashed)
        for key, value in written.items():
            totals[key] += value
        if number % 25 == 0 or number == len(authorities):
            log(f"{number} of {len(authorities)} authorities written")
    return NationalResult(len(authorities), skipped, **totals)


def _authorities(count: int, reference: Path | None) -> list[Authority]:
    if reference is not None:
        load_authorities(read_ilacs_overview(reference))
        chosen = list(Authority.objects.exclude(la_number="").order_by("name")[:count])
        if len(chosen) < count:
            raise ValueError(f"{reference} has {len(chosen)} authorities, not {count}")
        return chosen
    wanted = [
        Authority(name=f"Synthetic authority {n:03}", slug=f"{SYNTHETIC_PREFIX}{n:03}")
        for n in range(1, count + 1)
    ]
    existing = set(
        Authority.objects.filter(slug__in=[a.slug for a in wanted]).values_list("slug", flat=True)
    )
    Authority.objects.bulk_create([a for a in wanted if a.slug not in existing])
    return list(Authority.objects.filter(slug__in=[a.slug for a in wanted]).order_by("name"))


def _authority(
    authority: Authority, seed: int, size: NationalSize, last: date, hashed: str
) -> dict[str, int]:
    # Synthetic data, not security: a seeded generator is the point (same seed, same data).
    rng = random.Random(authority_seed(seed, authority.slug))  # noqa: S311  # nosec B311
    months = [add_months(last, -back) for back in reversed(range(size.months))]
    users = _users(authority, size.users, hashed)
    plan = bulk_create_with_history(
        [Plan(authority=authority, title=PLAN_TITLE, period=f"{months[0]:%Y}-{last:%y}")], Plan
    )[0]
    posts = bulk_create_with_history(
        [Post(authority=authority, title=title) for title in POSTS], Post
    )
    action_leads = [user for user, role in users if role == Role.ACTION_LEAD]
    bulk_create_with_history(
        [
            PostHolder(post=post, user=user, name=user.get_full_name(), since=months[0])
            for post, user in zip(posts[1:], action_leads, strict=False)
        ]
        + [PostHolder(post=posts[0], name="Synthetic director", since=months[0])],
        PostHolder,
    )
    areas = bulk_create_with_history(
        [
            FocusArea(plan=plan, code=code, name=name, judgement_area=area)
            for code, name, area in FOCUS_AREAS
        ],
        FocusArea,
    )
    priorities = bulk_create_with_history(
        [
            Priority(plan=plan, number=n, title=title, sponsor=posts[n % len(posts)])
            for n, (title, _objectives) in enumerate(PRIORITIES, start=1)
        ],
        Priority,
    )
    objectives = bulk_create_with_history(
        [
            Objective(priority=priority, title=title, order=order)
            for priority, (_title, titles) in zip(priorities, PRIORITIES, strict=True)
            for order, title in enumerate(titles)
        ],
        Objective,
    )
    actions = bulk_create_with_history(
        [
            _action(rng, plan, objectives, index, size.actions, months)
            for index in range(size.actions)
        ],
        Action,
        batch_size=500,
    )
    Action.leads.through.objects.bulk_create(
        Action.leads.through(action=action, post=post)
        for action in actions
        for post in rng.sample(posts[1:], rng.choice((1, 1, 2)))
    )
    Action.focus_areas.through.objects.bulk_create(
        Action.focus_areas.through(action=action, focusarea=area)
        for action in actions
        for area in rng.sample(areas, rng.choice((1, 2)))
    )
    updates = _updates(rng, actions, months, action_leads)
    bulk_create_with_history(updates, ProgressUpdate, batch_size=1000)
    measures = _measures(rng, authority, plan, size.measures, months)
    values = generate_synthetic_values(
        operator_access(authority),
        months=size.months,
        seed=authority_seed(seed, authority.slug),
        end=last,
    )
    return {
        "actions": len(actions),
        "updates": len(updates),
        "measures": len(measures),
        "values": values,
        "users": len(users),
    }


def _users(authority: Authority, count: int, hashed: str) -> list[tuple[object, str]]:
    users = get_user_model()
    roles = [USER_ROLES[n % len(USER_ROLES)] for n in range(count)]
    created = users.objects.bulk_create(
        users(
            username=f"{authority.slug}-{n:02}",
            first_name="Synthetic",
            last_name=f"{role.label.lower()} {n:02}",
            email=f"{authority.slug}-{n:02}@example.gov.uk",
            password=hashed,
        )
        for n, role in enumerate(roles, start=1)
    )
    if created and created[0].pk is None:  # databases that do not return keys
        created = list(
            users.objects.filter(username__startswith=f"{authority.slug}-").order_by("username")
        )
    bulk_create_with_history(
        [
            Membership(user=user, authority=authority, role=role)
            for user, role in zip(created, roles, strict=True)
        ],
        Membership,
    )
    return list(zip(created, roles, strict=True))


def _action(
    rng: random.Random,
    plan: Plan,
    objectives: Sequence[Objective],
    index: int,
    count: int,
    months: list[date],
) -> Action:
    objective = objectives[index * len(objectives) // count]
    title = f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)}"
    start = months[rng.randrange(0, max(1, len(months) // 2))]
    end = month_end(add_months(start, rng.randrange(6, 30)))
    return Action(
        plan=plan,
        priority_id=objective.priority_id,
        objective=objective,
        ref=f"{objective.priority.number}.{index + 1}",
        order=index,
        title=title,
        text=f"{title}.\n\n• agree the approach with partners\n• report progress to the board",
        timescale_text=f"{start:%B %Y} to {end:%B %Y}",
        start=start,
        end=end,
        ongoing=rng.random() < 0.1,
        evidence_of_success="Audits show the change in practice; children's feedback improves.",
        children_will_say="My social worker listens to me and explains what will happen.",
        sources=["ILAC"],
    )


def _updates(
    rng: random.Random, actions: Sequence[Action], months: list[date], authors: Sequence[object]
) -> list[ProgressUpdate]:
    """One update a month per action; ratings drift towards green over the three years. This
    month's is signed off, submitted, a draft, or not yet written."""
    updates = []
    for action in actions:
        level = rng.uniform(0.0, 1.5)  # index into RATINGS: starts red or amber
        author = rng.choice(authors) if authors else None
        for number, month in enumerate(months):
            level = min(3.0, max(0.0, level + rng.gauss(0.06, 0.35)))
            action_rating = RATINGS[min(3, int(level + 0.5))]
            impact_rating = RATINGS[min(3, max(0, int(level)))]
            status = ProgressUpdate.Status.SIGNED_OFF
            if number == len(months) - 1:
                draw = rng.random()
                if draw < 0.15:
                    continue
                if draw < 0.45:
                    status = rng.choice(
                        [ProgressUpdate.Status.DRAFT, ProgressUpdate.Status.SUBMITTED]
                    )
            updates.append(
                ProgressUpdate(
                    action=action,
                    period=month,
                    narrative=NARRATIVES[action_rating],
                    action_rating=action_rating,
                    impact_rating=impact_rating,
                    author=author,
                    status=status,
                    evidence_text="Case file audit results and the monthly performance report.",
                )
            )
    return updates


def _measures(
    rng: random.Random, authority: Authority, plan: Plan, count: int, months: list[date]
) -> list[Measure]:
    names = measure_names()
    measures = bulk_create_with_history(
        [
            Measure(
                authority=authority,
                plan=plan,
                code=f"M{n:02}",
                name=name,
                unit=Measure.Unit.PERCENT,
                polarity=polarity,
                data_source="Synthetic (national benchmark data)",
                order=n,
            )
            for n, (name, polarity) in enumerate(
                (names[i % len(names)] for i in range(count)), start=1
            )
        ],
        Measure,
    )
    milestones = []
    for measure in measures:
        if measure.polarity == Polarity.NEITHER:
            continue
        target = rng.uniform(60.0, 90.0)
        if measure.polarity == Polarity.LOWER:
            target = 100.0 - target
        for due in (months[len(months) // 2], months[-1]):
            milestones.append(
                Milestone(measure=measure, due=month_end(due), value=Decimal(f"{target:.1f}"))
            )
    bulk_create_with_history(milestones, Milestone)
    return measures
