"""Summary rows written before the one definition of a plan's outcome (plans.implementation)
counted a plan with agreements carried out partly, and none fully, as "not carried out". Such a
plan was partly carried out; recount the stored rows so the figures are right without a rebuild.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def recount(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    fact = apps.get_model("stats", "CaseFact")
    # Frozen here on purpose: a migration must not follow later changes of the code.
    fact.objects.filter(implementation="not", agreements_partly__gt=0).update(
        implementation="partly"
    )


class Migration(migrations.Migration):
    dependencies = [("stats", "0002_researchexport")]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
