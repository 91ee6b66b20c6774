"""schema.org JSON-LD and the share-preview tags (Open Graph, Twitter) of a public project page, built from
the public record only (`records.detail`), so they can say nothing the page does not.

schema.org's `Project` («an enterprising endeavor pursued by people with a shared goal») is the closest
fit for a community's funded works: `GovernmentService` describes a service offered to the public, not
one piece of works. The JSON is escaped for a <script type="application/ld+json"> data block (never
executed; it carries the CSP nonce all the same)."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

DESCRIPTION_WORDS = 40  # a share preview shows two or three lines
# The characters that could end the <script> block or start markup, as JSON unicode escapes.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def summary(record: dict) -> str:
    text = record["description"] or record["objectives"] or record["title"]
    return Truncator(" ".join(str(text).split())).words(DESCRIPTION_WORDS)


def project_data(record: dict, *, url: str, image: str | None = None) -> dict:
    place = {"@type": "Place", "name": record["unit_name"],
             "address": {"@type": "PostalAddress", "addressLocality": record["unit_name"],
                         "addressRegion": record["borough_name"], "addressCountry": "MX"}}
    if record["latitude"] is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": record["latitude"], "longitude": record["longitude"]}
    data = {
        "@context": "https://schema.org", "@type": "Project",
        "@id": url, "url": url, "identifier": record["code"], "name": record["title"],
        "description": summary(record), "location": place,
    }
    if record["project_type_label"]:
        data["keywords"] = str(record["project_type_label"])
    if image:
        data["image"] = image
    return data


def script_body(data: dict) -> SafeString:
    """The JSON, safe inside a <script> element (the same escapes as Django's json_script)."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES))  # noqa: S308


def share_tags(record: dict, *, url: str, image: str | None = None) -> dict:
    """What Open Graph and Twitter cards read: title, description, url and an image when one is public."""
    return {"title": record["title"], "description": summary(record), "url": url, "image": image or "",
            "card": "summary_large_image" if image else "summary"}
