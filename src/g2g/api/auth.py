"""Bearer-token authentication for the API: `Authorization: Bearer <key>`."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from .services import user_for_key

MAX_KEY_LENGTH = 200  # real keys are 47 characters; anything much longer is not one


class ApiTokenAuth(HttpBearer):
    """A personal API token (see `ApiToken`): the request acts as the token's user."""

    def authenticate(self, request: HttpRequest, token: str):
        if not token or len(token) > MAX_KEY_LENGTH:
            return None
        user = user_for_key(token)
        if user is not None:
            # The user is the request's user too: signed-in responses are never cached
            # (core.middleware) and history records who wrote.
            request.user = user
        return user
