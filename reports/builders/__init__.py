"""Every report builder, imported so that each registers its kind (see reports/registry.py)."""
from reports.builders import committee_results  # noqa: F401,E402
