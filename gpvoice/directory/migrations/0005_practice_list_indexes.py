"""Indexes that let the practice list read one page of England's practices in the order asked for,
instead of sorting the whole directory (issue 11)."""

from django.db import migrations, models

# Largest list first is "list_size DESC NULLS LAST, name": PostgreSQL can index exactly that order;
# SQLite cannot index NULLS LAST, and sorts (a development database is small).
LARGEST_FIRST = (
    "CREATE INDEX IF NOT EXISTS org_by_type_and_largest_list ON directory_organisation "
    "(org_type, list_size DESC NULLS LAST, name)"
)


def largest_first(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LARGEST_FIRST)


def drop_largest_first(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS org_by_type_and_largest_list")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_footprint_practice_resolved"),
    ]

    operations = [
        # (org_type, list_size) is the prefix of the new (org_type, list_size, name).
        migrations.RemoveIndex(
            model_name="organisation",
            name="directory_o_org_typ_46d83c_idx",
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["org_type", "name", "ods_code"], name="org_by_type_and_name"),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["org_type", "list_size", "name"], name="org_by_type_and_list_size"),
        ),
        migrations.RunPython(largest_first, drop_largest_first),
    ]
