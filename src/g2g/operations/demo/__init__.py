"""The demo: every English authority as reference data, Oldham's and Tameside's real plans loaded
through the real importers, and one user per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from g2g.core.dates import today
from g2g.importers.posts import find_post
from g2g.importers.services import read_plan_file, write_plan
from g2g.inspections.parser import report_file_bytes
from g2g.inspections.services import (
    InspectionExistsError,
    link_plan_by_words,
    read_report_upload,
    write_inspection,
)
from g2g.measures.published import load_published_figures
from g2g.measures.services import generate_synthetic_values
from g2g.operations.demo.annexa import load_annexa_demo
from g2g.operations.demo.assurance import load_assurance_demo
from g2g.operations.demo.governance import load_governance_demo
from g2g.operations.demo.lived import (
    PLAN_DATES,
    begin_plan,
    date_measure_values,
    live_demo_plans,
    measure_months,
    one_series_each,
)
from g2g.operations.demo.measures import load_demo_outcomes, set_demo_indicators
from g2g.operations.demo.rounds import load_demo_rounds
from g2g.plans.models import Plan, Post, PostHolder
from g2g.tenancy.access import operator_access
from g2g.tenancy.models import Authority, Membership, Role
from g2g.tenancy.reference import read_ilacs_overview
from g2g.tenancy.services import load_authorities

# The demo's documents, kept in the repository beside src/ (demo-data/README.md says where each
# comes from); `g2g load_demo --seeds/--reference/--reports` reads others.
DEMO_DATA = Path(__file__).resolve().parents[4] / "demo-data"
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
    # Oldham's plan had a "Progress update Aug 19" column; this seed text kept only "Progress"
    # (undated, so not read): the August 2019 round is read from the plan as published then
    # (lived.OLDHAM_PROGRESS_SEED, the block layout).
    DemoPlan(
        "Oldham", "oldham-improvement-plan-2019-21.txt", None, "Director of Children's Social Care"
    ),
    DemoPlan("Tameside", "tameside-improvement-plan-2023.txt", None, "AD Children's Social Care"),
]


def load_demo(seeds: Path, reference: Path, reports: Path, log=print) -> None:
    rows = read_ilacs_overview(reference / "ilacs-overview.xlsx")
    result = load_authorities(rows)
    log(f"Authorities: {result}")
    if (reference / "dfe").is_dir():
        published = load_published_figures(reference / "dfe")
        log(f"DfE's published figures: {published.summary()}")
    else:
        log(f"DfE's published figures: not loaded ({reference / 'dfe'} is not there)")
    written = {}
    for demo in DEMO_PLANS:
        authority = Authority.objects.get(name=demo.authority)
        if Plan.objects.in_authority(authority).exists():
            log(f"{authority.name}: plan already loaded")
            continue
        since = timezone.now()
        draft = read_plan_file(seeds / demo.seed, progress_period=demo.progress_period)
        written[demo.authority] = write_plan(operator_access(authority), draft)
        log(f"{authority.name}: {draft.summary()['actions']} actions imported from {demo.seed}")
        load_demo_outcomes(seeds, [(demo.authority, demo.seed)], log)
        begin_plan(written[demo.authority], since, *PLAN_DATES[demo.authority])
    for demo in DEMO_INSPECTIONS:
        _load_inspection(demo, seeds if demo.focused_visit else reports, log)
    for demo in DEMO_PLANS:
        authority = Authority.objects.get(name=demo.authority)
        figures = set_demo_indicators(authority)
        months, last = measure_months(demo.authority)
        count = generate_synthetic_values(
            operator_access(authority), months=months, seed=1, end=last
        )
        date_measure_values(authority)
        log(
            f"{authority.name}: {count} synthetic measure values, {months} months to "
            f"{last:%B %Y} (labelled synthetic)"
        )
        log(f"{authority.name}: {figures} published figures (DfE) as measures' comparators")
    load_annexa_demo(log)
    load_assurance_demo(log)
    for demo in DEMO_PLANS:
        authority = Authority.objects.get(name=demo.authority)
        removed = one_series_each(authority)
        log(f"{authority.name}: {removed} synthetic values removed where a measure has its own")
    load_governance_demo(seeds, log)
    _create_users(log)
    live_demo_plans(seeds, written, log)
    load_demo_rounds(log)


def _load_inspection(demo: DemoInspection, folder: Path, log) -> None:
    authority = Authority.objects.get(name=demo.authority)
    path = folder / demo.report
    data = report_file_bytes(path)
    report = read_report_upload(path.name, data, focused_visit=demo.focused_visit)
    try:
        with transaction.atomic():  # the inspection and its links, or neither
            access = operator_access(authority)
            inspection = write_inspection(access, report, code=demo.code, source_name=path.name)
            if demo.links_plan:
                plan = Plan.objects.in_authority(authority).current()
                link_plan_by_words(access, inspection, plan)
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
                post = find_post(Post.objects.in_authority(authority), demo.action_lead_post)
                PostHolder.objects.get_or_create(
                    post=post, user=user, defaults={"name": "Demo action lead", "since": today()}
                )
    log("\nSign in at http://127.0.0.1:8000/ with any of these users:")
    log("(Django admin at /admin/ is for operators: make one with `g2g createsuperuser`.)")
    for role in Role:
        log(f"  {role.value:<17} ({role.label}), password: {DEMO_PASSWORD}")
