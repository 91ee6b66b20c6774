from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, render

from neighbourhoods.models import Borough, Neighbourhood, Stratum


def borough_list(request):
    boroughs = Borough.objects.annotate(unit_count=Count("neighbourhoods"),
                                        population=Sum("neighbourhoods__population")).order_by("name")
    query = request.GET.get("q", "").strip()
    results = None
    if query:
        results = Paginator(Neighbourhood.objects.visible_to(request.user).for_list().search(query), 25) \
            .get_page(request.GET.get("page"))
    return render(request, "neighbourhoods/borough_list.html",
                  {"boroughs": boroughs, "query": query, "results": results})


def borough_detail(request, inegi_code):
    borough = get_object_or_404(Borough, inegi_code=inegi_code)
    units = Neighbourhood.objects.visible_to(request.user).for_list().filter(borough=borough)
    query = request.GET.get("q", "").strip()
    stratum = request.GET.get("estrato", "")
    units = units.search(query)
    if stratum in Stratum.values:
        units = units.filter(stratum=stratum)
    page = Paginator(units.order_by("name", "key"), 50).get_page(request.GET.get("page"))
    return render(request, "neighbourhoods/borough_detail.html", {
        "borough": borough, "page": page, "query": query, "stratum": stratum, "strata": Stratum.choices,
    })


def neighbourhood_detail(request, key):
    unit = get_object_or_404(Neighbourhood.objects.visible_to(request.user).for_list(), key=key)
    return render(request, "neighbourhoods/neighbourhood_detail.html",
                  {"unit": unit, "measures": unit.index_measures.order_by("-year")})
