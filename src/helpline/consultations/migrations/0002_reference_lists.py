from django.db import migrations


def load_reference_lists(apps, schema_editor):
    from helpline.consultations.services import reference_data_sync

    reference_data_sync(models_module=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("common", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_reference_lists, migrations.RunPython.noop),
    ]
