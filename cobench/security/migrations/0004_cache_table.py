"""The table of Django's database cache: where allauth marks a used one-time code, so every
process of every machine refuses it again."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("security", "0003_mfa_kinds")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
