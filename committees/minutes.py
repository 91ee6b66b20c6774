"""The session's minutes (acta) as a PDF: an HTML template rendered by WeasyPrint, so Spanish and any
other text print as written (a Unicode font), every member present and the secretary get a signature
line, and the PDF is tagged (PDF/UA) for screen readers."""

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation

from committees.coverage import member_order, unranked
from committees.models import Outcome, Recusal


def minutes_context(session) -> dict:
    committee = session.committee
    present_ids = set(session.present.values_list("pk", flat=True))
    members = sorted(committee.members.select_related("user"), key=member_order)
    entries = list(session.entries.select_related("proposal__neighbourhood__borough"))
    votes = {v.member_id: v for v in session.votes.all()}
    return {
        "session": session, "committee": committee, "call": committee.call,
        "closed": timezone.localtime(session.closed_at or timezone.now()),
        "attendance": [(m, m.pk in present_ids) for m in members],
        "present": [m for m in members if m.pk in present_ids],
        "entries": entries,
        "selected_total": sum(e.assigned_amount for e in entries if e.outcome == Outcome.SELECTED),
        "ballot": [(m, votes.get(m.pk)) for m in members if m.pk in present_ids],
        "unranked": unranked(session),
        "recusals": Recusal.objects.filter(member__committee=committee).select_related("member__user", "proposal")
        .order_by("proposal__folio", "member__user__full_name"),
        "events": committee.events.select_related("proposal"),
    }


def minutes_html(session) -> str:
    # An official record in Mexican Spanish: "es" alone prints amounts as "$5,000,000,00" and scores as "3,600".
    with translation.override("es-mx"):
        return render_to_string("committees/minutes.html", minutes_context(session))


def minutes_pdf(session) -> ContentFile:
    from weasyprint import HTML  # imported here: loading pango is only worth it when a session closes

    html = minutes_html(session)
    return ContentFile(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))
