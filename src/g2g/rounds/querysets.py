"""Named reads for rounds and their tasks; a task's state is read from its update here."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from g2g.core.querysets import AuthorityQuerySet

NOT_STARTED = "not_started"  # a task whose action has no update for the round's month yet
OUTSTANDING = (NOT_STARTED, "draft", "returned")  # what reminders chase


class RoundQuerySet(AuthorityQuerySet):
    authority_path = "plan__authority"

    def live(self) -> RoundQuerySet:
        """Rounds still being chased: the newest round of each plan that is not closed."""
        from g2g.plans.models import Plan

        from .models import Round

        newer = Round.objects.filter(plan=OuterRef("plan"), period__gt=OuterRef("period"))
        return self.exclude(plan__status=Plan.Status.CLOSED).exclude(Exists(newer))


class TaskQuerySet(AuthorityQuerySet):
    authority_path = "round__plan__authority"

    def with_state(self) -> TaskQuerySet:
        """Annotate `state` (the update's status, or "not_started") and `submitted_at`."""
        from g2g.plans.models import ProgressUpdate

        update = ProgressUpdate.objects.filter(
            action=OuterRef("action"), period=OuterRef("round__period")
        )
        return self.annotate(
            state=Coalesce(Subquery(update.values("status")[:1]), Value(NOT_STARTED)),
            submitted_at=Subquery(update.values("submitted_at")[:1]),
        )

    def led_by(self, user, on: date) -> TaskQuerySet:
        """Tasks whose action has a lead post the user holds on `on`."""
        from g2g.plans.querysets import holding_posts

        return self.filter(Exists(holding_posts(user, on).filter(post__actions=OuterRef("action"))))
