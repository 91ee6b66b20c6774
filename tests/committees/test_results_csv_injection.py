"""The public results CSV escapes the titles that groups wrote (formula injection)."""

import csv
import io

from django.urls import reverse

from proposals.models import Proposal
from tests.committees.test_committee_pages import publish


def test_the_results_csv_escapes_a_malicious_title(client, committee, shortlist, coordinator):
    Proposal.objects.filter(pk=shortlist[0].pk).update(title='=HYPERLINK("http://malo.example","premio")')
    Proposal.objects.filter(pk=shortlist[1].pk).update(title="-1+cmd|' /C calc'!A0")
    publish(committee, shortlist, coordinator)
    response = client.get(reverse("committees:results_csv", args=[committee.call_id]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    titles = {row[2]: row[3] for row in rows[1:]}
    assert titles[shortlist[0].folio] == '\'=HYPERLINK("http://malo.example","premio")'
    assert titles[shortlist[1].folio] == "'-1+cmd|' /C calc'!A0"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert all(float(row[8]) > 0 for row in rows[1:])  # amounts stay numbers
