"""`{% meeting_board_packs access meeting can_edit %}`: the saved board packs attached to a
governance meeting, for the meeting's page (governance's page: this tag keeps the reports read
here, as governance sits below reports)."""

from django import template
from django.db.models import BooleanField, ExpressionWrapper, Q

from ..models import MeetingPack

register = template.Library()


@register.inclusion_tag("reports/_meeting_packs.html")
def meeting_board_packs(access, meeting, can_edit: bool) -> dict:
    """One query, without loading the files."""
    attached = (
        access.scope(MeetingPack.objects.filter(meeting_id=meeting.pk))
        .select_related("saved_pack")
        .defer("saved_pack__html", "saved_pack__docx", "saved_pack__xlsx", "saved_pack__pdf")
        .annotate(
            has_pdf=ExpressionWrapper(Q(saved_pack__pdf__isnull=False), output_field=BooleanField())
        )
    )
    return {"access": access, "meeting": meeting, "attached": list(attached), "can_edit": can_edit}
