"""Works photos: position and time read from EXIF as data, the stored copy without metadata, far-away photos
flagged. The photos are made here with Pillow, carrying the EXIF a phone writes."""

import ast
import io
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

from neighbourhoods.models import Neighbourhood
from projects import photos
from projects.photos import PhotoFacts, clean_photo, distance_m, far_from_site, photo_facts, project_site
from proposals.models import Proposal

ZOCALO = (Decimal("19.432608"), Decimal("-99.133208"))
BELLAS_ARTES = (Decimal("19.435180"), Decimal("-99.141230"))
# The Zócalo as a phone writes it: 19° 25' 57.39" N, 99° 7' 59.55" W.
ZOCALO_GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (IFDRational(19, 1), IFDRational(25, 1), IFDRational(5739, 100)),
    ExifTags.GPS.GPSLongitudeRef: "W",
    ExifTags.GPS.GPSLongitude: (IFDRational(99, 1), IFDRational(7, 1), IFDRational(5955, 100)),
}
MINUS_SIX = timezone(timedelta(hours=-6))


def exif_bytes(gps=None, taken=None, offset=None, orientation=None) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Telefono"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps is not None:
        exif[ExifTags.IFD.GPSInfo] = gps
    details = {}
    if taken is not None:
        details[ExifTags.Base.DateTimeOriginal] = taken
    if offset is not None:
        details[ExifTags.Base.OffsetTimeOriginal] = offset
    if details:
        exif[ExifTags.IFD.Exif] = details
    return exif.tobytes()


def photo(fmt="JPEG", size=(64, 48), exif=None, image=None) -> bytes:
    out = io.BytesIO()
    (image or Image.new("RGB", size, (90, 140, 60))).save(out, format=fmt, **({"exif": exif} if exif else {}))
    return out.getvalue()


def upload(data: bytes, name="avance.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def gps(lat, lat_ref, lng, lng_ref):
    return {ExifTags.GPS.GPSLatitudeRef: lat_ref, ExifTags.GPS.GPSLatitude: lat,
            ExifTags.GPS.GPSLongitudeRef: lng_ref, ExifTags.GPS.GPSLongitude: lng}


def dms(degrees, minutes=0, seconds=0):
    return IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 1)


# -- reading the facts ---------------------------------------------------------------------------------

def test_position_and_time_with_its_offset_come_from_a_jpeg():
    facts = photo_facts(photo(exif=exif_bytes(ZOCALO_GPS, "2026:03:14 10:20:30", "-06:00")))
    assert (facts.latitude, facts.longitude) == ZOCALO
    assert facts.latitude.as_tuple().exponent == -6
    assert facts.taken_at == datetime(2026, 3, 14, 10, 20, 30, tzinfo=MINUS_SIX)
    assert facts.taken_at.utcoffset() == timedelta(hours=-6)


def test_the_camera_offset_wins_over_mexico_city_time():
    facts = photo_facts(photo(exif=exif_bytes(taken="2026:03:14 10:20:30", offset="+01:00")))
    assert facts.taken_at.utcoffset() == timedelta(hours=1)
    assert facts.taken_at == datetime(2026, 3, 14, 3, 20, 30, tzinfo=MINUS_SIX)


def test_without_an_offset_the_time_is_mexico_city_time():
    # Mexico City has kept UTC-6 all year since 2022, summer included.
    facts = photo_facts(photo(exif=exif_bytes(taken="2026:07:01 18:05:00")))
    assert facts.taken_at.tzinfo == photos.MEXICO_CITY
    assert facts.taken_at == datetime(2026, 7, 1, 18, 5, tzinfo=MINUS_SIX)
    assert (facts.latitude, facts.longitude) == (None, None)


def test_south_and_east_refs_give_the_signs():
    facts = photo_facts(photo(exif=exif_bytes(gps(dms(33, 51, 35), "S", dms(151, 12, 40), "E"))))
    assert facts.latitude == Decimal("-33.859722") and facts.longitude == Decimal("151.211111")


def test_position_and_time_come_from_a_webp_too():
    facts = photo_facts(photo("WEBP", exif=exif_bytes(ZOCALO_GPS, "2026:03:14 10:20:30")))
    assert (facts.latitude, facts.longitude) == ZOCALO and facts.taken_at.year == 2026


def test_a_png_without_exif_has_no_facts():
    assert photo_facts(photo("PNG")) == PhotoFacts(None, None, None)


