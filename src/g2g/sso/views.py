"""Single sign-on pages: start (off to the provider) and callback (back from it). Both answer
404 while single sign-on is not configured."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from .provider import OidcConfig, ProviderUnavailable, oidc_config
from .services import begin_sign_in, finish_sign_in
from .tokens import Reason, SignInRefused

# Refusals about who the person is (as opposed to a broken or replayed exchange).
FORBIDDEN = {
    Reason.TENANT,
    Reason.NO_ACCOUNT,
    Reason.AMBIGUOUS,
    Reason.ALREADY_LINKED,
    Reason.INACTIVE,
}

HEADINGS = {
    Reason.NO_ACCOUNT: "Your council account is not set up in Getting to Good",
    Reason.AMBIGUOUS: "Your council account is not set up in Getting to Good",
    Reason.ALREADY_LINKED: "You cannot sign in with this council account",
    Reason.INACTIVE: "You cannot sign in with this council account",
    Reason.TENANT: "You cannot sign in with this council account",
    Reason.NO_FLOW: "Your sign-in has expired",
    Reason.PROVIDER_ERROR: "You are not signed in",
    Reason.PROVIDER_UNAVAILABLE: "Sorry, signing in with your council account is not working",
}


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    config = _config_or_404()
    next_url = _safe_next(request, request.GET.get("next", ""))
    redirect_uri = request.build_absolute_uri(reverse("sso:callback"))
    try:
        url = begin_sign_in(request, config, redirect_uri=redirect_uri, next_url=next_url)
    except ProviderUnavailable:
        return _refused(request, Reason.PROVIDER_UNAVAILABLE)
    return redirect(url)


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    config = _config_or_404()
    try:
        signed_in = finish_sign_in(request, config)
    except SignInRefused as refusal:
        return _refused(request, refusal.reason)
    next_url = _safe_next(request, signed_in.next_url)
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def _config_or_404() -> OidcConfig:
    config = oidc_config()
    if config is None:
        raise Http404("Single sign-on is not configured")
    return config


def _safe_next(request: HttpRequest, next_url: str) -> str:
    """`next` only if it stays on this site (checked when stored and again when used)."""
    allowed = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return next_url if next_url and allowed else ""


def _refused(request: HttpRequest, reason: Reason) -> HttpResponse:
    if reason == Reason.PROVIDER_UNAVAILABLE:
        status = 503
    elif reason in FORBIDDEN:
        status = 403
    else:
        status = 400
    heading = HEADINGS.get(reason, "We could not confirm who you are")
    context = {"reason": reason.value, "heading": heading}
    return render(request, "sso/sign_in_refused.html", context, status=status)
