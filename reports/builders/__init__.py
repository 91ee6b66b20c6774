"""Every report builder, imported so that each registers its kind (see reports/registry.py)."""

import reports.builders.annual  # noqa: F401
import reports.builders.call_report  # noqa: F401
import reports.builders.committee_results  # noqa: F401
import reports.builders.open_data  # noqa: F401
import reports.builders.project_accountability  # noqa: F401
