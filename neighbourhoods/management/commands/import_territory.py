from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from neighbourhoods.services import ImportFileError, territory_import


class Command(BaseCommand):
    help = "Import the IECM territorial units catalogue (cve_col, cve_mun_inegi, alcaldia, colonia, pob_2010)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            summary = territory_import(path)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for line in summary.lines():
            self.stdout.write(line)
