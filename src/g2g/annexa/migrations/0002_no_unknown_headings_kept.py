"""docs/security.md #21 (issue 19): returns checked before this kept the headings of columns that
are not Annex A's, and for a list without its header row those were a child's row. Each is
replaced by how many there were, in the returns and in their history."""

from django.db import migrations


def _counted(quality):
    columns = (quality or {}).get("unknown_columns")
    if not isinstance(columns, dict) or all(isinstance(v, int) for v in columns.values()):
        return None
    counts = {key: (v if isinstance(v, int) else len(v or ())) for key, v in columns.items()}
    return {**quality, "unknown_columns": counts}


def forget_unknown_headings(apps, schema_editor):
    for name in ("AnnexAReturn", "HistoricalAnnexAReturn"):
        model = apps.get_model("annexa", name)
        for row in model.objects.only("pk", "quality").iterator():
            quality = _counted(row.quality)
            if quality is not None:
                model.objects.filter(pk=row.pk).update(quality=quality)


class Migration(migrations.Migration):
    dependencies = [("annexa", "0001_returns_and_retention")]

    operations = [
        migrations.RunPython(forget_unknown_headings, migrations.RunPython.noop, elidable=True)
    ]
