"""Refuse UPDATE of a saved version at the database (SQLite and PostgreSQL), and DELETE on PostgreSQL.

DELETE is not blocked on SQLite because the test runner's flush empties tables with DELETE; on PostgreSQL it
uses TRUNCATE, which row triggers do not see.
"""
from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION perda_version_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'regulation versions are immutable';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER perda_version_immutable
    BEFORE UPDATE OR DELETE ON perda_version
    FOR EACH ROW EXECUTE FUNCTION perda_version_immutable();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS perda_version_immutable ON perda_version;
DROP FUNCTION IF EXISTS perda_version_immutable();
"""
SQLITE_CREATE = """
CREATE TRIGGER IF NOT EXISTS perda_version_immutable
BEFORE UPDATE ON perda_version
BEGIN
    SELECT RAISE(ABORT, 'regulation versions are immutable');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS perda_version_immutable;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("perda", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
