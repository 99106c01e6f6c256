"""The audit trail refuses updates and deletions in the database itself (SQLite triggers;
another database gets its own in a later migration)."""

from django.db import migrations

TRIGGERS = [
    "CREATE TRIGGER portal_audit_no_update BEFORE UPDATE ON portal_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
    "CREATE TRIGGER portal_audit_no_delete BEFORE DELETE ON portal_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in TRIGGERS:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS portal_audit_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS portal_audit_no_delete")


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
