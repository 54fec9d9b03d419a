"""Plan pages. Each view: resolve access (one layer), call one read or service, pick a template."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from g2g.core.dates import current_period, month_start, today
from g2g.core.forms import add_errors
from g2g.measures.models import Measure, StakeholderOutcome
from g2g.tenancy.access import Capability
from g2g.tenancy.pages import authority_page

from . import changes, outcomes, pace, reads, services
from .forms import (
    ActionFilterForm,
    ActionForm,
    ChangesPeriodForm,
    ProgressUpdateForm,
    StakeholderOutcomeForm,
    recent_periods,
)
from .models import Action, ProgressUpdate
from .revision import revision_of


@authority_page()
def plan_overview(request, access):
    plan = reads.current_plan(access)
    context = {
        "access": access,
        "plan": plan,
        "neighbours": access.authority.neighbours_in_order(),
        "can_import": access.can(Capability.EDIT_PLAN),
        "today": today(),
    }
    if plan is not None:
        revision, on = revision_of(plan), today()
        context["revision"] = revision
        # Pace and the counts are read only when the page's fragment for this revision is not
        # cached yet: a template calls a callable in its context when it first uses it.
        context["plan_pace"] = lambda: pace.plan_pace(plan, on)
        context["priorities"] = lambda: reads.overview_by_priority(plan, on)
        context["period"] = current_period()
        context["changes_form"] = form = _changes_form(request, with_until=False)
        since, until = form.period()
        context["changes"] = revision.remember(
            "changes", lambda: changes.changes_between(plan, since, until), since, until
        )
    return render(request, "plans/plan_overview.html", context)


@authority_page()
def action_list(request, access):
    plan = reads.current_plan_or_404(access)
    form = ActionFilterForm(request.GET or None, plan=plan)
    actions = form.apply(reads.actions_for_list(access, plan, on=today()))
    context = {"access": access, "plan": plan, "form": form, "actions": actions}
    template = "plans/_action_rows.html" if request.headers.get("HX-Request") else None
    return render(request, template or "plans/action_list.html", context)


@authority_page()
def action_detail(request, access, action_pk: int):
    action = reads.action_for_page(access, action_pk, on=today())
    context = {
        "access": access,
        "action": action,
        "can_write_update": access.can_write_update(action),
        "can_edit": access.can(Capability.EDIT_PLAN),
        "changes": reads.action_changes(action),
        "pace": pace.pace_of_actions([action], on=today())[action.pk],
    }
    return render(request, "plans/action_detail.html", context)


@authority_page(methods=("GET", "HEAD", "POST"))
def update_write(request, access, action_pk: int):
    """Write, save as a draft or submit the month's update; `?round=` returns to that round."""
    action = access.get(Action.objects.select_related("plan"), pk=action_pk)
    if not access.can_write_update(action):
        raise PermissionDenied
    posted = request.method == "POST"
    period = _period_from((request.POST if posted else request.GET).get("period"))
    existing = ProgressUpdate.objects.with_people().filter(action=action, period=period).first()
    attached = list(existing.evidence_files.all()) if existing else []
    initial = {"period": period.isoformat(), "version": existing.version if existing else 0}
    if existing:
        initial |= {
            "narrative": existing.narrative,
            "action_rating": existing.action_rating,
            "impact_rating": existing.impact_rating,
            "evidence_text": existing.evidence_text,
            "evidence_links": "\n".join(existing.evidence_links),
        }
    form = ProgressUpdateForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=initial,
        attached=attached,
    )
    current = None  # someone else's newer version, shown when a stale save is refused
    if posted and form.is_valid():
        submit = request.POST.get("intent") == "submit"
        write = services.submit_update if submit else services.save_draft
        try:
            write(
                access,
                action,
                form.content(),
                version=form.cleaned_data["version"],
                files=form.cleaned_data["evidence_files"],
                remove_files=form.cleaned_data.get("remove_files", []),
            )
        except services.StaleUpdateError as error:
            current = error.current
            form = _with_version(form, current, attached)
            form.add_error(None, error.messages)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if submit:
                messages.success(
                    request,
                    f"Update submitted for {action.ref}: an improvement lead will check the "
                    "evidence and sign it off",
                )
            else:
                messages.success(
                    request,
                    f"Update saved for {action.ref} as a draft: submit it for sign-off when it "
                    "is ready",
                )
            return redirect(_after_update_url(request, access, action))
    context = {
        "access": access,
        "action": action,
        "form": form,
        "existing": existing,
        "current": current,
        "round_pk": _round_pk(request),
    }
    return render(request, "plans/update_form.html", context)


