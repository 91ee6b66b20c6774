"""Upload rules: the bytes decide the type, images are re-encoded without metadata."""

import io
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass
class CleanFile:
    content: ContentFile
    content_type: str
    extension: str
    size: int


def clean_upload(upload, *, max_bytes: int) -> CleanFile:
    """Check an uploaded file and return a safe copy to store; raise ValidationError saying why not."""
    if upload.size > max_bytes:
        raise ValidationError(_("El archivo «%(name)s» pesa %(size).1f MB; el máximo es %(max)d MB.")
                              % {"name": upload.name, "size": upload.size / 1_048_576, "max": max_bytes // 1_048_576})
    data = upload.read()
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind else None
    if mime not in ALLOWED:
        raise ValidationError(_("«%(name)s» no es un PDF ni una imagen JPEG, PNG o WEBP (se revisa el contenido, "
                                "no el nombre).") % {"name": upload.name})
    if mime == "application/pdf":
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("El PDF «%(name)s» está incompleto o dañado.") % {"name": upload.name})
        return CleanFile(ContentFile(data), mime, "pdf", len(data))
    return _reencode_image(data, mime, upload.name)


def _reencode_image(data: bytes, mime: str, name: str) -> CleanFile:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            fmt = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}[mime]
            if image.format != fmt:
                raise ValidationError(_("«%(name)s» no es la imagen que dice ser.") % {"name": name})
            # Apply the camera's rotation, then drop EXIF (GPS, device) by saving only the pixels.
            from PIL import ImageOps

            clean = ImageOps.exif_transpose(image)
            if fmt == "JPEG" and clean.mode not in ("RGB", "L"):
                clean = clean.convert("RGB")
            out = io.BytesIO()
            options = {"JPEG": {"quality": 88, "optimize": True}, "PNG": {"optimize": True},
                       "WEBP": {"quality": 85}}[fmt]
            clean.save(out, format=fmt, **options)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("No se pudo leer la imagen «%(name)s».") % {"name": name}) from exc
    content = out.getvalue()
    return CleanFile(ContentFile(content), mime, ALLOWED[mime], len(content))
