"""Structure search in PostgreSQL with the RDKit cartridge (Debian: postgresql-15-rdkit).

The cartridge works on a side table, ``search_structure`` (compound id, sponsor,
number, ``mol``, Morgan ``bfp`` of radius 2 and 2048 bits), with GiST indexes on
both. It is kept in step by the same rule as the in-process index: before a
search, one ``INSERT ... SELECT`` adds the compounds of the searched sponsors
numbered above the highest number the table holds for each (numbers commit in
order; see `cobench.search.index`). The tenancy restriction is part of each
query: a row counts only if its compound is linked to one of the searched projects.

The cartridge parses structures with its own RDKit (2022.09 on Debian 12), older
than the Python one; a SMILES it cannot read gets a row without a molecule, which
no search finds. Each search runs under ``SET LOCAL statement_timeout``.
"""

from __future__ import annotations

from uuid import UUID

from django.db import DatabaseError, connection, transaction

from .queries import Query

TABLE = "search_structure"

SETUP = [
    "CREATE EXTENSION IF NOT EXISTS rdkit",
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        compound_id uuid PRIMARY KEY,
        sponsor_id uuid NOT NULL,
        number integer NOT NULL,
        mol mol,
        mfp bfp
    )""",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_number ON {TABLE} (sponsor_id, number)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_mol ON {TABLE} USING gist (mol)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_mfp ON {TABLE} USING gist (mfp)",
]

# the statements name only this module's table and functions; every value is a parameter
_CATCH_UP = f"""
INSERT INTO {TABLE} (compound_id, sponsor_id, number, mol, mfp)
SELECT c.id, c.sponsor_id, c.number, m.mol, morganbv_fp(m.mol, 2)
FROM compounds_compound c
CROSS JOIN LATERAL (SELECT mol_from_smiles(c.smiles::cstring) AS mol) m
WHERE c.sponsor_id = ANY(%s)
  AND c.number > COALESCE(
      (SELECT max(s.number) FROM {TABLE} s WHERE s.sponsor_id = c.sponsor_id), 0)
ON CONFLICT (compound_id) DO NOTHING
"""  # noqa: S608

_IN_SCOPE = """s.sponsor_id = ANY(%s) AND (EXISTS (
    SELECT 1 FROM compounds_projectcompound pc
    WHERE pc.compound_id = s.compound_id AND pc.project_id = ANY(%s::uuid[]))
    OR s.compound_id = ANY(%s::uuid[]))"""

_READERS = {
    "smiles": "mol_from_smiles(%s::cstring)",
    "molfile": "mol_from_smiles(%s::cstring)",
    "smarts": "qmol_from_smarts(%s::cstring)",
}


class TimedOut(Exception):
    """The database stopped the search at the statement timeout."""


def available() -> bool:
    """Whether this database is PostgreSQL with the cartridge's side table in place."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [TABLE])
        return bool(cursor.fetchone()[0])


def install(schema_editor_connection) -> bool:
    """Create the extension and side table when the cartridge is installed; whether it was."""
    if schema_editor_connection.vendor != "postgresql":
        return False
    with schema_editor_connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rdkit'")
        if cursor.fetchone() is None:
            return False
        for statement in SETUP:
            cursor.execute(statement)
    return True


def _text(query: Query) -> str:
    return query.smiles if query.kind == "molfile" else query.text


def _set(cursor, name: str, value: object) -> None:
    """SET LOCAL, with the value as a parameter."""
    cursor.execute("SELECT set_config(%s, %s, true)", [name, str(value)])


def _run(sql: str, params: list, *, sponsors: list[UUID], time_limit_s: float, **gucs) -> list:
    """Catch up the side table, then run `sql` under the timeout and settings `gucs`."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            _set(cursor, "rdkit.morgan_fp_size", 2048)
            cursor.execute(_CATCH_UP, [sponsors])
            for name, value in gucs.items():
                _set(cursor, f"rdkit.{name}", value)
            _set(cursor, "statement_timeout", max(1, int(time_limit_s * 1000)))
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            cursor.execute("SET LOCAL statement_timeout TO DEFAULT")
            return rows
    except DatabaseError as e:
        if getattr(getattr(e, "__cause__", None), "sqlstate", None) == "57014":
            raise TimedOut() from e
        raise


def similar(
    query: Query,
    *,
    sponsors: list[UUID],
    projects: list[UUID],
    compounds: list[UUID],
    threshold: float,
    k: int,
    time_limit_s: float,
) -> list[tuple[UUID, float]]:
    """The `k` compounds most similar to `query` at or above `threshold`, best first."""
    sql = f"""
    SELECT s.compound_id, tanimoto_sml(s.mfp, q.fp) AS score
    FROM {TABLE} s, (SELECT morganbv_fp({_READERS[query.kind]}, 2) AS fp) q
    WHERE s.mfp %% q.fp AND {_IN_SCOPE}
    ORDER BY score DESC, s.number LIMIT %s"""  # noqa: S608
    rows = _run(
        sql,
        [_text(query), sponsors, projects, compounds, k],
        sponsors=sponsors,
        time_limit_s=time_limit_s,
        tanimoto_threshold=threshold,
    )
    return [(row[0], float(row[1])) for row in rows]


def substructure(
    query: Query,
    *,
    sponsors: list[UUID],
    projects: list[UUID],
    compounds: list[UUID],
    cap: int,
    time_limit_s: float,
) -> list[UUID]:
    """Compounds containing `query`, in registry order, at most `cap`."""
    sql = f"""
    SELECT s.compound_id FROM {TABLE} s
    WHERE s.mol @> {_READERS[query.kind]} AND {_IN_SCOPE}
    ORDER BY s.sponsor_id, s.number LIMIT %s"""  # noqa: S608
    rows = _run(
        sql,
        [_text(query), sponsors, projects, compounds, cap],
        sponsors=sponsors,
        time_limit_s=time_limit_s,
    )
    return [row[0] for row in rows]
