"""On PostgreSQL, refuse UPDATE and DELETE on the audit table at the database itself."""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION workflows_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workflows_auditevent_append_only
    BEFORE UPDATE OR DELETE ON workflows_auditevent
    FOR EACH ROW EXECUTE FUNCTION workflows_auditevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS workflows_auditevent_append_only ON workflows_auditevent;
DROP FUNCTION IF EXISTS workflows_auditevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0002_audit")]
    operations = [migrations.RunPython(forwards, backwards)]
