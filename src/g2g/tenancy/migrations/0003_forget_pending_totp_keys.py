"""docs/security.md #7 (issue 19): the key of a 2-step set-up not yet confirmed was kept as an
unconfirmed device, readable by whoever opened the set-up page, until confirmed. Keys being set up
now live in the session only; the unconfirmed devices left from before are deleted (the users
whose set-up they were scan a new key when they next open the page)."""

from django.db import migrations


def forget_pending_keys(apps, schema_editor):
    apps.get_model("otp_totp", "TOTPDevice").objects.filter(confirmed=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0002_neighbour_models"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(forget_pending_keys, migrations.RunPython.noop, elidable=True)
    ]
