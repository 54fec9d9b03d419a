"""The demo: every English authority as reference data, Oldham's and Tameside's real plans loaded
through the real importers, and one user per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from g2g.annexa.demo import load_annexa_demo
from g2g.assurance.demo import load_assurance_demo
from g2g.core.dates import current_period, today
from g2g.governance.demo import load_governance_demo
from g2g.importers.services import read_plan_file, write_plan
from g2g.inspections.parser import report_file_bytes
from g2g.inspections.services import (
    InspectionExistsError,
    link_plan_by_words,
    read_report_upload,
    write_inspection,
)
from g2g.measures.demo import set_demo_indicators
from g2g.measures.services import generate_synthetic_values
from g2g.plans.models import Plan, Post, PostHolder
from g2g.plans.outcomes import load_demo_outcomes
from g2g.rounds.demo import load_demo_rounds
from g2g.tenancy.models import Authority, Membership, Role
from g2g.tenancy.reference import read_ilacs_overview
from g2g.tenancy.services import load_authorities

DEMO_PASSWORD = "getting-to-good-demo"  # noqa: S105 - printed for the local demo on purpose  # nosec B105


@dataclass(frozen=True)
class DemoPlan:
    authority: str
    seed: str
    progress_period: date | None
    action_lead_post: str  # the post the demo action lead holds


@dataclass(frozen=True)
class DemoInspection:
    authority: str
    report: str
    code: str = ""  # how the authority's plan cites it
    links_plan: bool = False  # link a plan that cites no codes by shared words
    focused_visit: bool = False  # a council report (a seed) listing a focused visit's findings


DEMO_INSPECTIONS = [
    DemoInspection("Oldham", "oldham-03-august-2015.pdf"),
    DemoInspection("Oldham", "oldham-04-march-2019.pdf", links_plan=True),
    DemoInspection("Oldham", "oldham-council-report-2020-12.txt", focused_visit=True),
    DemoInspection("Oldham", "oldham-12-july-2024.pdf"),
    DemoInspection("Tameside", "tameside-09-december-2016.pdf"),
    DemoInspection("Tameside", "tameside-01-july-2019.pdf", code="ILAC"),
    DemoInspection("Tameside", "tameside-13-february-2024.pdf"),
]

DEMO_PLANS = [
    # Oldham's plan had a "Progress update Aug 19" column; the seed text kept only "Progress".
    DemoPlan(
        "Oldham",
        "oldham-improvement-plan-2019-21.txt",
        date(2019, 8, 1),
        "Director of Children's Social Care",
    ),
    DemoPlan("Tameside", "tameside-improvement-plan-2023.txt", None, "AD Children's Social Care"),
]


def load_demo(seeds: Path, reference: Path, reports: Path, log=print) -> None:
    rows = read_ilacs_overview(reference / "ilacs-overview.xlsx")
    result = load_authorities(rows)
    log(f"Authorities: {result}")
    for demo in DEMO_PLANS:
        authority = Authority.objects.get(name=demo.authority)
        if Plan.objects.in_authority(authority).exists():
            log(f"{authority.name}: plan already loaded")
            continue
        draft = read_plan_file(seeds / demo.seed, progress_period=demo.progress_period)
        write_plan(authority, draft)
        log(f"{authority.name}: {draft.summary()['actions']} actions imported from {demo.seed}")
    load_demo_outcomes(seeds, [(demo.authority, demo.seed) for demo in DEMO_PLANS], log)
    for demo in DEMO_INSPECTIONS:
        _load_inspection(demo, seeds if demo.focused_visit else reports, log)
    for demo in DEMO_PLANS:
        authority = Authority.objects.get(name=demo.authority)
        figures = set_demo_indicators(authority)
        count = generate_synthetic_values(authority, months=24, seed=1, end=current_period())
        log(f"{authority.name}: {count} synthetic measure values (labelled synthetic)")
        log(f"{authority.name}: {figures} published England figures as comparators")
    load_annexa_demo(log)
    load_assurance_demo(log)
    load_governance_demo(seeds, log)
    _create_users(log)
    load_demo_rounds(log)


def _load_inspection(demo: DemoInspection, folder: Path, log) -> None:
    authority = Authority.objects.get(name=demo.authority)
    path = folder / demo.report
    data = report_file_bytes(path)
    report = read_report_upload(path.name, data, focused_visit=demo.focused_visit)
    try:
        with transaction.atomic():  # the inspection and its links, or neither
            inspection = write_inspection(authority, report, code=demo.code, source_name=path.name)
            if demo.links_plan:
                link_plan_by_words(inspection, Plan.objects.in_authority(authority).current())
    except InspectionExistsError:
        return
    log(f"{authority.name}: {inspection} imported from {demo.report}")


@transaction.atomic
def _create_users(log) -> None:
    users = get_user_model()
    for role in Role:
        user, created = users.objects.get_or_create(
            username=role.value,
            defaults={
                "first_name": "Demo",
                "last_name": role.label.lower(),
                "email": f"{role.value}@example.gov.uk",  # reminder mails (console in the demo)
            },
        )
        if created:  # nobody is staff: Django admin is for the service's operators, not councils
            user.set_password(DEMO_PASSWORD)
            user.save()
        for demo in DEMO_PLANS:
            authority = Authority.objects.get(name=demo.authority)
            Membership.objects.get_or_create(
                user=user, authority=authority, defaults={"role": role}
            )
            if role == Role.ACTION_LEAD:
                post = Post.objects.in_authority(authority).get(title=demo.action_lead_post)
                PostHolder.objects.get_or_create(
                    post=post, user=user, defaults={"name": "Demo action lead", "since": today()}
                )
    log("\nSign in at http://127.0.0.1:8000/ with any of these users:")
    log("(Django admin at /admin/ is for operators: make one with `g2g createsuperuser`.)")
    for role in Role:
        log(f"  {role.value:<17} ({role.label}), password: {DEMO_PASSWORD}")
