"""Pages for a person's own API tokens: list, make (the key is shown once), revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from .forms import TokenForm
from .models import ApiToken
from .services import create_token, revoke_token


@login_required
@require_http_methods(["GET", "HEAD"])
def token_list(request):
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "api/token_list.html", {"tokens": tokens})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_create(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = create_token(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Rendered, not redirected: the key must never be in a URL, a session or a log.
            return render(request, "api/token_created.html", {"token": token, "key": key})
    return render(request, "api/token_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_revoke(request, token_pk: int):
    token = get_object_or_404(ApiToken, pk=token_pk, user=request.user)
    if request.method == "POST":
        revoke_token(request.user, token)
        messages.success(request, f"{token.name} is revoked: it no longer works")
        return redirect("api_tokens")
    return render(request, "api/token_revoke.html", {"token": token})
