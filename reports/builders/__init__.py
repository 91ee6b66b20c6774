"""Every report builder, imported so that each registers its kind (see reports/registry.py)."""
