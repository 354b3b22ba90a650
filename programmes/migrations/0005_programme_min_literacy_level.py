import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("programmes", "0004_min_literacy_levels_latin")]

    operations = [
        migrations.RemoveField(model_name="programme", name="min_literacy_level"),
        migrations.RenameField(
            model_name="programme", old_name="min_level_ref", new_name="min_literacy_level"
        ),
        migrations.AlterField(
            model_name="programme",
            name="min_literacy_level",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "Tingkat dari aksaranya sendiri: Latin untuk kelas keaksaraan / kesetaraan, "
                    "Al-Qur'an untuk kelas baca Al-Qur'an. Kosongkan bila tidak disyaratkan."
                ),
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.literacylevel",
                verbose_name="tingkat literasi minimal",
            ),
        ),
    ]
