"""A pending upload is discarded once confirmed or cancelled, in the same transaction as the
import it confirms, and only by roles that import."""

import pytest
from django.core.exceptions import PermissionDenied

from g2g.core.problems import ReadError
from g2g.importers.models import Upload
from g2g.importers.uploads import confirm_upload, discard_upload, own_upload
from g2g.tenancy.access import access_for
from g2g.tenancy.models import Role

pytestmark = pytest.mark.django_db


def lead_of(world):
    access = access_for(world.users[Role.IMPROVEMENT_LEAD], world.authority.slug)
    return access, own_upload(access, world.upload.token)


def test_a_confirmed_upload_is_discarded_and_a_second_confirm_writes_nothing(world):
    access, upload = lead_of(world)
    writes = []
    assert confirm_upload(access, upload, lambda: writes.append("written") or "done") == "done"
    assert confirm_upload(access, upload, lambda: writes.append("written again")) is None
    assert writes == ["written"]
    assert not Upload.objects.filter(pk=upload.pk).exists()


def test_a_write_that_fails_keeps_the_upload_for_its_preview(world):
    access, upload = lead_of(world)

    def refused():
        raise ReadError.at(upload.name, "has no actions to import")

    with pytest.raises(ReadError):
        confirm_upload(access, upload, refused)
    assert Upload.objects.filter(pk=upload.pk).exists()


def test_a_cancelled_upload_is_discarded_once(world):
    access, upload = lead_of(world)
    assert discard_upload(access, upload) is True
    assert discard_upload(access, upload) is False


def test_another_authoritys_upload_is_never_discarded(world, foreign_world):
    access, _upload = lead_of(world)
    assert discard_upload(access, foreign_world.upload) is False
    assert Upload.objects.filter(pk=foreign_world.upload.pk).exists()


@pytest.mark.parametrize("role", [Role.ACTION_LEAD, Role.VIEWER, Role.REGIONAL_VIEWER])
def test_only_roles_that_import_discard_or_confirm_an_upload(world, role):
    access = access_for(world.users[role], world.authority.slug)
    with pytest.raises(PermissionDenied):
        discard_upload(access, world.upload)
    with pytest.raises(PermissionDenied):
        confirm_upload(access, world.upload, lambda: pytest.fail("nothing may be written"))
    assert Upload.objects.filter(pk=world.upload.pk).exists()
