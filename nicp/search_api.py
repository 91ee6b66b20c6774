"""The API's `search` parameter through the one title search (nicp/search.py), in place of DRF's SearchFilter:
the whole value is looked for in any of the view's `search_fields`, ignoring case and accents, as the pages'
searches do (DRF's splits words and ignores neither accents nor the trigram indexes)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import SearchFilter

from nicp.search import MAX_QUERY_LENGTH, text_matches

TOO_LONG = _("Escribe como máximo %(max)d caracteres para buscar.")


class TitleSearchFilter(SearchFilter):
    search_description = _("Parte del texto que buscas (sin importar mayúsculas ni acentos).")

    def filter_queryset(self, request, queryset, view):
        fields = getattr(view, "search_fields", None)
        value = request.query_params.get(self.search_param, "").strip()
        if not fields or not value:
            return queryset
        if len(value) > MAX_QUERY_LENGTH:
            raise ValidationError({self.search_param: [TOO_LONG % {"max": MAX_QUERY_LENGTH}]})
        return queryset.filter(text_matches(value, *fields))

    def get_schema_operation_parameters(self, view):
        # Only where the view searches: elsewhere the parameter would be accepted and ignored.
        if not getattr(view, "search_fields", None):
            return []
        [parameter] = super().get_schema_operation_parameters(view)
        parameter["schema"]["maxLength"] = MAX_QUERY_LENGTH
        return [parameter]
