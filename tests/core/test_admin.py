"""Django admin is for staff only; every registered model's list opens."""

import pytest
from django.contrib import admin

from g2g.tenancy.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_council_users_are_kept_out_of_django_admin(client, world):
    client.force_login(world.users[Role.ADMINISTRATOR])
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_can_open_every_admin_list(client, world):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url
