"""Generate the large dataset the benchmark and the load test measure (bulk inserts, tagged, idempotent).

    manage.py seed_scale [--size small|full] [--proposals N --projects N --expenses N]
                         [--territory PATH] [--password PASSWORD] [--reset]

`small` (600 proposals, 120 projects, 2,400 expenses) is quick, for CI's smoke run; `full` (50,000,
10,000, 200,000) is the issue's size, for PostgreSQL. A second run with the same size writes nothing;
`--reset` deletes the generated data (and only it) first, or alone when no size is given. It prints the
named accounts, one per role: their passwords are unusable unless `--password` gives one.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nicp.scale.seed import SIZES, scale_data, scale_reset, seed_scale


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(SIZES), default=None,
                            help="small (the default) or full; the counts below override it.")
        parser.add_argument("--proposals", type=int, default=None)
        parser.add_argument("--projects", type=int, default=None)
        parser.add_argument("--expenses", type=int, default=None)
        parser.add_argument("--territory", type=Path, default=None,
                            help="The IECM catalogue CSV; imported when given or when there are no units yet.")
        parser.add_argument("--password", default=None, help="A password for the named accounts.")
        parser.add_argument("--reset", action="store_true", help="Delete the generated data first.")

    def handle(self, *args, size, proposals, projects, expenses, territory, password, reset, **options):
        asked = size is not None or any(value is not None for value in (proposals, projects, expenses))
        if reset:
            deleted = scale_reset(stdout=self.stdout)
            self.stdout.write(f"Deleted {sum(deleted.values()):,} generated rows.")
            if not asked:
                return
        if password is not None and len(password) < 12:
            raise CommandError("--password needs at least 12 characters.")
        data = seed_scale(size=size or "small", proposals=proposals, projects=projects, expenses=expenses,
                          territory=territory, password=password, stdout=self.stdout)
        self.report(data)

    def report(self, data) -> None:
        self.stdout.write("Rows:")
        for label, count in data.counts.items():
            self.stdout.write(f"  {label:<20} {count:>10,}")
        self.stdout.write("Accounts" + ("" if data.accounts else " (none)") + ":")
        for role, user in data.accounts.items():
            self.stdout.write(f"  {role:<20} {user.email}")
        self.stdout.write("Samples: " + ", ".join(f"{key}={value}" for key, value in data.samples.items()))
        self.stdout.write(f"Calls: {', '.join(str(pk) for pk in data.call_ids)}")


__all__ = ["Command", "scale_data"]
