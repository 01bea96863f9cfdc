from django.db import migrations


def load(apps, schema_editor):
    from kring.coordinators.languages import load_languages

    load_languages(apps.get_model("coordinators", "Language"))


class Migration(migrations.Migration):
    dependencies = [("coordinators", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
