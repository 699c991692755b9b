# The link counts and the triggers that keep them; on PostgreSQL with the RDKit
# cartridge available, the extension and the side table (cobench.search.cartridge).

from django.db import migrations, models

SQLITE = [
    """CREATE TRIGGER search_link_added AFTER INSERT ON compounds_projectcompound
    BEGIN
        INSERT INTO search_projectlinks (project_id, links) VALUES (NEW.project_id, 1)
        ON CONFLICT (project_id) DO UPDATE SET links = links + 1;
    END""",
    """CREATE TRIGGER search_link_removed AFTER DELETE ON compounds_projectcompound
    BEGIN
        UPDATE search_projectlinks SET links = links - 1 WHERE project_id = OLD.project_id;
    END""",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS search_link_added",
    "DROP TRIGGER IF EXISTS search_link_removed",
]
POSTGRESQL = [
    """CREATE FUNCTION search_count_link() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO search_projectlinks (project_id, links) VALUES (NEW.project_id, 1)
            ON CONFLICT (project_id) DO UPDATE SET links = search_projectlinks.links + 1;
            RETURN NEW;
        END IF;
        UPDATE search_projectlinks SET links = links - 1 WHERE project_id = OLD.project_id;
        RETURN OLD;
    END $$""",
    """CREATE TRIGGER search_count_link AFTER INSERT OR DELETE ON compounds_projectcompound
    FOR EACH ROW EXECUTE FUNCTION search_count_link()""",
]
POSTGRESQL_UNDO = [
    "DROP TRIGGER IF EXISTS search_count_link ON compounds_projectcompound",
    "DROP FUNCTION IF EXISTS search_count_link()",
    "DROP TABLE IF EXISTS search_structure",
]
COUNT_EXISTING = """INSERT INTO search_projectlinks (project_id, links)
    SELECT project_id, COUNT(*) FROM compounds_projectcompound GROUP BY project_id"""


def create(apps, schema_editor):
    from cobench.search import cartridge

    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor)
    if statements is None:
        raise RuntimeError("cobench's search runs on SQLite or PostgreSQL")
    for statement in [*statements, COUNT_EXISTING]:
        schema_editor.execute(statement)
    cartridge.install(schema_editor.connection)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in SQLITE_UNDO if vendor == "sqlite" else POSTGRESQL_UNDO:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("compounds", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name='ProjectLinks',
            fields=[
                ('project_id', models.UUIDField(primary_key=True, serialize=False)),
                ('links', models.IntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create, drop),
    ]
