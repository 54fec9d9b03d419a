"""factory_boy factories for the whole project's models."""

import factory
from django.contrib.auth import get_user_model

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
