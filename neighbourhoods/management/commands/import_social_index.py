from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from neighbourhoods.services import ImportFileError, social_index_import


class Command(BaseCommand):
    help = ("Import social development index measures from a CSV with columns cve_col, year, value, stratum "
            "and optionally source (see docs/data-dictionary.md).")

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--source", default="", help="Source to record where the file has no source column.")

    def handle(self, *args, path: Path, source: str, **options):
        try:
            summary = social_index_import(path, source=source)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for line in summary.lines():
            self.stdout.write(line)
