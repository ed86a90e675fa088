from django.db import migrations, models


def number_rounds(apps, schema_editor):
    """Existing rounds are numbered per group in the order they were opened."""
    MandateRound = apps.get_model("governance", "MandateRound")
    counts: dict[int, int] = {}
    for round in MandateRound.objects.order_by("group_id", "opened_at", "id"):
        counts[round.group_id] = counts.get(round.group_id, 0) + 1
        MandateRound.objects.filter(pk=round.pk).update(number=counts[round.group_id])


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="mandateround",
            name="number",
            field=models.PositiveIntegerField(
                default=0, help_text="1 for the group's first round, then 2, 3 …"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(number_rounds, migrations.RunPython.noop),
        migrations.AlterModelOptions(name="mandateround", options={"ordering": ["-number"]}),
        migrations.AddConstraint(
            model_name="mandateround",
            constraint=models.UniqueConstraint(fields=("group", "number"), name="mandate_round_number_once"),
        ),
    ]
