"""The reminder catalogue and the documentation say the same: every kind has its row in
docs/background-work.md, with its default days, and the docs name no kind that does not exist."""

import re
from pathlib import Path

from django.conf import settings

from notifications.reminders import catalogue

DOC = Path(settings.BASE_DIR) / "docs" / "background-work.md"


def test_every_reminder_kind_is_documented_and_nothing_else():
    rows = {match.group(1) for match in re.finditer(r"^\| `([a-z_]+)` \|", DOC.read_text(encoding="utf-8"), re.M)}
    kinds = {code for code, kind in catalogue().items() if not code.endswith("_test")}
    reports = {"call_report", "committee_results", "project_accountability"}
    assert kinds <= rows, kinds - rows
    assert rows - reports - kinds == set()
