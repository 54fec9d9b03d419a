"""Steps of a single sign-on, through the app's real pages."""

from .stub_idp import flow_from


def start(client, **params):
    """Press "Sign in with your council account": the flow the app sent to the provider."""
    response = client.get("/oidc/start/", params)
    assert response.status_code == 302, response
    return flow_from(response["Location"])


def callback(client, flow, code, **request_options):
    """Come back from the provider with `code` (request_options: e.g. REMOTE_ADDR, secure)."""
    return client.get("/oidc/callback/", {"code": code, "state": flow.state}, **request_options)
