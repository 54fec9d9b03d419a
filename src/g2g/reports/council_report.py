"""The council report: a report to full council or a committee on the improvement programme.

Its shape follows Oldham's "Children's Services update" to Council (December 2020): purpose,
executive summary, recommendations, progress, inspection findings (strengths and areas for
development), measures, next steps and conclusion. `draft_sections` fills each section from
the data as plain text an improvement lead then edits; `council_report_docx` writes it as Word.

The text of a section is kept simple so anyone can edit it in a text box:
- a blank line starts a new paragraph;
- a line starting with "- " or "• " is a bullet point;
- a paragraph of one line ending with ":" is a sub-heading ("Strengths:").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from g2g.core.history import save_with_history
from g2g.inspections.models import Finding, Inspection
from g2g.measures.rating import format_value
from g2g.measures.reads import measures_for_scorecard
from g2g.measures.scorecard import status_of
from g2g.plans.models import Action, Plan, Rating
from g2g.tenancy.access import Access, Capability

from .models import CouncilReport
from .plan_export import new_document, save_document

# (field, heading): the report's sections in the order the seed report has them.
SECTIONS = [
    ("purpose", "Purpose of the report"),
    ("executive_summary", "Executive summary"),
    ("recommendations", "Recommendations"),
    ("progress", "Progress against the improvement plan"),
    ("inspection_findings", "Inspection findings"),
    ("measures", "Measures"),
    ("next_steps", "Next steps"),
    ("conclusion", "Conclusion"),
]
SECTION_FIELDS = [name for name, _ in SECTIONS]
COVER_FIELDS = [
    "meeting",
    "meeting_date",
    "title",
    "portfolio_holder",
    "officer_contact",
    "report_author",
]
LISTED = 8  # actions named in one bullet before "and N more"
SOON = timedelta(days=92)  # "due in the next three months"


# ---------------------------------------------------------------------------------------------
# Drafting from the data


@dataclass
class _PlanFacts:
    actions: list[Action]
    on: date

    def count(self, key: str) -> Counter:
        return Counter(getattr(action, key) or "" for action in self.actions)

    @property
    def overdue(self) -> list[Action]:
        return [action for action in self.actions if action.is_overdue]

    @property
    def red(self) -> list[Action]:
        return [action for action in self.actions if action.action_rating == Rating.RED]

    @property
    def due_soon(self) -> list[Action]:
        return [
            action
            for action in self.actions
            if action.end
            and self.on <= action.end <= self.on + SOON
            and action.action_rating != Rating.BLUE
        ]


def draft_sections(access: Access, plan: Plan | None, on: date, meeting: str) -> dict[str, str]:
    """Every section's first draft, from the plan, the latest inspection and the scorecard, in
    a fixed number of queries."""
    facts = _PlanFacts(_actions(access, plan, on), on)
    latest_first = (F("end").desc(nulls_last=True), F("start").desc(nulls_last=True), "-pk")
    inspection = (
        access.scope(Inspection.objects.all())
        .prefetch_related("judgements", "findings")
        .order_by(*latest_first)
        .first()
    )
    statuses = [status_of(measure) for measure in measures_for_scorecard(access)]
    return {
        "purpose": _purpose(plan, inspection, on, meeting),
        "executive_summary": _executive_summary(facts, inspection, statuses),
        "recommendations": f"It is recommended that {meeting} note the report and progress to "
        "date.",
        "progress": _progress(facts),
        "inspection_findings": _inspection_findings(inspection),
        "measures": _measures(statuses),
        "next_steps": _next_steps(facts),
        "conclusion": "",
    }


def _actions(access: Access, plan: Plan | None, on: date) -> list[Action]:
    if plan is None:
        return []
    return list(
        access.scope(Action.objects.filter(plan=plan))
        .open()
        .with_status(on)
        .select_related("priority")
        .order_by("priority__number", "order")
    )


def _purpose(plan: Plan | None, inspection: Inspection | None, on: date, meeting: str) -> str:
    about = f"progress against {plan.title}" if plan else "the improvement programme"
    text = f"This report provides {meeting} with an update on {about} as at {on:%-d %B %Y}"
    if inspection:
        text += f", and on the findings of Ofsted's most recent visit ({inspection})"
    return text + "."


def _ratings(counts: Counter, noun: str) -> str:
    """'2 Blue, 5 Green, 2 Amber, 1 Red and 3 not yet rated'."""
    parts = [f"{counts[value]} {label}" for value, label in Rating.choices if counts[value]]
    if counts[""]:
        parts.append(f"{counts['']} not yet rated")
    if not parts:
        return f"no {noun}"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _refs(actions: list[Action]) -> str:
    named = "; ".join(f"{action.ref} {action.title}" for action in actions[:LISTED])
    more = len(actions) - LISTED
    return named + (f"; and {more} more" if more > 0 else "")


def _executive_summary(facts: _PlanFacts, inspection, statuses) -> str:
    lines = []
    total = len(facts.actions)
    if total:
        lines.append(
            f"- The plan has {total} open actions. Action ratings: "
            f"{_ratings(facts.count('action_rating'), 'ratings')}."
        )
        lines.append(f"- Impact ratings: {_ratings(facts.count('impact_rating'), 'ratings')}.")
        updated = sum(1 for action in facts.actions if action.updated_this_period)
        lines.append(f"- {updated} of {total} actions have a progress update for {facts.on:%B %Y}.")
        overdue = len(facts.overdue)
        if overdue == 1:
            lines.append("- 1 action is past its end date and not complete.")
        elif overdue:
            lines.append(f"- {overdue} actions are past their end dates and not complete.")
        else:
            lines.append("- No action is past its end date without being complete.")
    rated = [status for status in statuses if status.assessment.rating]
    if rated:
        on_track = sum(1 for status in rated if status.assessment.rating == "green")
        lines.append(f"- {on_track} of {len(rated)} measures with a target are on track.")
    if inspection:
        judged = f" judged overall effectiveness {inspection.overall}" if inspection.overall else ""
        lines.append(f"- Ofsted's most recent visit ({inspection}){judged}.")
    return "\n".join(lines)


def _progress(facts: _PlanFacts) -> str:
    if not facts.actions:
        return "There is no improvement plan in Getting to Good yet."
    paragraphs = []
    by_priority: dict[int, list[Action]] = {}
    for action in facts.actions:
        by_priority.setdefault(action.priority.number, []).append(action)
    for actions in by_priority.values():
        priority = actions[0].priority
        part = _PlanFacts(actions, facts.on)
        lines = [
            f"Priority {priority.number}, {priority.title}:",
            "",
            f"- {len(actions)} actions. Action ratings: "
            f"{_ratings(part.count('action_rating'), 'ratings')}; impact ratings: "
            f"{_ratings(part.count('impact_rating'), 'ratings')}.",
        ]
        if part.overdue:
            lines.append(f"- Overdue: {_refs(part.overdue)}.")
        if part.red:
            lines.append(f"- Rated Red: {_refs(part.red)}.")
        blue = [action for action in actions if action.action_rating == Rating.BLUE]
        if blue:
            lines.append(f"- Complete (Blue): {_refs(blue)}.")
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _findings(inspection: Inspection, kind: str) -> list[str]:
    return [f"- {f.text}" for f in inspection.findings.all() if f.kind == kind]


def _inspection_findings(inspection: Inspection | None) -> str:
    if inspection is None:
        return "No inspection has been recorded yet."
    paragraphs = [f"Ofsted's most recent visit was the {inspection}."]
    judgements = [f"- {j.area}: {j.grade}" for j in inspection.judgements.all()]
    if judgements:
        paragraphs.append("Judgements:\n\n" + "\n".join(judgements))
    for kind, heading in (
        (Finding.Kind.STRENGTH, "Strengths:"),
        (Finding.Kind.AREA_FOR_DEVELOPMENT, "Areas for development:"),
        (Finding.Kind.PROGRESS, "Headline findings:"),
        (Finding.Kind.AREA_REVIEWED, "Areas of concern reviewed:"),
        (Finding.Kind.PRIORITY_ACTION, "Areas for priority action:"),
        (Finding.Kind.AREA_FOR_IMPROVEMENT, "Areas for improvement:"),
        (Finding.Kind.RECOMMENDATION, "What needs to improve:"),
    ):
        items = _findings(inspection, kind)
        if items:
            paragraphs.append(f"{heading}\n\n" + "\n".join(items))
    return "\n\n".join(paragraphs)


def _measures(statuses) -> str:
    lines = []
    for status in statuses:
        if status.latest is None:
            continue
        measure = status.measure
        rating = f" ({status.assessment.rating})" if status.assessment.rating else ""
        words = f"; {status.assessment.words}" if status.assessment.words else ""
        value = format_value(status.latest.value, measure.unit)
        lines.append(f"- {measure.name}: {value} in {status.latest.period:%B %Y}{words}{rating}.")
    if not lines:
        return "No measure has figures yet."
    text = "\n".join(lines)
    missing = sum(1 for status in statuses if status.latest is None)
    if missing:
        text += f"\n\n{missing} more measures have no figures yet."
    if any(status.synthetic for status in statuses):
        text += "\n\nSome of these figures are synthetic demonstration data, not the council's own."
    return text


def _next_steps(facts: _PlanFacts) -> str:
    lines = []
    if facts.overdue:
        lines.append(f"- Bring overdue actions back on track: {_refs(facts.overdue)}.")
    if facts.red:
        lines.append(f"- Act on the actions rated Red: {_refs(facts.red)}.")
    if facts.due_soon:
        lines.append(
            f"- Complete the actions due in the next three months: {_refs(facts.due_soon)}."
        )
    missing = [action for action in facts.actions if not action.updated_this_period]
    if missing:
        lines.append(
            f"- Collect this month's progress updates for the {len(missing)} actions without one."
        )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Writes


def start_council_report(
    access: Access, plan: Plan | None, on: date, *, meeting: str = "Council"
) -> CouncilReport:
    """A new draft, every section filled from the data as it stands on `on`."""
    access.require(Capability.EDIT_PLAN)
    sections = draft_sections(access, plan, on, meeting)
    report = CouncilReport(
        authority=access.authority,
        plan=plan,
        as_at=on,
        meeting=meeting,
        created_by=access.user,
        **sections,
    )
    with transaction.atomic():
        save_with_history(report, access.user)
    return report


def save_council_report(
    access: Access, report: CouncilReport, changes: dict, *, version: int
) -> CouncilReport:
    """Save an edited draft. Refused when someone saved it after `version` was read, so one
    person's edits never silently overwrite another's."""
    access.require(Capability.EDIT_PLAN)
    with transaction.atomic():
        current = access.get(CouncilReport.objects.select_for_update(), pk=report.pk)
        if current.version != version:
            raise ValidationError(
                "Someone else saved this report after you opened it. Your changes are below: "
                "copy them, reload the page and add them to the newer version."
            )
        for name in COVER_FIELDS + SECTION_FIELDS:
            if name in changes:
                setattr(current, name, changes[name])
        current.version += 1
        save_with_history(current, access.user)
    return current


# ---------------------------------------------------------------------------------------------
# Reading the saved versions


@dataclass
class Version:
    version: int
    when: object
    who: str
    changed: list[str]  # section headings and cover details that changed


FIELD_LABELS = dict(SECTIONS) | {
    "meeting": "Meeting",
    "meeting_date": "Meeting date",
    "title": "Title",
    "portfolio_holder": "Portfolio holder",
    "officer_contact": "Officer contact",
    "report_author": "Report author",
}


def versions_of(report: CouncilReport) -> list[Version]:
    """Every saved version, newest first, with what changed from the one before (one query)."""
    records = list(report.history.select_related("history_user").order_by("history_id"))
    versions = []
    for previous, record in zip([None, *records], records, strict=False):
        if previous is None:
            changed = ["First draft, from the data"]
        else:
            changed = [
                FIELD_LABELS[name]
                for name in COVER_FIELDS + SECTION_FIELDS
                if getattr(previous, name) != getattr(record, name)
            ]
        user = record.history_user
        who = (user.get_full_name() or user.get_username()) if user else "Unknown"
        versions.append(Version(record.version, record.history_date, who, changed))
    return versions[::-1]


def version_of(report: CouncilReport, version: int):
    """A saved version as it was (a history record has the same fields), or None."""
    return report.history.filter(version=version).order_by("-history_id").first()


# ---------------------------------------------------------------------------------------------
# Word


def blocks(text: str) -> list[tuple[str, str]]:
    """A section's text as ('heading' | 'bullet' | 'paragraph', text) blocks (see the module
    docstring for the three rules)."""
    out: list[tuple[str, str]] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if len(lines) == 1 and lines[0].endswith(":") and len(lines[0]) <= 150:
            out.append(("heading", lines[0].rstrip(":").strip()))
            continue
        paragraph: list[str] = []
        for line in lines:
            if line.startswith(("- ", "• ", "•")):
                if paragraph:
                    out.append(("paragraph", " ".join(paragraph)))
                    paragraph = []
                out.append(("bullet", line.lstrip("-• ").strip()))
            else:
                paragraph.append(line)
        if paragraph:
            out.append(("paragraph", " ".join(paragraph)))
    return out


def council_report_docx(report, authority_name: str) -> bytes:
    """The report as Word, laid out like the seed: who it is to and from, then each section
    under a real heading. Works for the report or any saved version of it."""
    document = new_document(title=f"{report.title} – {authority_name}", subject=report.meeting)
    document.add_paragraph().add_run(f"Report to {report.meeting.upper()}").bold = True
    document.add_heading(report.title, level=1)
    for label, value in (
        ("Portfolio Holder", report.portfolio_holder),
        ("Officer Contact", report.officer_contact),
        ("Report Author", report.report_author),
    ):
        if value:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
    when = report.meeting_date or report.as_at
    document.add_paragraph(f"{when:%-d %B %Y}")
    for name, heading in SECTIONS:
        text = getattr(report, name)
        if not text.strip():
            continue
        document.add_heading(heading, level=2)
        for kind, words in blocks(text):
            if kind == "heading":
                document.add_heading(words, level=3)
            elif kind == "bullet":
                document.add_paragraph(words, style="List Bullet")
            else:
                document.add_paragraph(words)
    return save_document(document)


def council_report_filename(report, authority_slug: str) -> str:
    when = report.meeting_date or report.as_at
    return f"{authority_slug}-council-report-{when:%Y-%m-%d}-v{report.version}.docx"
