"""Single sign-on is off unless configured: no button, and its addresses do not exist. Mistakes
in the settings show at `g2g check`."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from g2g.sso.checks import check_oidc_settings

from .stub_idp import CLIENT_ID, TENANT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("client_id", "tenants"),
    [("", []), (CLIENT_ID, []), ("", [TENANT])],
    ids=["nothing-set", "no-tenants", "no-client-id"],
)
def test_off_means_no_button_and_no_pages(client, settings, client_id, tenants):
    settings.G2G_OIDC_CLIENT_ID = client_id
    settings.G2G_OIDC_ALLOWED_TENANTS = tenants
    page = client.get("/sign-in/").content.decode()
    assert "council account" not in page
    assert "/oidc/" not in page
    assert client.get("/oidc/start/").status_code == 404
    assert client.get("/oidc/callback/", {"code": "x", "state": "y"}).status_code == 404


def test_the_pages_take_only_get(client, idp):
    assert client.post("/oidc/start/").status_code == 405
    assert client.post("/oidc/callback/").status_code == 405


def test_the_defaults_point_at_entra_and_leave_it_off(settings):
    assert settings.G2G_OIDC_METADATA_URL == (
        "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration"
    )
    assert settings.G2G_OIDC_CLIENT_ID == ""
    assert settings.G2G_OIDC_ALLOWED_TENANTS == []


@pytest.mark.parametrize(
    "tenant", ["organizations", "common", "northshire.gov.uk"], ids=lambda value: value
)
def test_a_tenant_that_is_not_a_tenant_id_fails_the_check(settings, tenant):
    settings.G2G_OIDC_CLIENT_ID = CLIENT_ID
    settings.G2G_OIDC_CLIENT_SECRET = "secret"  # noqa: S105 (test value)
    settings.G2G_OIDC_ALLOWED_TENANTS = [TENANT, tenant]
    assert [problem.id for problem in check_oidc_settings(None)] == ["g2g_sso.E001"]
    with pytest.raises(SystemCheckError):
        call_command("check")


def test_half_a_configuration_is_warned_about(settings):
    settings.G2G_OIDC_CLIENT_ID = CLIENT_ID
    settings.G2G_OIDC_ALLOWED_TENANTS = []
    assert [problem.id for problem in check_oidc_settings(None)] == ["g2g_sso.W001"]
    settings.G2G_OIDC_ALLOWED_TENANTS = [TENANT.upper()]
    settings.G2G_OIDC_CLIENT_SECRET = ""
    assert [problem.id for problem in check_oidc_settings(None)] == ["g2g_sso.W002"]


def test_a_complete_configuration_passes(settings):
    settings.G2G_OIDC_CLIENT_ID = CLIENT_ID
    settings.G2G_OIDC_CLIENT_SECRET = "secret"  # noqa: S105 (test value)
    settings.G2G_OIDC_ALLOWED_TENANTS = [TENANT]
    assert check_oidc_settings(None) == []
