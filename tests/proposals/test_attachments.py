import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from proposals import services
from tests.factories import PDF_BYTES, jpeg_bytes, upload


def add(draft, actor, name, content, kind="site_photo"):
    return services.attachment_add(actor=actor, proposal_id=draft.pk, kind=kind, upload=upload(name, content))


def test_a_file_disguised_by_its_name_is_refused(draft, applicant):
    with pytest.raises(ValidationError, match="se revisa el contenido"):
        add(draft, applicant, "foto.jpg", b"MZ\x90\x00 this is a windows program" * 10)
    with pytest.raises(ValidationError, match="se revisa el contenido"):
        add(draft, applicant, "acta.pdf", b"<html><script>alert(1)</script></html>")
    assert not draft.attachments.exists()


def test_a_png_named_jpg_is_stored_as_the_png_it_is(draft, applicant):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="PNG")
    attachment = add(draft, applicant, "foto.jpg", out.getvalue())
    assert attachment.content_type == "image/png" and attachment.file.name.endswith(".png")


def test_oversized_file_is_refused_with_its_size(draft, applicant):
    big = PDF_BYTES[:-7] + b"0" * (2 * 1_048_576) + b"\n%%EOF\n"
    with pytest.raises(ValidationError, match="el máximo es 2 MB"):
        add(draft, applicant, "grande.pdf", big, kind="other")


def test_too_many_files_and_too_much_in_total(draft, applicant):
    for _ in range(4):
        add(draft, applicant, "f.pdf", PDF_BYTES, kind="other")
    with pytest.raises(ValidationError, match="máximo de la convocatoria"):
        add(draft, applicant, "f.pdf", PDF_BYTES, kind="other")


def test_total_size_limit(draft, applicant):
    chunk = PDF_BYTES[:-7] + b"0" * int(1.9 * 1_048_576) + b"\n%%EOF\n"
    add(draft, applicant, "a.pdf", chunk, kind="other")
    add(draft, applicant, "b.pdf", chunk, kind="other")
    with pytest.raises(ValidationError, match="pasaría de 5 MB"):
        add(draft, applicant, "c.pdf", chunk, kind="other")


def test_images_are_re_encoded_without_metadata_under_a_random_name(draft, applicant):
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "N", 2: (19.0, 21.0, 0.0)}  # GPS
    attachment = add(draft, applicant, "mi casa.jpg", jpeg_bytes(exif=exif.tobytes()))
    with attachment.file.open("rb") as handle, Image.open(handle) as stored:
        assert not stored.getexif()
    assert "mi casa" not in attachment.file.name and attachment.original_name == "mi casa.jpg"


def test_a_broken_pdf_is_refused(draft, applicant):
    with pytest.raises(ValidationError, match="incompleto"):
        add(draft, applicant, "roto.pdf", b"%PDF-1.4\n1 0 obj<<>>")


def test_downloads_check_permission_and_name_safely(client, draft, applicant, other_applicant):
    attachment = add(draft, applicant, 'acta"; filename="x.exe.pdf', PDF_BYTES, kind="minutes")
    url = reverse("proposals:attachment", args=[draft.pk, attachment.pk])
    client.force_login(applicant)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert '"; filename="x.exe' not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES
    client.force_login(other_applicant)
    assert client.get(url).status_code == 404


def test_removing_an_attachment(draft, applicant):
    attachment = add(draft, applicant, "f.pdf", PDF_BYTES, kind="other")
    services.attachment_remove(actor=applicant, attachment_id=attachment.pk)
    assert not draft.attachments.exists()
