from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    """The embedded default counts throttles and lockouts in a database cache: make its table with the schema.

    Does nothing when CACHE_URL names Redis (production, the tests).
    """
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("security", "0002_drop_plaintext_tokens")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
