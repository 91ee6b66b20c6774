"""Upload rules: the bytes decide the type; images are measured from their header before anything is
decoded, then re-encoded without metadata."""

import io
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from nicp.storage import EXTENSIONS

PDF = "application/pdf"
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
ANY_ACCEPTED = frozenset(EXTENSIONS) - {"application/xml"}
IMAGES_ONLY = frozenset(IMAGE_FORMATS)
PDF_ONLY = frozenset({PDF})
# Pillow's own guard (a warning over the limit, an error over twice it) stays as a second net; the
# check below refuses anything over the limit itself, before decoding.
Image.MAX_IMAGE_PIXELS = settings.NICP_UPLOAD_MAX_PIXELS


@dataclass
class CleanFile:
    content: ContentFile
    content_type: str
    extension: str
    size: int


def clean_upload(upload, *, max_bytes: int, accept: frozenset[str] = ANY_ACCEPTED,
                 refused: str | None = None) -> CleanFile:
    """Check an uploaded file and return a safe copy to store; raise ValidationError saying why not.
    `accept` narrows the types (checked before any image is decoded); `refused` says so in the caller's words."""
    if upload.size > max_bytes:
        raise ValidationError(_("El archivo «%(name)s» pesa %(size).1f MB; el máximo es %(max)d MB.")
                              % {"name": upload.name, "size": upload.size / 1_048_576, "max": max_bytes // 1_048_576})
    data = upload.read()
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind else None
    if mime not in ANY_ACCEPTED:
        raise ValidationError(_("«%(name)s» no es un PDF ni una imagen JPEG, PNG o WEBP (se revisa el contenido, "
                                "no el nombre).") % {"name": upload.name})
    if mime not in accept:
        raise ValidationError(refused or _("«%(name)s» no es de un tipo aceptado aquí.") % {"name": upload.name})
    if mime == PDF:
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("El PDF «%(name)s» está incompleto o dañado.") % {"name": upload.name})
        return CleanFile(ContentFile(data), mime, EXTENSIONS[mime], len(data))
    return _reencode_image(data, mime, upload.name)


def _too_big(name: str) -> ValidationError:
    return ValidationError(_("La imagen «%(name)s» tiene más de %(max)d megapíxeles; redúcela antes de subirla.")
                           % {"name": name, "max": settings.NICP_UPLOAD_MAX_PIXELS // 1_000_000})


def _reencode_image(data: bytes, mime: str, name: str) -> CleanFile:
    fmt = IMAGE_FORMATS[mime]
    try:
        # Image.open reads only the header; only the detected format's decoder may answer.
        with Image.open(io.BytesIO(data), formats=[fmt]) as image:
            width, height = image.size
            if width * height > settings.NICP_UPLOAD_MAX_PIXELS:
                raise _too_big(name)
            image.load()
            # Apply the camera's rotation, then drop EXIF (GPS, device) by saving only the pixels.
            clean = ImageOps.exif_transpose(image)
            if fmt == "JPEG" and clean.mode not in ("RGB", "L"):
                clean = clean.convert("RGB")
            out = io.BytesIO()
            options = {"JPEG": {"quality": 88, "optimize": True}, "PNG": {"optimize": True},
                       "WEBP": {"quality": 85}}[fmt]
            clean.save(out, format=fmt, **options)
    except Image.DecompressionBombError as exc:
        raise _too_big(name) from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise ValidationError(_("No se pudo leer la imagen «%(name)s».") % {"name": name}) from exc
    content = out.getvalue()
    return CleanFile(ContentFile(content), mime, EXTENSIONS[mime], len(content))
