"""Put the accent-insensitive title search in place after the extensions became available (nicp/search_sql.py):
recreate f_unaccent on the real unaccent, create the trigram indexes that were left out, rebuild the others (their
values were computed by the earlier function)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from nicp.search_sql import TITLE_INDEXES, create_trigram_index, install_functions


class Command(BaseCommand):
    help = "Create pg_trgm/unaccent if allowed, recreate f_unaccent and (re)build the title search's trigram indexes."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("Title search needs no installation on this database (PostgreSQL only).")
        with transaction.atomic(using=database):
            available = install_functions(connection)
            quote = connection.ops.quote_name
            for table, column, name in TITLE_INDEXES:
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP INDEX IF EXISTS {quote(name)}")
                create_trigram_index(connection, table, column, name)
        for name, present in available.items():
            self.stdout.write(f"{name}: {'present' if present else 'MISSING (ask a superuser to create it)'}")
