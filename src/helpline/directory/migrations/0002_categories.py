from django.db import migrations


def load_categories(apps, schema_editor):
    from helpline.directory.categories import categories_sync

    categories_sync(category_model=apps.get_model("directory", "ServiceCategory"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_directory")]

    operations = [migrations.RunPython(load_categories, migrations.RunPython.noop)]
