"""Named reads for plans. Every authority-owned queryset knows its path to the authority
(`tenancy.access.AuthorityQuerySet`); page-level select/prefetch lives in named methods here."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from g2g.core.dates import month_start
from g2g.tenancy.access import AuthorityQuerySet

# An update counts towards the action's state once submitted (Blue: once signed off).
COUNTED_STATUSES = ("submitted", "signed_off")


class PlanQuerySet(AuthorityQuerySet):
    def current(self):
        """The plan being worked to: the newest active one, else the newest of any status."""
        from .models import Plan

        return self.filter(status=Plan.Status.ACTIVE).first() or self.first()


class ActionQuerySet(AuthorityQuerySet):
    authority_path = "plan__authority"

    def with_status(self, on: date) -> ActionQuerySet:
        """Annotate current ratings and the derived states, all computed here and nowhere else.

        - current ratings: those of the latest update up to `on` that counts (by period, then
          time written), even where that update gives none ("Not rated" is what its author
          said). An update counts once submitted; one claiming Blue (complete) counts only once
          an improvement lead has signed it off. Drafts and returned updates never count;
        - awaiting sign-off: the latest submitted update claims Blue and is not signed off yet
          (shown as "complete – awaiting sign-off"; the ratings above ignore it meanwhile);
        - overdue: the end date has passed and the open action is not complete (signed-off Blue);
        - no update this period: no submitted or signed-off update for the month containing `on`;
        - slipped: history holds an earlier version of the action with an earlier end date.

        Statuses are today's: "as at" a past date reads ratings as they were written then, but
        with the sign-offs made since.
        """
        from .models import Action, ProgressUpdate, Rating

        status = ProgressUpdate.Status
        up_to_now = ProgressUpdate.objects.filter(
            action=OuterRef("pk"), period__lte=month_start(on)
        ).order_by("-period", "-created_at")
        submitted = up_to_now.filter(status__in=COUNTED_STATUSES)
        claims_blue = Q(action_rating=Rating.BLUE) | Q(impact_rating=Rating.BLUE)
        rated = up_to_now.filter(
            Q(status=status.SIGNED_OFF) | Q(status=status.SUBMITTED) & ~claims_blue
        )
        pending_blue = submitted.annotate(
            pending=Case(
                When(Q(status=status.SUBMITTED) & claims_blue, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        earlier_end = Action.history.filter(id=OuterRef("pk"), end__lt=OuterRef("end"))
        return self.annotate(
            action_rating=Subquery(rated.values("action_rating")[:1]),
            impact_rating=Subquery(rated.values("impact_rating")[:1]),
            last_period=Subquery(rated.values("period")[:1]),
            awaiting_sign_off=Coalesce(Subquery(pending_blue.values("pending")[:1]), Value(False)),
            updated_this_period=Exists(
                ProgressUpdate.objects.filter(
                    action=OuterRef("pk"), period=month_start(on), status__in=COUNTED_STATUSES
                )
            ),
            slipped=Exists(earlier_end),
        ).annotate(
            is_overdue=Case(
                # An unrated action has a NULL rating, which a plain negation would not match.
                When(
                    Q(end__lt=on, closed_on__isnull=True)
                    & (Q(action_rating__isnull=True) | ~Q(action_rating=Rating.BLUE)),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )

    def open(self) -> ActionQuerySet:
        return self.filter(closed_on__isnull=True)

    def overdue(self) -> ActionQuerySet:
        return self.filter(is_overdue=True)

    def without_update(self) -> ActionQuerySet:
        return self.filter(updated_this_period=False)

    def for_list_page(self, on: date) -> ActionQuerySet:
        """Everything the action list shows, in a fixed number of queries."""
        from .models import Post

        return (
            self.with_status(on)
            .select_related("priority", "objective")
            .prefetch_related(
                Prefetch("leads", queryset=Post.objects.order_by("title")),
                "focus_areas",
            )
        )


class ProgressUpdateQuerySet(AuthorityQuerySet):
    authority_path = "action__plan__authority"

    def with_people(self) -> ProgressUpdateQuerySet:
        """Who wrote, submitted, returned and signed off each update, and its evidence files:
        what every page showing updates needs, in a fixed number of queries."""
        return self.select_related(
            "author", "submitted_by", "returned_by", "signed_off_by"
        ).prefetch_related("evidence_files")
