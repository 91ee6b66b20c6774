"""Two releases of a project's money at the same instant, on PostgreSQL: one wins, the other is refused
clearly, one event is written, and the project's released total is the sum of its released tranches.

SQLite serialises writers, so these run only against PostgreSQL (set DATABASE_URL, as .ci/run does):
    DATABASE_URL=postgres://… python -m pytest tests/projects/test_concurrent_release.py
Transactional tests empty the tables when they end, migrated rows included: each builds what it needs.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from nicp.errors import TransitionNotAllowed
from projects import services
from projects.models import Project, ProjectEvent, Tranche, TrancheEvent
from projects.workflow import TrancheState
from proposals.models import TranchePlanItem
from tests.factories import make_open_call
from tests.projects.conftest import two_tranche_call
from tests.projects.helpers import elect, seat_user, selected_project, staff_people, start_execution
from tests.proposals.test_concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: set DATABASE_URL=postgres://… (.ci/run does)"),
    pytest.mark.django_db(transaction=True),
]

APPROVED = Decimal("1000000.00")


def release(actor, tranche):
    return lambda: services.tranche_transition(actor=actor, tranche_id=tranche.pk, action="release",
                                               transfer_reference=f"SPEI {actor.pk}",
                                               transfer_date=timezone.localdate())


def request_and_approve(project, tranche, coordinator):
    services.tranche_transition(actor=seat_user(project), tranche_id=tranche.pk, action="request")
    services.tranche_transition(actor=coordinator, tranche_id=tranche.pk, action="approve")


def released_sum(project) -> Decimal:
    return sum(project.tranches.filter(status=TrancheState.RELEASED).values_list("amount", flat=True), Decimal(0))


def releases_of(tranches) -> int:
    return TrancheEvent.objects.filter(tranche__in=tranches, action="release").count()


@pytest.fixture
def people():
    return staff_people()


def running_project(call, people) -> Project:
    project = selected_project(call, amount=APPROVED)
    elect(project, people["coordinator"])
    return start_execution(project, people["coordinator"], people["finance"])


def test_two_finance_officers_releasing_one_tranche_at_once_release_it_once(people):
    project = running_project(two_tranche_call(year=2031), people)
    first = project.tranches.get(number=1)
    request_and_approve(project, first, people["coordinator"])

    results = run_together(release(people["finance"], first), release(people["finance2"], first))

    winners = [r for r in results if isinstance(r, Tranche)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], TransitionNotAllowed)
    assert "no se puede «Ministrar»" in losers[0].messages[0]
    project.refresh_from_db()
    assert project.released_total == first.amount == released_sum(project)
    assert releases_of([first]) == 1
    assert ProjectEvent.objects.filter(project=project, action="tranche_release").count() == 1


def three_tranche_project(people) -> tuple[Project, Tranche, Tranche]:
    """A project whose first tranche (40 %) is released and whose second (30 %) is approved; the third is
    made approved too, and raised so that the second and third together pass the approved amount.

    The services never let two tranches of one project wait for release at once (each waits for the one
    before) and always split the plan to the cent, so the test sets the third by hand: it puts the project
    where only the row lock and the check under it stand between the money and a double release."""
    call = make_open_call(year=2032)
    call.tranche_plan.all().delete()
    TranchePlanItem.objects.bulk_create([
        TranchePlanItem(call=call, number=n, share_percent=Decimal(share), progress_required_percent=0,
                        previous_spending_verified=False)
        for n, share in ((1, "40"), (2, "30"), (3, "30"))])
    project = running_project(call, people)
    first, second, third = project.tranches.order_by("number")
    request_and_approve(project, first, people["coordinator"])
    release(people["finance"], first)()
    request_and_approve(project, second, people["coordinator"])
    Tranche.objects.filter(pk=third.pk).update(status=TrancheState.APPROVED, amount=Decimal("350000.00"),
                                               approved_by=people["coordinator"], approved_at=timezone.now())
    return project, second, third


def test_two_tranches_released_at_once_never_pass_the_approved_amount(people):
    project, second, third = three_tranche_project(people)

    results = run_together(release(people["finance"], second), release(people["finance2"], third))

    # Whichever came first, the second tranche is the one paid: the third waits for it (refused before it
    # is released) and then finds no room left (refused after).
    assert isinstance(results[0], Tranche), results
    assert isinstance(results[1], ValidationError) and not isinstance(results[1], TransitionNotAllowed), results
    project.refresh_from_db()
    assert project.released_total == released_sum(project) == Decimal("700000.00") <= project.approved_amount
    assert releases_of([second, third]) == 1
    assert Tranche.objects.get(pk=third.pk).status == TrancheState.APPROVED


def test_a_release_waiting_on_the_lock_sees_the_first_ones_total_and_is_refused(people, monkeypatch):
    """The second release is held on the project's lock while the first has already added its amount
    (and not yet committed); once let through, it reads the new total and says there is no room left."""
    project, second, third = three_tranche_project(people)
    inside, go = threading.Event(), threading.Event()
    record = services.money.record

    def record_then_hold(project, actor, action, note=""):
        if action == "tranche_release" and threading.current_thread().name == "first":
            inside.set()
            go.wait(20)
        return record(project, actor, action, note)

    monkeypatch.setattr(services.money, "record", record_then_hold)
    results = {}

    def run(name, call):
        try:
            results[name] = call()
        except Exception as error:  # noqa: BLE001  (the test inspects what each thread got)
            results[name] = error
        finally:
            connection.close()

    first = threading.Thread(target=run, name="first", args=("first", release(people["finance"], second)))
    first.start()
    assert inside.wait(20), "the first release never reached its event"
    waiting = threading.Thread(target=run, name="second", args=("second", release(people["finance2"], third)))
    waiting.start()
    assert waits_on_a_lock(), "the second release did not wait for the project's lock"
    go.set()
    first.join(30)
    waiting.join(30)

    assert isinstance(results["first"], Tranche), results
    refusal = results["second"]
    assert isinstance(refusal, ValidationError), results
    assert "supere el monto aprobado" in " ".join(refusal.message_dict["amount"])
    project.refresh_from_db()
    assert project.released_total == released_sum(project) == Decimal("700000.00")
    assert releases_of([second, third]) == 1
    assert ProjectEvent.objects.filter(project=project, action="tranche_release").count() == 2  # 1st and 2nd


def waits_on_a_lock(seconds=10) -> bool:
    """Whether another session of this database is waiting for a row lock."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False
