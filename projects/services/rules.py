"""The call's rules for funded projects, edited by the coordination."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import StaffRole, has_role
from nicp.errors import check_version
from nicp.readonly import require_may_write
from projects.agreement import placeholder_problems
from projects.models import ProjectRules
from proposals.models import Call

RULE_FIELDS = ["members_per_committee", "representative_may_sit", "election_quorum", "agreement_text",
               "public_legend", "receiver_rfc", "simple_receipts_max_percent", "progress_report_every_days"]


@transaction.atomic
def project_rules_save(*, actor, call: Call, data: dict, version=None) -> ProjectRules:
    require_may_write(actor)
    if not has_role(actor, StaffRole.COORDINATOR):
        raise PermissionDenied(_("Solo la coordinación del programa edita las reglas de los proyectos."))
    rules = ProjectRules.objects.select_for_update().filter(call=call).first() or ProjectRules(call=call)
    if rules.pk is not None or ProjectRules.objects.filter(call=call).exists():
        check_version(rules, version)
    unknown = set(data) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError(_("Campos que no se pueden editar: %(f)s") % {"f": ", ".join(sorted(unknown))})
    for field, value in data.items():
        setattr(rules, field, value)
    problems = placeholder_problems(rules.agreement_text)
    if problems:
        raise ValidationError({"agreement_text": problems})
    rules.full_clean(exclude=["call"])
    rules.version += 1
    rules.save()
    return rules
