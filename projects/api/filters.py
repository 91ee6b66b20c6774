"""The project list's filters in the API: the same questions the coordinator's list page asks."""

import django_filters
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Borough
from nicp import bounds
from nicp.relations import NOT_FOUND
from projects.models import Expense, Project
from projects.sat import SatStatus
from projects.workflow import ExpenseState, ProjectState
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


def _visible_projects(request):
    return Project.objects.visible_to(getattr(request, "user", None))


class ExpenseFilter(django_filters.FilterSet):
    """The expense lists' questions, each answered from an index; the order is one of two index-aligned ones."""

    project = django_filters.ModelChoiceFilter(queryset=_visible_projects,
                                               error_messages={"invalid_choice": NOT_FOUND})
    status = django_filters.ChoiceFilter(choices=ExpenseState.choices)
    kind = django_filters.ChoiceFilter(choices=Expense.Kind.choices)
    sat_status = django_filters.ChoiceFilter(field_name="cfdi__sat_status", choices=SatStatus.choices,
                                             help_text=_("Estado de la factura ante el SAT (solo facturas)."))
    budget_line = django_filters.NumberFilter(field_name="budget_line_id", min_value=1, max_value=bounds.ID_MAX,
                                              help_text=_("Id del concepto del presupuesto."))
    ordering = django_filters.ChoiceFilter(
        choices=[("-id", _("Más recientes primero")), ("updated_at", _("Por fecha de cambio, los más antiguos "
                                                                        "primero"))],
        method="filter_ordering", help_text=_("-id (predeterminado) o updated_at (la cola de verificación)."))

    class Meta:
        model = Expense
        fields = ["project", "status", "kind", "sat_status", "budget_line", "ordering"]

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by("updated_at", "id") if value == "updated_at" else queryset.order_by("-id")
