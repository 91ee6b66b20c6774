"""Authorization matrix rows for the reports pages (issue 12), kept beside the harness in
tests/security/test_authorization_matrix.py, which adds them to MATRIX and calls extend_world."""

from accounts.roles import StaffRole, has_role

# (url name, kwargs key, method, {role: expected}) for every role: "anonymous", "applicant" (a group's member),
# "other_applicant" (another group's) and each StaffRole value; expected is a status code or "login" (the
# redirect to the login page). Build the dicts here: importing the harness would be circular. Unsafe rows are
# 403 for the auditor whatever they say (the harness applies it).
ROLES = ["anonymous", "applicant", "other_applicant", *StaffRole.values]


def _logged_in(code):
    return {"anonymous": "login", **dict.fromkeys(ROLES[1:], code)}


def _requester_only(code):
    """A report is its requester's (the coordinator's here): for everyone else it does not exist."""
    return {**_logged_in(404), StaffRole.COORDINATOR: code}


ROWS: list = [
    ("reports:list", None, "get", _logged_in(200)),
    # Nothing asked (no kind): "No existe ese tipo de reporte", for everyone signed in. The auditor may ask
    # for reports for themselves (nicp/readonly.py lists these two as their own).
    ("reports:request", None, "get", _logged_in(400)),
    ("reports:request", None, "post", _logged_in(400)),
    ("reports:detail", "report_done", "get", _requester_only(200)),
    ("reports:status", "report_done", "get", _requester_only(200)),
    ("reports:download", "report_done", "get", _requester_only(200)),
    ("reports:retry", "report_failed", "post", _requester_only(302)),
]

MATRIX_KIND = "matrix_rows"


def _register_kind():
    """A test-only kind, so that these rows do not depend on which builders are installed."""
    from django.core.exceptions import ValidationError

    from reports import registry

    def clean(params):
        if params.get("fail") not in ("0", "1", 0, 1):
            raise ValidationError({"fail": "Indica 0 o 1."})
        return {"fail": int(params["fail"])}

    def build(report, out, progress):
        if report.params["fail"]:
            raise RuntimeError("a failing build, on purpose")
        out.write(b"folio\nMB-1\n")
        progress(1, 1)
        return 1

    registry.kinds()  # the real builders register first
    registry.register(registry.ReportKind(
        code=MATRIX_KIND, label="Filas de la matriz", extension="csv", clean_params=clean,
        may_request=lambda user, params: has_role(user, StaffRole.COORDINATOR, StaffRole.AUDITOR),
        title=lambda params: "Reporte de la matriz", build=build))


def extend_world(*, users: dict, kwargs: dict, call, staff: dict) -> None:
    """Add what these rows need to the world (objects through the services) and their kwargs keys."""
    from reports.services import report_build, report_request

    _register_kind()
    coordinator = staff[StaffRole.COORDINATOR]
    done, _ = report_request(actor=coordinator, kind=MATRIX_KIND, params={"fail": "0"})
    failed, _ = report_request(actor=coordinator, kind=MATRIX_KIND, params={"fail": "1"})
    report_build(report_id=done.pk)
    report_build(report_id=failed.pk)
    kwargs["report_done"] = {"pk": done.pk}
    kwargs["report_failed"] = {"pk": failed.pk}
