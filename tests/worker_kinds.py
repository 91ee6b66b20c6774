"""A test-only report kind, registered in the test process and (through tests/worker_settings.py's
CELERY_IMPORTS) in the real worker, so that a report is built end to end without depending on a real builder."""

import time

from accounts.roles import StaffRole, has_role
from reports.registry import ReportKind, register


def _build(report, out, progress):
    n = report.params["n"]
    out.write(b"fila\n")
    if n < 0:  # stands for a long report: hangs after its first progress, until its worker is killed
        progress(1, 2)
        time.sleep(600)
    for i in range(n):
        out.write(f"{i}\n".encode())
        progress(i + 1, n)
    return n


WORKER_ROWS = register(ReportKind(
    code="test_worker_rows", label="Filas (prueba del worker)", extension="csv",
    clean_params=lambda params: {"n": int(params["n"])},
    may_request=lambda user, params: has_role(user, StaffRole.COORDINATOR),
    title=lambda params: f"Filas del worker {params['n']}", build=_build))
