from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.roles import roles_of
from dashboard.dates import today_in_mexico_city
from dashboard.panels import panels_for
from neighbourhoods.models import Borough, Neighbourhood
from proposals.models import Call


def home(request):
    """The public home: what the programme is, and the call(s) open today with their deadline."""
    context = {
        "open_calls": list(Call.objects.visible_to(request.user).open_for_registration()
                           .order_by("registration_closes_on", "id")),
        "borough_count": Borough.objects.count(),
        "neighbourhood_count": Neighbourhood.objects.count(),
    }
    return render(request, "home.html", context)


@login_required
def start(request):
    """Each person's start page: one panel per role they hold, each listing what waits for them."""
    today = today_in_mexico_city()
    panels = panels_for(request.user, roles_of(request.user), today)
    return render(request, "dashboard/start.html", {"panels": panels, "today": today})
