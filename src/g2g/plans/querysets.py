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

from g2g.core.dates import month_start
from g2g.tenancy.access import AuthorityQuerySet


class PlanQuerySet(AuthorityQuerySet):
    def current(self):
        """The plan being worked to: the newest active one, else the newest of any status."""
        from .models import Plan

        return self.filter(status=Plan.Status.ACTIVE).first() or self.first()


class ActionQuerySet(AuthorityQuerySet):
    authority_path = "plan__authority"

    def with_status(self, on: date) -> ActionQuerySet:
        """Annotate current ratings and the derived states, all computed here and nowhere else.

        - current ratings: those of the latest update up to `on` (by period, then time written),
          even where that update gives none ("Not rated" is what its author said);
        - overdue: the end date has passed and the open action is not complete (Blue);
        - no update this period: no update for the month containing `on`;
        - slipped: history holds an earlier version of the action with an earlier end date.
        """
        from .models import Action, ProgressUpdate, Rating

        latest = ProgressUpdate.objects.filter(
            action=OuterRef("pk"), period__lte=month_start(on)
        ).order_by("-period", "-created_at")
        earlier_end = Action.history.filter(id=OuterRef("pk"), end__lt=OuterRef("end"))
        return self.annotate(
            action_rating=Subquery(latest.values("action_rating")[:1]),
            impact_rating=Subquery(latest.values("impact_rating")[:1]),
            last_period=Subquery(latest.values("period")[:1]),
            updated_this_period=Exists(
                ProgressUpdate.objects.filter(action=OuterRef("pk"), period=month_start(on))
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
