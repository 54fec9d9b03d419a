"""Named reads for governance: the status of anything tracked to a due date (actions arising
from board meetings here, remedial actions from audits in `assurance`) is worked out in one
place, `TrackedQuerySet.with_status`, never stored."""

from __future__ import annotations

from datetime import date

from django.db.models import Case, CharField, F, Q, Value, When

from g2g.tenancy.access import AuthorityQuerySet


class TrackedStatus:
    """The status words of a tracked item, most urgent first."""

    OVERDUE = "overdue"
    DUE = "due"
    NO_DUE_DATE = "no_due_date"
    DONE_LATE = "done_late"
    DONE = "done"

    LABELS = {
        OVERDUE: "Overdue",
        DUE: "Due",
        NO_DUE_DATE: "No due date",
        DONE_LATE: "Done late",
        DONE: "Done",
    }


class TrackedQuerySet(AuthorityQuerySet):
    """Items with an owner, a `due` date and a `done_on` date."""

    def with_status(self, on: date) -> TrackedQuerySet:
        """Annotate `status`:

        - done: done on or before the due date (or done, with no due date);
        - done late: done after the due date;
        - overdue: not done and the due date is before `on`;
        - due: not done and the due date is `on` or later;
        - no due date: not done and no due date was set.
        """
        return self.annotate(
            status=Case(
                When(
                    Q(done_on__isnull=False, due__isnull=False, done_on__gt=F("due")),
                    then=Value(TrackedStatus.DONE_LATE),
                ),
                When(done_on__isnull=False, then=Value(TrackedStatus.DONE)),
                When(due__lt=on, then=Value(TrackedStatus.OVERDUE)),
                When(due__isnull=True, then=Value(TrackedStatus.NO_DUE_DATE)),
                default=Value(TrackedStatus.DUE),
                output_field=CharField(),
            )
        )

    def open(self) -> TrackedQuerySet:
        return self.filter(done_on__isnull=True)

    def overdue(self, on: date) -> TrackedQuerySet:
        return self.filter(done_on__isnull=True, due__lt=on)


class MeetingActionQuerySet(TrackedQuerySet):
    authority_path = "meeting__board__authority"


class ObsessionQuerySet(AuthorityQuerySet):
    def current(self, on: date) -> ObsessionQuerySet:
        """Obsessions whose six weeks (or other span) include `on`."""
        return self.filter(starts__lte=on, ends__gte=on)
