"""Every download is served under a name made from its checked type, never the name it was uploaded
with, as a download (or a sandboxed inline view), with nosniff and the type it was checked to be."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import StaffRole
from nicp.storage import download_response, random_name
from proposals import services
from proposals.models import Proposal
from proposals.workflow import ProposalState
from tests.factories import PDF_BYTES, complete_proposal, jpeg_bytes, make_open_call, upload

EVIL_NAMES = ["evil.html", "x.pdf.exe", 'acta"; filename="x.exe', "..\\..\\boot.ini"]


def assert_safe(response, *, filename, content_type):
    disposition = response["Content-Disposition"]
    for evil in ("evil", ".html", ".exe", "boot", "x.pdf"):
        assert evil not in disposition, disposition
    assert disposition.endswith(f'filename="{filename}"'), disposition
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.fixture
def submitted(db, group, applicant):
    """A complete draft: two attachments of the call's four, so each test can add two more."""
    call = make_open_call()
    return complete_proposal(services.proposal_create(actor=applicant, call=call, group=group, title="P"), applicant)


@pytest.mark.parametrize("evil", EVIL_NAMES)
def test_attachments_are_served_as_anexo_and_id(client, submitted, applicant, evil):
    pdf = services.attachment_add(actor=applicant, proposal_id=submitted.pk, kind="public_land_proof",
                                  upload=upload(evil, PDF_BYTES, "text/html"))
    photo = services.attachment_add(actor=applicant, proposal_id=submitted.pk, kind="site_photo",
                                    upload=upload(evil, jpeg_bytes(), "text/html"))
    client.force_login(applicant)
    response = client.get(reverse("proposals:attachment", args=[submitted.pk, pdf.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert_safe(response, filename=f"anexo-{pdf.pk}.pdf", content_type="application/pdf")
    inline = client.get(reverse("proposals:attachment", args=[submitted.pk, photo.pk]), {"ver": "1"})
    assert inline["Content-Disposition"].startswith("inline;")
    assert_safe(inline, filename=f"anexo-{photo.pk}.jpg", content_type="image/jpeg")


@pytest.mark.parametrize("evil", EVIL_NAMES)
def test_review_photos_are_served_as_foto_and_id(client, submitted, applicant, staff, evil):
    services.proposal_transition(actor=applicant, proposal_id=submitted.pk, action="submit")
    reviewer = staff[StaffRole.TECHNICAL_REVIEWER]
    services.reviewers_assign(actor=staff[StaffRole.COORDINATOR], proposal_ids=[submitted.pk], reviewer=reviewer)
    photo = services.review_photo_add(actor=reviewer, proposal_id=submitted.pk,
                                      upload=upload(evil, jpeg_bytes(), "text/html"))
    client.force_login(reviewer)
    response = client.get(reverse("proposals:review_photo_file", args=[submitted.pk, photo.pk]))
    assert_safe(response, filename=f"foto-{photo.pk}.jpg", content_type="image/jpeg")


@pytest.mark.parametrize("evil", EVIL_NAMES)
def test_call_documents_never_echo_their_title_or_upload_name(client, staff, evil):
    call = make_open_call()
    document = services.call_document_add(actor=staff[StaffRole.COORDINATOR], call=call, title=evil,
                                          upload=upload(evil, PDF_BYTES, "text/html"))
    response = client.get(reverse("proposals:call_document", args=[document.pk]))
    assert_safe(response, filename=f"convocatoria-{call.pk}-documento-{document.pk}.pdf",
                content_type="application/pdf")


@pytest.mark.parametrize("evil", EVIL_NAMES)
def test_assembly_files_are_served_by_kind_and_id(client, submitted, applicant, staff, evil):
    coordinator = staff[StaffRole.COORDINATOR]
    services.proposal_transition(actor=applicant, proposal_id=submitted.pk, action="submit")
    services.proposal_transition(actor=coordinator, proposal_id=submitted.pk, action="accept")
    assembly = services.assembly_schedule(actor=coordinator, proposal_id=submitted.pk, scheduled_at=timezone.now(),
                                          place="Plaza", convened_by="Comité")
    services.assembly_record(actor=coordinator, assembly_id=assembly.pk, attendees=50, votes_for=40,
                             votes_against=5, abstentions=5, minutes=upload(evil, PDF_BYTES, "text/html"),
                             attendance_list=upload(evil, jpeg_bytes(), "text/html"))
    client.force_login(coordinator)
    minutes = client.get(reverse("proposals:assembly_file", args=[submitted.pk, assembly.pk, "acta"]))
    assert_safe(minutes, filename=f"acta-asamblea-{assembly.pk}.pdf", content_type="application/pdf")
    attendance = client.get(reverse("proposals:assembly_file", args=[submitted.pk, assembly.pk, "asistencia"]))
    assert_safe(attendance, filename=f"asistencia-asamblea-{assembly.pk}.jpg", content_type="image/jpeg")
    assert Proposal.objects.get(pk=submitted.pk).status != ProposalState.DRAFT


def test_a_type_outside_the_accepted_ones_is_an_opaque_download(db, tmp_path):
    stored = tmp_path / "x.html"
    stored.write_bytes(b"<script>alert(1)</script>")

    class Stored:
        def open(self, mode):
            return stored.open(mode)

    response = download_response(Stored(), stem='anexo-1"; x=.html', content_type="text/html", inline=True)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="anexo-1---x-.html.bin"'
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_stored_names_keep_only_known_extensions():
    assert random_name("proposals/1", "evil.html").endswith(".bin")
    assert random_name("proposals/1", "foto.JPG").endswith(".jpg")
