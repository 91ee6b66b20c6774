"""`manage.py check --database default` says when title search runs without its extensions (nicp/search_sql.py)."""

from django.core.checks import Tags, Warning, register
from django.db import connections


@register(Tags.database)
def check_title_search(app_configs, databases=None, **kwargs):
    from nicp.search_sql import function_exists, missing_extensions

    problems = []
    for alias in databases or ():
        connection = connections[alias]
        # Before the migrations ran there is nothing to check yet: migrate installs it.
        if connection.vendor != "postgresql" or not function_exists(connection):
            continue
        for name in missing_extensions(connection):
            problems.append(Warning(
                f"The {name} extension is missing on database {alias!r}: title search "
                + ("ignores case but not accents." if name == "unaccent" else "reads every row (no trigram index)."),
                hint=f"As a superuser: CREATE EXTENSION {name}; then run manage.py install_title_search.",
                id="nicp.W010"))
    return problems
