"""A single indexed key per finance summary cell (a digest of its eight key columns)."""
import hashlib

from django.db import migrations, models

KEY_FIELDS = ("node", "measure", "period", "category", "state", "decided_ym", "route", "working_days")


def _digest(key) -> str:
    # Frozen copy of RequestFigure.digest: a migration must not change when the model does.
    text = "\x1f".join(v.isoformat() if hasattr(v, "isoformat") else str(v) for v in key)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def fill_cell_keys(apps, schema_editor):
    RequestFigure = apps.get_model("budget_requests", "RequestFigure")
    batch = []
    for row in RequestFigure.objects.only("pk", *KEY_FIELDS).iterator(chunk_size=5000):
        row.cell_key = _digest(tuple(getattr(row, f) for f in KEY_FIELDS))
        batch.append(row)
        if len(batch) >= 5000:
            RequestFigure.objects.bulk_update(batch, ["cell_key"])
            batch = []
    if batch:
        RequestFigure.objects.bulk_update(batch, ["cell_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("budget_requests", "0012_redflag_newest_first"),
    ]

    operations = [
        migrations.AddField(
            model_name="requestfigure",
            name="cell_key",
            field=models.CharField(editable=False, max_length=32, null=True, verbose_name="kunci sel"),
        ),
        migrations.RunPython(fill_cell_keys, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="requestfigure",
            name="cell_key",
            field=models.CharField(editable=False, max_length=32, unique=True, verbose_name="kunci sel"),
        ),
    ]
