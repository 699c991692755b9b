"""A registry-id prefix on PostgreSQL: `LIKE 'CB-0001%'` under a linguistic collation cannot
use the plain (sponsor, registry id) index, and read the sponsor's whole registry. An index in
`text_pattern_ops` serves it. SQLite compares in binary order and answers a prefix as a range
of the existing index (`CompoundQuerySet.by_registry_id_prefix`), so it gets no second index."""

from django.db import migrations

NAME = "compound_registry_id_prefix"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {NAME} ON compounds_compound (sponsor_id, registry_id text_pattern_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("compounds", "0004_registry_ids_per_sponsor")]

    operations = [migrations.RunPython(create, drop)]