@pytest.mark.parametrize("position", [
    gps((IFDRational(19, 0), IFDRational(25, 1), IFDRational(0, 1)), "N", dms(99, 7), "W"),  # zero denominator
    gps(dms(19, 25), "N", (IFDRational(99, 1), IFDRational(7, 0), IFDRational(1, 1)), "W"),
    gps(dms(91), "N", dms(99, 7), "W"),            # latitude past the pole
    gps(dms(19, 25), "N", dms(181), "W"),          # longitude past the antimeridian
    gps(dms(19, 60), "N", dms(99, 7), "W"),        # sixty minutes
    gps(dms(19, 25, 75), "N", dms(99, 7), "W"),    # seventy-five seconds
    gps(dms(19, 25), "X", dms(99, 7), "W"),        # no such hemisphere
    gps(dms(19, 25), "", dms(99, 7), "W"),         # hemisphere left blank
    {ExifTags.GPS.GPSLatitude: dms(19, 25), ExifTags.GPS.GPSLongitude: dms(99, 7)},  # no refs at all
    gps(dms(19, 25), "N", dms(99, 7), "N"),        # a latitude letter on the longitude
    gps(dms(0), "N", dms(0), "E"),                 # what cameras write without a fix
    gps((*dms(19, 25), IFDRational(1, 1)), "N", dms(99, 7), "W"),  # four parts to a coordinate
    {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: dms(19, 25)},  # half a position
])
def test_garbled_or_missing_gps_gives_no_position(position):
    facts = photo_facts(photo(exif=exif_bytes(position, "2026:03:14 10:20:30", "-06:00")))
    assert (facts.latitude, facts.longitude) == (None, None)
    assert facts.taken_at is not None  # the time survives a bad position


@pytest.mark.parametrize("taken", ["    :  :     ", "2026:13:40 99:00:00", "ayer", "0001:01:01 00:00:00"])
def test_a_garbled_time_gives_no_time(taken):
    facts = photo_facts(photo(exif=exif_bytes(ZOCALO_GPS, taken, "+06:00")))
    assert facts.taken_at is None and facts.latitude == ZOCALO[0]


@pytest.mark.parametrize("offset", ["+25:00", "-06:75", "06:00", "UTC", ""])
def test_a_garbled_offset_falls_back_to_mexico_city(offset):
    facts = photo_facts(photo(exif=exif_bytes(taken="2026:03:14 10:20:30", offset=offset)))
    assert facts.taken_at == datetime(2026, 3, 14, 10, 20, 30, tzinfo=MINUS_SIX)


@pytest.mark.parametrize("data", [b"", b"hola, no soy una foto", b"%PDF-1.4\n%%EOF", b"\xff\xd8\xff\xe1\x00\x10Exif"])
def test_bytes_that_are_no_photo_give_no_facts(data):
    assert photo_facts(data) == PhotoFacts()


JPEG_WITH_EXIF = photo(exif=exif_bytes(ZOCALO_GPS, "2026:03:14 10:20:30", "-06:00"))


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns about each corrupt tag it skips
@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(min_value=2, max_value=400), st.integers(min_value=0, max_value=255)),
                min_size=1, max_size=12))
def test_corrupted_exif_never_raises(changes):
    data = bytearray(JPEG_WITH_EXIF)
    for position, byte in changes:  # the APP1 (EXIF) segment sits right after the JPEG start marker
        data[position] = byte
    facts = photo_facts(bytes(data))
    assert facts.latitude is None or Decimal(-90) <= facts.latitude <= Decimal(90)
    assert facts.longitude is None or Decimal(-180) <= facts.longitude <= Decimal(180)
    assert facts.taken_at is None or facts.taken_at.utcoffset() is not None


# -- the stored copy -----------------------------------------------------------------------------------

def test_clean_photo_keeps_the_facts_and_strips_the_exif():
    clean, facts = clean_photo(upload(JPEG_WITH_EXIF))
    assert (facts.latitude, facts.longitude) == ZOCALO and facts.taken_at.day == 14
    assert clean.content_type == "image/jpeg" and clean.extension and clean.size == len(clean.content.read())
    clean.content.seek(0)
    with Image.open(clean.content) as stored:
        exif = stored.getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert ExifTags.Base.DateTimeOriginal not in exif.get_ifd(ExifTags.IFD.Exif)
        assert ExifTags.Base.Make not in exif and not exif
    clean.content.seek(0)
    assert photo_facts(clean.content.read()) == PhotoFacts()


