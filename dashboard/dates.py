"""Today as people in the programme count it: Mexico City's calendar, not the server's."""

from datetime import date

from django.utils import timezone

from proposals.models.calls import MEXICO_CITY


def today_in_mexico_city(now=None) -> date:
    return (now or timezone.now()).astimezone(MEXICO_CITY).date()
