"""How every authority page enters the permission layer."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed

from .access import Capability, access_for

FORM_METHODS = ("GET", "HEAD", "POST")  # a page with a form: shown, and posted to


def authority_page(capability: Capability = Capability.VIEW, methods=("GET", "HEAD")):
    """Resolve the authority in the URL through the permission layer and pass `access` on."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, authority, *args, **kwargs):
            access = access_for(request.user, authority)
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            access.require(capability)
            return view(request, access, *args, **kwargs)

        return wrapper

    return decorator
