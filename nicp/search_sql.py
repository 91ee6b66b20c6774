"""The database side of title search (nicp/search.py), for the migrations: on PostgreSQL only (SQLite, the
embedded default, registers its own `f_unaccent` per connection and needs no index).

The extensions pg_trgm and unaccent are trusted since PostgreSQL 13, so the database's owner may create them;
where they cannot be created the migration goes on: `f_unaccent` then returns its argument (the search ignores
case but not accents) and the trigram indexes are left out (the search reads every row). Once someone with the
right creates the extensions, `manage.py install_title_search` puts the real function in place and rebuilds the
indexes."""

import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)

# unaccent() is only STABLE (its dictionary could change), so an index cannot use it: the usual recipe wraps
# it, with the dictionary named, in an IMMUTABLE function. That wrapper is never inlined (its body is less
# immutable than it claims), which costs about 4 µs a row where a search reads rows; a superuser can declare the
# extension's C function IMMUTABLE directly, and the wrapper over that one is inlined: tried first.
C_UNACCENT = """CREATE OR REPLACE FUNCTION {schema}.immutable_unaccent(regdictionary, text) RETURNS text
LANGUAGE c IMMUTABLE PARALLEL SAFE STRICT AS '$libdir/unaccent', 'unaccent_dict'"""
REAL_UNACCENT = """CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
STRICT AS $$ SELECT {schema}.{function}('{schema}.unaccent'::regdictionary, $1) $$"""
NO_UNACCENT = """CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
STRICT AS $$ SELECT $1 $$"""


def _try(connection, sql) -> bool:
    """Run `sql` in a savepoint: a refusal must not abort the migration's transaction."""
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(sql)
    except Exception as error:  # noqa: BLE001  (any refusal means "not available"; it is logged)
        logger.warning("Title search: %s failed (%s); falling back.", sql.split("(")[0], error)
        return False
    return True


def extension_schema(connection, name: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                       "WHERE e.extname = %s", [name])
        row = cursor.fetchone()
    return row[0] if row else None


def install_functions(connection) -> dict:
    """Create the extensions if allowed and `f_unaccent` either way; say what is available."""
    for name in ("unaccent", "pg_trgm"):
        if extension_schema(connection, name) is None:
            _try(connection, f"CREATE EXTENSION IF NOT EXISTS {name}")
    schema = extension_schema(connection, "unaccent")
    if schema is None:
        sql = NO_UNACCENT
    else:
        schema = connection.ops.quote_name(schema)
        with connection.cursor() as cursor:  # made by a superuser earlier: keep it, the owner could not again
            cursor.execute("SELECT to_regprocedure(%s) IS NOT NULL",
                           [f"{schema}.immutable_unaccent(regdictionary,text)"])
            inlined = cursor.fetchone()[0] or _try(connection, C_UNACCENT.format(schema=schema))
        sql = REAL_UNACCENT.format(schema=schema, function="immutable_unaccent" if inlined else "unaccent")
    with connection.cursor() as cursor:
        cursor.execute(sql)
    return {"unaccent": schema is not None, "pg_trgm": extension_schema(connection, "pg_trgm") is not None}


def create_trigram_index(connection, table: str, column: str, name: str) -> bool:
    """A GIN trigram index on the expression the search compares: lower(f_unaccent(column))."""
    if extension_schema(connection, "pg_trgm") is None:
        logger.warning("Title search: pg_trgm is missing, %s is not indexed.", table)
        return False
    schema = extension_schema(connection, "pg_trgm")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} "
                       f"USING gin (lower(f_unaccent({quote(column)})) {quote(schema)}.gin_trgm_ops)")
    return True


def install_title_search(indexes=()):
    """A migration operation: the functions (and extensions), then `indexes`, (table, column, name) each."""

    def forward(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        install_functions(connection)
        for table, column, name in indexes:
            create_trigram_index(connection, table, column, name)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for _table, _column, name in indexes:
                cursor.execute(f"DROP INDEX IF EXISTS {schema_editor.connection.ops.quote_name(name)}")

    return migrations.RunPython(forward, backward, elidable=False)


# Every trigram index the migrations create, for install_title_search to rebuild.
TITLE_INDEXES = (
    ("accounts_communitygroup", "name", "communitygroup_name_trgm"),
    ("proposals_proposal", "title", "proposal_title_trgm"),
    ("projects_project", "title", "project_title_trgm"),
    ("projects_project", "code", "project_code_trgm"),
)


def function_exists(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regprocedure('f_unaccent(text)') IS NOT NULL")
        return cursor.fetchone()[0]


def missing_extensions(connection) -> list[str]:
    return [name for name in ("unaccent", "pg_trgm") if extension_schema(connection, name) is None]
