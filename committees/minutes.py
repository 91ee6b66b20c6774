"""The session's minutes (acta) as a PDF: attendance, ranking, votes, recusals."""

from django.core.files.base import ContentFile
from django.utils import timezone
from fpdf import FPDF

from committees.models import Recusal


def _latin(text) -> str:
    # The PDF core fonts cover Latin-1, which holds every Spanish letter; anything else is replaced.
    return str(text).encode("latin-1", "replace").decode("latin-1")


def minutes_pdf(session) -> ContentFile:
    call = session.committee.call
    pdf = FPDF(format="Letter")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_title(_latin(f"Acta de la sesión del Comité Técnico Mixto — {call.title}"))

    def heading(text):
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, _latin(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)

    def line(text):
        pdf.multi_cell(0, 5, _latin(text), new_x="LMARGIN", new_y="NEXT")

    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 7, _latin(f"Acta de la sesión del Comité Técnico Mixto\n{call.title}"),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    closed = timezone.localtime(session.closed_at or timezone.now())
    line(f"Sesión del {session.held_on:%d/%m/%Y}; cerrada el {closed:%d/%m/%Y %H:%M} (hora de la Ciudad de México).")
    line(f"Presupuesto de la convocatoria: ${call.total_budget:,.2f} MXN. Quórum: {call.committee_quorum}.")

    heading("Asistencia")
    present = set(session.present.values_list("pk", flat=True))
    for member in session.committee.members.select_related("user"):
        mark = "Presente" if member.pk in present else "Ausente"
        line(f"- {member.user.get_full_name()} ({member.get_sector_display()}, {member.institution}): {mark}")
    line(f"Secretaría: {session.committee.secretary.get_full_name()}")

    heading("Prelación y selección")
    total = 0
    for entry in session.entries.select_related("proposal__neighbourhood__borough"):
        p = entry.proposal
        place = f"{p.neighbourhood.name}, {p.neighbourhood.borough.name}" if p.neighbourhood else ""
        changed = f" (propuesta: {entry.get_proposed_outcome_display()}; motivo: {entry.change_reason})" \
            if entry.outcome != entry.proposed_outcome or entry.change_reason else ""
        line(f"{entry.rank}. {p.folio} {p.title} — {place} — puntaje {entry.weighted_score} — "
             f"${entry.assigned_amount:,.2f} — {entry.get_outcome_display()}{changed}")
        if entry.outcome == "selected":
            total += entry.assigned_amount
    line(f"Total seleccionado: ${total:,.2f} MXN.")

    heading("Votación de la lista final")
    for vote in session.votes.select_related("member__user"):
        line(f"- {vote.member.user.get_full_name()}: {vote.get_choice_display()}")

    heading("Excusas por conflicto de interés")
    recusals = Recusal.objects.filter(member__committee=session.committee).select_related("member__user", "proposal")
    for recusal in recusals:
        kind = "automática" if recusal.automatic else "declarada"
        line(f"- {recusal.member.user.get_full_name()} en {recusal.proposal.folio} ({kind}): {recusal.reason}")
    if not recusals:
        line("Ninguna.")

    events = session.committee.events.select_related("proposal")
    if events:
        heading("Registro del Comité")
        for event in events:
            folio = f" {event.proposal.folio}" if event.proposal else ""
            line(f"- {timezone.localtime(event.created_at):%d/%m/%Y %H:%M} {event.get_action_display()}{folio}: "
                 f"{event.note}")
    return ContentFile(bytes(pdf.output()))
