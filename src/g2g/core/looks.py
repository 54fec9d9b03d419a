"""How every state that is not a rating is shown: its words and a GOV.UK tag colour.

Ratings have their own vocabulary (`plans.models.RATING_LOOKS`: Blue, Green, Amber on GOV.UK's
yellow, Red); `tests/core/test_looks.py` keeps the two apart so a colour means one thing.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class StatusLook:
    """How a state that is not a rating is shown: its words and a GOV.UK tag colour."""

    key: str
    word: str
    tag_colour: str  # a GOV.UK tag modifier: govuk-tag--<tag_colour>


# The one vocabulary for every tag that is not a rating: workflow states, overdue and late,
# tracked items, demo data. Its colours are never a rating's (blue, green, yellow, red), nor
# light blue (too near Blue to tell apart), so a colour means one thing; the words always show.
#   grey       nothing that counts yet: not started, a draft, no update, demo data, off
#   purple     waiting for an improvement lead to sign off
#   turquoise  signed off, done, on, active
#   orange     needs someone again: returned, slipped, done late, to confirm
#   pink       past its date: overdue, late, a finding nothing answers
STATUS_LOOKS = {
    look.key: look
    for look in [
        StatusLook("not_started", "Not started", "grey"),
        StatusLook("draft", "Draft – not submitted", "grey"),
        StatusLook("submitted", "Submitted – awaiting sign-off", "purple"),
        StatusLook("returned", "Returned", "orange"),
        StatusLook("signed_off", "Signed off", "turquoise"),
        StatusLook("awaiting_sign_off", "Complete – awaiting sign-off", "purple"),
        StatusLook("overdue", "Overdue", "pink"),
        StatusLook("late", "Late", "pink"),
        StatusLook("slipped", "End date slipped", "orange"),
        StatusLook("no_update", "No update this month", "grey"),
        StatusLook("due", "Due", "grey"),
        StatusLook("no_due_date", "No due date", "grey"),
        StatusLook("done", "Done", "turquoise"),
        StatusLook("done_late", "Done late", "orange"),
        StatusLook("unanswered", "No action answers this", "pink"),
        StatusLook("synthetic", "Synthetic", "grey"),
        StatusLook("to_confirm", "To confirm", "orange"),
        StatusLook("on", "On", "turquoise"),
        StatusLook("off", "Off", "grey"),
        StatusLook("active", "Active", "turquoise"),
        StatusLook("revoked", "Revoked", "grey"),
        StatusLook("expired", "Expired", "grey"),
        # A plan's life cycle: the one being worked to, one not yet approved, the record.
        StatusLook("plan_active", "Active", "turquoise"),
        StatusLook("plan_draft", "Draft", "grey"),
        StatusLook("plan_closed", "Closed", "grey"),
        # A file made in the background (a board pack's PDF or Word file).
        StatusLook("file_queued", "Waiting to be made", "grey"),
        StatusLook("file_running", "Being made", "grey"),
        StatusLook("file_ready", "Ready", "turquoise"),
        StatusLook("file_failed", "Not made", "orange"),
    ]
}


def status_look(key: str | None) -> StatusLook:
    """How the state `key` is shown; an empty key is an update not started. An unknown key is a
    programming error, so it raises rather than showing a wrong word."""
    return STATUS_LOOKS[key or "not_started"]
