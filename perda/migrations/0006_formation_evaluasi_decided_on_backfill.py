"""Fill ``Formation.evaluasi_decided_on`` for formations already past an evaluasi decision, from the stage
records (the latest "sesuai" / "tidak sesuai" evaluasi result received)."""
from django.db import migrations
from django.db.models import Max


def backfill(apps, schema_editor):
    Formation = apps.get_model("perda", "Formation")
    StageRecord = apps.get_model("perda", "StageRecord")
    latest = (StageRecord.objects.filter(stage="evaluasi", outcome__in=["sesuai", "tidak_sesuai"])
              .values("formation_id").annotate(on=Max("received_on")))
    for row in latest:
        Formation.objects.filter(pk=row["formation_id"], evaluasi_decided_on__isnull=True).update(
            evaluasi_decided_on=row["on"])


class Migration(migrations.Migration):

    dependencies = [
        ("perda", "0005_formation_evaluasi_decided_on"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
