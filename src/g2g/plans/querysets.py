"""Named reads for plans. Every authority-owned queryset knows its path to the authority
(`tenancy.access.AuthorityQuerySet`); page-level select/prefetch lives in named methods here."""

from __future__ import annotations

from datetime import date
from typing import Protocol

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

from g2g.core.dates import end_of_day, month_end, month_start
from g2g.core.querysets import AuthorityQuerySet

# Which update counts: the one rule. An update counts towards its action's state once submitted
# (drafts and returned updates never count); one claiming Blue (complete) gives the action its
# ratings only once an improvement lead has signed it off, and until then it is "awaiting
# sign-off" and the ratings before it stand. `with_status` reads the rule in SQL
# (`_gives_ratings_sql`), `plans.as_at.rate` and `plans.pace` in Python (`counts`,
# `gives_ratings`); tests/plans/test_as_at.py keeps the three readers equal on generated
# histories.
COUNTED_STATUSES = ("submitted", "signed_off")


class UpdateLike(Protocol):
    """A progress update, or a row standing for one (a history row, `plans.as_at.UpdateRow`)."""

    @property
    def status(self) -> str: ...
    @property
    def action_rating(self) -> str: ...
    @property
    def impact_rating(self) -> str: ...


def counts(update: UpdateLike) -> bool:
    """The update counts towards its action's state (is submitted or signed off)."""
    return update.status in COUNTED_STATUSES


def claims_blue(update: UpdateLike) -> bool:
    from .models import Rating

    return Rating.BLUE in (update.action_rating, update.impact_rating)


def gives_ratings(update: UpdateLike) -> bool:
    """The update, if the latest that does, gives the action its ratings: it counts, and a claim
    of Blue is signed off."""
    from .models import ProgressUpdate

    return counts(update) and (
        update.status == ProgressUpdate.Status.SIGNED_OFF or not claims_blue(update)
    )


def update_due(on: date, deadline: date | None) -> bool:
    """A month's update is due on `on` (its absence is an exception: "no update this month")
    once the plan's round for the month is past its deadline (updates are due by the end of that
    day), or the month is over (`on` is its last day: a pack for a past month reads that day).
    Early in a round, no update yet is not an exception. `with_status` reads the rule in SQL."""
    return (deadline is not None and deadline < on) or on >= month_end(on)


def _gives_ratings_sql() -> Q:
    """`gives_ratings` as a filter on progress updates."""
    from .models import ProgressUpdate, Rating

    claims_blue = Q(action_rating=Rating.BLUE) | Q(impact_rating=Rating.BLUE)
    return Q(status__in=COUNTED_STATUSES) & (
        Q(status=ProgressUpdate.Status.SIGNED_OFF) | ~claims_blue
    )


def _rated_red() -> Q:
    """Of actions annotated by `with_status`: rated Red for action or impact."""
    from .models import Rating

    return Q(action_rating=Rating.RED) | Q(impact_rating=Rating.RED)


def holding_posts(user, on: date):
    """The user's post holdings on `on`: who "leads" an action is whoever holds one of its lead
    posts that day (`Action.is_led_by`, `ActionQuerySet.led_by`, rounds' `TaskQuerySet.led_by`)."""
    from .models import PostHolder

    return PostHolder.objects.filter(user=user).exclude(since__gt=on).exclude(until__lt=on)


class PlanQuerySet(AuthorityQuerySet):
    def current(self):
        """The plan being worked to: the authority's active plan (there is at most one, a
        database constraint). An authority with no active plan (its only plan a draft, or all
        its plans closed) gets its newest plan, shown as what it is. The one read of "the
        authority's current plan" (pages through `reads.current_plan`)."""
        from .models import Plan

        newest = self.order_by("-created_at", "-pk")
        return newest.filter(status=Plan.Status.ACTIVE).first() or newest.first()

    def active_during(self, first: date, last: date):
        """The plan that was being worked to between `first` and `last` (a month, for a board
        pack of a past month): approved (or, with no approval recorded, created) by the end of
        `last` and not closed before `first`; the latest approved of those, else `current()`."""
        from .models import Plan

        started = Coalesce("approved_at", "created_at")
        then = (
            self.exclude(status=Plan.Status.DRAFT)
            .annotate(started=started)
            .filter(started__lte=end_of_day(last))
            .exclude(closed_at__date__lt=first)
            .order_by("-started", "-pk")
        )
        return then.first() or self.current()


