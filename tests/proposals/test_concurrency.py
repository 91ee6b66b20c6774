"""Concurrent submissions on PostgreSQL: distinct folios, and one winner for one proposal.

SQLite serialises writers, so these run only against PostgreSQL (set DATABASE_URL, as .ci/run does).
"""

import threading

import pytest
from django.db import connection, connections

from nicp.errors import TransitionNotAllowed
from proposals import services
from proposals.models import ProposalEvent
from tests.factories import complete_proposal

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: set DATABASE_URL=postgres://… (.ci/run does)"),
]


def run_together(*calls):
    """Start every call at the same instant in its own thread (own connection); collect results."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001  (the test inspects what each thread got)
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_sequential_folios(call, group, applicant):
    proposals = [complete_proposal(services.proposal_create(actor=applicant, call=call, group=group,
                                                            title=f"P{i}"), applicant) for i in range(4)]
    results = run_together(*[
        (lambda p=p: services.proposal_transition(actor=applicant, proposal_id=p.pk, action="submit"))
        for p in proposals
    ])
    folios = sorted(result.folio for result in results)
    assert folios == [f"MB-{call.fiscal_year}-{n:05d}" for n in range(1, 5)]


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_has_one_winner_and_one_event(call, group, applicant):
    proposal = complete_proposal(services.proposal_create(actor=applicant, call=call, group=group, title="P"),
                                 applicant)
    submit = lambda: services.proposal_transition(actor=applicant, proposal_id=proposal.pk, action="submit")  # noqa: E731
    results = run_together(submit, submit)
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], TransitionNotAllowed)
    assert ProposalEvent.objects.filter(proposal=proposal, action="submit").count() == 1
