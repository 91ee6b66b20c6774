"""Photos of the works (progress reports, logbook, site visits): where and when a photo was taken is kept
as data, read from its EXIF before the upload rules re-encode it without metadata; a photo taken far from
the site is flagged for whoever reviews it, never refused (a phone's GPS fix can be poor or missing)."""

import io
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import ExifTags, Image

from proposals.uploads import IMAGE_FORMATS, IMAGES_ONLY, CleanFile, clean_upload

PHOTO_MAX_BYTES = 15 * 1_048_576
MEXICO_CITY = ZoneInfo("America/Mexico_City")
EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)
SIX_PLACES = Decimal("0.000001")
OFFSET = re.compile(r"([+-])(\d{2}):(\d{2})")


@dataclass(frozen=True)
class PhotoFacts:
    latitude: Decimal | None = None  # 6 decimals, from EXIF GPS (GPSLatitude + Ref), None if absent/invalid
    longitude: Decimal | None = None
    taken_at: datetime | None = None  # DateTimeOriginal (+ OffsetTimeOriginal, else Mexico City time), aware


def photo_facts(data: bytes) -> PhotoFacts:
    """The photo's GPS position and time from its EXIF; whatever is missing or garbled comes back as None."""
    try:
        with Image.open(io.BytesIO(data), formats=list(IMAGE_FORMATS.values())) as image:
            exif = image.getexif()
            gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
            details = exif.get_ifd(ExifTags.IFD.Exif)
    except Exception:  # untrusted metadata: any parser failure just means "no facts"
        return PhotoFacts()
    latitude, longitude = _position(gps)
    return PhotoFacts(latitude=latitude, longitude=longitude, taken_at=_taken_at(details))


def clean_photo(upload) -> tuple[CleanFile, PhotoFacts]:
    """A safe copy of an uploaded photo (re-encoded, no metadata) and the facts read from the original bytes.
    The upload rules run first, so the EXIF reader only ever sees a file of accepted size and type."""
    upload.seek(0)
    clean = clean_upload(upload, max_bytes=PHOTO_MAX_BYTES, accept=IMAGES_ONLY,
                         refused=_("La foto va en JPEG, PNG o WEBP."))
    upload.seek(0)
    return clean, photo_facts(upload.read())


def distance_m(lat1, lng1, lat2, lng2) -> float:
    """Great-circle (haversine) distance in metres between two positions in decimal degrees."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(lng2) - float(lng1))
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def far_from_site(facts: PhotoFacts, site: tuple[Decimal, Decimal] | None) -> bool | None:
    """True when the photo was taken beyond NICP_PHOTO_FAR_FROM_SITE_M of the site; None when either
    position is unknown (which says nothing either way)."""
    if site is None or facts.latitude is None or facts.longitude is None:
        return None
    return distance_m(facts.latitude, facts.longitude, *site) > settings.NICP_PHOTO_FAR_FROM_SITE_M


def project_site(proposal) -> tuple[Decimal, Decimal] | None:
    """Where the works are: the proposal's own point, or else its neighbourhood's point in the catalogue."""
    if proposal.latitude is not None and proposal.longitude is not None:
        return proposal.latitude, proposal.longitude
    neighbourhood = proposal.neighbourhood
    if neighbourhood is not None and neighbourhood.latitude is not None and neighbourhood.longitude is not None:
        return neighbourhood.latitude, neighbourhood.longitude
    return None


def _position(gps) -> tuple[Decimal | None, Decimal | None]:
    """Both coordinates or neither: half a position places nothing."""
    latitude = _coordinate(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef),
                           limit=90, positive="N", negative="S")
    longitude = _coordinate(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef),
                            limit=180, positive="E", negative="W")
    # Some cameras write 0/0 when they have no fix; nobody builds works in the Gulf of Guinea.
    if latitude is None or longitude is None or (latitude == 0 and longitude == 0):
        return None, None
    return latitude, longitude


def _coordinate(value, ref, *, limit: int, positive: str, negative: str) -> Decimal | None:
    """Degrees, minutes, seconds (EXIF rationals) and a hemisphere letter as signed decimal degrees."""
    ref = _text(ref).upper()
    if ref not in (positive, negative) or not isinstance(value, tuple | list) or not 1 <= len(value) <= 3:
        return None
    parts = [_fraction(part) for part in value]
    if any(part is None or part < 0 for part in parts) or any(part >= 60 for part in parts[1:]):
        return None
    degrees = sum(part / 60**i for i, part in enumerate(parts))
    if degrees > limit:
        return None
    signed = -degrees if ref == negative else degrees
    return (Decimal(signed.numerator) / Decimal(signed.denominator)).quantize(SIX_PLACES, ROUND_HALF_UP)


def _fraction(part) -> Fraction | None:
    """An EXIF rational (or a plain number) as an exact fraction; None for a zero denominator or NaN."""
    try:
        if hasattr(part, "denominator") and hasattr(part, "numerator") and not isinstance(part, float):
            numerator, denominator = int(part.numerator), int(part.denominator)
            return Fraction(numerator, denominator) if denominator else None
        return Fraction(part)
    except (TypeError, ValueError, OverflowError, ZeroDivisionError):
        return None


def _taken_at(details) -> datetime | None:
    """DateTimeOriginal with its OffsetTimeOriginal, or as Mexico City time when the camera gave no offset."""
    try:
        local = datetime.strptime(_text(details.get(ExifTags.Base.DateTimeOriginal))[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:  # absent, blank ("    :  :     ") or not a date
        return None
    offset = OFFSET.fullmatch(_text(details.get(ExifTags.Base.OffsetTimeOriginal)))
    if offset and int(offset[2]) < 24 and int(offset[3]) < 60:
        sign = -1 if offset[1] == "-" else 1
        zone = timezone(sign * timedelta(hours=int(offset[2]), minutes=int(offset[3])))
    else:
        zone = MEXICO_CITY
    taken_at = local.replace(tzinfo=zone)
    try:
        taken_at.astimezone(UTC)  # year 1 or 9999 with an offset falls outside what can be stored
    except OverflowError:
        return None
    return taken_at


def _text(value) -> str:
    """An EXIF ASCII value as text without its padding (Pillow may hand back bytes for odd encodings)."""
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="replace")
    return value.strip().strip("\x00").strip() if isinstance(value, str) else ""
