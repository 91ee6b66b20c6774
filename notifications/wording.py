"""Reminder offsets said in words, for the catalogue, the call's offsets page and the preferences:
(-7, -1, 0, 3) → «7 y 1 días antes; el mismo día; 3 días después»."""

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _numbers(values: list[int]) -> str:
    words = [str(v) for v in values]
    if len(words) == 1:
        return words[0]
    return _("%(first)s y %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def offsets_in_words(offsets: Sequence[int]) -> str:
    before = sorted((-o for o in offsets if o < 0), reverse=True)
    after = sorted(o for o in offsets if o > 0)
    parts = []
    if before:
        # "1 día antes" alone; "7 y 1 días antes" once there are several.
        n = before[0] if len(before) == 1 else 2
        parts.append(ngettext("%(days)s día antes", "%(days)s días antes", n) % {"days": _numbers(before)})
    if 0 in offsets:
        parts.append(_("el mismo día"))
    if after:
        n = after[0] if len(after) == 1 else 2
        parts.append(ngettext("%(days)s día después", "%(days)s días después", n) % {"days": _numbers(after)})
    return "; ".join(parts)


def offsets_as_text(offsets: Sequence[int]) -> str:
    """What the call's offsets field shows and accepts: «-7, -1»."""
    return ", ".join(str(o) for o in offsets)
