"""Every write to accounts and community groups. Keyword-only; each checks who may do it."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import (
    AccountClosureRequest,
    ClosureStatus,
    CommunityGroup,
    GroupEvent,
    Invitation,
    InvitationStatus,
    MemberRole,
    Membership,
    User,
)
from accounts.roles import STAFF_ROLE_CODES
from accounts.signals import membership_changed
from accounts.tokens import api_tokens_revoke_all
from nicp.readonly import require_may_write


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("No tienes permiso para realizar esta acción."))


def _event(group: CommunityGroup, actor: User | None, action: str, note: str = "") -> None:
    GroupEvent.objects.create(group=group, actor=actor, action=action, note=note[:300])


@transaction.atomic
def group_create(*, creator: User, name: str, kind: str, neighbourhood, description: str = "") -> CommunityGroup:
    """Create a community group; its creator is its first representative."""
    require_may_write(creator)
    group = CommunityGroup(name=name.strip(), kind=kind, neighbourhood=neighbourhood, description=description)
    group.full_clean()
    group.save()
    Membership.objects.create(group=group, user=creator, role=MemberRole.REPRESENTATIVE)
    _event(group, creator, "created")
    membership_changed.send(sender=Membership, group=group, user=creator, action="created")
    return group


@transaction.atomic
def group_update(*, actor: User, group: CommunityGroup, name: str, kind: str, neighbourhood,
                 description: str = "") -> CommunityGroup:
    require_may_write(actor)
    _require(permissions.can_edit_group(actor, group))
    group.name, group.kind, group.neighbourhood, group.description = name.strip(), kind, neighbourhood, description
    group.full_clean()
    group.save()
    _event(group, actor, "updated")
    return group


@transaction.atomic
def invitation_create(*, actor: User, group: CommunityGroup, email: str) -> Invitation:
    """Invite someone by e-mail; the message goes out once the invitation is saved."""
    require_may_write(actor)
    _require(permissions.can_invite_to_group(actor, group))
    email = email.strip().lower()
    if group.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("Esa persona ya es integrante del grupo.")})
    if group.invitations.filter(email__iexact=email, status=InvitationStatus.PENDING).exists():
        raise ValidationError({"email": _("Ya hay una invitación pendiente para ese correo.")})
    _require_invitations_left(group)
    invitation = Invitation.objects.create(
        group=group, email=email, invited_by=actor, token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + timedelta(days=settings.NICP_INVITATION_DAYS),
    )
    _event(group, actor, "invited", email)
    transaction.on_commit(lambda: _send_invitation(invitation.pk))
    return invitation


def _require_invitations_left(group: CommunityGroup) -> None:
    """A group sends at most so many invitations in any 24 hours (each is an e-mail to a stranger). The group
    row is locked first so two invitations sent at once cannot both pass the count."""
    CommunityGroup.objects.select_for_update().filter(pk=group.pk).first()
    limit = settings.NICP_INVITATIONS_PER_GROUP_PER_DAY
    if group.invitations.filter(created_at__gt=timezone.now() - timedelta(days=1)).count() >= limit:
        raise ValidationError({"email": _("Este grupo ya envió %(n)d invitaciones en las últimas 24 horas, el máximo "
                                          "por día. Podrás invitar de nuevo mañana.") % {"n": limit}})


def _send_invitation(invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("group", "invited_by").get(pk=invitation_id)
    path = reverse("accounts:invitation", kwargs={"token": invitation.token})
    base = settings.NICP_SITE_URL.rstrip("/")
    context = {"invitation": invitation, "url": f"{base}{path}"}
    send_mail(
        # Fixed text only: a group's name is chosen by whoever creates it, and a subject is a mail header.
        subject=_("[NICP] Te invitaron a un grupo comunitario"),
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def _pending_invitation(token: str) -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("group").filter(token=token).first()
    if invitation is None or invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("Esta invitación ya no está vigente."))
    if invitation.expires_at <= timezone.now():
        # The hourly sweep (accounts.tasks.expire_invitations) marks it expired.
        raise ValidationError(_("Esta invitación venció. Pide una nueva a quien representa al grupo."))
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, token: str) -> Membership:
    require_may_write(user)
    invitation = _pending_invitation(token)
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _("La invitación es para %(email)s; entra con esa cuenta para aceptarla.") % {"email": invitation.email}
        )
    membership, _created = Membership.objects.get_or_create(group=invitation.group, user=user)
    _close_invitation(invitation, status=InvitationStatus.ACCEPTED, actor=user, action="joined")
    membership_changed.send(sender=Membership, group=invitation.group, user=user, action="joined")
    return membership


@transaction.atomic
def invitation_decline(*, user: User, token: str) -> Invitation:
    require_may_write(user)
    invitation = _pending_invitation(token)
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(_("Esta invitación es para otra persona."))
    return _close_invitation(invitation, status=InvitationStatus.DECLINED, actor=user, action="declined")


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    require_may_write(actor)
    _require(permissions.can_invite_to_group(actor, invitation.group))
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("Solo se puede cancelar una invitación pendiente."))
    return _close_invitation(invitation, status=InvitationStatus.REVOKED, actor=actor, action="invitation_revoked")


def _close_invitation(invitation: Invitation, *, status: str, actor: User, action: str) -> Invitation:
    invitation.status = status
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    _event(invitation.group, actor, action, invitation.email)
    return invitation


def invitations_expire(*, now=None) -> int:
    """Mark overdue invitations expired; safe to run any number of times."""
    now = now or timezone.now()
    return Invitation.objects.filter(status=InvitationStatus.PENDING, expires_at__lte=now).update(
        status=InvitationStatus.EXPIRED
    )


@transaction.atomic
def membership_leave(*, user: User, group: CommunityGroup) -> None:
    require_may_write(user)
    _require(permissions.can_leave_group(user, group))
    membership = Membership.objects.select_for_update().get(group=group, user=user)
    if membership.role == MemberRole.REPRESENTATIVE:
        raise ValidationError(
            _("Quien representa al grupo no puede salir sin antes ceder la representación a otra persona integrante.")
        )
    membership.delete()
    _event(group, user, "left")


@transaction.atomic
def representative_hand_over(*, actor: User, group: CommunityGroup, new_representative: User) -> Membership:
    require_may_write(actor)
    _require(permissions.can_hand_over_group(actor, group))
    memberships = {m.user_id: m for m in Membership.objects.select_for_update().filter(group=group)}
    target = memberships.get(new_representative.pk)
    if target is None:
        raise ValidationError({"new_representative": _("La persona elegida no es integrante del grupo.")})
    if target.user_id == actor.pk:
        raise ValidationError({"new_representative": _("Ya representas a este grupo.")})
    current = memberships[actor.pk]
    current.role = MemberRole.MEMBER
    current.save(update_fields=["role"])  # first, so the one-representative constraint holds
    target.role = MemberRole.REPRESENTATIVE
    target.save(update_fields=["role"])
    _event(group, actor, "handed_over", new_representative.email)
    membership_changed.send(sender=Membership, group=group, user=new_representative, action="handed_over")
    return target


@transaction.atomic
def profile_update(*, user: User, full_name: str, phone: str) -> User:
    user.full_name, user.phone = full_name.strip(), phone.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "phone"])
    return user


@transaction.atomic
def account_closure_request(*, user: User, reason: str = "") -> AccountClosureRequest:
    if user.closure_requests.filter(status=ClosureStatus.PENDING).exists():
        raise ValidationError(_("Ya tienes una solicitud de cierre pendiente."))
    # Whoever asks to leave wants no program acting in their name meanwhile.
    api_tokens_revoke_all(user=user)
    return AccountClosureRequest.objects.create(user=user, reason=reason.strip())


@transaction.atomic
def account_closure_cancel(*, user: User) -> int:
    return user.closure_requests.filter(status=ClosureStatus.PENDING).update(
        status=ClosureStatus.CANCELLED, resolved_at=timezone.now()
    )


@transaction.atomic
def role_grant(*, user: User, role: str) -> None:
    if role not in STAFF_ROLE_CODES:
        raise ValidationError(_("Papel desconocido: %(role)s") % {"role": role})
    group, _created = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    user.__dict__.pop("_nicp_roles", None)


def account_export(*, user: User) -> dict:
    """Everything NICP holds about a person, for them to download (right of access)."""
    from allauth.account.models import EmailAddress

    memberships = user.memberships.select_related("group__neighbourhood")
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "roles": sorted(user.groups.filter(name__in=STAFF_ROLE_CODES).values_list("name", flat=True)),
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "community_groups": [
            {"group": m.group.name, "neighbourhood": m.group.neighbourhood.key, "role": m.role,
             "joined_at": m.joined_at.isoformat()}
            for m in memberships
        ],
        "invitations_received": list(
            Invitation.objects.filter(email__iexact=user.email).values("group__name", "status", "created_at")
        ),
        "closure_requests": list(user.closure_requests.values("status", "reason", "requested_at", "resolved_at")),
    }


def _check_language(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Elige español o inglés.")})
    return language


@transaction.atomic
def preferences_save(*, user: User, language: str, reminders_off: list[str]) -> User:
    """The language of the person's e-mails and notices, and the reminder kinds they switched off. Only
    non-essential kinds may be switched off: the essential ones protect their money or their place."""
    from notifications.reminders import catalogue

    _check_language(language)
    kinds = catalogue()
    unknown = [code for code in reminders_off if code not in kinds]
    if unknown:
        raise ValidationError({"reminders": _("Recordatorio desconocido: %(codes)s.") % {"codes": ", ".join(unknown)}})
    essential = [str(kinds[code].label) for code in reminders_off if kinds[code].essential]
    if essential:
        raise ValidationError({"reminders": _("No puedes desactivar un recordatorio esencial: %(labels)s.")
                               % {"labels": ", ".join(essential)}})
    user.language, user.reminders_off = language, sorted(set(reminders_off))
    user.save(update_fields=["language", "reminders_off"])
    return user


def language_save(*, user: User, language: str) -> None:
    """What the site's language switch records for a signed-in person: their e-mails follow it."""
    if user.language != _check_language(language):
        user.language = language
        user.save(update_fields=["language"])
