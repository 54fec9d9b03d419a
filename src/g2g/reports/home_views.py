"""The home pages: where everyone lands after signing in (`LOGIN_REDIRECT_URL = "home"`).

Here rather than in `tenancy` because a home reads rounds, governance, measures and saved packs
(`reports.home` says why `reports` is the lowest layer that can).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from g2g.core.dates import today
from g2g.tenancy.access import accesses_for
from g2g.tenancy.pages import authority_page

from .home import home_for, homes_for


@login_required
def home(request):
    """One authority: straight to its home. Several: what needs the person in each."""
    accesses = accesses_for(request.user)
    if len(accesses) == 1:
        return redirect("authority_home", accesses[0].authority.slug)
    context = {"homes": homes_for(accesses, today()), "accesses": accesses}
    return render(request, "reports/home.html", context)


@authority_page()
def authority_home(request, access):
    """The signed-in person's work in one authority, by role (`reports.home.home_kind`)."""
    context = {
        "access": access,
        "home": home_for(access, today()),
        "several": len(accesses_for(request.user)) > 1,
    }
    return render(request, "reports/authority_home.html", context)
