"""The Committee's minutes PDF is served under a fixed name, with nosniff and in a sandbox."""

from django.urls import reverse

from tests.committees.test_committee_pages import publish


def test_the_minutes_pdf_is_served_safely(client, committee, shortlist, coordinator):
    publish(committee, shortlist, coordinator)
    client.force_login(coordinator)
    response = client.get(reverse("committees:minutes", args=[committee.call_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="acta-comite-{committee.call.fiscal_year}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
