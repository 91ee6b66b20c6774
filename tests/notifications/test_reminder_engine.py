"""The reminder sweep's rules, on the registration-closing kind and a test-only non-essential kind: due and
not yet sent, once; a missed run catches up with one reminder; a reminder whose reason has gone is not
sent; the opt-out is honoured for non-essential kinds only; queries do not grow with the rows."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import reminders
from notifications.models import Notice, ReminderLog, ReminderStatus
from notifications.reminders import Occasion, ReminderKind, due_offset, reminders_sweep
from notifications.services import notices_email
from proposals import services
from proposals.models import Call
from proposals.workflow import ProposalAction
from tests.factories import UserFactory, complete_proposal, make_open_call

pytestmark = pytest.mark.django_db
CLOSES = date(2027, 3, 15)


def days(n: int) -> date:
    return CLOSES + timedelta(days=n)


def test_the_latest_due_offset_is_chosen_and_before_ones_stop_at_the_deadline():
    assert due_offset(CLOSES, (-7, -1), days(-8)) is None
    assert due_offset(CLOSES, (-7, -1), days(-7)) == -7
    assert due_offset(CLOSES, (-7, -1), days(-3)) == -7  # caught up
    assert due_offset(CLOSES, (-7, -1), days(-1)) == -1  # the -7 is superseded, never sent late
    assert due_offset(CLOSES, (-7, -1), days(0)) == -1
    assert due_offset(CLOSES, (-7, -1), days(1)) is None  # after the deadline, "1 day left" is wrong
    assert due_offset(CLOSES, (1,), days(3)) == 1
    assert due_offset(CLOSES, (1,), days(1 + reminders.CATCH_UP_DAYS + 1)) is None  # history, not news


@pytest.fixture
def closing_call(db):
    return make_open_call(closes_on=CLOSES)


@pytest.fixture
def draft(closing_call, group, applicant):
    return services.proposal_create(actor=applicant, call=closing_call, group=group, title="Parque La Ermita")


def registration(today):
    return reminders_sweep(today=today, kinds=[reminders.catalogue()["registration_closing"]])


def test_registration_closing_reminds_each_member_once_per_offset(draft, group, applicant, other_applicant,
                                                                   mailoutbox, django_capture_on_commit_callbacks):
    group.memberships.create(user=other_applicant)
    with django_capture_on_commit_callbacks(execute=True):
        assert registration(days(-7)) == {"registration_closing": 2}
    assert registration(days(-7)) == {} and registration(days(-6)) == {}
    assert {m.to[0] for m in mailoutbox} == {applicant.email, other_applicant.email}
    notice = Notice.objects.filter(recipient=applicant).get()
    assert "Faltan 7 días" in notice.body and "Parque La Ermita" in notice.body
    assert notice.url == f"/propuestas/{draft.pk}/"
    assert registration(days(-1)) == {"registration_closing": 2}
    log = ReminderLog.objects.filter(recipient=applicant).order_by("due_on")
    assert [r.due_key for r in log] == ["2027-03-15-7", "2027-03-15-1"]
    assert all(r.call_id == draft.call_id and r.status == ReminderStatus.SENT for r in log)


def test_a_sweep_that_did_not_run_for_days_catches_up_once(draft, applicant):
    assert registration(days(-9)) == {}
    # Down from day -8 to day -4: the -7 reminder goes out late, once.
    assert registration(days(-4)) == {"registration_closing": 1}
    assert registration(days(-3)) == {}
    # Down again past the -1: on the deadline day the -1 goes out; the day after, nothing.
    assert registration(days(0)) == {"registration_closing": 1}
    assert registration(days(1)) == {}
    assert ReminderLog.objects.filter(recipient=applicant).count() == 2


def test_a_submitted_draft_is_not_reminded(draft, applicant, time_machine):
    time_machine.move_to(days(-10).isoformat() + "T12:00:00-06:00")
    complete_proposal(draft, applicant)
    services.proposal_transition(actor=applicant, proposal_id=draft.pk, action=ProposalAction.SUBMIT)
    time_machine.move_to(days(-7).isoformat() + "T12:00:00-06:00")
    assert registration(days(-7)) == {}
    assert not ReminderLog.objects.exists()


def test_a_call_can_set_its_own_offsets(draft, closing_call):
    Call.objects.filter(pk=closing_call.pk).update(reminder_offsets={"registration_closing": [-3]})
    assert registration(days(-7)) == {}
    assert registration(days(-3)) == {"registration_closing": 1}


def test_an_essential_reminder_ignores_the_opt_out(draft, applicant):
    applicant.reminders_off = ["registration_closing"]
    applicant.save()
    assert registration(days(-7)) == {"registration_closing": 1}


@pytest.fixture
def optional_kind(db):
    people = [UserFactory(), UserFactory()]

    def occasions(today, horizon):
        yield Occasion(object_key="thing:1", deadline=CLOSES, recipients=people, offsets=(-2,), url="/x/",
                       subject="Algo vence", body=lambda offset: f"Vence en {-offset} días")

    kind = ReminderKind(code="optional_test", label="Prueba", audience="Personas de prueba", default_offsets=(-2,),
                        essential=False, occasions=occasions)
    return kind, people


def test_a_non_essential_reminder_respects_the_opt_out_and_logs_it(optional_kind):
    kind, (keen, quiet) = optional_kind
    quiet.reminders_off = ["optional_test"]
    quiet.save()
    assert reminders_sweep(today=days(-2), kinds=[kind]) == {"optional_test": 1}
    assert Notice.objects.filter(recipient=keen).count() == 1 and not Notice.objects.filter(recipient=quiet).exists()
    skipped = ReminderLog.objects.get(recipient=quiet)
    assert skipped.status == ReminderStatus.OPTED_OUT and skipped.notice is None
    assert reminders_sweep(today=days(-2), kinds=[kind]) == {}


def test_an_inactive_person_is_not_reminded(optional_kind):
    kind, (keen, gone) = optional_kind
    gone.is_active = False
    gone.save()
    assert reminders_sweep(today=days(-2), kinds=[kind]) == {"optional_test": 1}
    assert not ReminderLog.objects.filter(recipient=gone).exists()


def test_the_email_is_written_in_the_recipients_language(applicant, mailoutbox):
    applicant.language = "en"
    applicant.save()
    notice = Notice.objects.create(recipient=applicant, subject="Cierra el registro", body="Faltan 7 días",
                                   url="/propuestas/1/", link_text="Revisar",
                                   translations={"en": {"subject": "Registration closes", "body": "7 days left",
                                                        "link_text": "Review"}})
    assert notices_email(notice_ids=[notice.pk]) == 1
    assert mailoutbox[0].subject == "[NICP] Registration closes"
    assert mailoutbox[0].body.startswith("7 days left") and "Review:" in mailoutbox[0].body


def test_the_sweep_reads_a_bounded_number_of_queries_whatever_the_number_of_drafts(closing_call, neighbourhood):
    from tests.factories import CommunityGroupFactory

    def drafts(n):
        for _ in range(n):
            person = UserFactory()
            team = CommunityGroupFactory(representative=person, neighbourhood=neighbourhood)
            services.proposal_create(actor=person, call=closing_call, group=team, title="Parque")

    def queries_of_a_sweep(today):
        with CaptureQueriesContext(connection) as captured:
            registration(today)
        return len(captured)

    drafts(3)
    few = queries_of_a_sweep(days(-7))
    drafts(40)
    many = queries_of_a_sweep(days(-1))
    assert ReminderLog.objects.filter(due_key="2027-03-15-1").count() == 43
    assert many == few, (few, many)


def test_a_muted_sweep_sends_and_logs_nothing(draft):
    from notifications.services import muted

    with muted():
        assert registration(days(-7)) == {}
    assert not ReminderLog.objects.exists()
    assert registration(days(-7)) == {"registration_closing": 1}


def test_a_reminder_caught_up_late_says_the_days_really_left(draft, applicant):
    assert registration(days(-4)) == {"registration_closing": 1}  # the -7 reminder, three days late
    body = Notice.objects.get(recipient=applicant).body
    assert "Faltan 4 días" in body and "7 días" not in body


def test_the_reminders_page_links_staff_only_where_they_may_look(draft, staff, client):
    """The group's draft is theirs alone: the coordinator's page names the reminder without a link to a 404."""
    registration(days(-7))
    log = ReminderLog.objects.get()
    assert log.url == f"/propuestas/{draft.pk}/" and log.staff_url == ""
    client.force_login(staff["coordinator"])
    html = client.get("/avisos/recordatorios/?state=sent").content.decode()
    assert log.subject in html and f'href="/propuestas/{draft.pk}/"' not in html
