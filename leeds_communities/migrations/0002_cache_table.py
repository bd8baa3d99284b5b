from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    """The database cache's table (`CACHES` in the settings); nothing for other backends."""
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("leeds_communities", "0001_audit_events")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
