"""Single sign-on is on, pointed at a stub Entra ID on 127.0.0.1, for every test here that asks
for `idp`."""

import pytest
from django.core.cache import cache
from django.test import Client

from .stub_idp import CLIENT_ID, CLIENT_SECRET, TENANT, StubIdP


@pytest.fixture
def idp(settings):
    stub = StubIdP()
    settings.G2G_OIDC_CLIENT_ID = CLIENT_ID
    settings.G2G_OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.G2G_OIDC_METADATA_URL = stub.metadata_url
    settings.G2G_OIDC_ALLOWED_TENANTS = [TENANT]
    cache.clear()  # metadata and keys of an earlier test's stub
    yield stub
    stub.stop()
    cache.clear()


@pytest.fixture
def client_factory():
    """Another browser (its own cookies)."""
    return Client
