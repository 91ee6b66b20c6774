"""Invitations are limited per group and per day, and no e-mail subject carries text a person chose."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import CommunityGroup, Invitation, InvitationStatus
from accounts.roles import StaffRole
from accounts.services import group_create, invitation_create, invitation_revoke
from committees.services import committee_set, member_add
from proposals.services import assembly_schedule, proposal_create, proposal_transition
from tests.factories import UserFactory, complete_proposal, make_open_call


@pytest.fixture
def limit(settings):
    settings.NICP_INVITATIONS_PER_GROUP_PER_DAY = 20
    return 20


def invite_many(group, actor, n, start=0):
    return [invitation_create(actor=actor, group=group, email=f"vecina{i}@ejemplo.mx") for i in range(start, start + n)]


def test_the_21st_invitation_of_the_day_is_refused(limit, group, applicant):
    invite_many(group, applicant, limit)
    with pytest.raises(ValidationError) as refused:
        invitation_create(actor=applicant, group=group, email="una-mas@ejemplo.mx")
    assert "email" in refused.value.message_dict
    assert "20 invitaciones" in refused.value.message_dict["email"][0]
    assert group.invitations.count() == limit


def test_revoked_invitations_still_count(limit, group, applicant):
    for invitation in invite_many(group, applicant, limit):
        invitation_revoke(actor=applicant, invitation=invitation)
    with pytest.raises(ValidationError):
        invitation_create(actor=applicant, group=group, email="una-mas@ejemplo.mx")


def test_the_count_is_of_the_last_24_hours(limit, group, applicant):
    invite_many(group, applicant, limit)
    Invitation.objects.filter(group=group).update(created_at=timezone.now() - timedelta(hours=25))
    assert invitation_create(actor=applicant, group=group, email="manana@ejemplo.mx").status == InvitationStatus.PENDING


def test_the_limit_is_per_group(limit, group, applicant, other_group, other_applicant):
    invite_many(group, applicant, limit)
    assert invitation_create(actor=other_applicant, group=other_group, email="vecina0@ejemplo.mx")


def test_the_limit_is_a_setting(settings, group, applicant):
    settings.NICP_INVITATIONS_PER_GROUP_PER_DAY = 2
    invite_many(group, applicant, 2)
    with pytest.raises(ValidationError):
        invitation_create(actor=applicant, group=group, email="tercera@ejemplo.mx")


def test_the_page_shows_the_refusal_next_to_the_email_field(client, limit, group, applicant):
    invite_many(group, applicant, limit)
    client.force_login(applicant)
    response = client.post(reverse("accounts:group_invite", args=[group.pk]), {"email": "una-mas@ejemplo.mx"})
    assert response.status_code == 200
    assert "Este grupo ya envió 20 invitaciones" in " ".join(response.context["invite_form"].errors["email"])
    assert response.context["invite_form"]["email"].value() == "una-mas@ejemplo.mx"  # what was typed stays
    assert not group.invitations.filter(email="una-mas@ejemplo.mx").exists()


EVIL = "=HYPERLINK evil\nBcc: x@ejemplo.mx"


def test_no_email_subject_carries_user_chosen_text(client, django_capture_on_commit_callbacks, neighbourhood):
    """A whole flow with hostile names and titles: invitations, Committee seats, every notice sent by e-mail."""
    representative = UserFactory(full_name=EVIL)
    coordinator = UserFactory(roles=[StaffRole.COORDINATOR], full_name=EVIL)
    call = make_open_call()
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(representative)
        client.post(reverse("accounts:group_create"), {"name": EVIL, "kind": "residents",
                                                       "neighbourhood": neighbourhood.pk, "description": EVIL})
        group = CommunityGroup.objects.get(name=EVIL)
        response = client.post(reverse("accounts:group_invite", args=[group.pk]), {"email": "nueva@ejemplo.mx"})
        assert response.status_code == 302
        other = group_create(creator=representative, name=f"{EVIL} 2", kind="residents",
                             neighbourhood=neighbourhood)
        invitation_create(actor=representative, group=other, email="otra@ejemplo.mx")
        draft = proposal_create(actor=representative, call=call, group=group, title=EVIL)
        proposal_transition(actor=representative, proposal_id=draft.pk, action="withdraw", note=EVIL)
        submitted = complete_proposal(proposal_create(actor=representative, call=call, group=group, title=EVIL),
                                      representative)
        proposal_transition(actor=representative, proposal_id=submitted.pk, action="submit")
        proposal_transition(actor=coordinator, proposal_id=submitted.pk, action="accept", note=EVIL)
        assembly_schedule(actor=coordinator, proposal_id=submitted.pk, scheduled_at=timezone.now(), place=EVIL,
                          convened_by=EVIL)
        committee = committee_set(actor=coordinator, call=call, secretary=UserFactory(full_name=EVIL))
        member_add(actor=coordinator, committee=committee, email="experta@ejemplo.mx", full_name=EVIL,
                   sector="academia", institution=EVIL)
    subjects = [message.subject for message in mail.outbox]
    assert len(subjects) >= 6, subjects  # two invitations, one seat, at least three notices
    for subject in subjects:
        assert "HYPERLINK" not in subject and "evil" not in subject and "Bcc" not in subject, subject
        assert "\n" not in subject and "\r" not in subject
        assert subject.startswith("[NICP] ")
    submitted.refresh_from_db()
    assert any(submitted.folio in subject for subject in subjects)  # the system's folio is what names it
    assert any(EVIL in message.body for message in mail.outbox)  # the text still reaches the body
