"""English is the second language of every page, e-mail and notice: the catalogue must translate every
string the code marks, with no guessed (fuzzy) entries, and the compiled file must be the current one."""

import re
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def unquote(lines: list[str]) -> str:
    return "".join(re.match(r'^(?:msg\w+(?:\[\d\])? )?"(.*)"$', line).group(1) for line in lines)


def entries():
    """(msgid, [msgstr...], fuzzy) for every entry but the header and obsolete ones."""
    for block in CATALOGUE.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        parts: dict[str, list[str]] = {}
        key = None
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r"^(msg\w+(?:\[\d\])?) ", line)
            if match:
                key = match.group(1)
                parts[key] = []
            parts[key].append(line)
        msgid = unquote(parts["msgid"])
        if msgid:
            yield msgid, [unquote(v) for k, v in parts.items() if k.startswith("msgstr")], fuzzy


def test_every_english_string_is_translated_and_none_is_a_guess():
    found = list(entries())
    assert len(found) > 500  # the parser read the catalogue
    untranslated = [msgid for msgid, strings, _fuzzy in found if not all(strings)]
    fuzzy = [msgid for msgid, _strings, is_fuzzy in found if is_fuzzy]
    assert not untranslated, f"untranslated in English: {untranslated[:10]}"
    assert not fuzzy, f"guessed (fuzzy) translations: {fuzzy[:10]}"


def test_the_compiled_catalogue_is_not_older_than_its_source():
    compiled = CATALOGUE.with_suffix(".mo")
    assert compiled.exists()
    # Compare contents, not times (a checkout sets both): every translation must be in the .mo file.
    data = compiled.read_bytes()
    missing = [msgid for msgid, strings, _f in entries() if strings and strings[0].encode().replace(b"\\n", b"\n")
               .replace(b'\\"', b'"') not in data]
    assert not missing, f"run compilemessages: {missing[:5]}"
