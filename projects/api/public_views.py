"""The public read API (/api/v1/public/): the public list and page of every funded project, no account needed.

What it shows comes from `projects.public.records` only, so it is the same for everyone: credentials are not
even read (a token or a session changes nothing, and an expired token is not an error here). The list takes
the listing's own filters (`PublicProjectFilter`), so a shared link selects the same projects on the page,
the map, the downloads and here; it pages with a cursor (`public_cursor`), never with a count or an offset."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from nicp.public_cache import cached_public_page
from projects.api import public_cursor
from projects.api.public_serializers import (
    PublicPageSerializer,
    PublicProjectDetailSerializer,
    PublicProjectSerializer,
)
from projects.models import Project
from projects.public import querysets as public_querysets
from projects.public import records
from projects.public.filters import DEFAULT_SORT, PublicProjectFilter

BAD_REQUEST = OpenApiResponse(description="Un filtro, el cursor o page_size no son válidos: los mensajes, por "
                                          "campo, dicen qué corregir.")
LIST_VALUES = (*public_querysets.LIST_FIELDS, "progress_reported")
NOT_FOUND = OpenApiResponse(description="No hay un proyecto con esa clave.")


def _filter_parameters() -> list[OpenApiParameter]:
    """The listing's filters, described from the filter set itself so the docs cannot drift from it."""
    out = []
    for name, field in PublicProjectFilter.base_filters.items():
        choices = [value for value, _label in field.extra.get("choices", [])]
        kind = OpenApiTypes.INT if name == "year" else OpenApiTypes.STR
        out.append(OpenApiParameter(name, kind, description=str(field.label), enum=choices or None,
                                    default=DEFAULT_SORT if name == "sort" else None))
    return out


class PublicReadView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    http_method_names = ["get", "head", "options"]


class PublicProjectList(PublicReadView):
    @extend_schema(
        operation_id="public_projects_list", tags=["public"], auth=[],
        summary="Proyectos financiados (público)",
        description="Todos los proyectos financiados, con los filtros del listado público. Paginado por cursor: "
                    "sigue el enlace `next` hasta que sea null; cada orden (`sort`) tiene sus propios cursores.",
        parameters=[*_filter_parameters(),
                    OpenApiParameter("cursor", OpenApiTypes.STR, description="El de `next` o `previous`."),
                    OpenApiParameter("page_size", OpenApiTypes.INT,
                                     description=f"Proyectos por página (1 a {public_cursor.MAX_PAGE_SIZE}; "
                                                 f"{public_cursor.PAGE_SIZE} si no lo indicas).")],
        responses={200: PublicPageSerializer, 400: BAD_REQUEST})
    def get(self, request):
        chosen = PublicProjectFilter(request.query_params, queryset=public_querysets.public_projects())
        if not chosen.is_valid():
            raise ValidationError(chosen.errors)
        sort = chosen.form.cleaned_data.get("sort") or DEFAULT_SORT
        size = public_cursor.page_size_from(request.query_params)
        found = public_cursor.page(chosen.qs, sort=sort, cursor=request.query_params.get("cursor"), size=size,
                                   url=request.build_absolute_uri(), values=LIST_VALUES)
        rows = [records.list_row(row) for row in found["rows"]]
        return Response({"next": found["next"], "previous": found["previous"],
                         "results": PublicProjectSerializer(rows, many=True).data})


class PublicProjectDetail(PublicReadView):
    @extend_schema(
        operation_id="public_projects_retrieve", tags=["public"], auth=[],
        summary="Un proyecto financiado (público)",
        description="Lo que muestra la página pública del proyecto: dinero, ministraciones, gastos, avance, "
                    "fotos, bitácora y documentos publicados. Los nombres de las personas de los comités solo "
                    "si la convocatoria los hace públicos.",
        responses={200: PublicProjectDetailSerializer, 404: NOT_FOUND})
    def get(self, request, code):
        project = Project.objects.select_related("proposal", "call").filter(code=code).first()
        if project is None:
            raise NotFound
        return Response(PublicProjectDetailSerializer(with_links(records.detail(project), request)).data)


def with_links(page: dict, request) -> dict:
    """Absolute links to the project's public page and to the files staff published; nothing for the rest."""
    code = page["code"]

    def absolute(name, *args):
        return request.build_absolute_uri(reverse(name, args=[code, *args]))

    return {
        **page,
        "page_url": absolute("public:project"),
        "expenses": [{**e, "receipt_url": absolute("public:receipt", e["id"]) if e["receipt_public"] else None}
                     for e in page["expenses"]],
        "photos": [{**p, "url": absolute("public:photo", p["id"])} for p in page["photos"]],
        "documents": [{**d, "url": absolute("public:document", d["kind"]) if d["public"] else None}
                      for d in page["documents"]],
    }


# An anonymous visitor's answer is the same for everyone asking the same address: kept for a minute.
public_projects = cached_public_page(PublicProjectList.as_view())
public_project = cached_public_page(PublicProjectDetail.as_view())
