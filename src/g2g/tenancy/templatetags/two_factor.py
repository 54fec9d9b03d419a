"""The menu link to 2-step verification, shown only to people who may use it."""

from django import template

from g2g.tenancy import two_factor

register = template.Library()


@register.filter
def shows_two_factor_link(user) -> bool:
    return two_factor.shows_account_link(user)
