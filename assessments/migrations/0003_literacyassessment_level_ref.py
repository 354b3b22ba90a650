import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_national_eligibility_rules"),
        ("core", "0004_literacy_levels"),
    ]

    operations = [
        migrations.AddField(
            model_name="literacyassessment",
            name="level_ref",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.literacylevel",
                verbose_name="tingkat",
            ),
        ),
    ]
