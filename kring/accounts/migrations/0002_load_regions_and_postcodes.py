from django.db import migrations


def load(apps, schema_editor):
    from kring.accounts.regions import load_postcodes

    load_postcodes(apps.get_model("accounts", "Region"), apps.get_model("accounts", "Postcode"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
