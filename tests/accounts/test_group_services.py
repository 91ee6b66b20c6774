from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import services
from accounts.models import CommunityGroup, GroupKind, InvitationStatus, MemberRole, Membership
from tests.factories import UserFactory


def test_creator_becomes_the_representative(applicant, neighbourhood):
    group = services.group_create(creator=applicant, name="  Vecinos del Parque ", kind=GroupKind.RESIDENTS,
                                  neighbourhood=neighbourhood)
    assert group.name == "Vecinos del Parque"
    assert group.memberships.get().role == MemberRole.REPRESENTATIVE
    assert list(group.events.values_list("action", flat=True)) == ["created"]


def test_group_needs_a_known_kind(applicant, neighbourhood):
    with pytest.raises(ValidationError) as error:
        services.group_create(creator=applicant, name="X", kind="club", neighbourhood=neighbourhood)
    assert "kind" in error.value.error_dict
    assert not CommunityGroup.objects.exists()


def test_invitation_is_emailed_and_accepted_by_the_invitee(group, applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(actor=applicant, group=group, email="Nueva@Ejemplo.mx")
    assert invitation.email == "nueva@ejemplo.mx"
    assert len(mail.outbox) == 1 and invitation.token in mail.outbox[0].body
    assert mail.outbox[0].to == ["nueva@ejemplo.mx"]
    invitee = UserFactory(email="nueva@ejemplo.mx")
    membership = services.invitation_accept(user=invitee, token=invitation.token)
    assert membership.role == MemberRole.MEMBER
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    with pytest.raises(ValidationError, match="ya no está vigente"):
        services.invitation_accept(user=invitee, token=invitation.token)


def test_only_the_invited_address_can_accept(group, applicant, other_applicant):
    invitation = services.invitation_create(actor=applicant, group=group, email="alguien@ejemplo.mx")
    with pytest.raises(ValidationError, match="alguien@ejemplo.mx"):
        services.invitation_accept(user=other_applicant, token=invitation.token)
    assert not group.memberships.filter(user=other_applicant).exists()


def test_only_the_representative_invites_and_not_twice(group, applicant):
    member = UserFactory()
    Membership.objects.create(group=group, user=member)
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=member, group=group, email="x@ejemplo.mx")
    services.invitation_create(actor=applicant, group=group, email="x@ejemplo.mx")
    with pytest.raises(ValidationError, match="pendiente"):
        services.invitation_create(actor=applicant, group=group, email="X@ejemplo.mx")
    with pytest.raises(ValidationError, match="ya es integrante"):
        services.invitation_create(actor=applicant, group=group, email=member.email)


def test_expired_invitations_cannot_be_accepted_and_are_swept(group, applicant):
    invitation = services.invitation_create(actor=applicant, group=group, email="tarde@ejemplo.mx")
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    late = UserFactory(email="tarde@ejemplo.mx")
    with pytest.raises(ValidationError, match="venció"):
        services.invitation_accept(user=late, token=invitation.token)
    other = services.invitation_create(actor=applicant, group=group, email="otra.tarde@ejemplo.mx")
    other.expires_at = timezone.now() - timedelta(seconds=1)
    other.save()
    assert services.invitations_expire() == 2
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.EXPIRED
    assert services.invitations_expire() == 0


def test_decline_and_revoke(group, applicant):
    invitation = services.invitation_create(actor=applicant, group=group, email="no@ejemplo.mx")
    services.invitation_decline(user=UserFactory(email="no@ejemplo.mx"), token=invitation.token)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    second = services.invitation_create(actor=applicant, group=group, email="no@ejemplo.mx")
    services.invitation_revoke(actor=applicant, invitation=second)
    second.refresh_from_db()
    assert second.status == InvitationStatus.REVOKED
    with pytest.raises(ValidationError):
        services.invitation_revoke(actor=applicant, invitation=second)


def test_representative_must_hand_over_before_leaving(group, applicant):
    member = UserFactory()
    Membership.objects.create(group=group, user=member)
    with pytest.raises(ValidationError, match="ceder la representación"):
        services.membership_leave(user=applicant, group=group)
    with pytest.raises(PermissionDenied):
        services.representative_hand_over(actor=member, group=group, new_representative=member)
    services.representative_hand_over(actor=applicant, group=group, new_representative=member)
    roles = dict(group.memberships.values_list("user__email", "role"))
    assert roles == {applicant.email: MemberRole.MEMBER, member.email: MemberRole.REPRESENTATIVE}
    services.membership_leave(user=applicant, group=group)
    assert not group.memberships.filter(user=applicant).exists()


def test_hand_over_only_to_a_member(group, applicant, other_applicant):
    with pytest.raises(ValidationError) as error:
        services.representative_hand_over(actor=applicant, group=group, new_representative=other_applicant)
    assert "new_representative" in error.value.error_dict


def test_database_refuses_two_representatives(group):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(group=group, user=UserFactory(), role=MemberRole.REPRESENTATIVE)


def test_outsider_cannot_leave_a_group_they_are_not_in(group, other_applicant):
    with pytest.raises(PermissionDenied):
        services.membership_leave(user=other_applicant, group=group)


def test_export_holds_the_persons_data(group, applicant):
    data = services.account_export(user=applicant)
    assert data["account"]["email"] == applicant.email
    assert data["community_groups"][0]["group"] == group.name
    assert data["community_groups"][0]["role"] == "representative"
    assert data["email_addresses"][0]["verified"] is True


def test_closure_request_once_and_cancel(applicant):
    services.account_closure_request(user=applicant, reason="Me mudo")
    with pytest.raises(ValidationError, match="pendiente"):
        services.account_closure_request(user=applicant)
    assert services.account_closure_cancel(user=applicant) == 1
    services.account_closure_request(user=applicant)
