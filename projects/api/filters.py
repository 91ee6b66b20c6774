"""The project list's filters in the API: the same questions the coordinator's list page asks."""

import django_filters
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Borough
from nicp.relations import NOT_FOUND
from projects.models import Project
from projects.workflow import ProjectState
from proposals.models import Call


def _visible_calls(request):
    return Call.objects.visible_to(getattr(request, "user", None))


class ProjectFilter(django_filters.FilterSet):
    """A call id is looked up among the calls the person sees, so an id that exists but is not theirs answers
    like one that does not exist; a borough is named by its INEGI code, as in /api/v1/boroughs/."""

    call = django_filters.ModelChoiceFilter(queryset=_visible_calls, error_messages={"invalid_choice": NOT_FOUND})
    borough = django_filters.ModelChoiceFilter(field_name="neighbourhood__borough", queryset=Borough.objects.all(),
                                               to_field_name="inegi_code",
                                               error_messages={"invalid_choice": NOT_FOUND},
                                               help_text=_("Clave INEGI de la alcaldía."))
    status = django_filters.ChoiceFilter(choices=ProjectState.choices)
    # A choice rather than a boolean: a value that is neither is refused instead of silently ignored.
    needs_my_action = django_filters.ChoiceFilter(
        choices=[("true", _("Sí")), ("false", _("No"))], method="filter_needs_my_action",
        help_text=_("true: solo los proyectos que esperan algo de tu papel (elegir comités, verificar la cuenta, "
                    "firmar el convenio, aprobar o ministrar)."))

    class Meta:
        model = Project
        fields = ["call", "borough", "status", "needs_my_action"]

    def filter_needs_my_action(self, queryset, name, value):
        return queryset.needing_action_of(self.request.user) if value == "true" else queryset
