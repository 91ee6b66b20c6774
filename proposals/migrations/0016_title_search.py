# A trigram index on the proposals' titles for the title search (nicp/search.py); PostgreSQL only.

from django.db import migrations

from nicp.search_sql import install_title_search


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_title_search'),
        ('proposals', '0015_api_list_order_indexes'),
    ]

    operations = [
        install_title_search([("proposals_proposal", "title", "proposal_title_trgm")]),
    ]
