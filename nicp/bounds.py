"""The programme's bounds on what people enter: amounts, counts, dates and list sizes, in one place.

Every form, serializer, model validator and database constraint takes its limit from here, so a value
the programme would never see (a budget line of 10^20 pesos, a version of 10^30, the year 9999, twenty
thousand budget lines) is refused with a message before anything is written, and every stored value
stays far inside its column: products and sums of bounded inputs cannot overflow it.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# --- Money (MXN, two decimals) ---------------------------------------------------------------------
# A call's modalities go up to about 1.5 M; a proposal, a budget line, a modality amount, an adjusted
# or assigned amount never above 100 M (the columns hold 10^10 or 10^12).
PROPOSAL_AMOUNT_MAX = Decimal("100000000.00")
LINE_AMOUNT_MAX = PROPOSAL_AMOUNT_MAX
UNIT_PRICE_MAX = PROPOSAL_AMOUNT_MAX
QUANTITY_MIN = Decimal("0.01")
QUANTITY_MAX = Decimal("1000000.00")
# A call's total budget: up to 100 000 M (the column holds 10^12).
CALL_BUDGET_MAX = Decimal("100000000000.00")

# --- Counts ----------------------------------------------------------------------------------------
POPULATION_MAX = 10_000_000      # people a project benefits: more than all of Mexico City
PEOPLE_MAX = 100_000             # people at an assembly (attendees, votes, quorum)
PLACES_MAX = 10_000              # places in a ranking: waitlist size, cap per borough
ID_MAX = 2_147_483_647           # a record id or a version: the largest integer every database stores
VERSION_MAX = ID_MAX

# --- Dates -----------------------------------------------------------------------------------------
DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2100, 12, 31)

# --- Free text (characters) ---------------------------------------------------------------------------
# Long descriptive text (a diagnosis, a project description, a review's observations): some pages each.
TEXT_MAX = 20_000
# A note, comment or reason (an internal comment, a transition note, a recusal or change reason).
NOTE_MAX = 4_000

# --- List sizes (the same cap for the HTML form and the API) ---------------------------------------
# Concepts in a proposal's budget: the page posts six fields a row, and Django refuses a request of more
# than 1,000 fields (DATA_UPLOAD_MAX_NUMBER_FIELDS), so a full budget must stay under that.
MAX_BUDGET_LINES = 150
MAX_CALL_MODALITIES = 2          # one per modality (new, continuation)
MAX_TRANCHES = 6                 # tranches in a call's plan
MAX_RUBRIC_CRITERIA = 12         # criteria in a call's rubric, and scores on one sheet
MAX_BATCH_PROPOSALS = 100        # proposals in one batch action of the review queue
MAX_PRESENT_MEMBERS = 50         # members present at a Committee session
MAX_CHECKLIST_ITEMS = 20         # items in a technical review's checklist
MAX_ENTRY_KEYS = 5               # keys in one checklist answer or one score ({"value", "comment", ...})
MAX_CHOICES = 20                 # codes in a multiple choice (project types, strata, attachment kinds)


def _too_many_message(limit: int) -> str:
    return gettext("Se admiten como máximo %(limit)d elementos.") % {"limit": limit}


# Lazy: fields built at import time still answer in the language of each request.
too_many_message = lazy(_too_many_message, str)


def plausible_date(value) -> None:
    """Refuse dates outside the years the programme can mean (a typo such as 0202 or 20255)."""
    day = value.date() if isinstance(value, datetime) else value
    if day is not None and not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(_("La fecha debe estar entre el %(min)s y el %(max)s.")
                              % {"min": DATE_MIN.strftime("%d/%m/%Y"), "max": DATE_MAX.strftime("%d/%m/%Y")},
                              code="date_range")


def between(low, high) -> list:
    """Model-field validators for a value from low to high (forms and serializers derive theirs)."""
    return [MinValueValidator(low), MaxValueValidator(high)]


def plausible_id(value) -> int | None:
    """The value as a record id, or None when it cannot be one (not a whole number, or outside what a database
    key holds), so the lookup is never tried: `1e400`, `10**30` or `true` would otherwise overflow the query."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= ID_MAX else None
    text = value.strip()
    # A string of thousands of digits would not even convert (Python's digit limit): too long is no id.
    if not text.isascii() or not text.isdigit() or len(text.lstrip("0")) > len(str(ID_MAX)):
        return None
    number = int(text)
    return number if 1 <= number <= ID_MAX else None
