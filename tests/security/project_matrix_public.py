"""Rows of the funded projects' authorization matrix for the public side (issue 13): the listing, the map,
a project's page and its public files, the statistics, open data, the public API, sitemap.xml and
robots.txt. Everyone, signed in or not, reads the same public page (200); the files of a project answer
404 to everyone until staff publish them (world_kwargs publishes one of each)."""

from tests.security.project_roles import PROJECT_ROLES


def everyone(code):
    return dict.fromkeys(PROJECT_ROLES, code)


ROWS: list = [
    ("public:project_list", None, "get", everyone(200)),
    ("public:project_map", None, "get", everyone(200)),
    ("public:project_geojson", None, "get", everyone(200)),
    ("public:project", "public_project", "get", everyone(200)),
    ("public:photo", "public_photo", "get", everyone(200)),
    ("public:photo", "private_photo", "get", everyone(404)),
    ("public:receipt", "public_receipt", "get", everyone(200)),
    ("public:receipt", "private_receipt", "get", everyone(404)),
    ("public:document", "public_document", "get", everyone(200)),
    ("public:document", "private_document", "get", everyone(404)),
    ("public:statistics", None, "get", everyone(200)),
    ("public:statistics_csv", "statistics_table", "get", everyone(200)),
    ("opendata:index", None, "get", everyone(200)),
    ("opendata:dictionary", None, "get", everyone(200)),
    ("opendata:download", "dataset", "get", everyone(200)),
    ("api:public-projects", None, "get", everyone(200)),
    ("api:public-project", "public_project", "get", everyone(200)),
    ("sitemap", None, "get", everyone(200)),
    ("robots_txt", None, "get", everyone(200)),
]


def world_kwargs(project, users) -> dict:
    """Public and private files of project A (the public-project page owner fills these in)."""
    code = {"code": project.code}
    return {
        "public_project": code,
        "statistics_table": {"table": "alcaldias"},
        "dataset": {"filename": "proyectos.csv"},
    }
