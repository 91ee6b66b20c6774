"""How reports order names: as people read a list, «Álvaro Obregón» with the A's, not after «Xochimilco»."""

import unicodedata


def alphabetical(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", name.casefold()) if not unicodedata.combining(c))
