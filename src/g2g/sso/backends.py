"""The authentication backend a single sign-on session is recorded under.

It authenticates nobody by itself (`services.finish_sign_in` decides who signs in); naming it
in the session lets the audit log tell single sign-on from password sign-ins, and it loads the
user on later requests like Django's ModelBackend (so a deactivated user is out at once).
"""

from django.contrib.auth.backends import ModelBackend

# The `method` recorded in the audit log for sign-ins and refusals through single sign-on.
SINGLE_SIGN_ON = "single_sign_on"


class SingleSignOnBackend(ModelBackend):
    sign_in_method = SINGLE_SIGN_ON

    def authenticate(self, request, **credentials):
        return None
