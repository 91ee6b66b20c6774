"""Imports every module that registers a dataset, in the order /datos/ lists them."""

import reports.opendata.csv_exports  # noqa: F401
import reports.opendata.geojson_export  # noqa: F401
import reports.opendata.oc4ids  # noqa: F401 (each import registers its datasets)
