"""Tell staff when something waits for them, in-app and by e-mail (notifications.notify, sent by the
worker after commit). The start-page app sits at the top of the dependency chain, so it may listen to
every lower app's signals without them knowing it:

- a proposal sent (or sent again after corrections) -> coordination, to review it;
- a reviewer assigned -> that reviewer;
- proposals sent to the Committee -> its members, to score them (one notice while unread, not one per proposal);
- the Committee's session opened -> its members, to vote;
- score sheets voided, a scored proposal that left the Committee, or votes that no longer count
  -> the members affected and the secretary;
- funded projects: new projects -> coordination (to hold the elections); an account registered or a
  signed agreement uploaded -> finance; a tranche requested -> coordination; approved -> finance.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import StaffRole
from committees.models import Committee, CommitteeEvent, CommitteeMember, ScoreSheet, Session, Vote
from notifications.messages import Message
from notifications.services import notify
from projects.signals import project_step
from proposals.models import Proposal, ReviewAssignment
from proposals.signals import proposal_transitioned
from proposals.workflow import CallState, ProposalAction

DECIDED = {CallState.RESULTS_PUBLISHED, CallState.ARCHIVED}


@receiver(proposal_transitioned, dispatch_uid="dashboard.staff_notices.on_transition")
def on_transition(sender, *, proposal, action, source, actor, **kwargs):
    if action in (ProposalAction.SUBMIT, ProposalAction.RESUBMIT):
        proposal_sent(proposal, resent=action == ProposalAction.RESUBMIT)
    elif action == ProposalAction.SHORTLIST:
        scoring_requested(proposal)


def proposal_sent(proposal: Proposal, *, resent: bool) -> None:
    values = {"folio": proposal.folio, "title": proposal.title, "group": proposal.group.name,
              "call": proposal.call.title}
    if resent:
        subject = Message(_("Propuesta corregida por revisar: %(folio)s"), **values)
        body = Message(_("El grupo %(group)s reenvió corregida la propuesta «%(title)s» (%(folio)s) de la %(call)s. "
                 "Revísala: declárala elegible, devuélvela o declárala no elegible."), **values)
    else:
        subject = Message(_("Nueva propuesta por revisar: %(folio)s"), **values)
        body = Message(_("El grupo %(group)s envió la propuesta «%(title)s» (%(folio)s) a la %(call)s. Revísala: "
                 "declárala elegible o devuélvela para correcciones."), **values)
    notify(recipients=User.objects.with_role(StaffRole.COORDINATOR), subject=subject, body=body,
           url=reverse("proposals:proposal_review", args=[proposal.pk]),
           link_text=Message(_("Revisar la propuesta %(folio)s"), **values))


def scoring_requested(proposal: Proposal) -> None:
    committee = Committee.objects.filter(call_id=proposal.call_id).select_related("call").first()
    if committee is None:
        return  # coordination tells the members when it seats them; nobody to tell yet
    members = [m.user for m in committee.members.select_related("user").exclude(recusals__proposal=proposal)]
    call = committee.call
    notify(recipients=members, unless_unread=True,
           subject=Message(_("Propuestas por calificar: %(call)s"), call=call.title),
           body=Message(_("La coordinación pasó propuestas al Comité Técnico Mixto de la %(call)s. Califícalas "
                          "antes de la sesión del %(date)s."),
                        call=call.title, date=lambda: date_format(call.committee_date, "DATE_FORMAT")),
           url=reverse("committees:home", args=[call.pk]),
           link_text=Message(_("Calificar lo pendiente en la %(call)s"), call=call.title))


@receiver(post_save, sender=ReviewAssignment, dispatch_uid="dashboard.staff_notices.reviewer_assigned")
def reviewer_assigned(sender, instance: ReviewAssignment, created: bool, raw=False, **kwargs):
    if not created or raw:
        return
    proposal = Proposal.objects.select_related("call").get(pk=instance.proposal_id)
    values = {"folio": proposal.folio, "title": proposal.title,
              "date": lambda: date_format(proposal.call.technical_review_deadline, "DATE_FORMAT")}
    notify(recipients=[instance.reviewer], subject=Message(_("Dictamen técnico asignado: %(folio)s"), **values),
           body=Message(_("La coordinación te asignó el dictamen técnico de la propuesta «%(title)s» (%(folio)s). "
                  "Visita el sitio y entrega el dictamen antes del %(date)s."), **values),
           url=reverse("proposals:review_edit", args=[proposal.pk]),
           link_text=Message(_("Abrir el dictamen de %(folio)s"), **values))


@receiver(post_save, sender=Session, dispatch_uid="dashboard.staff_notices.session_opened")
def session_opened(sender, instance: Session, created: bool, raw=False, **kwargs):
    if not created or raw:
        return
    committee = Committee.objects.select_related("call").get(pk=instance.committee_id)
    call = committee.call
    notify(recipients=[m.user for m in committee.members.select_related("user")],
           subject=Message(_("Se abrió la sesión del Comité: %(call)s"), call=call.title),
           body=Message(_("La secretaría abrió la sesión del Comité Técnico Mixto de la %(call)s: la calificación "
                          "cerró. Revisa la propuesta de selección y emite tu voto."), call=call.title),
           url=reverse("committees:session", args=[call.pk]),
           link_text=_("Ir a la sesión y votar"))


@receiver(post_save, sender=CommitteeEvent, dispatch_uid="dashboard.staff_notices.committee_event")
def committee_event(sender, instance: CommitteeEvent, created: bool, raw=False, **kwargs):
    if not created or raw:
        return
    if instance.action == CommitteeEvent.Action.SCORES_VOIDED:
        scores_voided(instance)
    elif instance.action == CommitteeEvent.Action.PROPOSAL_LEFT:
        scored_proposal_left(instance)


def scores_voided(event: CommitteeEvent) -> None:
    committee = Committee.objects.select_related("call", "secretary").get(pk=event.committee_id)
    proposal, member = event.proposal, CommitteeMember.objects.select_related("user").get(pk=event.member_id)
    values = {"folio": proposal.folio, "name": member.user.get_full_name(), "note": event.note}
    url = reverse("committees:home", args=[committee.call_id])
    notify(recipients=[committee.secretary], subject=Message(_("Calificaciones anuladas: %(folio)s"), **values),
           body=Message(_("Se anularon las calificaciones de %(name)s sobre %(folio)s. %(note)s"), **values), url=url,
           link_text=_("Ver el avance de la calificación"))
    # A recused member was already told why (committees.conflicts); anyone else is told here.
    if not CommitteeEvent.objects.filter(committee=committee, action=CommitteeEvent.Action.RECUSED,
                                         member=member, proposal=proposal).exists():
        notify(recipients=[member.user], subject=Message(_("Tu calificación de %(folio)s se anuló"), **values),
               body=Message(_("Tu calificación de %(folio)s ya no cuenta. %(note)s"), **values), url=url,
               link_text=_("Ver tus propuestas por calificar"))


def scored_proposal_left(event: CommitteeEvent) -> None:
    committee = Committee.objects.select_related("call", "secretary").get(pk=event.committee_id)
    if committee.call.status in DECIDED:
        return  # after publication the results page records it; nobody has to act
    scorers = [sheet.member.user for sheet in ScoreSheet.objects.filter(
        member__committee=committee, proposal=event.proposal, status=ScoreSheet.Status.SUBMITTED)
        .select_related("member__user")]
    values = {"folio": event.proposal.folio, "note": event.note}
    for recipients, text in ((scorers, _("Tu calificación de %(folio)s ya no cuenta para la prelación. %(note)s")),
                             ([committee.secretary], _("%(folio)s dejó de estar ante el Comité; sus calificaciones "
                                                      "ya no cuentan. %(note)s"))):
        notify(recipients=recipients,
               subject=Message(_("Una propuesta calificada dejó el Comité: %(folio)s"), **values),
               body=Message(text, **values), url=reverse("committees:home", args=[committee.call_id]),
               link_text=_("Ver el avance de la calificación"))


@receiver(post_delete, sender=Vote, dispatch_uid="dashboard.staff_notices.vote_annulled")
def vote_annulled(sender, instance: Vote, **kwargs):
    """A vote goes when the proposed selection changes; the member must vote on the new list. Told after
    commit, and only if the session is still open (a deleted session takes its votes along)."""
    session_id, member_id = instance.session_id, instance.member_id
    transaction.on_commit(lambda: _tell_vote_annulled(session_id, member_id))


def _tell_vote_annulled(session_id: int, member_id: int) -> None:
    session = Session.objects.filter(pk=session_id, status=Session.Status.OPEN).select_related(
        "committee__call").first()
    member = CommitteeMember.objects.filter(pk=member_id).select_related("user").first()
    if session is None or member is None:
        return
    call = session.committee.call
    notify(recipients=[member.user], unless_unread=True,
           subject=Message(_("Tu voto ya no cuenta: %(call)s"), call=call.title),
           body=_("La propuesta de selección cambió después de tu voto, así que tu voto se anuló. Revisa la nueva "
                  "lista y vota de nuevo."),
           url=reverse("committees:session", args=[call.pk]), link_text=_("Ir a la sesión y votar de nuevo"))


# --- Funded projects -------------------------------------------------------------------------------

PROJECT_STEPS = {
    # step -> (role told, subject, body, link text); one notice per project and step.
    "account_registered": (StaffRole.FINANCE_OFFICER, _("Cuenta bancaria por verificar: %(code)s"),
                           _("El comité de Administración del proyecto %(code)s «%(title)s» registró la cuenta "
                             "bancaria del proyecto. Verifícala con el comprobante."),
                           _("Verificar la cuenta de %(code)s")),
    "agreement_uploaded": (StaffRole.FINANCE_OFFICER, _("Convenio por firmar: %(code)s"),
                           _("Se cargó el convenio firmado por los comités del proyecto %(code)s «%(title)s». "
                             "Registra la firma de la Secretaría."), _("Ver el convenio de %(code)s")),
    "tranche_request": (StaffRole.COORDINATOR, _("Ministración por aprobar: %(code)s"),
                        _("El comité de Administración del proyecto %(code)s «%(title)s» solicitó una "
                          "ministración. Apruébala o retenla con su motivo."), _("Revisar la solicitud de %(code)s")),
    "tranche_approve": (StaffRole.FINANCE_OFFICER, _("Ministración por entregar: %(code)s"),
                        _("La coordinación aprobó una ministración del proyecto %(code)s «%(title)s». "
                          "Regístrala al hacer la transferencia."), _("Entregar la ministración de %(code)s")),
}


@receiver(project_step, dispatch_uid="dashboard.staff_notices.project_step")
def project_step_told(sender, *, project, action, actor, **kwargs):
    from projects.permissions import is_linked_to

    if action == "create":
        notify(recipients=User.objects.with_role(StaffRole.COORDINATOR), unless_unread=True,
               subject=_("Proyectos financiados por iniciar"),
               body=_("Hay proyectos seleccionados que esperan su asamblea de elección de comités."),
               url=reverse("projects:detail", args=[project.pk]), link_text=_("Ver los proyectos"))
        return
    if action not in PROJECT_STEPS:
        return
    role, subject, body, link = PROJECT_STEPS[action]
    values = {"code": project.code, "title": project.title}
    # Never the one who just acted, nor staff recused by a community link to the project.
    people = [u for u in User.objects.with_role(role).exclude(pk=getattr(actor, "pk", None))
              if not is_linked_to(u, project)]
    notify(recipients=people, subject=Message(subject, **values), body=Message(body, **values),
           url=reverse("projects:detail", args=[project.pk]), link_text=Message(link, **values))
