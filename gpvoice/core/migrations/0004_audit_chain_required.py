"""Every audit entry now has its chain and place; the deployment-wide chain head goes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_rethread_audit_entries"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="chain",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="core.auditchain",
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="sequence",
            field=models.PositiveBigIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                fields=("chain", "sequence"), name="audit_entry_one_per_place"
            ),
        ),
        migrations.DeleteModel(
            name="AuditChainHead",
        ),
    ]
