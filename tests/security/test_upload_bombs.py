"""Decompression bombs: an image whose header claims more pixels than NICP_UPLOAD_MAX_PIXELS is refused
from its header, before anything is decoded, on every upload path; and a proposal takes at most
NICP_UPLOADS_PER_PROPOSAL_PER_HOUR files an hour, removed ones included."""

import io
import struct
import zlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageFile
from rest_framework.test import APIClient

from accounts.roles import StaffRole
from proposals import services
from proposals.models import Attachment, Proposal, ReviewPhoto, UploadReceipt
from proposals.workflow import ProposalState
from tests.factories import PDF_BYTES, jpeg_bytes, make_open_call, upload


def png_claiming(width: int, height: int) -> bytes:
    """A tiny real PNG whose IHDR (with a correct CRC) claims width × height."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 30)).save(out, format="PNG")
    data = bytearray(out.getvalue())
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def jpeg_claiming(width: int, height: int) -> bytes:
    """A tiny real JPEG whose SOF0 frame header claims width × height."""
    data = bytearray(jpeg_bytes(size=(16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


# Default limit 40 megapixels: 7000 × 7000 (49 MP) is between it and twice it, where Pillow only warns.
BOMBS = {"png-huge": png_claiming(60_000, 60_000), "png-over": png_claiming(7000, 7000),
         "jpeg-over": jpeg_claiming(7000, 7000)}


@pytest.fixture(autouse=True)
def no_decoding(monkeypatch):
    """Decoding a refused image is the failure: make it loud."""
    def refuse(self, *args, **kwargs):
        raise AssertionError(f"decoded a {self.size} image")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


@pytest.fixture
def draft(db, group, applicant):
    return services.proposal_create(actor=applicant, call=make_open_call(), group=group, title="Parque")


def test_the_crafted_headers_do_claim_the_size():
    for bomb in ("png-over", "jpeg-over"):
        with Image.open(io.BytesIO(BOMBS[bomb])) as image:
            assert image.size == (7000, 7000)


@pytest.mark.parametrize("bomb", BOMBS)
def test_attachment_bombs_are_refused_next_to_the_field(client, draft, applicant, bomb):
    client.force_login(applicant)
    response = client.post(reverse("proposals:proposal_step", args=[draft.pk, "anexos"]),
                           {"kind": "site_photo", "file": upload("foto.png", BOMBS[bomb]), "version": draft.version})
    assert response.status_code == 400
    assert "megapíxeles" in " ".join(response.context["form"].errors["file"])
    assert not Attachment.objects.exists() and not UploadReceipt.objects.exists()


@pytest.mark.parametrize("bomb", BOMBS)
def test_attachment_bombs_are_refused_by_the_api(draft, applicant, bomb):
    api = APIClient()
    api.force_authenticate(applicant)
    response = api.post(f"/api/v1/proposals/{draft.pk}/attachments/",
                        {"kind": "site_photo", "file": upload("foto.jpg", BOMBS[bomb])}, format="multipart")
    assert response.status_code == 400 and "megapíxeles" in str(response.json()["file"])
    assert not Attachment.objects.exists()


def submitted_with_reviewer(draft, applicant, staff):
    Proposal.objects.filter(pk=draft.pk).update(status=ProposalState.SUBMITTED, folio="MB-2027-00001")
    reviewer = staff[StaffRole.TECHNICAL_REVIEWER]
    services.reviewers_assign(actor=staff[StaffRole.COORDINATOR], proposal_ids=[draft.pk], reviewer=reviewer)
    return reviewer


@pytest.mark.parametrize("bomb", BOMBS)
def test_review_photo_bombs_are_refused(draft, applicant, staff, bomb):
    reviewer = submitted_with_reviewer(draft, applicant, staff)
    with pytest.raises(ValidationError, match="megapíxeles"):
        services.review_photo_add(actor=reviewer, proposal_id=draft.pk, upload=upload("f.png", BOMBS[bomb]))
    assert not ReviewPhoto.objects.exists()


def test_a_call_document_that_is_an_image_is_refused_undecoded(db, staff):
    with pytest.raises(ValidationError, match="van en PDF"):
        services.call_document_add(actor=staff[StaffRole.COORDINATOR], call=make_open_call(), title="Reglas",
                                   upload=upload("reglas.pdf", BOMBS["jpeg-over"]))


def test_assembly_file_bombs_are_refused(draft, applicant, staff):
    coordinator = staff[StaffRole.COORDINATOR]
    Proposal.objects.filter(pk=draft.pk).update(status=ProposalState.ELIGIBLE, folio="MB-2027-00001")
    assembly = services.assembly_schedule(actor=coordinator, proposal_id=draft.pk, scheduled_at=timezone.now(),
                                          place="Plaza", convened_by="Comité")
    with pytest.raises(ValidationError, match="megapíxeles"):
        services.assembly_record(actor=coordinator, assembly_id=assembly.pk, attendees=50, votes_for=40,
                                 votes_against=5, abstentions=5, minutes=upload("acta.pdf", PDF_BYTES),
                                 attendance_list=upload("lista.png", BOMBS["png-over"]))


def test_the_limit_is_the_setting(draft, applicant, settings, monkeypatch):
    settings.NICP_UPLOAD_MAX_PIXELS = 10_000
    with pytest.raises(ValidationError, match="megapíxeles"):  # 120 × 120 = 14,400 pixels
        services.attachment_add(actor=applicant, proposal_id=draft.pk, kind="site_photo",
                                upload=upload("f.jpg", jpeg_bytes(size=(120, 120))))
    monkeypatch.undo()  # decoding allowed again for the image under the limit
    attachment = services.attachment_add(actor=applicant, proposal_id=draft.pk, kind="site_photo",
                                         upload=upload("f.jpg", jpeg_bytes(size=(90, 90))))
    assert attachment.content_type == "image/jpeg"


# --- Uploads per proposal per hour -----------------------------------------------------------------

def add(draft, applicant):
    return services.attachment_add(actor=applicant, proposal_id=draft.pk, kind="other",
                                   upload=upload("f.pdf", PDF_BYTES))


def test_removing_and_sending_again_does_not_reset_the_hourly_count(client, draft, applicant, settings,
                                                                    time_machine):
    settings.NICP_UPLOADS_PER_PROPOSAL_PER_HOUR = 3
    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(3):
        services.attachment_remove(actor=applicant, attachment_id=add(draft, applicant).pk)
    client.force_login(applicant)
    page = client.post(reverse("proposals:proposal_step", args=[draft.pk, "anexos"]),
                       {"kind": "other", "file": upload("f.pdf", PDF_BYTES)})
    assert page.status_code == 400
    assert "3 archivos en la última hora" in " ".join(page.context["form"].errors["file"])
    api = APIClient()
    api.force_authenticate(applicant)
    refused = api.post(f"/api/v1/proposals/{draft.pk}/attachments/",
                       {"kind": "other", "file": upload("f.pdf", PDF_BYTES)}, format="multipart")
    assert refused.status_code == 400 and "en la última hora" in str(refused.json()["file"])
    assert not Attachment.objects.exists() and UploadReceipt.objects.count() == 3
    time_machine.shift(timedelta(minutes=61))
    assert add(draft, applicant).pk


def test_site_visit_photos_count_toward_the_same_hour(draft, applicant, staff, settings, monkeypatch):
    monkeypatch.undo()
    settings.NICP_UPLOADS_PER_PROPOSAL_PER_HOUR = 2
    reviewer = submitted_with_reviewer(draft, applicant, staff)
    services.review_photo_add(actor=reviewer, proposal_id=draft.pk, upload=upload("a.jpg", jpeg_bytes()))
    services.review_photo_add(actor=reviewer, proposal_id=draft.pk, upload=upload("b.jpg", jpeg_bytes()))
    with pytest.raises(ValidationError, match="en la última hora"):
        services.review_photo_add(actor=reviewer, proposal_id=draft.pk, upload=upload("c.jpg", jpeg_bytes()))
    assert ReviewPhoto.objects.count() == 2
