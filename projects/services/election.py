"""The committee-election assembly, the elected people's invitations, and later changes of members."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import is_staff_member
from nicp import bounds
from nicp.readonly import require_may_write
from projects import permissions
from projects.models import CommitteeKind, CommitteeSeat, ElectionAssembly, Project, ProjectRules, SeatPosition
from projects.services.projects import lock_project, project_transition, record
from projects.workflow import ProjectAction, ProjectState
from proposals.models.calls import MEXICO_CITY
from proposals.uploads import PDF_ONLY, clean_upload

MINUTES_MAX_BYTES = 20 * 1_048_576


def _require_manager(actor, project: Project) -> None:
    if not permissions.can_manage_project(actor, project):
        raise PermissionDenied(_("Solo la coordinación del programa registra la elección de comités."))


@transaction.atomic
def election_schedule(*, actor, project_id: int, scheduled_at, place: str, version=None,
                      now=None) -> ElectionAssembly:
    """Schedule the election assembly (or a new one after an assembly without quorum)."""
    require_may_write(actor)
    project = lock_project(actor, project_id, version)
    _require_manager(actor, project)
    if project.status != ProjectState.COMMITTEES_PENDING:
        raise ValidationError(_("Los comités de este proyecto ya fueron electos."))
    errors = {}
    today = (now or timezone.now()).astimezone(MEXICO_CITY).date()
    if scheduled_at is None:
        errors["scheduled_at"] = _("Indica la fecha y hora.")
    elif scheduled_at.astimezone(MEXICO_CITY).date() < today:
        errors["scheduled_at"] = _("Esa fecha ya pasó: programa la asamblea de hoy en adelante.")
    if not place.strip():
        errors["place"] = _("Indica el lugar.")
    if project.elections.filter(status=ElectionAssembly.Status.SCHEDULED).exists():
        errors["scheduled_at"] = _("Ya hay una asamblea de elección programada: registra su resultado primero.")
    if errors:
        raise ValidationError(errors)
    election = ElectionAssembly(project=project, scheduled_at=scheduled_at, place=place.strip(),
                                quorum_required=ProjectRules.for_call(project.call).quorum(), scheduled_by=actor)
    election.full_clean(exclude=["project"])
    election.save()
    record(project, actor, "election_scheduled", _("%(place)s") % {"place": election.place})
    project.version += 1
    project.save(update_fields=["version", "updated_at"])
    return election


def _members_checked(project: Project, rules: ProjectRules, members: list[dict]) -> list[dict]:
    """The slate: the call's number of people on each committee, each person on one committee only, no
    ministry staff, and the group's representative only where the call allows."""
    errors: list[str] = []
    per = rules.members_per_committee
    if len(members) > per * len(CommitteeKind) or len(members) > bounds.MAX_PRESENT_MEMBERS:
        raise ValidationError({"members": _("Cada comité lleva %(n)d integrantes.") % {"n": per}})
    clean = []
    for number, member in enumerate(members, start=1):
        name = str(member.get("full_name", "")).strip()
        email = str(member.get("email", "")).strip().lower()
        kind, position = member.get("committee"), member.get("position") or SeatPosition.MEMBER
        if not name or not email or "@" not in email:
            errors.append(_("Integrante %(n)d: escribe el nombre completo y el correo.") % {"n": number})
            continue
        if kind not in CommitteeKind.values or position not in SeatPosition.values:
            errors.append(_("Integrante %(n)d: elige su comité y su cargo.") % {"n": number})
            continue
        clean.append({"full_name": name[:200], "email": email[:254], "committee": kind, "position": position})
    for kind in CommitteeKind:
        count = sum(1 for m in clean if m["committee"] == kind)
        if count != per:
            errors.append(_("El comité de %(kind)s lleva %(n)d integrantes; registraste %(got)d.")
                          % {"kind": kind.label, "n": per, "got": count})
    for kind in CommitteeKind:
        for position in (SeatPosition.PRESIDENT, SeatPosition.SECRETARY):
            if sum(1 for m in clean if m["committee"] == kind and m["position"] == position) > 1:
                errors.append(_("El comité de %(kind)s tiene más de una %(position)s: cada comité tiene una sola.")
                              % {"kind": kind.label, "position": position.label})
    emails = [m["email"] for m in clean]
    for email in sorted({e for e in emails if emails.count(e) > 1}):
        errors.append(_("%(email)s aparece más de una vez: cada persona integra un solo comité.") % {"email": email})
    errors += _people_problems(project, rules, emails)
    if errors:
        raise ValidationError({"members": errors})
    return clean


