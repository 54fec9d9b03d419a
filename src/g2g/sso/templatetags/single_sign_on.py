"""The "Sign in with your council account" button, shown only when single sign-on is on."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from g2g.sso.provider import oidc_config

register = template.Library()


@register.inclusion_tag("sso/sign_in_button.html")
def single_sign_on_button(next_url: str = "") -> dict:
    if oidc_config() is None:
        return {"start_url": None}
    start_url = reverse("sso:start")
    if next_url:
        start_url += "?" + urlencode({"next": next_url})
    return {"start_url": start_url}
