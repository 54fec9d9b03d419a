from django import forms

from .services import DEFAULT_LIFETIME_DAYS

LIFETIMES = [(30, "30 days"), (90, "90 days"), (182, "6 months"), (365, "1 year")]


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Name",
        help_text="What the token is for, so you can tell it apart later: "
        "for example, Power BI scorecard",
    )
    lifetime_days = forms.TypedChoiceField(
        coerce=int,
        choices=LIFETIMES,
        initial=DEFAULT_LIFETIME_DAYS,
        widget=forms.RadioSelect,
        label="Expires after",
        help_text="Make a new token before this one expires. The most is a year.",
    )
