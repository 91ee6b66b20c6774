"""Dates as people write them: ranges that name the year once, or both years when they differ."""

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _


def date_range(start: date | datetime | None, end: date | datetime | None) -> str:
    """«del 3 de noviembre al 15 de diciembre de 2026»; «del 3 de noviembre de 2026 al 15 de enero de 2027»."""
    if not start or not end:
        return formats.date_format(start or end, "DATE_FORMAT") if (start or end) else ""
    same_year = start.year == end.year
    first = formats.date_format(start, "MONTH_DAY_FORMAT" if same_year else "DATE_FORMAT")
    return _("del %(start)s al %(end)s") % {"start": first, "end": formats.date_format(end, "DATE_FORMAT")}


def local_day(moment: datetime | None) -> date | None:
    """The day a stored moment fell on in the site's time zone (Mexico City). `moment.date()` gives the UTC day,
    which is already tomorrow from six in the evening."""
    return timezone.localtime(moment).date() if moment else None
