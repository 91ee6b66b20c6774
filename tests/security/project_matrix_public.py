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
    """Public and private files of project A, one of each published through the coordination's services:
    the report's photo and a private logbook photo, the world's invoice and a private simple receipt, the
    signed agreement, published; the handover record is not public (A has none yet: the closure rows need
    it missing; the project page's tests cover a private document that exists)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from projects import services
    from projects.models import Expense
    from projects.services import publication
    from tests.factories import PDF_BYTES
    from tests.projects.execution_helpers import photo
    from tests.security.project_roles import ADMIN, COORDINATOR

    coordinator, code = users[COORDINATOR], {"code": project.code}
    shown_photo = project.photos.order_by("id").first()
    services.photo_publish(actor=coordinator, photo_id=shown_photo.pk, public=True)
    entry = services.logbook_write(actor=users[ADMIN], project_id=project.pk, happened_on=timezone.localdate(),
                                   text="Se descargó material.", photos=[photo()])
    invoice = project.expenses.get(kind=Expense.Kind.CFDI)
    publication.expense_receipt_publish(actor=coordinator, expense_id=invoice.pk, public=True)
    receipt = Expense.objects.create(project=project, budget_line=invoice.budget_line, kind=Expense.Kind.SIMPLE,
                                     spent_on=timezone.localdate(), supplier="Persona", concept="Jornales",
                                     amount=500)
    receipt.receipt_file.save("recibo.pdf", ContentFile(PDF_BYTES), save=True)
    # The signed agreement names the committees' people: the world's call makes those names public.
    type(project.call).objects.filter(pk=project.call_id).update(committee_names_public=True)
    project.refresh_from_db()
    publication.document_publish(actor=coordinator, project_id=project.pk, kind="agreement", public=True)
    return {
        "public_project": code,
        "public_photo": {**code, "photo_pk": shown_photo.pk},
        "private_photo": {**code, "photo_pk": entry.photos.get().pk},
        "public_receipt": {**code, "expense_pk": invoice.pk},
        "private_receipt": {**code, "expense_pk": receipt.pk},
        "public_document": {**code, "kind": "agreement"},
        "private_document": {**code, "kind": "handover"},
        "statistics_table": {"table": "alcaldias"},
        "dataset": {"filename": "proyectos.csv"},
    }
