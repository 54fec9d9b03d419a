"""factory_boy factories for the whole project's models."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from g2g.annexa.models import AnnexAReturn
from g2g.core.dates import current_period
from g2g.importers.models import Upload
from g2g.inspections.models import Finding, Inspection, Judgement, Paragraph
from g2g.measures.models import Measure
from g2g.plans.models import (
    Action,
    FocusArea,
    Objective,
    Plan,
    Post,
    PostHolder,
    Priority,
    ProgressUpdate,
)
from g2g.tenancy.models import Authority, Membership, Role

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority

    name = factory.Sequence(lambda n: f"Authority {n}")
    slug = factory.Sequence(lambda n: f"authority-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    authority = factory.SubFactory(AuthorityFactory)
    role = Role.VIEWER


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    authority = factory.SubFactory(AuthorityFactory)
    title = factory.Sequence(lambda n: f"Improvement plan {n}")


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Priority {n}")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    priority = factory.SubFactory(PriorityFactory)
    title = factory.Sequence(lambda n: f"Objective {n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    authority = factory.SubFactory(AuthorityFactory)
    title = factory.Sequence(lambda n: f"Head of service {n}")


class PostHolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostHolder

    post = factory.SubFactory(PostFactory)
    name = factory.Faker("name")


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"FA{n}")
    name = factory.Sequence(lambda n: f"Focus area {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    priority = factory.SubFactory(PriorityFactory)
    plan = factory.SelfAttribute("priority.plan")
    ref = factory.Sequence(lambda n: f"A{n}")
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Action {n}")
    text = factory.LazyAttribute(lambda o: f"{o.title}.\n\n• first step\n• second step")

    @factory.post_generation
    def leads(self, create, extracted, **kwargs):
        if create and extracted:
            self.leads.set(extracted)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    period = factory.LazyFunction(current_period)
    narrative = "Work is on track."


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection
        skip_postgeneration_save = True

    authority = factory.SubFactory(AuthorityFactory)
    type = Inspection.Type.ILACS
    code = "ILAC"
    overall = "Requires improvement to be good"
    judgement = factory.RelatedFactory(
        "tests.factories.JudgementFactory", factory_related_name="inspection"
    )
    finding = factory.RelatedFactory(
        "tests.factories.FindingFactory", factory_related_name="inspection"
    )


class JudgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Judgement

    area = "Impact of leaders on social work practice with children and families"
    grade = "Requires improvement to be good"


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"The quality of assessments, part {n}")


class ParagraphFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paragraph

    number = factory.Sequence(lambda n: n + 1)
    section = "The experiences and progress of children who need help and protection"
    text = "Children are seen promptly."


class UploadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Upload

    kind = Upload.Kind.PLAN
    name = "plan.txt"
    data = b"Not a plan"


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    authority = factory.SubFactory(AuthorityFactory)
    code = factory.Sequence(lambda n: f"CIN{n}")
    name = factory.Sequence(lambda n: f"% of assessments completed in time ({n})")
    data_source = "Scorecard"


class StakeholderOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "measures.StakeholderOutcome"

    plan = factory.SubFactory(PlanFactory)
    group = "children"
    statement = factory.Sequence(lambda n: f"Children will say they are heard ({n})")


# Governance and quality assurance (models named as strings: no import lines to merge).
from datetime import timedelta  # noqa: E402


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Board"

    authority = factory.SubFactory(AuthorityFactory)
    name = factory.Sequence(lambda n: f"Improvement Board {n}")
    chair_text = "Director of Children's Services"
    frequency = "Monthly"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Meeting"

    board = factory.SubFactory(BoardFactory)
    held_on = factory.LazyFunction(current_period)
    attendees = "Director of Children's Services\nHead of Improvement"
    decisions = "Agreed the scorecard"


class MeetingActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.MeetingAction"

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"Report back on supervision ({n})")
    owner_text = "Head of Improvement"
    due = factory.LazyAttribute(lambda o: o.meeting.held_on + timedelta(days=28))


class ObsessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Obsession"

    authority = factory.SubFactory(AuthorityFactory)
    title = factory.Sequence(lambda n: f"Management oversight ({n})")
    starts = factory.LazyFunction(current_period)
    ends = factory.LazyAttribute(lambda o: o.starts + timedelta(weeks=6))


class AuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assurance.Audit"

    authority = factory.SubFactory(AuthorityFactory)
    kind = "thematic"
    theme = factory.Sequence(lambda n: f"Voice of the child ({n})")
    held_on = factory.LazyFunction(current_period)
    cases = 10
    outstanding = 1
    good = 5
    requires_improvement = 3
    inadequate = 1


class RemedialActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assurance.RemedialAction"

    audit = factory.SubFactory(AuditFactory)
    description = factory.Sequence(lambda n: f"Update the child's plan ({n})")
    owner_text = "Team manager"
    due = factory.LazyAttribute(lambda o: o.audit.held_on + timedelta(days=28))


class AnnexAReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnexAReturn

    authority = factory.SubFactory(AuthorityFactory)
    file_name = factory.Sequence(lambda n: f"annex-a-{n}.xlsx")
    sha256 = "0" * 64
    snapshot_date = factory.LazyFunction(current_period)
    spec_version = "2023"
    rows = factory.LazyFunction(lambda: {"contacts": 10, "referrals": 4})
    quality = factory.LazyFunction(
        lambda: {
            "counts": {"missing": 1},
            "issues": [
                {
                    "list": "contacts",
                    "column": "ethnicity",
                    "check": "missing",
                    "count": 1,
                    "rows": [7],
                }
            ],
        }
    )
    kpis = factory.LazyFunction(
        lambda: {"contact_conversion": {"numerator": 4, "denominator": 10, "value": 40.0}}
    )


class RoundFactory(factory.django.DjangoModelFactory):
    """A monthly round with one task per open action of its plan, as `open_round` makes."""

    class Meta:
        model = "rounds.Round"
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    period = factory.LazyFunction(current_period)
    deadline = factory.LazyAttribute(lambda o: o.period.replace(day=28))

    @factory.post_generation
    def tasks(self, create, extracted, **kwargs):
        if create:
            for action in Action.objects.filter(plan=self.plan).open():
                self.tasks.create(action=action)


class EvidenceFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.EvidenceFile"

    update = factory.SubFactory(ProgressUpdateFactory)
    name = "evidence.txt"
    kind = "txt"
    size = 17
    sha256 = "0" * 64
    file = factory.django.FileField(data=b"Audit of 20 cases", filename="evidence")


# --- Reports (board packs) ---------------------------------------------------------------------


class SavedPackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.SavedPack"

    authority = factory.SubFactory(AuthorityFactory)
    plan = factory.SubFactory(PlanFactory, authority=factory.SelfAttribute("..authority"))
    period = factory.LazyFunction(current_period)
    as_at = factory.LazyFunction(timezone.now)
    title = factory.Sequence(lambda n: f"Board pack {n}")
    html = b"<p>pack</p>"
    docx = b"docx"
    xlsx = b"xlsx"
    pdf = None


class PackFileFactory(factory.django.DjangoModelFactory):
    """A board pack file made in the background, ready to download."""

    class Meta:
        model = "reports.PackFile"

    authority = factory.SubFactory(AuthorityFactory)
    plan = factory.SubFactory(PlanFactory, authority=factory.SelfAttribute("..authority"))
    period = factory.LazyFunction(current_period)
    format = "html"
    key = factory.Sequence(lambda n: f"pack-file-{n}")
    status = "ready"
    filename = factory.LazyAttribute(lambda o: f"{o.authority.slug}-board-pack.{o.format}")
    content = b"<p>pack</p>"
    size = factory.LazyAttribute(lambda o: len(o.content or b""))
    finished_at = factory.LazyFunction(timezone.now)


# --- Reports (council reports) -----------------------------------------------------------------


class CouncilReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.CouncilReport"

    authority = factory.SubFactory(AuthorityFactory)
    plan = factory.SubFactory(PlanFactory, authority=factory.SelfAttribute("..authority"))
    as_at = factory.LazyFunction(current_period)
    purpose = "This report provides Council with an update."
    executive_summary = "- Progress is good"
