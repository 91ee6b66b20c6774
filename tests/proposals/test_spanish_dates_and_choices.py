"""Spanish dates (lower-case months, ranges naming both years when they differ) and one empty option."""

import re
from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from nicp.dates import date_range
from proposals import services
from tests.factories import UserFactory, complete_proposal


@pytest.mark.parametrize("start,end,expected", [
    (date(2026, 11, 3), date(2027, 1, 15), "del 3 de noviembre de 2026 al 15 de enero de 2027"),
    (date(2026, 11, 3), date(2026, 12, 15), "del 3 de noviembre al 15 de diciembre de 2026"),
])
def test_date_ranges_name_both_years_only_when_they_differ(start, end, expected):
    with translation.override("es-mx"):
        assert date_range(start, end) == expected
        rendered = Template("{% load nicp_dates %}{{ a|date_range:b }}").render(Context({"a": start, "b": end}))
        assert rendered == expected


def test_dates_use_lower_case_month_names():
    with translation.override("es-mx"):
        rendered = Template('{{ d|date }} · {{ d|date:"SHORT_DATE_FORMAT" }}').render(
            Context({"d": date(2026, 11, 3)}))
    assert rendered == "3 de noviembre de 2026 · 3 nov 2026"


def test_the_call_page_writes_the_assembly_window_as_one_range(client, call):
    call.assembly_window_starts_on, call.assembly_window_ends_on = date(2026, 12, 20), date(2027, 1, 20)
    call.save()
    html = client.get(reverse("proposals:call_detail", args=[call.pk])).content.decode()
    assert "Del 20 de diciembre de 2026 al 20 de enero de 2027" in html
    assert not re.search(r"\d (de )?(Ene|Feb|Mar|Abr|May|Jun|Jul|Ago|Sep|Oct|Nov|Dic)", html)


def test_every_select_of_the_proposal_pages_has_one_empty_wording(client, draft, applicant):
    coordinator = UserFactory(roles=["coordinator"])
    client.force_login(applicant)
    pages = [reverse("proposals:proposal_step", args=[draft.pk, step]) for step in ("proyecto", "presupuesto",
                                                                                  "anexos")]
    htmls = [client.get(url).content.decode() for url in pages]
    complete_proposal(draft, applicant)
    services.proposal_transition(actor=applicant, proposal_id=draft.pk, action="submit")
    client.force_login(coordinator)
    htmls += [client.get(url).content.decode() for url in (
        reverse("proposals:proposal_detail", args=[draft.pk]), reverse("proposals:review_queue"),
        reverse("proposals:call_create"))]
    for html in htmls:
        assert "---------" not in html
        assert "— Elige —" in html or "— Todos —" in html


def test_the_timeline_dates_are_lower_case(client, draft, applicant):
    client.force_login(applicant)
    html = client.get(reverse("proposals:proposal_detail", args=[draft.pk])).content.decode()
    created = timezone.localtime(draft.created_at)
    month = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"][
        created.month - 1]
    assert f"{created.day} {month} {created.year}" in html


def test_a_moment_falls_on_its_mexico_city_day_not_the_utc_one():
    from datetime import UTC, datetime

    from nicp.dates import local_day

    # 01:30 UTC on 29 November is still 19:30 on the 28th in Mexico City (UTC-6).
    assert local_day(datetime(2026, 11, 29, 1, 30, tzinfo=UTC)) == date(2026, 11, 28)
    assert local_day(datetime(2026, 11, 29, 6, 30, tzinfo=UTC)) == date(2026, 11, 29)
    assert local_day(None) is None