def _people_problems(project: Project, rules: ProjectRules, emails: list[str]) -> list[str]:
    problems = []
    users = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
    representative = project.group.memberships.filter(role="representative").values_list("user__email", flat=True)
    representative = {e.lower() for e in representative}
    for email in emails:
        user = users.get(email)
        if user is not None and is_staff_member(user):
            problems.append(_("%(email)s es personal de la Secretaría: no puede integrar un comité comunitario.")
                            % {"email": email})
        if email in representative and not rules.representative_may_sit:
            problems.append(_("%(email)s representa al grupo promovente: en esta convocatoria la representación "
                              "no integra comités.") % {"email": email})
    return problems


def _account_for(email: str, full_name: str) -> tuple[User, bool]:
    """The person's account: an existing one is linked, never duplicated; otherwise one is opened."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(email=email, password=None, full_name=full_name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user, True


@transaction.atomic
def election_record(*, actor, election_id: int, attendees: int | None, votes_for: int | None = None,
                    votes_against: int | None = None, abstentions: int | None = None, minutes=None,
                    observations: str = "", members: list[dict] | None = None, version=None,
                    now=None) -> ElectionAssembly:
    """Record what the assembly did. Without quorum it stays on the record and another is scheduled;
    with quorum the slate is elected, every person is invited, and the project moves on."""
    require_may_write(actor)
    election = ElectionAssembly.objects.filter(pk=election_id).select_related("project").first()
    project = lock_project(actor, election.project_id if election else 0, version)
    _require_manager(actor, project)
    election = ElectionAssembly.objects.select_for_update().get(pk=election_id)
    if election.status != ElectionAssembly.Status.SCHEDULED:
        raise ValidationError(_("El resultado de esta asamblea ya se registró."))
    if election.scheduled_at > (now or timezone.now()):
        raise ValidationError({"attendees": _("La asamblea aún no se celebra: registra su resultado después.")})
    errors = {}
    if attendees is None:
        errors["attendees"] = _("Indica cuántas personas asistieron.")
    if minutes is None:
        errors["minutes"] = _("Adjunta el acta de la asamblea en PDF.")
    else:
        try:
            clean = clean_upload(minutes, max_bytes=MINUTES_MAX_BYTES, accept=PDF_ONLY,
                                 refused=_("El acta va en PDF (se revisa el contenido, no el nombre)."))
        except ValidationError as error:
            errors["minutes"] = error.messages
    if errors:
        raise ValidationError(errors)
    if sum(v or 0 for v in (votes_for, votes_against, abstentions)) > attendees:
        raise ValidationError({"votes_for": _("Los votos no pueden sumar más que las personas asistentes.")})
    election.attendees, election.observations = attendees, observations.strip()
    election.recorded_by, election.recorded_at = actor, timezone.now()
    election.minutes.save("acta.pdf", clean.content, save=False)
    if attendees < election.quorum_required:
        election.status = ElectionAssembly.Status.NO_QUORUM
        election.full_clean(exclude=["project"])
        election.save()
        record(project, actor, "election_no_quorum",
               _("Asistieron %(n)d de %(q)d personas requeridas.") % {"n": attendees, "q": election.quorum_required})
        return election
    election.votes_for, election.votes_against, election.abstentions = votes_for, votes_against, abstentions
    if None in (votes_for, votes_against, abstentions):
        raise ValidationError({"votes_for": _("Indica los votos a favor, en contra y las abstenciones.")})
    if votes_for + votes_against + abstentions > attendees:
        raise ValidationError({"votes_for": _("Los votos no pueden sumar más que las personas asistentes.")})
    if votes_for <= votes_against:
        raise ValidationError({"votes_for": _("La planilla necesita más votos a favor que en contra para quedar "
                                              "electa.")})
    slate = _members_checked(project, ProjectRules.for_call(project.call), members or [])
    election.status = ElectionAssembly.Status.HELD
    election.full_clean(exclude=["project"])
    election.save()
    for member in slate:
        user, new_account = _account_for(member["email"], member["full_name"])
        seat = CommitteeSeat.objects.create(project=project, election=election, user=user, **member)
        _invite_after_commit(seat.pk, new_account)
    project_transition(actor=actor, project_id=project.pk, action=ProjectAction.ELECT_COMMITTEES, system=True,
                       note=_("Asamblea del %(date)s: %(n)d asistentes.")
                       % {"date": timezone.localtime(election.scheduled_at).strftime("%d/%m/%Y"), "n": attendees})
    return election


def _invite_after_commit(seat_id: int, new_account: bool) -> None:
    from notifications.services import is_muted

    if is_muted():  # history written by the demo loader: nobody is e-mailed about it today
        return
    transaction.on_commit(lambda: seat_invitation_send(seat_id, new_account))


def seat_invitation_send(seat_id: int, new_account: bool) -> None:
    """E-mail the elected person a link to accept their place; a new account also gets a link to choose
    a password first (allauth's reset key)."""
    from django.core.mail import send_mail

    seat = CommitteeSeat.objects.select_related("project", "user").get(pk=seat_id)
    site = settings.NICP_SITE_URL.rstrip("/")
    lines = [_("Hola, %(name)s:") % {"name": seat.full_name}, "",
             _("La asamblea vecinal te eligió para el comité de %(kind)s del proyecto %(code)s «%(title)s».")
             % {"kind": seat.get_committee_display(), "code": seat.project.code, "title": seat.project.title}]
    if new_account:
        from allauth.account.forms import default_token_generator
        from allauth.account.utils import user_pk_to_url_str

        path = reverse("account_reset_password_from_key", kwargs={
            "uidb36": user_pk_to_url_str(seat.user), "key": default_token_generator.make_token(seat.user)})
        lines += ["", _("Abrimos una cuenta con este correo. Primero elige tu contraseña:"), site + path]
    lines += ["", _("Después acepta tu lugar en el comité aquí:"),
              site + reverse("projects:seat_accept", args=[seat.token])]
    send_mail(subject=_("[NICP] Te eligieron para un comité del proyecto %(code)s") % {"code": seat.project.code},
              message="\n".join(lines) + "\n", from_email=None, recipient_list=[seat.email])


@transaction.atomic
def seat_accept(*, actor, token: str) -> CommitteeSeat:
    """The elected person accepts their place; only then do they act for the committee."""
    require_may_write(actor)
    seat = CommitteeSeat.objects.select_for_update().select_related("project").filter(token=token).first()
    if seat is None or seat.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Esta invitación es para otra persona. Entra con la cuenta del correo al que "
                                 "llegó."))
    if seat.ended_at is not None:
        raise ValidationError(_("Este lugar en el comité ya terminó."))
    if seat.accepted_at is None:
        seat.accepted_at = timezone.now()
        seat.save(update_fields=["accepted_at"])
        record(seat.project, actor, "seat_accepted",
               f"{seat.get_committee_display()}: {seat.full_name}")
    return seat


