"""Every table of every template follows the one responsive pattern: on phones its rows become cards whose
cells say which column they are (data-label), so no key column is ever hidden or pushed off the screen."""

import re
from pathlib import Path

from django.conf import settings

TABLE = re.compile(r"<table\b(?P<attrs>[^>]*)>(?P<body>.*?)</table>", re.S)
CELL = re.compile(r"<td\b(?P<attrs>[^>]*)>", re.S)


# Printed documents (rendered to PDF, never shown in a browser) lay out their tables for paper: the minutes,
# and the reports' templates under templates/reports/pdf/.
PRINTED = {"committees/templates/committees/minutes.html"}
PRINTED_FOLDER = "templates/reports/pdf/"


def template_files():
    root = Path(settings.BASE_DIR)
    return [p for p in root.glob("**/templates/**/*.html") if ".venv" not in p.parts and "node_modules" not in p.parts
            and str(p.relative_to(root)) not in PRINTED and not str(p.relative_to(root)).startswith(PRINTED_FOLDER)]


def problems_in(text):
    found = []
    for table in TABLE.finditer(text):
        classes = re.search(r'class="([^"]*)"', table["attrs"])
        classes = classes[1].split() if classes else []
        if "cards" not in classes:
            found.append(f"<table{table['attrs']}> lacks class=\"cards\"")
            continue
        if "form-rows" in classes:
            continue  # its cells hold fields with their own visible labels
        for cell in CELL.finditer(table["body"]):
            attrs = cell["attrs"]
            if "data-label=" not in attrs and "colspan" not in attrs and "hidden-cell" not in attrs:
                found.append(f"<td{attrs}> has no data-label")
    return found


def test_every_table_in_every_template_stacks_into_labelled_cards():
    files = template_files()
    assert len([f for f in files if "<table" in f.read_text()]) >= 12  # the scan does find the app's tables
    report = {str(f.relative_to(settings.BASE_DIR)): problems_in(f.read_text()) for f in files}
    assert not {name: found for name, found in report.items() if found}


def test_the_checker_refuses_a_bare_table_and_an_unlabelled_cell():
    assert problems_in("<table><tr><td>1</td></tr></table>")
    assert problems_in('<table class="cards"><tr><td data-label="Folio">1</td><td>$5</td></tr></table>') == [
        "<td> has no data-label"]
    assert not problems_in('<table class="cards"><tr><td colspan="3">Ninguna.</td></tr></table>')


def test_the_stylesheet_turns_rows_into_cards_on_phones_and_shows_each_label():
    css = (Path(settings.BASE_DIR) / "static/css/nicp.css").read_text()
    phone = css[css.index("@media (max-width: 40em)"):]
    assert "table.cards > thead" in phone and "content: attr(data-label)" in phone
    assert ".table-scroll" not in css  # no more sideways-scrolling boxes that a keyboard cannot reach
