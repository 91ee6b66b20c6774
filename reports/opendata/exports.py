"""Imports every module that registers a dataset, in the order /datos/ lists them."""

import reports.opendata.oc4ids  # noqa: F401