def test_clean_photo_applies_the_orientation():
    # Left half red, right half blue; Orientation 6 means "turn 90° clockwise to view": red ends on top.
    image = Image.new("RGB", (64, 48), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 32, 48))
    clean, _facts = clean_photo(upload(photo(image=image, exif=exif_bytes(ZOCALO_GPS, orientation=6))))
    with Image.open(clean.content) as stored:
        assert stored.size == (48, 64)
        top, bottom = stored.convert("RGB").getpixel((24, 8)), stored.convert("RGB").getpixel((24, 56))
        assert top[0] > 200 and top[2] < 60 and bottom[2] > 200 and bottom[0] < 60
        assert ExifTags.Base.Orientation not in stored.getexif()


def test_clean_photo_takes_a_png_without_facts():
    clean, facts = clean_photo(upload(photo("PNG"), "avance.png"))
    assert clean.content_type == "image/png" and facts == PhotoFacts()


def test_a_pdf_is_refused_as_a_photo_in_spanish():
    with pytest.raises(ValidationError) as refused:
        clean_photo(upload(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", "avance.jpg"))
    assert refused.value.messages == ["La foto va en JPEG, PNG o WEBP."]


def test_other_refusals_pass_through_unchanged():
    with pytest.raises(ValidationError, match="no es un PDF ni una imagen"):
        clean_photo(upload(b"hola, no soy una foto", "avance.jpg"))
    with pytest.raises(ValidationError, match="el máximo es 15 MB"):
        clean_photo(upload(b"\xff" * (photos.PHOTO_MAX_BYTES + 1)))
    with pytest.raises(ValidationError, match="No se pudo leer la imagen"):
        clean_photo(upload(JPEG_WITH_EXIF[:400]))


# -- distance and the site -----------------------------------------------------------------------------

def test_distance_zocalo_to_bellas_artes():
    assert distance_m(*ZOCALO, *BELLAS_ARTES) == pytest.approx(900, abs=50)
    assert distance_m(*BELLAS_ARTES, *ZOCALO) == pytest.approx(distance_m(*ZOCALO, *BELLAS_ARTES))
    assert distance_m(*ZOCALO, *ZOCALO) == 0
    # A degree of latitude is about 111.2 km anywhere.
    assert distance_m(19, -99, 20, -99) == pytest.approx(111_195, rel=1e-3)


def test_far_near_and_unknown():
    at_zocalo = PhotoFacts(*ZOCALO, None)
    assert far_from_site(at_zocalo, BELLAS_ARTES) is True
    assert far_from_site(at_zocalo, (Decimal("19.433500"), Decimal("-99.133208"))) is False  # about 100 m
    assert far_from_site(PhotoFacts(), ZOCALO) is None
    assert far_from_site(PhotoFacts(ZOCALO[0], None, None), ZOCALO) is None
    assert far_from_site(at_zocalo, None) is None


def test_the_far_threshold_is_a_setting(settings):
    at_zocalo = PhotoFacts(*ZOCALO, None)
    settings.NICP_PHOTO_FAR_FROM_SITE_M = 1000
    assert far_from_site(at_zocalo, BELLAS_ARTES) is False
    settings.NICP_PHOTO_FAR_FROM_SITE_M = 100
    assert far_from_site(at_zocalo, (Decimal("19.433500"), Decimal("-99.133208"))) is False
    settings.NICP_PHOTO_FAR_FROM_SITE_M = 50
    assert far_from_site(at_zocalo, (Decimal("19.433500"), Decimal("-99.133208"))) is True


def test_project_site_prefers_the_proposal_point_then_the_neighbourhood():
    centro = Neighbourhood(key="15-044", name="Centro I", latitude=ZOCALO[0], longitude=ZOCALO[1])
    assert project_site(Proposal(latitude=BELLAS_ARTES[0], longitude=BELLAS_ARTES[1], neighbourhood=centro)) \
        == BELLAS_ARTES
    assert project_site(Proposal(latitude=BELLAS_ARTES[0], neighbourhood=centro)) == ZOCALO  # half a point
    assert project_site(Proposal(neighbourhood=Neighbourhood(key="15-045", name="Sin punto"))) is None
    assert project_site(Proposal()) is None


def test_the_module_stays_out_of_the_project_models():
    tree = ast.parse(Path(photos.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not any(name.startswith("projects") for name in imported)