@transaction.atomic
def seat_replace(*, actor, seat_id: int, full_name: str, email: str, reason: str,
                 position: str | None = None) -> CommitteeSeat:
    """Change a member later: the reason is required, the old seat ends and stays on the record."""
    require_may_write(actor)
    seat = CommitteeSeat.objects.filter(pk=seat_id).first()
    project = lock_project(actor, seat.project_id if seat else 0)
    _require_manager(actor, project)
    seat = CommitteeSeat.objects.select_for_update().get(pk=seat_id)
    if seat.ended_at is not None:
        raise ValidationError(_("Esta persona ya no integra el comité."))
    if not reason.strip() or len(reason) > bounds.NOTE_MAX:
        raise ValidationError({"reason": _("Escribe el motivo del cambio (hasta %(n)s caracteres): queda en el "
                                           "historial del proyecto.") % {"n": f"{bounds.NOTE_MAX:,}"}})
    [member] = _replacement_checked(project, seat, full_name, email, position or seat.position)
    if position in (SeatPosition.PRESIDENT, SeatPosition.SECRETARY) and project.seats.filter(
            committee=seat.committee, position=position, ended_at__isnull=True).exclude(pk=seat.pk).exists():
        raise ValidationError({"position": _("Ese comité ya tiene %(position)s: elige otro cargo.")
                               % {"position": SeatPosition(position).label}})
    seat.ended_at, seat.end_reason = timezone.now(), reason.strip()
    seat.save(update_fields=["ended_at", "end_reason"])
    user, new_account = _account_for(member["email"], member["full_name"])
    if project.seats.filter(user=user, ended_at__isnull=True).exists():
        raise ValidationError({"email": _("Esa persona ya integra un comité de este proyecto.")})
    new = CommitteeSeat.objects.create(project=project, election=seat.election, user=user, **member)
    seat.replaced_by = new
    seat.save(update_fields=["replaced_by"])
    record(project, actor, "seat_replaced", _("%(kind)s: %(old)s → %(new)s. Motivo: %(why)s") % {
        "kind": seat.get_committee_display(), "old": seat.full_name, "new": new.full_name, "why": reason.strip()})
    _invite_after_commit(new.pk, new_account)
    return new


def _replacement_checked(project, seat, full_name, email, position) -> list[dict]:
    name, email = full_name.strip(), email.strip().lower()
    errors = {}
    if not name:
        errors["full_name"] = _("Escribe su nombre completo.")
    if not email or "@" not in email:
        errors["email"] = _("Escribe un correo válido.")
    if position not in SeatPosition.values:
        errors["position"] = _("Elige su cargo.")
    if errors:
        raise ValidationError(errors)
    problems = _people_problems(project, ProjectRules.for_call(project.call), [email])
    if problems:
        raise ValidationError({"email": problems})
    return [{"full_name": name[:200], "email": email[:254], "committee": seat.committee, "position": position}]
