from django.core.management.base import BaseCommand

from reports.cleanup import clean_up_files


class Command(BaseCommand):
    help = ("Delete generated report files older than NICP_REPORT_KEEP_DAYS (their rows are kept, marked expired) "
            "and uploaded files older than a day that no database row references (orphans). The beat runs it "
            "daily as reports.tasks.clean_up_files.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print what would be removed; remove nothing.")

    def handle(self, *args, dry_run: bool, **options):
        result = clean_up_files(dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for name in result.expired_reports:
            self.stdout.write(f"{verb} expired report file: {name}")
        for name in result.orphans:
            self.stdout.write(f"{verb} orphan file: {name}")
        counts = result.counts()
        self.stdout.write(f"{verb}: {counts['expired_reports']} expired report file(s), "
                          f"{counts['orphans']} orphan file(s)")
