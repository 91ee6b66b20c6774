"""The handover record of the works (acta de entrega-recepción), printed like the agreement."""

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format

from projects.agreement import signing_committees


def handover_pdf(project, *, works_delivered: str, delivered_on) -> ContentFile:
    from weasyprint import HTML  # imported here: loading pango is only worth it when a record is printed

    from projects.models import ProjectRules

    with translation.override("es"):  # a legal record, in Spanish
        html = render_to_string("projects/handover.html", {
            "project": project, "works_delivered": works_delivered,
            "delivered_on": date_format(delivered_on, "DATE_FORMAT"),
            "approved": f"{project.approved_amount:,.2f}", "released": f"{project.released_total:,.2f}",
            "verified": f"{project.verified_total:,.2f}", "committees": signing_committees(project),
            "legend": ProjectRules.for_call(project.call).public_legend})
    return ContentFile(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))
