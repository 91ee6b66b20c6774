"""The call's rules for funded projects, edited by the coordination: committees, election quorum,
agreement text and public legend (the tranche plan is edited with the call)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nicp.bounded_forms import VersionField
from nicp.errors import StaleVersion
from nicp.readonly import is_read_only
from projects import permissions, services
from projects.agreement import PLACEHOLDERS, placeholder_problems
from projects.models import ProjectRules
from projects.services.rules import RULE_FIELDS
from proposals.models import Call

# What each $placeholder of the agreement text becomes, for the coordination writing it.
PLACEHOLDER_MEANINGS = {
    "codigo": gettext_lazy("la clave del proyecto"),
    "titulo": gettext_lazy("el nombre del proyecto"),
    "grupo": gettext_lazy("el grupo promovente"),
    "unidad_territorial": gettext_lazy("la unidad territorial del proyecto"),
    "alcaldia": gettext_lazy("la alcaldía"),
    "convocatoria": gettext_lazy("el nombre de la convocatoria"),
    "monto": gettext_lazy("el monto aprobado, con número"),
    "monto_en_letra": gettext_lazy("el monto aprobado, con letra"),
    "ministraciones": gettext_lazy("el plan de ministraciones, una por línea, con el monto y las condiciones "
                                   "de cada una"),
    "inicio": gettext_lazy("la fecha de inicio de la ejecución"),
    "fin": gettext_lazy("la fecha de fin de la ejecución"),
}


def placeholder_list() -> list[tuple[str, str, str]]:
    """(name, meaning, example) for every placeholder the agreement text may use."""
    return [(f"${name}", PLACEHOLDER_MEANINGS.get(name, ""), example) for name, example in PLACEHOLDERS.items()]


class PlaceholderListTextarea(forms.Textarea):
    """The agreement text is also described by the list of placeholders beside it (id "placeholders"),
    after its own help and errors."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        described = context["widget"]["attrs"].get("aria-describedby", "")
        context["widget"]["attrs"]["aria-describedby"] = f"{described} placeholders".strip()
        return context


class ProjectRulesForm(forms.ModelForm):
    members_per_committee = forms.IntegerField(
        label=gettext_lazy("Integrantes por comité comunitario"), min_value=1, max_value=9,
        help_text=gettext_lazy("Cada uno de los tres comités: Administración, Supervisión y Desarrollo "
                               "Comunitario (de 1 a 9)."))
    version = VersionField()

    class Meta:
        model = ProjectRules
        fields = RULE_FIELDS
        widgets = {"agreement_text": PlaceholderListTextarea(attrs={"rows": 18}),
                   "public_legend": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "representative_may_sit": gettext_lazy("Si la marcas, la persona que representa al grupo puede "
                                                   "integrar uno de los comités (solo uno)."),
            "public_legend": gettext_lazy("Va al pie del convenio y de los documentos públicos del proyecto."),
            "receiver_rfc": gettext_lazy("Las facturas (CFDI) de los gastos deben estar emitidas a este RFC; "
                                         "las que digan otro se rechazan al subirlas."),
            "simple_receipts_max_percent": gettext_lazy("Lo que un proyecto puede comprobar con recibos simples "
                                                        "(sin factura), como porcentaje del monto aprobado."),
            "progress_report_every_days": gettext_lazy("Cada cuántos días, desde el inicio de las obras, el "
                                                       "comité de Administración entrega un informe de avance."),
        }

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election_quorum"].help_text = _(
            "Vacío: el mismo quórum que la asamblea de aprobación (%(n)d personas).") % {"n": call.assembly_quorum}

    def clean_receiver_rfc(self):
        return (self.cleaned_data["receiver_rfc"] or "").strip().upper()

    def clean_agreement_text(self):
        """Said here too, so an unknown placeholder shows with the other fields' errors at once."""
        text = self.cleaned_data["agreement_text"]
        problems = placeholder_problems(text)
        if problems:
            raise ValidationError(problems)
        return text


def _place_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def rules_edit(request, call_pk):
    call = get_object_or_404(Call.objects.visible_to(request.user), pk=call_pk)
    # The auditor reads the rules (every field shown, none editable); only the coordination changes them.
    reading = request.method == "GET" and is_read_only(request.user)
    if not (permissions.can_edit_project_rules(request.user) or reading):
        raise PermissionDenied
    rules = ProjectRules.for_call(call)
    data = request.POST if request.method == "POST" else None
    form = ProjectRulesForm(data, instance=rules, initial={"version": rules.version}, call=call)
    if reading:
        for field in form.fields.values():
            field.disabled = True
    status = 200
    if data is not None:
        status = 400
        if form.is_valid():
            try:
                services.project_rules_save(actor=request.user, call=call,
                                            data={name: form.cleaned_data[name] for name in RULE_FIELDS},
                                            version=form.cleaned_data.get("version"))
            except ValidationError as error:
                _place_errors(form, error)
            except StaleVersion as error:
                form.add_error(None, str(error))
                status = 409
            else:
                messages.success(request, _("Reglas de los proyectos guardadas."))
                return redirect("proposals:call_detail", pk=call.pk)
    return render(request, "projects/rules_form.html", {
        "call": call, "form": form, "placeholders": placeholder_list()}, status=status)


urlpatterns: list = [
    path("convocatorias/<int:call_pk>/reglas/", rules_edit, name="rules_edit"),
]
