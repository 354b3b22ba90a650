import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessments", "0004_literacy_levels_per_script")]

    operations = [
        # Blank first, so that going back re-adds the column with "" until 0004 fills it.
        migrations.AlterField(
            model_name="literacyassessment",
            name="level",
            field=models.CharField(blank=True, max_length=30, verbose_name="tingkat"),
        ),
        migrations.RemoveField(model_name="literacyassessment", name="level"),
        migrations.RenameField(
            model_name="literacyassessment", old_name="level_ref", new_name="level"
        ),
        migrations.AlterField(
            model_name="literacyassessment",
            name="level",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.literacylevel",
                verbose_name="tingkat",
            ),
        ),
    ]
