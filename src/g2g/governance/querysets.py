"""Named reads for governance. The status of an action arising is worked out by
`plans.tracked.TrackedQuerySet`, shared with audits' remedial actions."""

from __future__ import annotations

from datetime import date

from g2g.core.querysets import AuthorityQuerySet
from g2g.plans.tracked import TrackedQuerySet


class MeetingActionQuerySet(TrackedQuerySet):
    authority_path = "meeting__board__authority"


class ObsessionQuerySet(AuthorityQuerySet):
    def current(self, on: date) -> ObsessionQuerySet:
        """Obsessions whose six weeks (or other span) include `on`."""
        return self.filter(starts__lte=on, ends__gte=on)
