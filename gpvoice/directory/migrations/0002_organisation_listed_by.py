from django.db import migrations, models
from django.db.models import F


def listed_by_last_writer(apps, schema_editor):
    """Before this field, the last importer to write a record stood for the file that lists it."""
    Organisation = apps.get_model("directory", "Organisation")
    Organisation.objects.exclude(source="").update(listed_by=F("source"))


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="listed_by",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.RunPython(listed_by_last_writer, migrations.RunPython.noop),
    ]
