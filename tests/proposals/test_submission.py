from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts.models import Membership
from nicp.errors import StaleVersion
from notifications.models import Notice
from proposals import services
from proposals.models import Proposal
from proposals.models.calls import MEXICO_CITY
from proposals.workflow import ProposalState
from tests.factories import UserFactory, complete_proposal, make_open_call


def submit(proposal, actor, **kwargs):
    return services.proposal_transition(actor=actor, proposal_id=proposal.pk, action="submit", **kwargs)


def test_submission_gives_a_folio_an_event_a_notice_and_an_email(draft, applicant, group,
                                                                 django_capture_on_commit_callbacks):
    member = UserFactory()
    Membership.objects.create(group=group, user=member)
    complete_proposal(draft, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = submit(draft, applicant)
    assert proposal.status == ProposalState.SUBMITTED
    assert proposal.folio == f"MB-{proposal.call.fiscal_year}-00001"
    assert proposal.submitted_at is not None
    assert list(proposal.events.values_list("action", flat=True)) == ["create", "submit"]
    assert Notice.objects.filter(recipient__in=[applicant, member]).count() == 2
    # The group's receipt (coordination is told too, in a notice of its own).
    receipts = [m for m in mail.outbox if proposal.folio in m.body and "Guarda este número" in m.body]
    assert sorted(r for m in receipts for r in m.to) == sorted([applicant.email, member.email])


def test_folios_are_sequential_within_a_call(call, group, applicant):
    folios = []
    for title in ("Uno", "Dos", "Tres"):
        proposal = services.proposal_create(actor=applicant, call=call, group=group, title=title)
        complete_proposal(proposal, applicant)
        folios.append(submit(proposal, applicant).folio)
    year = call.fiscal_year
    assert folios == [f"MB-{year}-00001", f"MB-{year}-00002", f"MB-{year}-00003"]


def test_the_deadline_is_the_last_second_of_the_closing_day_in_mexico_city(db, group, applicant):
    closes = (datetime.now(MEXICO_CITY) + timedelta(days=3)).date()
    call = make_open_call(closes_on=closes)
    on_time = complete_proposal(services.proposal_create(actor=applicant, call=call, group=group, title="A"), applicant)
    late = complete_proposal(services.proposal_create(actor=applicant, call=call, group=group, title="B"), applicant)
    last_second = datetime(closes.year, closes.month, closes.day, 23, 59, 59, tzinfo=MEXICO_CITY)
    with time_machine.travel(last_second, tick=False):
        assert submit(on_time, applicant).status == ProposalState.SUBMITTED
    with time_machine.travel(last_second + timedelta(seconds=1), tick=False), \
            pytest.raises(ValidationError, match="cerrado"):
        submit(late, applicant)
    late.refresh_from_db()
    assert late.status == ProposalState.DRAFT and late.folio == ""


@pytest.mark.parametrize(("amount", "ok"), [("799999.99", False), ("800000.00", True), ("1450000.00", True),
                                            ("1450000.01", False)])
def test_amount_must_be_within_the_modality_range(draft, applicant, amount, ok):
    complete_proposal(draft, applicant, amount=amount)
    if ok:
        assert submit(draft, applicant).status == ProposalState.SUBMITTED
    else:
        with pytest.raises(ValidationError, match="debe estar entre"):
            submit(draft, applicant)


def test_a_type_the_call_does_not_fund_is_refused(draft, applicant):
    complete_proposal(draft, applicant, project_type="site_museum")
    with pytest.raises(ValidationError, match="no es elegible"):
        submit(draft, applicant)


def test_missing_parts_are_each_named_and_nothing_is_lost(draft, applicant):
    services.proposal_update(actor=applicant, proposal_id=draft.pk, data={"diagnosis": "Ya escrito"})
    with pytest.raises(ValidationError) as error:
        submit(draft, applicant)
    text = " ".join(error.value.messages)
    for part in ("dirección", "tipo de proyecto", "objetivos", "presupuesto", "cronograma", "fotografía del sitio"):
        assert part in text
    draft.refresh_from_db()
    assert draft.diagnosis == "Ya escrito" and draft.status == ProposalState.DRAFT


def test_missing_required_attachment_kind(draft, applicant):
    complete_proposal(draft, applicant, attachments=False)
    with pytest.raises(ValidationError, match="constancia"):
        submit(draft, applicant)


def test_only_the_representative_submits(draft, applicant, group):
    member = UserFactory()
    Membership.objects.create(group=group, user=member)
    complete_proposal(draft, member)  # any member edits the shared draft
    with pytest.raises(PermissionDenied):
        submit(draft, member)
    assert submit(draft, applicant).status == ProposalState.SUBMITTED


def test_another_groups_proposal_is_invisible(draft, applicant, other_applicant):
    complete_proposal(draft, applicant)
    with pytest.raises(Http404):
        submit(draft, other_applicant)
    with pytest.raises(Http404):
        services.proposal_update(actor=other_applicant, proposal_id=draft.pk, data={"title": "Mío"})


def test_a_stale_version_writes_nothing(draft, applicant):
    loaded = draft.version
    services.proposal_update(actor=applicant, proposal_id=draft.pk, data={"title": "Primero"}, version=loaded)
    with pytest.raises(StaleVersion):
        services.proposal_update(actor=applicant, proposal_id=draft.pk, data={"title": "Segundo"}, version=loaded)
    draft.refresh_from_db()
    assert draft.title == "Primero"


def test_submitted_proposal_is_read_only_until_returned(draft, applicant):
    submit(complete_proposal(draft, applicant), applicant)
    with pytest.raises(ValidationError, match="solo se puede leer"):
        services.proposal_update(actor=applicant, proposal_id=draft.pk, data={"title": "Cambio"})
    coordinator = UserFactory(roles=["coordinator"])
    services.proposal_transition(actor=coordinator, proposal_id=draft.pk, action="return", note="Falta firma",
                                 correction_deadline=datetime.now(MEXICO_CITY).date() + timedelta(days=5))
    services.proposal_update(actor=applicant, proposal_id=draft.pk, data={"title": "Corregida"})
    resubmitted = services.proposal_transition(actor=applicant, proposal_id=draft.pk, action="resubmit")
    assert resubmitted.folio.endswith("00001")  # the folio stays the same


def test_returning_needs_a_reason(draft, applicant):
    submit(complete_proposal(draft, applicant), applicant)
    with pytest.raises(ValidationError, match="motivo"):
        services.proposal_transition(actor=UserFactory(roles=["coordinator"]), proposal_id=draft.pk,
                                     action="return", note="  ")


def test_group_can_withdraw_before_selection(draft, applicant):
    submit(complete_proposal(draft, applicant), applicant)
    withdrawn = services.proposal_transition(actor=applicant, proposal_id=draft.pk, action="withdraw", note="Ya no")
    assert withdrawn.status == ProposalState.WITHDRAWN


def test_budget_total_is_the_sum_of_its_lines(draft, applicant):
    services.budget_lines_save(actor=applicant, proposal_id=draft.pk, lines=[
        {"chapter": "works", "concept": "Bancas", "unit": "pieza", "quantity": Decimal("12"),
         "unit_price": Decimal("4500.50")},
        {"chapter": "supervision", "concept": "Supervisión", "unit": "mes", "quantity": Decimal("3"),
         "unit_price": Decimal("10000")},
    ])
    assert Proposal.objects.get(pk=draft.pk).budget_total == Decimal("84006.00")
    with pytest.raises(ValidationError):
        services.budget_lines_save(actor=applicant, proposal_id=draft.pk, lines=[
            {"chapter": "works", "concept": "X", "unit": "u", "quantity": Decimal("-1"), "unit_price": Decimal("1")}])
    assert Proposal.objects.get(pk=draft.pk).budget_lines.count() == 2


def test_drafting_needs_an_open_call_and_membership(db, group, applicant, other_applicant):
    call = make_open_call()
    with pytest.raises(PermissionDenied):
        services.proposal_create(actor=other_applicant, call=call, group=group, title="X")
    call.status = "closed"
    call.save()
    with pytest.raises(ValidationError, match="no está abierto"):
        services.proposal_create(actor=applicant, call=call, group=group, title="X")
