# The accent- and case-insensitive title search (nicp/search.py): on PostgreSQL, the pg_trgm and unaccent
# extensions when the database allows it, the IMMUTABLE f_unaccent every search and index uses, and a trigram
# index on the community groups' names (the review queue looks for a group by name). Nothing on SQLite.

from django.db import migrations

from nicp.search_sql import install_title_search


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_user_language_and_reminder_choices'),
    ]

    operations = [
        install_title_search([("accounts_communitygroup", "name", "communitygroup_name_trgm")]),
    ]
