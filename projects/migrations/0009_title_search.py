# Trigram indexes on the projects' titles and codes for the title search (nicp/search.py); PostgreSQL only.

from django.db import migrations

from nicp.search_sql import install_title_search


class Migration(migrations.Migration):

    dependencies = [
        ('proposals', '0016_title_search'),
        ('projects', '0008_api_list_order_indexes'),
    ]

    operations = [
        install_title_search([("projects_project", "title", "project_title_trgm"),
                              ("projects_project", "code", "project_code_trgm")]),
    ]
