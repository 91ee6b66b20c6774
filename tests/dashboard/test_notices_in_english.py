"""A notice reads in the language the person reads the site in: stored in every language when it is made,
so someone who chose English reads the group's and the staff's notices in English."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext_lazy

from accounts.roles import StaffRole
from notifications.messages import Message
from notifications.models import Notice
from notifications.services import notify
from tests.factories import UserFactory, make_open_call

from .test_start_pages import submitted

pytestmark = pytest.mark.django_db


def inbox(client, user, language):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client.get(reverse("notifications:inbox")).content.decode()


def test_the_group_and_coordination_read_a_submission_in_english(client, group, applicant,
                                                                 django_capture_on_commit_callbacks):
    coordinator = UserFactory(roles=[StaffRole.COORDINATOR])
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails leave after commit
        proposal = submitted(make_open_call(), group, applicant)
    english = inbox(client, applicant, "en")
    assert f"The proposal «{proposal.title}» of the group {group.name} is now «Submitted»." in english
    assert "ahora está" not in english
    spanish = inbox(client, applicant, "es-mx")
    assert f"La propuesta «{proposal.title}» del grupo {group.name} ahora está «Enviada»." in spanish
    staff_english = inbox(client, coordinator, "en")
    assert f"New proposal to review: {proposal.folio}" in staff_english
    assert f"Review proposal {proposal.folio}" in staff_english  # the link's words too
    # The e-mail goes out in Spanish, the programme's language, until people can choose theirs.
    assert any("ahora está «Enviada»" in message.body for message in mail.outbox)


def test_plain_text_stays_as_written_and_messages_render_their_values_per_language(applicant):
    notice, = notify(recipients=[applicant], subject=Message(gettext_lazy("Tu propuesta: %(state)s"),
                                                             state=gettext_lazy("Enviada")),
                     body="Texto escrito por una persona.")
    notice = Notice.objects.get(pk=notice.pk)
    assert notice.subject == "Tu propuesta: Enviada"
    assert notice.in_language("en")["subject"] == "Your proposal: Submitted"
    assert notice.in_language("en")["body"] == "Texto escrito por una persona."
    assert notice.in_language("es-mx")["subject"] == "Tu propuesta: Enviada"
