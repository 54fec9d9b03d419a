"""Pages for 2-step verification: the account page, setting it up, new backup codes, turning it
off, and the code asked for after the password. The rules are in `two_factor`."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from g2g.core.forms import add_errors

from . import two_factor
from .two_factor_forms import AnyCodeForm, AppCodeForm, BackupCodeForm

TEMPLATES = "tenancy/two_factor/"


def _next_url(request) -> str:
    """Where to go after the code: the page first asked for, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


# Signing in: the second step


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    return _verify(request, two_factor.Method.APP, AppCodeForm, "verify.html")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify_backup_code(request):
    return _verify(request, two_factor.Method.BACKUP, BackupCodeForm, "verify_backup_code.html")


def _verify(request, method, form_class, template):
    if request.user.is_verified() or not two_factor.is_on(request.user):
        return redirect(_next_url(request))
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.verify_sign_in(request, form.cleaned_data["code"], method)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(_next_url(request))
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    return render(request, TEMPLATES + template, {"form": form, "next": next_url})


# The account page and changes


@login_required
@require_http_methods(["GET", "HEAD"])
def account(request):
    user = request.user
    on = two_factor.is_on(user)
    if not on and not two_factor.may_set_up(user):
        raise PermissionDenied
    context = {
        "on": on,
        "required": two_factor.is_required(user),
        "codes_left": two_factor.backup_codes_left(user) if on else 0,
    }
    return render(request, TEMPLATES + "account.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def set_up(request):
    if two_factor.is_on(request.user):
        return redirect("two_factor")
    if not two_factor.may_set_up(request.user):
        raise PermissionDenied
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.confirm_set_up(request, form.cleaned_data["code"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            # Rendered, not redirected: the codes must never be in a URL, a session or a log.
            context = {"codes": codes, "just_set_up": True, "next": _next_url(request)}
            return render(request, TEMPLATES + "backup_codes.html", context)
    # Each opening of the page is a new set-up with a new key, kept in this session only; a
    # wrong code shows the same key again.
    device = two_factor.pending_device(request) if request.method == "POST" else None
    if device is None:
        device = two_factor.new_pending_device(request)
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_data_uri(device),
        "key": two_factor.key_text(device),
        "required": two_factor.is_required(request.user),
        "next": request.POST.get("next") or request.GET.get("next") or "",
    }
    return render(request, TEMPLATES + "set_up.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new_backup_codes(request):
    if not two_factor.is_on(request.user):
        return redirect("two_factor")
    form = AnyCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.new_backup_codes(request, form.cleaned_data["code"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            context = {"codes": codes, "next": resolve_url("two_factor")}
            return render(request, TEMPLATES + "backup_codes.html", context)
    return render(request, TEMPLATES + "new_backup_codes.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def turn_off(request):
    if not two_factor.is_on(request.user):
        return redirect("two_factor")
    form = AnyCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.turn_off(request, form.cleaned_data["code"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "2-step verification is off")
            if two_factor.may_set_up(request.user):
                return redirect("two_factor")
            return redirect(settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "required": two_factor.is_required(request.user)}
    return render(request, TEMPLATES + "turn_off.html", context)
