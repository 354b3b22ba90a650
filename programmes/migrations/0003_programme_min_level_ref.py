import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0002_programme_agreement"),
        ("core", "0004_literacy_levels"),
    ]

    operations = [
        migrations.AddField(
            model_name="programme",
            name="min_level_ref",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.literacylevel",
                verbose_name="tingkat literasi minimal",
            ),
        ),
    ]
