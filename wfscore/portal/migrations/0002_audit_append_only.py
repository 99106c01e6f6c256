"""The audit trail refuses updates and deletions in the database itself: SQLite triggers,
or on PostgreSQL a PL/pgSQL trigger function that refuses each row's UPDATE and DELETE and
the table's TRUNCATE."""

from django.db import migrations

TRIGGERS = [
    "CREATE TRIGGER portal_audit_no_update BEFORE UPDATE ON portal_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
    "CREATE TRIGGER portal_audit_no_delete BEFORE DELETE ON portal_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
]

POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION portal_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = 'restrict_violation'; END $$",
    "CREATE TRIGGER portal_audit_no_change BEFORE UPDATE OR DELETE ON portal_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION portal_audit_append_only()",
    "CREATE TRIGGER portal_audit_no_truncate BEFORE TRUNCATE ON portal_auditentry "
    "FOR EACH STATEMENT EXECUTE FUNCTION portal_audit_append_only()",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in TRIGGERS if vendor == "sqlite" else POSTGRESQL if vendor == "postgresql" else []:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS portal_audit_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS portal_audit_no_delete")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS portal_audit_no_change ON portal_auditentry")
        schema_editor.execute("DROP TRIGGER IF EXISTS portal_audit_no_truncate ON portal_auditentry")
        schema_editor.execute("DROP FUNCTION IF EXISTS portal_audit_append_only()")


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
