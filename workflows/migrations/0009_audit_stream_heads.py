"""Audit stream heads (appends to one stream serialized through a locked row), the sealer's per-stream
bookmark, and on PostgreSQL a statement trigger refusing TRUNCATE of the audit table (UPDATE and DELETE are
refused since 0003). Existing streams get their head; streams sealed by the earlier id-range seals get their
bookmark, so the next seal starts where those ended."""
from django.db import migrations, models

SEAL_STREAM = "__seal__"

TRUNCATE_TRIGGER = """
CREATE TRIGGER workflows_auditevent_no_truncate
    BEFORE TRUNCATE ON workflows_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION workflows_auditevent_append_only();
"""
DROP_TRUNCATE_TRIGGER = "DROP TRIGGER IF EXISTS workflows_auditevent_no_truncate ON workflows_auditevent;"


def heads_from_events(apps, schema_editor):
    AuditEvent = apps.get_model("workflows", "AuditEvent")
    AuditStreamHead = apps.get_model("workflows", "AuditStreamHead")
    AuditStreamSeal = apps.get_model("workflows", "AuditStreamSeal")
    last_seal = AuditEvent.objects.filter(stream=SEAL_STREAM).order_by("-seq").first()
    through_id = (last_seal.after or {}).get("through_id", 0) if last_seal else 0
    heads: dict[str, tuple[int, str]] = {}
    sealed: dict[str, int] = {}
    rows = AuditEvent.objects.order_by("stream", "seq").values_list("stream", "seq", "hash", "id")
    for stream, seq, hash_, id_ in rows.iterator(chunk_size=5000):
        heads[stream] = (seq, hash_)
        if stream != SEAL_STREAM and id_ <= through_id:
            sealed[stream] = seq
    AuditStreamHead.objects.bulk_create(
        [AuditStreamHead(stream=s, seq=seq, hash=h) for s, (seq, h) in heads.items()], batch_size=2000)
    AuditStreamSeal.objects.bulk_create([AuditStreamSeal(stream=s, seq=seq) for s, seq in sealed.items()],
                                        batch_size=2000)


def add_truncate_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRUNCATE_TRIGGER)


def drop_truncate_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRUNCATE_TRIGGER)


class Migration(migrations.Migration):

    dependencies = [
        ('workflows', '0008_generated_document'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditStreamHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stream', models.CharField(max_length=120, unique=True, verbose_name='aliran')),
                ('seq', models.PositiveIntegerField(default=0, verbose_name='urutan terakhir')),
                ('hash', models.CharField(blank=True, max_length=64)),
            ],
            options={
                'verbose_name': 'kepala aliran audit',
                'verbose_name_plural': 'kepala aliran audit',
            },
        ),
        migrations.CreateModel(
            name='AuditStreamSeal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stream', models.CharField(max_length=120, unique=True, verbose_name='aliran')),
                ('seq', models.PositiveIntegerField(default=0, verbose_name='urutan tersegel')),
            ],
            options={
                'verbose_name': 'batas segel aliran audit',
                'verbose_name_plural': 'batas segel aliran audit',
            },
        ),
        migrations.RunPython(heads_from_events, migrations.RunPython.noop),
        migrations.RunPython(add_truncate_trigger, drop_truncate_trigger),
    ]
