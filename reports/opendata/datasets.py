"""The downloadable datasets. Each module that writes one registers it at import (reports/opendata/
__init__ of `all_datasets` imports them all); the download view (views.py) serves a registered dataset
from its latest nightly snapshot, or streams it live when asked with the listing's filters.

    register(Dataset(filename="proyectos.csv", label=_("Proyectos"), description=_(...),
                     content_type="text/csv; charset=utf-8", write=write_projects_csv,
                     last_modified=projects_last_modified, filterable=True))

`write(projects)` yields text or bytes chunks for the projects queryset it is given (already filtered by
`projects.public.filters.PublicProjectFilter` when `filterable`, else every public project); it reads only
through `projects.public.records`, so only public fields can reach the file."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Dataset:
    filename: str                 # the URL's last part: /datos/<filename>
    label: object                 # lazy text: the name people read on /datos/
    description: object           # lazy text: one sentence on what a row is
    content_type: str
    write: Callable[[object], Iterable[str | bytes]]
    last_modified: Callable[[], object]  # a datetime or None: when its data last changed
    filterable: bool = False      # takes the public listing's filters in its query string
    dictionary: str = ""          # the anchor of its section on the data dictionary page


_DATASETS: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    _DATASETS[dataset.filename] = dataset
    return dataset


def all_datasets() -> dict[str, Dataset]:
    import reports.opendata.exports  # noqa: F401 (each registers its datasets)

    return dict(_DATASETS)


def dataset(filename: str) -> Dataset | None:
    return all_datasets().get(filename)
