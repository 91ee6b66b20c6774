"""Readable names for the IECM catalogue, which writes everything upper case without accents."""

import re
import unicodedata

from neighbourhoods.models import NeighbourhoodKind

# INEGI code -> (IECM borough number, proper name). The catalogue's own spelling is matched folded.
BOROUGHS: dict[str, tuple[str, str]] = {
    "002": ("02", "Azcapotzalco"),
    "003": ("03", "Coyoacán"),
    "004": ("04", "Cuajimalpa de Morelos"),
    "005": ("05", "Gustavo A. Madero"),
    "006": ("06", "Iztacalco"),
    "007": ("07", "Iztapalapa"),
    "008": ("08", "La Magdalena Contreras"),
    "009": ("09", "Milpa Alta"),
    "010": ("10", "Álvaro Obregón"),
    "011": ("11", "Tláhuac"),
    "012": ("12", "Tlalpan"),
    "013": ("13", "Xochimilco"),
    "014": ("14", "Benito Juárez"),
    "015": ("15", "Cuauhtémoc"),
    "016": ("16", "Miguel Hidalgo"),
    "017": ("17", "Venustiano Carranza"),
}

# Abbreviations the catalogue puts in parentheses, spelled out.
ABBREVIATIONS = {
    "AMPL": "Ampliación", "U HAB": "Unidad Habitacional", "U HABS": "Unidades Habitacionales",
    "CONJ HAB": "Conjunto Habitacional", "PBLO": "Pueblo", "BARR": "Barrio", "FRACC": "Fraccionamiento",
    "RDCIAL": "Residencial", "PJE": "Paraje", "EJ": "Ejido", "COND": "Condominio", "RCNDA": "Rinconada",
    "RNCDA": "Rinconada", "U": "Unidad", "BO": "Barrio",
}

# Common words whose accents the catalogue dropped. Not exhaustive: unknown words stay unaccented.
ACCENTED = {
    "ALVARO": "Álvaro", "OBREGON": "Obregón", "COYOACAN": "Coyoacán", "CUAUHTEMOC": "Cuauhtémoc",
    "JUAREZ": "Juárez", "TLAHUAC": "Tláhuac", "MARIA": "María", "JOSE": "José", "MEXICO": "México",
    "SECCION": "Sección", "AMPLIACION": "Ampliación", "CONSTITUCION": "Constitución", "REVOLUCION": "Revolución",
    "INDEPENDENCIA": "Independencia", "CAÑADA": "Cañada", "JESUS": "Jesús", "MARTIN": "Martín",
    "SEBASTIAN": "Sebastián", "ANDRES": "Andrés", "NICOLAS": "Nicolás", "TOMAS": "Tomás", "LUCIA": "Lucía",
    "JERONIMO": "Jerónimo", "SIMON": "Simón", "BARTOLOME": "Bartolomé", "AGRICOLA": "Agrícola",
    "ANAHUAC": "Anáhuac", "PARAISO": "Paraíso", "JARDIN": "Jardín", "PEÑON": "Peñón", "PENON": "Peñón",
    "CAPULIN": "Capulín", "TEPEYAC": "Tepeyac", "ASUNCION": "Asunción", "CONCEPCION": "Concepción",
    "PURISIMA": "Purísima", "LOPEZ": "López", "GONZALEZ": "González", "HERNANDEZ": "Hernández",
    "RODRIGUEZ": "Rodríguez", "MARTINEZ": "Martínez", "PEREZ": "Pérez", "GOMEZ": "Gómez", "SANCHEZ": "Sánchez",
    "RAMIREZ": "Ramírez", "ALVAREZ": "Álvarez", "VAZQUEZ": "Vázquez", "DIAZ": "Díaz", "GARCIA": "García",
    "BOLIVAR": "Bolívar", "CARDENAS": "Cárdenas", "ESTACION": "Estación", "PANTEON": "Panteón",
    "AVIACION": "Aviación", "AMERICA": "América", "MAGDALENA": "Magdalena", "TLALTENCO": "Tlaltenco",
    "IXTLAHUACAN": "Ixtlahuacán", "TEPEPAN": "Tepepan", "XALPA": "Xalpa", "CHAPULTEPEC": "Chapultepec",
    "ATLANTIDA": "Atlántida", "OLIMPICA": "Olímpica", "PEDREGAL": "Pedregal", "POLITECNICO": "Politécnico",
    "BELEN": "Belén", "EJERCITO": "Ejército", "PLATANO": "Plátano", "SOLIS": "Solís",
    "ZARAGOZA": "Zaragoza", "ESPIRITU": "Espíritu", "VICTORIA": "Victoria",
    "ALCANTARILLA": "Alcantarilla", "CAMPESTRE": "Campestre", "MARMOL": "Mármol", "OLIVAR": "Olivar",
}

