"""The proposal and Committee reminder kinds, each on a world built through the real services: sent once and
only once, caught up after a gap, not sent once its reason has gone, the opt-out honoured where the kind
allows it, exactly the right people, and a sweep whose queries do not grow with the rows."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from accounts.roles import StaffRole
from committees import services as committee_services
from notifications.models import Notice, ReminderLog, ReminderStatus
from notifications.reminders import catalogue, reminders_sweep
from proposals import services
from proposals.models import CHECKLIST, Assembly, ReviewAssignment
from proposals.models.calls import MEXICO_CITY
from proposals.workflow import ProposalAction, ProposalState
from tests.factories import PDF_BYTES, CommunityGroupFactory, UserFactory, complete_proposal, make_open_call, upload

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()  # Mexico City: the project's time zone


def days(n: int):
    return TODAY + timedelta(days=n)


def sweep(code: str, day) -> dict:
    return reminders_sweep(today=day, kinds=[catalogue()[code]])


def sent_to(code: str) -> set[tuple[str, int]]:
    return set(ReminderLog.objects.filter(kind=code, status=ReminderStatus.SENT)
               .values_list("object_key", "recipient_id"))


def notice_of(person) -> Notice:
    """The notice of the one reminder this person received."""
    return Notice.objects.get(pk=ReminderLog.objects.get(recipient=person).notice_id)


def queries_of(code: str, day) -> int:
    with CaptureQueriesContext(connection) as captured:
        sweep(code, day)
    return len(captured)


def call_coordinator(call):
    return call.events.get(action="publish").actor


@pytest.fixture
def call(db):
    # No required attachments: what these tests need is the state, not the files.
    return make_open_call(required_attachment_kinds=[])


@pytest.fixture
def coordinator(staff):
    return staff[StaffRole.COORDINATOR]


def team(call, *, extra=0):
    """A community group (its representative and `extra` members) with a submitted proposal in `call`."""
    representative = UserFactory()
    group = CommunityGroupFactory(representative=representative, members=[UserFactory() for _ in range(extra)])
    proposal = services.proposal_create(actor=representative, call=call, group=group, title="Parque La Ermita")
    complete_proposal(proposal, representative, attachments=False)
    proposal = services.proposal_transition(actor=representative, proposal_id=proposal.pk,
                                            action=ProposalAction.SUBMIT)
    return proposal, list(group.members.all())


def act(actor, proposal, action, **kwargs):
    return services.proposal_transition(actor=actor, proposal_id=proposal.pk, action=action, **kwargs)


# --- correction_due and correction_passed ---------------------------------------------------------

DEADLINE = days(10)


def returned(call, coordinator, *, deadline=DEADLINE, extra=1):
    proposal, people = team(call, extra=extra)
    act(coordinator, proposal, ProposalAction.RETURN, note="Falta la constancia del predio",
        correction_deadline=deadline)
    return proposal, people


def on(n: int):
    return DEADLINE + timedelta(days=n)


def test_correction_due_reminds_each_group_of_its_own_proposal_once_per_offset(call, coordinator, staff):
    first, first_people = returned(call, coordinator)
    second, second_people = returned(call, coordinator)
    assert sweep("correction_due", on(-4)) == {}
    assert sweep("correction_due", on(-3)) == {"correction_due": 4}
    assert sweep("correction_due", on(-3)) == {} and sweep("correction_due", on(-2)) == {}
    assert sent_to("correction_due") == ({(f"proposal:{first.pk}", p.pk) for p in first_people}
                                         | {(f"proposal:{second.pk}", p.pk) for p in second_people})
    notice = notice_of(first_people[0])
    assert notice.url == f"/propuestas/{first.pk}/"
    assert first.folio in notice.subject and date_format(DEADLINE, "DATE_FORMAT") in notice.subject
    assert "Faltan 3 días" in notice.body and "Parque La Ermita" in notice.body and "reenvíala" in notice.body
    assert sweep("correction_due", on(-1)) == {"correction_due": 4}
    assert sweep("correction_due", on(0)) == {} and sweep("correction_due", on(1)) == {}
    assert not ReminderLog.objects.filter(kind="correction_due", recipient__in=staff.values()).exists()


def test_correction_due_catches_up_once_after_a_gap(call, coordinator):
    proposal, people = returned(call, coordinator, extra=0)
    assert sweep("correction_due", on(-5)) == {}
    assert sweep("correction_due", on(-2)) == {"correction_due": 1}  # the -3, late, once
    assert sweep("correction_due", on(-2)) == {}
    assert sweep("correction_due", on(0)) == {"correction_due": 1}  # the -1, on the deadline day
    assert sweep("correction_due", on(1)) == {}
    assert list(ReminderLog.objects.values_list("due_key", flat=True).order_by("due_on")) == [
        f"{DEADLINE.isoformat()}-3", f"{DEADLINE.isoformat()}-1"]


@pytest.mark.parametrize("action", [ProposalAction.RESUBMIT, ProposalAction.WITHDRAW])
def test_correction_due_is_not_sent_once_the_proposal_is_resubmitted_or_withdrawn(call, coordinator, action):
    proposal, (representative,) = returned(call, coordinator, extra=0)
    act(representative, proposal, action)
    assert sweep("correction_due", on(-3)) == {}
    assert not ReminderLog.objects.exists()


def test_correction_due_is_essential_the_opt_out_is_ignored(call, coordinator):
    proposal, (representative,) = returned(call, coordinator, extra=0)
    representative.reminders_off = ["correction_due"]
    representative.save()
    assert sweep("correction_due", on(-3)) == {"correction_due": 1}
    assert ReminderLog.objects.get().status == ReminderStatus.SENT


def test_correction_passed_tells_every_coordinator_the_day_after_and_nobody_else(call, coordinator, staff):
    proposal, people = returned(call, coordinator)
    gone = UserFactory(roles=[StaffRole.COORDINATOR], is_active=False)
    assert sweep("correction_passed", on(0)) == {}
    assert sweep("correction_passed", on(1)) == {"correction_passed": 2}
    assert sweep("correction_passed", on(1)) == {} and sweep("correction_passed", on(2)) == {}
    assert sent_to("correction_passed") == {(f"proposal:{proposal.pk}", coordinator.pk),
                                            (f"proposal:{proposal.pk}", call_coordinator(call).pk)}
    assert not ReminderLog.objects.filter(recipient__in=[*people, gone]).exists()
    notice = notice_of(coordinator)
    assert notice.url == f"/propuestas/{proposal.pk}/" and proposal.folio in notice.subject
    assert date_format(DEADLINE, "DATE_FORMAT") in notice.body and "Decide si es elegible" in notice.body


def test_correction_passed_catches_up_once_after_a_gap(call, coordinator):
    returned(call, coordinator)
    assert sweep("correction_passed", on(4)) == {"correction_passed": 2}
    assert sweep("correction_passed", on(5)) == {}
    assert set(ReminderLog.objects.values_list("due_key", flat=True)) == {f"{DEADLINE.isoformat()}+1"}


@pytest.mark.parametrize("action", [ProposalAction.RESUBMIT, ProposalAction.ACCEPT])
def test_correction_passed_is_not_sent_once_resubmitted_or_decided(call, coordinator, action):
    proposal, (representative,) = returned(call, coordinator, extra=0)
    act(representative if action == ProposalAction.RESUBMIT else coordinator, proposal, action)
    assert sweep("correction_passed", on(1)) == {}


def test_correction_passed_respects_a_coordinators_opt_out(call, coordinator):
    returned(call, coordinator)
    coordinator.reminders_off = ["correction_passed"]
    coordinator.save()
    assert sweep("correction_passed", on(1)) == {"correction_passed": 1}
    skipped = ReminderLog.objects.get(recipient=coordinator)
    assert skipped.status == ReminderStatus.OPTED_OUT and skipped.notice is None
    assert sent_to("correction_passed") == {(skipped.object_key, call_coordinator(call).pk)}


@pytest.mark.parametrize("code, day", [("correction_due", on(-3)), ("correction_passed", on(1))])
def test_correction_sweeps_read_the_same_queries_for_2_or_12_proposals(call, coordinator, code, day):
    for _ in range(2):
        returned(call, coordinator)
    few = queries_of(code, day)
    ReminderLog.objects.all().delete()
    for _ in range(10):
        returned(call, coordinator)
    many = queries_of(code, day)
    assert ReminderLog.objects.filter(kind=code).count() == 24  # two people (members, coordinators) each
    assert many == few, (few, many)


# --- assembly_tomorrow ----------------------------------------------------------------------------

ASSEMBLY_DAY = days(10)


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=MEXICO_CITY)


def scheduled(call, coordinator, *, when=None, extra=1):
    proposal, people = team(call, extra=extra)
    act(coordinator, proposal, ProposalAction.ACCEPT)
    assembly = services.assembly_schedule(actor=coordinator, proposal_id=proposal.pk,
                                          scheduled_at=when or at(ASSEMBLY_DAY, 18), place="Plaza de la Ermita",
                                          convened_by="Comité vecinal")
    return assembly, people


def test_assembly_tomorrow_reminds_the_group_the_day_before_once(call, coordinator, staff):
    assembly, people = scheduled(call, coordinator)
    other, other_people = scheduled(call, coordinator, when=at(ASSEMBLY_DAY + timedelta(days=3), 11))
    assert sweep("assembly_tomorrow", days(8)) == {}
    assert sweep("assembly_tomorrow", days(9)) == {"assembly_tomorrow": 2}
    assert sweep("assembly_tomorrow", days(9)) == {}
    assert sent_to("assembly_tomorrow") == {(f"assembly:{assembly.pk}", p.pk) for p in people}
    notice = notice_of(people[0])
    assert notice.url == f"/propuestas/{assembly.proposal_id}/"
    assert date_format(ASSEMBLY_DAY, "DATE_FORMAT") + ", 18:00" in notice.body
    assert "Plaza de la Ermita" in notice.body and "Comité vecinal" in notice.body
    assert str(assembly.quorum_required) in notice.body
    assert sweep("assembly_tomorrow", days(12)) == {"assembly_tomorrow": 2}  # the other group's, its own day
    assert {key for key, _person in sent_to("assembly_tomorrow")} == {f"assembly:{assembly.pk}",
                                                                      f"assembly:{other.pk}"}
    assert not ReminderLog.objects.filter(recipient__in=staff.values()).exists()


def test_the_assembly_day_is_the_mexico_city_day(call, coordinator):
    # 23:30 in Mexico City is already the next day in UTC: the reminder still goes the day before.
    scheduled(call, coordinator, when=at(ASSEMBLY_DAY, 23, 30), extra=0)
    assert sweep("assembly_tomorrow", days(9)) == {"assembly_tomorrow": 1}
    assert ReminderLog.objects.get().deadline == ASSEMBLY_DAY


def test_assembly_tomorrow_catches_up_until_the_day_itself(call, coordinator):
    scheduled(call, coordinator, extra=0)
    assert sweep("assembly_tomorrow", days(7)) == {}
    assert sweep("assembly_tomorrow", days(10)) == {"assembly_tomorrow": 1}  # down the day before
    assert sweep("assembly_tomorrow", days(10)) == {}


def test_assembly_tomorrow_is_not_sent_after_the_assembly_day(call, coordinator):
    scheduled(call, coordinator, extra=0)
    assert sweep("assembly_tomorrow", days(11)) == {}


def test_assembly_tomorrow_is_not_sent_for_a_withdrawn_proposal_or_a_recorded_assembly(call, coordinator):
    withdrawn, (representative,) = scheduled(call, coordinator, extra=0)
    act(representative, withdrawn.proposal, ProposalAction.WITHDRAW)
    recorded, _people = scheduled(call, coordinator, extra=0)
    services.assembly_record(actor=coordinator, assembly_id=recorded.pk, attendees=10, votes_for=8,
                             votes_against=1, abstentions=1, minutes=upload("acta.pdf", PDF_BYTES),
                             now=recorded.scheduled_at + timedelta(hours=2))  # no quorum: a new one is needed
    assert Assembly.objects.get(pk=recorded.pk).status == "no_quorum"
    assert sweep("assembly_tomorrow", days(9)) == {}
    again = services.assembly_schedule(actor=coordinator, proposal_id=recorded.proposal_id,
                                       scheduled_at=at(days(20), 17), place="Salón", convened_by="Comité vecinal")
    assert sweep("assembly_tomorrow", days(19)) == {"assembly_tomorrow": 1}
    assert ReminderLog.objects.get().object_key == f"assembly:{again.pk}"


def test_assembly_tomorrow_respects_the_opt_out(call, coordinator):
    assembly, (keen, quiet) = scheduled(call, coordinator)
    quiet.reminders_off = ["assembly_tomorrow"]
    quiet.save()
    assert sweep("assembly_tomorrow", days(9)) == {"assembly_tomorrow": 1}
    assert ReminderLog.objects.get(recipient=quiet).status == ReminderStatus.OPTED_OUT
    assert sent_to("assembly_tomorrow") == {(f"assembly:{assembly.pk}", keen.pk)}


def test_the_assembly_sweep_reads_the_same_queries_for_2_or_12_assemblies(call, coordinator):
    for _ in range(2):
        scheduled(call, coordinator)
    few = queries_of("assembly_tomorrow", days(9))
    ReminderLog.objects.all().delete()
    for _ in range(10):
        scheduled(call, coordinator)
    many = queries_of("assembly_tomorrow", days(9))
    assert ReminderLog.objects.count() == 24
    assert many == few, (few, many)


# --- review_stalled -------------------------------------------------------------------------------

@pytest.fixture
def review_call(db):
    # The technical review before the assembly: an eligible proposal goes into review when assigned.
    return make_open_call(year=2029, required_attachment_kinds=[], assembly_before_review=False)


def reviewer():
    return UserFactory(roles=[StaffRole.TECHNICAL_REVIEWER])


def in_review(call, coordinator, *reviewers):
    proposal, people = team(call)
    act(coordinator, proposal, ProposalAction.ACCEPT)
    for person in reviewers:
        services.reviewers_assign(actor=coordinator, proposal_ids=[proposal.pk], reviewer=person)
    proposal.refresh_from_db()
    assert proposal.status == ProposalState.IN_REVIEW
    return proposal, people


def submit_review(person, proposal):
    services.review_save(actor=person, proposal_id=proposal.pk, submit=True, data={
        "checklist": {code: {"answer": "yes", "note": ""} for code in CHECKLIST}, "result": "feasible",
        "adjusted_cost": Decimal("950000.00")})


def test_review_stalled_reminds_the_reviewer_who_has_not_submitted_five_days_after(review_call, coordinator,
                                                                                    staff):
    late, done = reviewer(), reviewer()
    proposal, people = in_review(review_call, coordinator, late, done)
    submit_review(done, proposal)
    assert sweep("review_stalled", days(4)) == {}
    assert sweep("review_stalled", days(5)) == {"review_stalled": 1}
    assert sweep("review_stalled", days(5)) == {} and sweep("review_stalled", days(6)) == {}
    assert sent_to("review_stalled") == {(f"proposal:{proposal.pk}", late.pk)}
    notice = notice_of(late)
    assert notice.url == f"/propuestas/{proposal.pk}/dictamen/" and proposal.folio in notice.subject
    assert date_format(TODAY, "DATE_FORMAT") in notice.body
    assert date_format(review_call.technical_review_deadline, "DATE_FORMAT") in notice.body
    assert not ReminderLog.objects.filter(recipient__in=[*people, *staff.values()]).exists()


def test_review_stalled_catches_up_once_after_a_gap(review_call, coordinator):
    late = reviewer()
    in_review(review_call, coordinator, late)
    assert sweep("review_stalled", days(8)) == {"review_stalled": 1}
    assert sweep("review_stalled", days(9)) == {}


def test_the_assignment_day_is_the_mexico_city_day(review_call, coordinator):
    late = reviewer()
    # 23:30 in Mexico City is already tomorrow in UTC: five days count from the Mexico City day.
    with time_machine.travel(at(days(-1), 23, 30), tick=False):
        in_review(review_call, coordinator, late)
    assert sweep("review_stalled", days(4)) == {"review_stalled": 1}
    assert ReminderLog.objects.get().deadline == days(-1)


def test_review_stalled_is_not_sent_once_submitted_unassigned_or_withdrawn(review_call, coordinator):
    submitted_by, unassigned, left = reviewer(), reviewer(), reviewer()
    submitted, _people = in_review(review_call, coordinator, submitted_by)
    submit_review(submitted_by, submitted)
    removed, _people = in_review(review_call, coordinator, unassigned)
    ReviewAssignment.objects.filter(proposal=removed).delete()  # no service unassigns yet: the row goes
    withdrawn, (representative, *_rest) = in_review(review_call, coordinator, left)
    act(representative, withdrawn, ProposalAction.WITHDRAW)
    assert sweep("review_stalled", days(5)) == {}
    assert not ReminderLog.objects.exists()


def test_review_stalled_respects_the_opt_out(review_call, coordinator):
    quiet = reviewer()
    quiet.reminders_off = ["review_stalled"]
    quiet.save()
    in_review(review_call, coordinator, quiet)
    assert sweep("review_stalled", days(5)) == {}
    assert ReminderLog.objects.get().status == ReminderStatus.OPTED_OUT


def test_the_review_sweep_reads_the_same_queries_for_2_or_12_assignments(review_call, coordinator):
    for _ in range(2):
        in_review(review_call, coordinator, reviewer())
    few = queries_of("review_stalled", days(5))
    ReminderLog.objects.all().delete()
    for _ in range(10):
        in_review(review_call, coordinator, reviewer())
    many = queries_of("review_stalled", days(5))
    assert ReminderLog.objects.count() == 12
    assert many == few, (few, many)


# --- scoring_closing ------------------------------------------------------------------------------

def committee_for(call, coordinator, seats: int):
    committee = committee_services.committee_set(actor=coordinator, call=call, secretary=UserFactory())
    members = [committee_services.member_add(actor=coordinator, committee=committee,
                                             email=f"comite{call.fiscal_year}-{i}@ejemplo.mx",
                                             full_name=f"Integrante {i}", sector="academia", institution="UNAM")
               for i in range(seats)]
    return committee, members


def scoring_call(year):
    return make_open_call(year=year, committee_quorum=3, required_attachment_kinds=[], assembly_before_review=False)


def before_committee(call, coordinator, n: int):
    """n proposals taken through review and assembly to the Committee, by the services staff use."""
    for _ in range(n):
        proposal, _people = team(call)
        act(coordinator, proposal, ProposalAction.ACCEPT)
        person = reviewer()
        services.reviewers_assign(actor=coordinator, proposal_ids=[proposal.pk], reviewer=person)
        submit_review(person, proposal)
        assembly = services.assembly_schedule(actor=coordinator, proposal_id=proposal.pk, scheduled_at=at(days(1), 10),
                                              place="Plaza", convened_by="Comité vecinal")
        services.assembly_record(actor=coordinator, assembly_id=assembly.pk, attendees=40, votes_for=30,
                                 votes_against=5, abstentions=5, minutes=upload("acta.pdf", PDF_BYTES),
                                 now=assembly.scheduled_at + timedelta(hours=2))
    assert all(r.ok for r in committee_services.shortlist_ready(actor=coordinator, call=call))
    return list(call.proposals.filter(status=ProposalState.SHORTLISTED).order_by("folio"))


def score(member, proposal):
    values = {str(c.pk): {"value": 4, "comment": ""} for c in proposal.call.rubric.all()}
    committee_services.score_save(actor=member.user, proposal_id=proposal.pk, values=values, submit=True)


@pytest.fixture
def scoring(coordinator):
    """A Committee of three scoring three proposals: one member has scored all, one has scored one and is
    recused from another (one missing), one has scored none (three missing)."""
    call = scoring_call(2030)
    committee, (done, partly, idle) = committee_for(call, coordinator, 3)
    proposals = before_committee(call, coordinator, 3)
    assert len(proposals) == 3
    for proposal in proposals:
        score(done, proposal)
    score(partly, proposals[0])
    committee_services.recusal_declare(actor=partly.user, proposal_id=proposals[1].pk, reason="Es mi vecina")
    return call, committee, (done, partly, idle)


def session_day(call, n: int):
    return call.committee_date + timedelta(days=n)


def test_scoring_closing_reminds_each_member_who_owes_sheets_once_with_how_many(scoring, coordinator):
    call, committee, (done, partly, idle) = scoring
    # Another call's Committee, same session day: its member counts only that call's proposals.
    other_call = scoring_call(2031)
    other_committee, (stranger,) = committee_for(other_call, coordinator, 1)
    before_committee(other_call, coordinator, 1)
    assert other_call.committee_date == call.committee_date
    assert sweep("scoring_closing", session_day(call, -4)) == {}
    assert sweep("scoring_closing", session_day(call, -3)) == {"scoring_closing": 3}
    assert sweep("scoring_closing", session_day(call, -3)) == {}
    assert sweep("scoring_closing", session_day(call, -2)) == {}
    assert sent_to("scoring_closing") == {(f"committee:{committee.pk}", partly.user_id),
                                          (f"committee:{committee.pk}", idle.user_id),
                                          (f"committee:{other_committee.pk}", stranger.user_id)}
    assert "Te falta por enviar 1 hoja de calificación" in notice_of(partly.user).body
    assert "Te faltan por enviar 3 hojas de calificación" in notice_of(idle.user).body
    assert "Te falta por enviar 1 hoja de calificación" in notice_of(stranger.user).body
    notice = notice_of(idle.user)
    assert notice.url == f"/comites/{call.pk}/" and "Faltan 3 días" in notice.body
    assert date_format(call.committee_date, "DATE_FORMAT") in notice.subject
    assert not ReminderLog.objects.filter(recipient__in=[done.user, committee.secretary, coordinator]).exists()
    assert sweep("scoring_closing", session_day(call, -1)) == {"scoring_closing": 3}


def test_scoring_closing_catches_up_once_after_a_gap(scoring):
    call, _committee, _members = scoring
    assert sweep("scoring_closing", session_day(call, -5)) == {}
    assert sweep("scoring_closing", session_day(call, -2)) == {"scoring_closing": 2}
    assert sweep("scoring_closing", session_day(call, -2)) == {}
    assert sweep("scoring_closing", session_day(call, 0)) == {"scoring_closing": 2}  # the -1, on the day
    assert sweep("scoring_closing", session_day(call, 1)) == {}


def test_scoring_closing_is_not_sent_once_every_sheet_is_in(scoring):
    call, _committee, (done, partly, idle) = scoring
    proposals = list(call.proposals.order_by("folio"))
    score(partly, proposals[2])
    for proposal in proposals:
        score(idle, proposal)
    assert sweep("scoring_closing", session_day(call, -3)) == {}


def test_scoring_closing_is_not_sent_once_the_session_has_opened(scoring):
    call, committee, members = scoring
    committee_services.session_open(actor=committee.secretary, committee=committee, held_on=TODAY,
                                    present_member_ids=[m.pk for m in members],
                                    unscored_decision="Se sesiona con las calificaciones entregadas")
    assert sweep("scoring_closing", session_day(call, -3)) == {}


def test_scoring_closing_respects_the_opt_out(scoring):
    call, _committee, (done, partly, idle) = scoring
    idle.user.reminders_off = ["scoring_closing"]
    idle.user.save()
    assert sweep("scoring_closing", session_day(call, -3)) == {"scoring_closing": 1}
    assert ReminderLog.objects.get(recipient=idle.user).status == ReminderStatus.OPTED_OUT


def test_the_scoring_sweep_reads_the_same_queries_for_2_or_12_members(coordinator):
    call = scoring_call(2030)
    committee, _members = committee_for(call, coordinator, 2)
    before_committee(call, coordinator, 3)
    few = queries_of("scoring_closing", session_day(call, -3))
    ReminderLog.objects.all().delete()
    for i in range(10):
        committee_services.member_add(actor=coordinator, committee=committee, email=f"mas{i}@ejemplo.mx",
                                      full_name=f"Otra {i}", sector="civil_society", institution="Colectivo")
    many = queries_of("scoring_closing", session_day(call, -3))
    assert ReminderLog.objects.count() == 12
    assert many == few, (few, many)


def test_every_kind_is_in_the_catalogue_with_its_rule():
    kinds = catalogue()
    assert {code: (kinds[code].default_offsets, kinds[code].essential) for code in (
        "correction_due", "correction_passed", "assembly_tomorrow", "review_stalled", "scoring_closing")} == {
        "correction_due": ((-3, -1), True), "correction_passed": ((1,), False),
        "assembly_tomorrow": ((-1,), False), "review_stalled": ((5,), False), "scoring_closing": ((-3, -1), False)}


def test_a_call_can_move_a_kinds_offsets(call, coordinator):
    returned(call, coordinator, extra=0)
    call.reminder_offsets = {"correction_due": [-5]}
    call.save(update_fields=["reminder_offsets"])
    assert sweep("correction_due", on(-6)) == {}
    assert sweep("correction_due", on(-5)) == {"correction_due": 1}
    assert sweep("correction_due", on(-1)) == {}  # the default -1 is not this call's


def test_the_coming_reminders_list_what_each_sweep_will_send(call, coordinator):
    from notifications.reminders import upcoming

    proposal, people = returned(call, coordinator, extra=0)
    kinds = [catalogue()["correction_due"], catalogue()["correction_passed"]]
    planned = [(p.kind.code, p.due_on, p.recipient.pk) for p in upcoming(TODAY, 14, kinds)]
    assert [due_on for _code, due_on, _person in planned] == [on(-3), on(-1), on(1), on(1)]  # soonest first
    (person,) = people
    assert sorted(planned) == sorted([("correction_due", on(-3), person.pk), ("correction_due", on(-1), person.pk),
                                      ("correction_passed", on(1), coordinator.pk),
                                      ("correction_passed", on(1), call_coordinator(call).pk)])
