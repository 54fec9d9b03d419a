"""People are keyed by tenant + object id. The first sign-on links the identity to the one active
user with the token's verified address; afterwards the identity alone decides."""

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model

from g2g.core.models import AuditEvent
from g2g.sso.models import ExternalIdentity
from tests.factories import UserFactory

from .journey import callback, start
from .stub_idp import TENANT

pytestmark = pytest.mark.django_db
OID = "00000000-0000-4000-8000-00000000000a"


def sign_on(client, idp, **claims):
    flow = start(client)
    return callback(client, flow, idp.issue(flow, idp.sign(idp.claims(flow, **claims))))


def signed_in_user(client):
    value = client.session.get(SESSION_KEY)
    return get_user_model().objects.get(pk=value) if value else None


def test_a_linked_identity_signs_in_as_the_same_user_after_an_address_change(
    client, client_factory, idp
):
    pat = UserFactory(email="pat.lee@northshire.gov.uk")
    assert sign_on(client, idp).status_code == 302
    # At the provider Pat becomes someone else's address; here a user has that address.
    UserFactory(email="pat.jones@northshire.gov.uk")
    browser = client_factory()
    response = sign_on(browser, idp, preferred_username="pat.jones@northshire.gov.uk")
    assert response.status_code == 302
    assert signed_in_user(browser) == pat
    assert ExternalIdentity.objects.get().user == pat


def test_matching_ignores_case(client, idp):
    pat = UserFactory(email="Pat.Lee@NorthShire.gov.uk")
    sign_on(client, idp, preferred_username="PAT.LEE@northshire.GOV.UK")
    assert signed_in_user(client) == pat


def test_an_unknown_person_is_told_plainly_and_no_user_is_made(client, idp):
    UserFactory(email="someone.else@northshire.gov.uk")
    users_before = get_user_model().objects.count()
    response = sign_on(client, idp)
    assert response.status_code == 403
    page = response.content.decode()
    assert (
        "Your council account is not set up in Getting to Good; ask your improvement lead" in page
    )
    assert get_user_model().objects.count() == users_before
    assert not ExternalIdentity.objects.exists()
    assert signed_in_user(client) is None
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SIGN_IN_FAILED)
    assert event.detail["reason"] == "no_account"
    assert event.username == ""


def test_two_users_with_the_address_link_neither(client, idp):
    UserFactory(email="pat.lee@northshire.gov.uk")
    UserFactory(email="PAT.LEE@northshire.gov.uk")
    response = sign_on(client, idp)
    assert response.status_code == 403
    assert not ExternalIdentity.objects.exists()


def test_an_inactive_user_is_not_linked(client, idp):
    UserFactory(email="pat.lee@northshire.gov.uk", is_active=False)
    assert sign_on(client, idp).status_code == 403
    assert not ExternalIdentity.objects.exists()


def test_a_linked_user_switched_off_cannot_sign_on(client, client_factory, idp):
    pat = UserFactory(email="pat.lee@northshire.gov.uk")
    sign_on(client, idp)
    pat.is_active = False
    pat.save()
    browser = client_factory()
    response = sign_on(browser, idp)
    assert response.status_code == 403
    assert signed_in_user(browser) is None
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SIGN_IN_FAILED)
    assert (event.username, event.detail["reason"]) == (pat.username, "inactive")


def test_a_second_identity_in_the_same_tenant_cannot_take_over_a_linked_user(
    client, client_factory, idp
):
    """Another person of the tenant who is given Pat's address later does not become Pat."""
    pat = UserFactory(email="pat.lee@northshire.gov.uk")
    sign_on(client, idp)
    browser = client_factory()
    response = sign_on(browser, idp, oid="00000000-0000-4000-8000-00000000000b")
    assert response.status_code == 403
    assert signed_in_user(browser) is None
    assert list(ExternalIdentity.objects.values_list("user", "object_id")) == [(pat.pk, OID)]


def test_the_email_claim_links_only_when_entra_says_its_domain_is_verified(
    client, client_factory, idp
):
    pat = UserFactory(email="pat@northshire.gov.uk")
    claims = {"preferred_username": "plee@northshire.onmicrosoft.com", "email": pat.email}
    assert sign_on(client, idp, **claims).status_code == 403
    browser = client_factory()
    assert sign_on(browser, idp, **claims, xms_edov=True).status_code == 302
    assert signed_in_user(browser) == pat


def test_the_identity_is_kept_by_tenant_and_object_id_with_history(client, idp):
    pat = UserFactory(email="pat.lee@northshire.gov.uk")
    sign_on(client, idp)
    identity = ExternalIdentity.objects.get()
    assert (identity.tenant_id, identity.object_id, identity.user) == (TENANT, OID, pat)
    assert identity.linked_by_email == "pat.lee@northshire.gov.uk"
    assert identity.history.count() == 1
