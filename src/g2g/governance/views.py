"""Governance pages. Each view: resolve access (one layer), call one read or service, pick a
template. Everyone with a role reads; improvement leads and administrators write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from g2g.core.dates import today
from g2g.core.forms import add_errors
from g2g.plans.tracked import TrackedStatus
from g2g.tenancy.access import Capability
from g2g.tenancy.pages import FORM_METHODS, authority_page

from . import reads, services
from .forms import BoardForm, MeetingActionForm, MeetingForm, ObsessionForm, PriorityReportsForm
from .models import Board, Meeting, Obsession


def _board_url(access, board) -> str:
    return reverse("board_detail", args=[access.authority.slug, board.pk])


def _meeting_url(access, meeting) -> str:
    return reverse("meeting_detail", args=[access.authority.slug, meeting.pk])


def _context(access, **extra) -> dict:
    return {
        "access": access,
        "can_edit": access.can(Capability.EDIT_PLAN),
        "status_labels": TrackedStatus.LABELS,
        **extra,
    }


# ---------------------------------------------------------------------------------------------
# Boards


@authority_page()
def board_list(request, access):
    boards = list(reads.boards_for_list(access, on=today()))
    context = _context(access, boards=boards, structure=reads.reporting_structure(boards))
    return render(request, "governance/board_list.html", context)


@authority_page()
def board_detail(request, access, board_pk: int):
    board = reads.board_for_page(access, board_pk)
    on = today()
    context = _context(
        access, board=board, open_actions=reads.open_actions_of_board(board, on), today=on
    )
    return render(request, "governance/board_detail.html", context)


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
def board_create(request, access):
    return _board_form(request, access, None)


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
def board_edit(request, access, board_pk: int):
    board = access.get(Board.objects.select_related("chair_post", "reports_to"), pk=board_pk)
    return _board_form(request, access, board)


def _board_form(request, access, board: Board | None):
    form = BoardForm(
        request.POST if request.method == "POST" else None, instance=board, access=access
    )
    if request.method == "POST" and form.is_valid():
        try:
            if board is None:
                board = services.create_board(access, **form.cleaned_data)
            else:
                services.edit_board(access, board, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{board.name} saved")
            return redirect(_board_url(access, board))
    context = _context(access, board=board, form=form)
    return render(request, "governance/board_form.html", context)


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
def board_priorities(request, access, board_pk: int):
    board = access.get(Board.objects.prefetch_related("priority_reports"), pk=board_pk)
    form = PriorityReportsForm(
        request.POST if request.method == "POST" else None, access=access, board=board
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_priority_reports(access, board, form.frequencies())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Priorities reporting to {board.name} saved")
            return redirect(_board_url(access, board))
    return render(
        request, "governance/board_priorities.html", _context(access, board=board, form=form)
    )


# ---------------------------------------------------------------------------------------------
# Meetings and actions arising


@authority_page()
def meeting_detail(request, access, meeting_pk: int):
    meeting = reads.meeting_for_page(access, meeting_pk, on=today())
    return render(request, "governance/meeting_detail.html", _context(access, meeting=meeting))


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
def meeting_create(request, access, board_pk: int):
    board = access.get(Board.objects.all(), pk=board_pk)
    return _meeting_form(request, access, board, None)


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
def meeting_edit(request, access, meeting_pk: int):
    meeting = access.get(Meeting.objects.select_related("board"), pk=meeting_pk)
    return _meeting_form(request, access, meeting.board, meeting)


def _meeting_form(request, access, board: Board, meeting: Meeting | None):
    form = MeetingForm(request.POST if request.method == "POST" else None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            if meeting is None:
                meeting = services.record_meeting(access, board, **form.cleaned_data)
            else:
                services.edit_meeting(access, meeting, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Meeting of {meeting.held_on:%-d %B %Y} saved")
            return redirect(_meeting_url(access, meeting))
    context = _context(access, board=board, meeting=meeting, form=form)
    return render(request, "governance/meeting_form.html", context)


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
def meeting_action_create(request, access, meeting_pk: int):
    meeting = access.get(Meeting.objects.select_related("board"), pk=meeting_pk)
    return _meeting_action_form(request, access, meeting, None)


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
def meeting_action_edit(request, access, meeting_action_pk: int):
    action = reads.meeting_action_for_page(access, meeting_action_pk)
    return _meeting_action_form(request, access, action.meeting, action)


def _meeting_action_form(request, access, meeting: Meeting, action):
    form = MeetingActionForm(
        request.POST if request.method == "POST" else None, instance=action, access=access
    )
    if action is None:
        del form.fields["done_on"]  # a new action is not done yet
    if request.method == "POST" and form.is_valid():
        try:
            if action is None:
                services.add_meeting_action(access, meeting, **form.cleaned_data)
            else:
                services.edit_meeting_action(access, action, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Action arising saved")
            return redirect(_meeting_url(access, meeting))
    context = _context(access, meeting=meeting, action=action, form=form)
    return render(request, "governance/meeting_action_form.html", context)


@authority_page(Capability.EDIT_PLAN, methods=("POST",))
def meeting_action_done(request, access, meeting_action_pk: int):
    action = reads.meeting_action_for_page(access, meeting_action_pk)
    try:
        services.complete_meeting_action(access, action)
    except ValidationError as error:  # an owner removed since: ask for one on the edit page
        messages.info(request, " ".join(error.messages))
        return redirect("meeting_action_edit", access.authority.slug, action.pk)
    messages.success(request, f"Marked done: {action}")
    return redirect(_meeting_url(access, action.meeting))


# ---------------------------------------------------------------------------------------------
# Obsessions


@authority_page()
def obsession_list(request, access):
    on = today()
    obsessions = list(reads.obsessions_for_list(access))
    context = _context(
        access,
        current=[o for o in obsessions if o.starts <= on <= o.ends],
        upcoming=[o for o in obsessions if o.starts > on],
        past=[o for o in obsessions if o.ends < on],
    )
    return render(request, "governance/obsession_list.html", context)


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
def obsession_create(request, access):
    return _obsession_form(request, access, None)


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
def obsession_edit(request, access, obsession_pk: int):
    obsession = access.get(Obsession.objects.all(), pk=obsession_pk)
    return _obsession_form(request, access, obsession)


def _obsession_form(request, access, obsession: Obsession | None):
    form = ObsessionForm(
        request.POST if request.method == "POST" else None, access=access, obsession=obsession
    )
    if request.method == "POST" and form.is_valid():
        try:
            obsession = services.set_obsession(access, obsession, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Obsession saved: {obsession.title}")
            return redirect("obsession_list", access.authority.slug)
    context = _context(access, obsession=obsession, form=form)
    return render(request, "governance/obsession_form.html", context)
