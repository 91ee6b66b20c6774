"""Rows of the funded projects' authorization matrix for the expense pages (see
test_authorization_matrix_projects.py): (url name, kwargs key, method, expected by role).

The world's project A has one recorded expense proved by an invoice ("expense", made by world_expense).
An allowed role's empty POST is refused input (400): no XML, no action chosen, nothing to correct, no
expense ticked."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from projects.cfdi_samples import cfdi_xml
from projects.models import Cfdi, Expense
from tests.projects.execution_helpers import add_budget_lines
from tests.security.project_roles import *  # noqa: F403  (role names and row builders)


def world_expense(project) -> dict:
    """The kwargs of an invoice-proved expense of `project`, written straight to the tables (the services
    that record one are tested on their own; the world's first tranche is not released)."""
    line = add_budget_lines(project)[0]
    expense = Expense.objects.create(project=project, budget_line=line, kind=Expense.Kind.CFDI,
                                     spent_on=timezone.localdate(), supplier="Materiales", concept="Cemento",
                                     amount=Decimal("1160.00"))
    invoice = Cfdi(expense=expense, uuid="DDDDDDDD-1111-4222-8333-944455556666", issuer_rfc="MAT010101AB1",
                   issuer_name="Materiales", receiver_rfc="XAXX010101000",
                   issued_at=timezone.now() - timedelta(hours=1),
                   subtotal=Decimal("1000.00"), total=Decimal("1160.00"), currency="MXN", kind="I")
    invoice.xml_file.save("f.xml", ContentFile(cfdi_xml(uuid=invoice.uuid)), save=True)
    return {"pk": project.pk, "expense_pk": expense.pk}


ROWS: list = [
    ("projects:expenses", "project", "get", project_page(200)),  # noqa: F405
    ("projects:expense_invoice", "project", "get", project_action(200, allowed=[ADMIN])),  # noqa: F405
    ("projects:expense_invoice", "project", "post", project_action(400, allowed=[ADMIN])),  # noqa: F405
    ("projects:expense_invoice_confirm", "project", "post", project_action(400, allowed=[ADMIN])),  # noqa: F405
    ("projects:expense_simple", "project", "get", project_action(200, allowed=[ADMIN])),  # noqa: F405
    ("projects:expense_simple", "project", "post", project_action(400, allowed=[ADMIN])),  # noqa: F405
    ("projects:expense_detail", "expense", "get", project_page(200)),  # noqa: F405
    ("projects:expense_action", "expense", "post",
     project_action(400, allowed=[SUPERVISION, FINANCE])),  # noqa: F405
    ("projects:expense_correct", "expense", "get", project_action(200, allowed=[ADMIN])),  # noqa: F405
    ("projects:expense_correct", "expense", "post", project_action(400, allowed=[ADMIN])),  # noqa: F405
    ("projects:expense_file", "expense_xml", "get", project_page(200)),  # noqa: F405
    ("projects:expense_queue", None, "get", staff_page(200, [COORDINATOR, FINANCE, AUDITOR])),  # noqa: F405
    ("projects:expense_batch_verify", None, "post", staff_page(400, [FINANCE])),  # noqa: F405
]
