"""Every report builder, imported so that each registers its kind (see reports/registry.py)."""

from reports.builders import call_report  # noqa: F401
