"""The open-data snapshot: one downloadable dataset (/datos/<filename>) written to a report file by the
worker, so the big files are served from storage instead of being rebuilt on every download.

The nightly task asks for one per dataset as the system (a report without requester: nobody is notified
and it appears in nobody's list of reports); coordination may ask for one by hand to refresh the files
after a correction. See reports/opendata/snapshots.py."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.roles import StaffRole, has_role
from reports.registry import ReportKind, register

KIND = "open_data"


def clean_params(params: dict) -> dict:
    from reports.opendata.datasets import dataset

    filename = str(params.get("dataset", "")).strip()
    if dataset(filename) is None:
        raise ValidationError({"dataset": _("No existe ese archivo de datos abiertos.")})
    return {"dataset": filename}


def may_request(user, params: dict) -> bool:
    return has_role(user, StaffRole.COORDINATOR)


def title(params: dict) -> str:
    return str(_("Datos abiertos: %(filename)s") % {"filename": params["dataset"]})


def build(report, out, progress) -> int:
    """Every public project, unfiltered, through the dataset's own writer; the rows are the projects."""
    from projects.public.querysets import public_projects
    from reports.opendata.datasets import dataset

    projects = public_projects()
    total = projects.count()
    for chunk in dataset(report.params["dataset"]).write(projects):
        out.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
    return total


OPEN_DATA = register(ReportKind(code=KIND, label=_("Datos abiertos"), extension="data", clean_params=clean_params,
                                may_request=may_request, title=title, build=build))