def _with_version(form, current, attached):
    """The same answers, now carrying the version that is saved, so saving again replaces it
    knowingly (the page shows that version beside the form)."""
    data = form.data.copy()
    data["version"] = str(current.version if current else 0)
    refreshed = ProgressUpdateForm(data, initial=form.initial, attached=attached)
    refreshed.is_valid()
    return refreshed


def _round_pk(request) -> int | None:
    value = request.GET.get("round", "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _after_update_url(request, access, action) -> str:
    round_pk = _round_pk(request)
    if round_pk is not None:
        return reverse("round_mine", args=[access.authority.slug, round_pk])
    return _action_url(access, action)


@authority_page(Capability.EDIT_PLAN, methods=("GET", "HEAD", "POST"))
def action_edit(request, access, action_pk: int):
    action = access.get(Action.objects.select_related("plan__authority", "priority"), pk=action_pk)
    form = ActionForm(request.POST if request.method == "POST" else None, instance=action)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        links = {name: data.pop(name) for name in ("leads", "focus_areas", "findings")}
        try:
            services.edit_action(access, action, **links, **data)
        except services.StaleActionError as error:
            add_errors(form, error)
            if error.current is not None:  # saving again now replaces their version
                form.data = form.data.copy()
                form.data["version"] = error.current.version
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Action {action.ref} saved")
            return redirect(_action_url(access, action))
    return render(
        request, "plans/action_form.html", {"access": access, "action": action, "form": form}
    )


def _period_from(text: str | None) -> date:
    """The month asked for in the address, if it is one an update can be written for."""
    try:
        period = month_start(date.fromisoformat(text or ""))
    except ValueError:
        return current_period()
    return period if period in recent_periods() else current_period()


def _action_url(access, action) -> str:
    return reverse("action_detail", args=[access.authority.slug, action.pk])


@authority_page()
def changes_page(request, access):
    """What changed between two dates (default: the last month), from history."""
    plan = reads.current_plan_or_404(access)
    form = _changes_form(request, with_until=True)
    since, until = form.period()
    context = {
        "access": access,
        "plan": plan,
        "form": form,
        "changes": changes.changes_between(plan, since, until),
    }
    return render(request, "plans/changes.html", context)


def _changes_form(request, *, with_until: bool) -> ChangesPeriodForm:
    """Bound when the address asks for dates; otherwise showing the default period."""
    asked = "since" in request.GET or (with_until and "until" in request.GET)
    initial = {"since": changes.one_month_before(today()), "until": today()}
    return ChangesPeriodForm(request.GET if asked else None, with_until=with_until, initial=initial)


@authority_page()
def outcomes_page(request, access):
    plan = reads.current_plan_or_404(access)
    groups = reads.outcomes_for_page(access, plan)
    context = {
        "access": access,
        "plan": plan,
        "groups": groups,
        "count": sum(len(items) for _, items in groups),
        "can_edit": access.can(Capability.EDIT_PLAN),
    }
    return render(request, "plans/outcomes.html", context)


@authority_page(Capability.EDIT_PLAN, methods=("GET", "HEAD", "POST"))
def outcome_write(request, access, outcome_pk: int | None = None):
    """Add a stakeholder outcome (no `outcome_pk`) or change one, with its measures."""
    plan = reads.current_plan_or_404(access)
    outcome = None
    initial = {}
    if outcome_pk is not None:
        outcome = access.get(StakeholderOutcome.objects.filter(plan=plan), pk=outcome_pk)
        initial = {
            "group": outcome.group,
            "statement": outcome.statement,
            "measures": list(outcome.measures.all()),
        }
    measures = access.scope(Measure.objects.all()).order_by("order", "name")
    form = StakeholderOutcomeForm(
        request.POST if request.method == "POST" else None, initial=initial, measures=measures
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcomes.save_outcome(access, plan, outcome, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Stakeholder outcome saved")
            return redirect(reverse("outcomes", args=[access.authority.slug]))
    context = {"access": access, "plan": plan, "outcome": outcome, "form": form}
    return render(request, "plans/outcome_form.html", context)
