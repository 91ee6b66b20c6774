"""Notice texts that can be written in every language of the site: a message id with its values, rendered
when the notice is stored, once per language, so a person reading in English reads the notice in English.

    Message(gettext_lazy("Dictamen técnico asignado: %(folio)s"), folio=proposal.folio)

Values may be lazy labels (a state's label), other Messages, or callables (a date formatted in the
language being rendered)."""

from django.conf import settings
from django.utils import translation


class Message:
    def __init__(self, text, **values):
        self.text = text
        self.values = values

    def render(self) -> str:
        """The text in the active language."""
        values = {key: _render(value) for key, value in self.values.items()}
        return str(self.text) % values if values else str(self.text)

    def __add__(self, other):
        return Joined(self, other)

    def __radd__(self, other):
        return Joined(other, self)


class Joined(Message):
    """Parts written one after another (a body made of sentences, some only in some cases)."""

    def __init__(self, *parts):
        super().__init__("")
        self.parts = parts

    def render(self) -> str:
        return "".join(_render(part) for part in self.parts)


def _render(value):
    if isinstance(value, Message):
        return value.render()
    if callable(value):
        return value()
    return str(value)


def render_in(value, language: str) -> str:
    with translation.override(language):
        return render_active(value)


def render_active(value) -> str:
    """The text in the language active now (for a caller that renders many texts in one language)."""
    return _render(value) if value else ""


def other_languages() -> list[str]:
    """The site's languages besides the first (Spanish, stored in the notice's own fields)."""
    return [code for code, _name in settings.LANGUAGES[1:]]
