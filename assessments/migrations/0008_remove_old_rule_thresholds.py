"""Rights as data, step 3 of 3: drop the old threshold columns of EligibilityRule (0004 moved
them into conditions). Defaults are set first so that migrating backwards can add the
columns back to existing rows before 0004 refills them."""

import django.core.validators
from django.db import migrations, models


def _fraction_field(label):
    return models.PositiveSmallIntegerField(default=1, verbose_name=label)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0007_national_rights_rules")]

    operations = [
        migrations.AlterField(
            model_name="eligibilityrule",
            name="numerator",
            field=_fraction_field("pembilang masa pidana"),
        ),
        migrations.AlterField(
            model_name="eligibilityrule",
            name="denominator",
            field=models.PositiveSmallIntegerField(
                default=1,
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="penyebut masa pidana",
            ),
        ),
        migrations.AlterField(
            model_name="eligibilityrule",
            name="special_numerator",
            field=_fraction_field("pembilang (tindak pidana khusus)"),
        ),
        migrations.AlterField(
            model_name="eligibilityrule",
            name="special_denominator",
            field=models.PositiveSmallIntegerField(
                default=1,
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="penyebut (tindak pidana khusus)",
            ),
        ),
        migrations.RemoveConstraint(
            model_name='eligibilityrule',
            name='eligibilityrule_fraction_le_one',
        ),
        migrations.RemoveField(
            model_name='eligibilityrule',
            name='before_release_months',
        ),
        migrations.RemoveField(
            model_name='eligibilityrule',
            name='behaviour_months',
        ),
        migrations.RemoveField(
            model_name='eligibilityrule',
            name='behaviour_months_special',
        ),
        migrations.RemoveField(
            model_name='eligibilityrule',
            name='denominator',
        ),
        migrations.RemoveField(
            model_name='eligibilityrule',
            name='max_sentence_months',
        ),
        migrations.RemoveField(
            model_name='eligibilityrule',
            name='min_served_months',
        ),
        migrations.RemoveField(
            model_name='eligibilityrule',
            name='numerator',
        ),
        migrations.RemoveField(
            model_name='eligibilityrule',
            name='requires_guarantor',
        ),
        migrations.RemoveField(
            model_name='eligibilityrule',
            name='special_case_categories',
        ),
        migrations.RemoveField(
            model_name='eligibilityrule',
            name='special_denominator',
        ),
        migrations.RemoveField(
            model_name='eligibilityrule',
            name='special_numerator',
        ),
        migrations.RemoveField(
            model_name='eligibilityrule',
            name='sppn_min_average',
        ),
    ]
