"""Demo audits: a year of each authority's audit programme, synthetic and labelled so.

The programme's shape follows the seeds (the kinds, themes and rhythm are the plans' words); the
numbers (cases, grades), findings and remedial actions are made up by a seeded generator, so the
same seed gives the same audits. Every audit is stored with `synthetic=True` and tagged
"Synthetic" on the pages; the computed measures' notes say they come from synthetic audits.

- Oldham plan 2019-21: "bi-monthly thematic case audits" (2.4); "an annual programme of thematic
  audits to include: Quality of Practice, Voice of the Child, Cultural Diversity, CP Decision
  Making (S47 processes)" (4.1); "Quarterly 'spotlight deep dive clinics' and bi-annually
  practice weeks" (4.6).
- Tameside plan 2023: "Monthly audits" (1.9, 4.7); "Collaborative Audits", "Thematic Audits",
  "Quarterly Practice Week" (Performance and Assurance Cycle); "Deep dive and dip sampling of
  files" of the children with a disability team (1.9).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from g2g.assurance import services
from g2g.assurance.models import Audit, Grade
from g2g.core.dates import add_months, add_working_days, today
from g2g.plans.models import Post
from g2g.tenancy.access import Access, operator_access
from g2g.tenancy.models import Authority

DEMO_DATA_SOURCE = (
    "Computed from the audits recorded in Getting to Good (in the demo, synthetic audits)"
)


@dataclass(frozen=True)
class Strand:
    """One strand of an audit programme: a kind of audit, run every `every` months."""

    kind: str
    every: int
    themes: tuple[str, ...]
    cases: tuple[int, int]
    graded_share: float = 1.0  # practice weeks grade most, not all, of what they look at


PROGRAMMES = {
    "Oldham": [
        Strand(
            Audit.Kind.THEMATIC,
            2,
            (
                "Quality of plans (CIN, CP and CLA)",
                "Quality of Practice",
                "Voice of the Child",
                "Cultural Diversity",
                "CP Decision Making (S47 processes)",
            ),
            (10, 20),
        ),
        Strand(Audit.Kind.DEEP_DIVE, 3, ("Spotlight deep dive clinic",), (5, 10)),
        Strand(Audit.Kind.PRACTICE_WEEK, 6, ("Practice week",), (30, 45), graded_share=0.9),
    ],
    "Tameside": [
        Strand(Audit.Kind.COLLABORATIVE, 1, ("Monthly collaborative case file audit",), (6, 10)),
        Strand(Audit.Kind.PRACTICE_WEEK, 3, ("Quarterly Practice Week",), (30, 45), 0.9),
        Strand(Audit.Kind.THEMATIC, 6, ("Management oversight", "Life story work"), (10, 15)),
        Strand(Audit.Kind.DIP_SAMPLE, 12, ("Children with a disability team (ISCAN)",), (8, 12)),
    ],
}

REMEDIES = [
    "Update the child's plan so it is SMART, with a contingency plan",
    "Record management oversight and the supervision decision on the child's file",
    "Complete the overdue review of the child's assessment",
    "Record the child's wishes and feelings in their own words",
    "Hold the strategy discussion record on file and share it with partners",
    "Update the chronology and the genogram",
]
STRENGTHS = [
    "children are seen regularly and alone",
    "assessments are timely",
    "partners contribute well to plans",
    "the child's voice is clear in recent work",
]
IMPROVE = [
    "plans lack measurable outcomes and contingency planning",
    "management oversight is not consistently recorded",
    "the impact of supervision on the child's plan is hard to see",
    "chronologies are not kept up to date",
]


def load_assurance_demo(log=print, seed: int = 1) -> None:
    for name, programme in PROGRAMMES.items():
        authority = Authority.objects.get(name=name)
        if Audit.objects.in_authority(authority).exists():
            log(f"{name}: audits already loaded")
            continue
        with transaction.atomic():
            count = _write_programme(operator_access(authority), programme, seed)
        log(f"{name}: {count} synthetic audits over the last 12 months (labelled synthetic)")


def _write_programme(access: Access, programme: list[Strand], seed: int) -> int:
    # Demo data, not security: a seeded generator is the point (same seed, same audits).
    rng = random.Random(f"{seed}:{access.authority.name}")  # noqa: S311  # nosec B311
    posts = list(access.scope(Post.objects.all()).order_by("title"))
    on = today()
    months = [add_months(on, -back) for back in range(12, 0, -1)]
    services.ensure_assurance_measures(access, data_source=DEMO_DATA_SOURCE)
    count = 0
    for index, month in enumerate(months):
        for strand in programme:
            if index % strand.every:
                continue
            theme = strand.themes[(index // strand.every) % len(strand.themes)]
            held_on = month + timedelta(days=rng.randrange(5, 25))
            _write_audit(access, rng, strand, theme, held_on, progress=index / 11, posts=posts)
            count += 1
    return count


def _write_audit(access, rng, strand: Strand, theme: str, held_on: date, progress, posts):
    """One audit; the share of good cases improves over the year, as a plan hopes."""
    cases = rng.randint(*strand.cases)
    graded = round(cases * strand.graded_share)
    good_chance = 0.45 + 0.2 * progress
    counts = dict.fromkeys(Grade.values, 0)
    for _ in range(graded):
        draw = rng.random()
        if draw < 0.06:
            counts[Grade.OUTSTANDING] += 1
        elif draw < good_chance:
            counts[Grade.GOOD] += 1
        elif draw < 0.92:
            counts[Grade.REQUIRES_IMPROVEMENT] += 1
        else:
            counts[Grade.INADEQUATE] += 1
    findings = (
        "Synthetic demo findings (made up for the demo, not the council's).\n\n"
        f"Strengths: {rng.choice(STRENGTHS)}.\n\n"
        f"Areas for development: {rng.choice(IMPROVE)}."
    )
    audit = services.record_audit(
        access,
        kind=strand.kind,
        theme=theme,
        held_on=held_on,
        lead=rng.choice(posts) if posts else None,
        cases=cases,
        findings=findings,
        synthetic=True,
        **counts,
    )
    for remedy in rng.sample(REMEDIES, k=rng.randint(1, 3)):
        _write_remedial(access, rng, audit, remedy, posts)


def _write_remedial(access, rng, audit: Audit, remedy: str, posts) -> None:
    """A remedial action due 20 working days after the audit: most done on time, some late,
    some still open."""
    on = today()
    due = add_working_days(audit.held_on, 20)
    action = services.add_remedial_action(
        access,
        audit,
        description=remedy,
        owner_post=rng.choice(posts) if posts else None,
        owner_text="" if posts else "Team manager",
        due=due,
    )
    draw = rng.random()
    if due < on and draw < 0.7:
        done_on = due - timedelta(days=rng.randrange(0, 10))
    elif due < on and draw < 0.85:
        done_on = min(on, due + timedelta(days=rng.randrange(1, 15)))
    elif due >= on and draw < 0.4:
        done_on = audit.held_on + timedelta(
            days=rng.randrange(0, max(1, (on - audit.held_on).days))
        )
    else:
        return
    services.complete_remedial_action(access, action, done_on=max(done_on, audit.held_on))
