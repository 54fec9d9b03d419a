"""Plan pages. Each view: resolve access (one layer), call one read or service, pick a template."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from g2g.core.dates import current_period, month_start, today
from g2g.core.forms import add_errors
from g2g.core.numbers import id_or_none
from g2g.core.paging import page_links
from g2g.tenancy.access import Capability
from g2g.tenancy.models import neighbour_lists
from g2g.tenancy.pages import FORM_METHODS, authority_page

from . import changes, pace, reads, services
from .forms import (
    ActionFilterForm,
    ActionForm,
    ChangesPeriodForm,
    PlanApprovalForm,
    ProgressUpdateForm,
)
from .models import Action, ProgressUpdate
from .revision import revision_of


@authority_page()
def plan_overview(request, access):
    plan = reads.current_plan(access, request.GET.get("plan"))
    context = {
        "access": access,
        "plan": plan,
        "neighbours": neighbour_lists(access.authority),
        "can_import": access.can(Capability.EDIT_PLAN),
        "today": today(),
        # The plan's own pages keep the choice of plan (no choice: the active plan).
        "plan_query": f"?plan={plan.pk}" if plan and request.GET.get("plan") else "",
    }
    if plan is not None:
        revision, on = revision_of(plan), today()
        context["revision"] = revision
        # Pace and the counts are read only when the page's fragment for this revision is not
        # cached yet: a template calls a callable in its context when it first uses it.
        context["plan_pace"] = lambda: pace.plan_pace(plan, on)
        context["priorities"] = lambda: reads.overview_by_priority(plan, on)
        context["summary"] = lambda: reads.plan_summary(plan, on)
        context["period"] = current_period()
        context["changes_form"] = form = _changes_form(request, with_until=False)
        since, until = form.period()
        context["changes"] = revision.remember(
            "changes", lambda: changes.changes_between(plan, since, until), since, until
        )
    return render(request, "plans/plan_overview.html", context)


@authority_page()
def action_list(request, access):
    plan = reads.plan_for_page(access, request)
    form = ActionFilterForm(request.GET or None, plan=plan)
    actions = form.apply(reads.actions_for_list(access, plan, on=today()))
    page = reads.page_of_actions(actions, request.GET.get("page"))
    context = {
        "access": access,
        "plan": plan,
        "form": form,
        "page": page,
        "actions": page.object_list,
        "page_links": page_links(page, request.path, request.GET),
    }
    # htmx's filter and page swaps want only the results; its history restore (a page it no
    # longer holds, on Back) wants the whole page, as does every other request.
    partial = bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )
    context["partial"] = partial
    response = render(
        request, "plans/_action_rows.html" if partial else "plans/action_list.html", context
    )
    patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
    return response


@authority_page()
def action_detail(request, access, action_pk: int):
    action = reads.action_for_page(access, action_pk, on=today())
    context = {
        "access": access,
        "action": action,
        # A closed plan is the record: read, never written to.
        "can_write_update": access.can_write_update(action) and not action.plan.is_closed,
        "this_month": reads.update_for(action, current_period()),
        "can_edit": access.can(Capability.EDIT_PLAN) and not action.plan.is_closed,
        "changes": reads.action_changes(action),
        "pace": pace.pace_of_actions([action], on=today())[action.pk],
    }
    return render(request, "plans/action_detail.html", context)


@authority_page(methods=FORM_METHODS)
def update_write(request, access, action_pk: int):
    """Write, save as a draft or submit the month's update; `?round=` returns to that round."""
    action = access.get(Action.objects.select_related("plan"), pk=action_pk)
    if not access.can_write_update(action):
        raise PermissionDenied
    if action.plan.is_closed:
        messages.error(request, services.ClosedPlanError(action.plan).messages[0])
        return redirect(_action_url(access, action))
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
        initial |= {field: getattr(existing, field) for field in services.OPTIONAL_UPDATE_FIELDS}
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
        "previous": reads.update_before(action, period),
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
    """The round the page was opened from (`?round=`), to return to; None when not an id."""
    return id_or_none(request.GET.get("round", ""))


def _after_update_url(request, access, action) -> str:
    round_pk = _round_pk(request)
    if round_pk is not None:
        return reverse("round_mine", args=[access.authority.slug, round_pk])
    return _action_url(access, action)


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
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
    return period if period in services.writable_periods() else current_period()


def _action_url(access, action) -> str:
    return reverse("action_detail", args=[access.authority.slug, action.pk])


@authority_page()
def changes_page(request, access):
    """What changed between two dates (default: the last month), from history."""
    plan = reads.plan_for_page(access, request)
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
    # A link gives ?since=2024-03-31; the form's date input gives since_day, since_month, ...
    names = ("since", "until") if with_until else ("since",)
    asked = any(key == name or key.startswith(f"{name}_") for key in request.GET for name in names)
    initial = {"since": changes.one_month_before(today()), "until": today()}
    return ChangesPeriodForm(request.GET if asked else None, with_until=with_until, initial=initial)


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
def plan_status(request, access):
    """Approve a draft (it becomes the active plan; the previous one closes) or close a plan."""
    if request.method != "POST":
        return redirect("plan_overview", access.authority.slug)
    plan = reads.plan_for_page(access, request)
    verb = request.POST.get("do", "")
    try:
        if verb == "approve":
            form = PlanApprovalForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            services.approve_plan(access, plan, **form.cleaned_data)
            messages.success(request, f"Approved: {plan.title} is now the active plan")
        elif verb == "close":
            services.close_plan(access, plan)
            messages.success(request, f"Closed: {plan.title} is kept as the record")
        else:
            messages.error(request, "Choose to approve or to close the plan")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{reverse('plan_overview', args=[access.authority.slug])}?plan={plan.pk}")