# Small words written in lower case inside a name ("Lomas de la Era"), except at its start.
LOWER = {"DE", "DEL", "LA", "LAS", "LOS", "EL", "Y", "E", "EN"}
ROMAN = re.compile(r"^(?=[IVXLC]+$)C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
ORDINAL = re.compile(r"^(\d+)(RA|DA|RO|DO|TA|TO|VA|VO|NA|NO|A|O)$")


def fold(text: str) -> str:
    """Upper case without accents (but keeping Ñ), the catalogue's own spelling, for matching."""
    text = text.replace("ñ", "\0").replace("Ñ", "\0")
    plain = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return plain.replace("\0", "Ñ").upper()


def _word(word: str, first: bool) -> str:
    if not word:
        return word
    upper = word.upper()
    if upper in ACCENTED:
        return ACCENTED[upper]
    if ROMAN.match(upper) and upper not in {"L", "C"}:
        return upper
    if ordinal := ORDINAL.match(upper):
        return ordinal.group(1) + ordinal.group(2).lower()
    if upper in LOWER and not first:
        return upper.lower()
    if "." in word:  # initials such as "A." in Gustavo A. Madero
        return ".".join(part.capitalize() for part in word.split("."))
    if any(c.isdigit() for c in word) or upper in {"CTM", "IMSS", "ISSSTE", "FOVISSSTE", "INFONAVIT",
                                                   "UAM", "UNAM", "IPN", "FSTSE", "GDF", "STUNAM"}:
        return upper
    return word[:1].upper() + word[1:].lower()


def display_name(official: str) -> str:
    """'ALPES (AMPL)' -> 'Alpes (Ampliación)'; 'GUSTAVO A. MADERO' -> 'Gustavo A. Madero'."""
    text = re.sub(r"\s+", " ", official.strip())
    text = re.sub(r"\(\s*([^)]*?)\s*\)", lambda m: f"({m.group(1)})", text)

    def expand(match: re.Match) -> str:
        inner = match.group(1)
        return f"({ABBREVIATIONS[inner]})" if inner in ABBREVIATIONS else match.group(0)

    text = re.sub(r"\(([^)]*)\)", expand, text)
    parts = re.split(r"([ ,()/\-]+)", text)
    out, first = [], True
    for part in parts:
        if re.fullmatch(r"[ ,()/\-]+", part or " "):
            out.append(part)
            continue
        out.append(part if part[:1].isupper() and part[1:].islower() and part.upper() not in ACCENTED
                   else _word(part, first))
        first = False
    return "".join(out)


def kind_of(official: str) -> str:
    name = fold(official)
    if re.search(r"\(\s*(U HABS?|CONJ HAB|COND[^)]*|U)\s*\)", name):
        return NeighbourhoodKind.HOUSING_UNIT
    if "(PBLO)" in name or name.startswith("PUEBLO "):
        return NeighbourhoodKind.PUEBLO
    if "(BARR)" in name or name.startswith("BARRIO "):
        return NeighbourhoodKind.BARRIO
    return NeighbourhoodKind.COLONIA