class ActionQuerySet(AuthorityQuerySet):
    authority_path = "plan__authority"

    def with_status(self, on: date) -> ActionQuerySet:
        """Annotate current ratings and the derived states, all computed here and nowhere else.

        - current ratings: those of the latest update up to `on` that gives ratings (by period,
          then time written), even where that update gives none ("Not rated" is what its author
          said). which update does is the rule at the top of this module;
        - awaiting sign-off: the latest submitted update claims Blue and is not signed off yet
          (shown as "complete – awaiting sign-off"; the ratings above ignore it meanwhile);
        - overdue: the end date has passed and the open action is not complete (signed-off Blue);
        - no update this period: no submitted or signed-off update for the month containing `on`;
        - update missing: no update this period once it is due (`update_due`: the month's round
          is past its deadline, or the month is over): what the board pack lists as an exception;
        - slipped: history holds an earlier version of the action with an earlier end date.

        Statuses are today's: "as at" a past date reads ratings as they were written then, but
        with the sign-offs made since.
        """
        from .models import Action, Plan, ProgressUpdate, Rating

        period = month_start(on)
        # The round model (a higher layer) is reached through the plan's reverse relation, not
        # imported; the subquery names the action's plan, so it reads only that plan's rounds.
        rounds = Plan.rounds.rel.related_model.objects
        due = (
            Q(pk__isnull=False)
            if update_due(on, None)
            else Q(Exists(rounds.filter(plan=OuterRef("plan_id"), period=period, deadline__lt=on)))
        )
        up_to_now = ProgressUpdate.objects.filter(
            action=OuterRef("pk"), period__lte=month_start(on)
        ).order_by("-period", "-created_at")
        submitted = up_to_now.filter(status__in=COUNTED_STATUSES)
        rated = up_to_now.filter(_gives_ratings_sql())
        # The latest counted update awaits sign-off when it counts but gives no ratings yet.
        pending_blue = submitted.annotate(
            pending=Case(
                When(~_gives_ratings_sql(), then=Value(True)),
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
            update_missing=Case(
                When(Q(updated_this_period=False) & due, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
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

    def led_by(self, user, on: date) -> ActionQuerySet:
        """Actions with a lead post the user holds on `on`."""
        return self.filter(Exists(holding_posts(user, on).filter(post__actions=OuterRef("pk"))))

    def exceptions(self, *, slipped: bool = True) -> ActionQuerySet:
        """Of actions annotated by `with_status`: those rated Red (action or impact) or overdue,
        and, with `slipped`, those whose end date slipped: what the homes put first."""
        wanted = _rated_red() | Q(is_overdue=True)
        return self.filter(wanted | Q(slipped=True) if slipped else wanted)

    def overdue(self) -> ActionQuerySet:
        return self.filter(is_overdue=True)

    def rated_red(self) -> ActionQuerySet:
        """Of actions annotated by `with_status`: those rated Red for action or impact."""
        return self.filter(_rated_red())

    def slipped_end(self) -> ActionQuerySet:
        """Of actions annotated by `with_status`: those whose end date slipped."""
        return self.filter(slipped=True)

    def pending_sign_off(self) -> ActionQuerySet:
        """Of actions annotated by `with_status`: those claimed complete, awaiting sign-off."""
        return self.filter(awaiting_sign_off=True)

    def without_update(self) -> ActionQuerySet:
        return self.filter(updated_this_period=False)

    def for_list_page(self, on: date) -> ActionQuerySet:
        """Everything the action list shows, in a fixed number of queries."""
        from .models import Post

        return (
            self.with_status(on)
            .select_related("priority", "objective")
            .prefetch_related(Prefetch("leads", queryset=Post.objects.order_by("title")))
        )


class ProgressUpdateQuerySet(AuthorityQuerySet):
    authority_path = "action__plan__authority"

    def with_people(self) -> ProgressUpdateQuerySet:
        """Who wrote, submitted, returned and signed off each update, and its evidence files:
        what every page showing updates needs, in a fixed number of queries."""
        return self.select_related(
            "author", "submitted_by", "returned_by", "signed_off_by"
        ).prefetch_related("evidence_files")
