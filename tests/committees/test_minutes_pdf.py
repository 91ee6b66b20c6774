"""The minutes PDF: rendered from HTML with a Unicode font (a dash prints as a dash, accents as written),
with a signature line for every member present and the secretary, and tagged for screen readers."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from accounts.models import User
from committees import services
from proposals.models import Proposal
from tests.committees.conftest import members, score_all


@pytest.fixture
def closed_session(committee, shortlist):
    User.objects.filter(pk=members(committee)[0].user_id).update(full_name="María José Núñez Peña")
    User.objects.filter(pk=committee.secretary_id).update(full_name="Ángela Gutiérrez Ibáñez")
    Proposal.objects.filter(pk=shortlist[0].pk).update(title="Cancha de usos múltiples — segunda etapa")
    committee.secretary.refresh_from_db()
    score_all(committee, shortlist)
    present = members(committee)[:4]  # one member absent: no signature line for them
    session = services.session_open(actor=committee.secretary, committee=committee, held_on=date(2028, 6, 12),
                                    present_member_ids=[m.pk for m in present])
    for member in present:
        services.vote_cast(actor=member.user, session_id=session.pk, choice="for")
    return services.session_close(actor=committee.secretary, session_id=session.pk)


def pdf_of(session) -> PdfReader:
    session.minutes.open("rb")
    try:
        return PdfReader(io.BytesIO(session.minutes.read()))
    finally:
        session.minutes.close()


def test_the_minutes_print_dashes_and_accents_as_written(closed_session):
    text = " ".join(" ".join(page.extract_text() for page in pdf_of(closed_session).pages).split())
    assert "Cancha de usos múltiples — segunda etapa" in text
    assert "María José Núñez Peña" in text and "Ángela Gutiérrez Ibáñez" in text
    assert "?" not in text.replace("¿", "")
    assert "12 de junio de 2028" in text.lower()


def test_the_minutes_have_a_signature_line_per_member_present_and_the_secretary(closed_session):
    text = "\n".join(page.extract_text() for page in pdf_of(closed_session).pages)
    signatures = text[text.rindex("Firmas"):]
    present = [m.user.get_full_name() for m in closed_session.present.select_related("user")]
    absent = [m.user.get_full_name() for m in closed_session.committee.members.exclude(
        pk__in=closed_session.present.all()).select_related("user")]
    assert all(name in signatures for name in present) and "Ángela Gutiérrez Ibáñez" in signatures
    assert "Secretaría del Comité" in signatures
    assert absent and not any(name in signatures for name in absent)


def test_the_minutes_are_a_tagged_pdf(closed_session):
    catalog = pdf_of(closed_session).trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog.get("/Lang") == "es"
