"""Rules shown where they apply, before staff apply them: the call's excluded works (a warning only,
since staff decide eligibility) and the amount range of the chosen modality."""

import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from proposals.models import Proposal


def _plain(text: str) -> str:
    """Lower case without accents, so «Pavimentación» and «pavimentacion» compare equal."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _stems(work: str) -> list[str]:
    # The start of each meaningful word: «Pavimentación» also warns about «pavimentar la calle».
    return [word[:min(5, len(word) - 1)] for word in _plain(work).replace(",", " ").split() if len(word) >= 4]


def mentions(work: str, text: str) -> bool:
    words = _plain(text).replace(",", " ").replace(".", " ").split()
    stems = _stems(work)
    return bool(stems) and all(any(word.startswith(stem) for word in words) for stem in stems)


def excluded_work_warnings(proposal: Proposal, concepts: list[str] | None = None) -> list[str]:
    """One warning per place where the title, type or a budget concept names an excluded work."""
    works = proposal.call.excluded_works_list
    if not works:
        return []
    if concepts is None:
        concepts = [line.concept for line in proposal.budget_lines.all()]
    places = [(_("El nombre del proyecto"), proposal.title)]
    if proposal.project_type:
        places.append((_("El tipo de proyecto"), str(proposal.get_project_type_display())))
    places += [(_("El concepto %(n)d («%(c)s»)") % {"n": n, "c": concept}, concept)
               for n, concept in enumerate(concepts, start=1) if concept]
    return [_("%(where)s menciona «%(work)s», una obra que la convocatoria excluye. Puedes enviarla; la "
              "coordinación decidirá si es elegible.") % {"where": where, "work": work}
            for where, text in places for work in works if mentions(work, text)]


def modality_range(proposal: Proposal):
    """The CallModality of the proposal's modality, or None."""
    if not proposal.modality:
        return None
    return next((m for m in proposal.call.modalities.all() if m.modality == proposal.modality), None)


def row_amount(form) -> Decimal | None:
    """Quantity × unit price of a budget row as typed (bound) or saved (initial); None when not numbers."""
    def value(name):
        raw = form[name].value()
        try:
            number = Decimal(str(raw).replace(",", "")) if raw not in (None, "") else None
        except (InvalidOperation, ValueError):
            return None
        return number if number is not None and number.is_finite() else None

    quantity, price = value("quantity"), value("unit_price")
    if quantity is None or price is None:
        return None
    try:
        return (quantity * price).quantize(Decimal("0.01"))
    except ArithmeticError:  # too many digits to show (overflow, precision): the save will say what is wrong
        return None
