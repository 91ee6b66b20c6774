"""What demo proposals say, by project type: a title that names the place, a diagnosis, objectives,
a description and budget concepts that belong to that kind of work. Shared by every call's demo data."""

from decimal import Decimal

# type -> (title patterns, diagnosis, objectives, description, budget lines (chapter, concept, unit, qty, share))
CONTENT = {
    "park": (
        ["Parque vecinal {unit}", "Jardín comunitario de {unit}", "Parque de bolsillo en {unit}"],
        "El predio está abandonado, sin iluminación y se usa como tiradero; las familias no tienen un espacio "
        "verde cercano.",
        "Recuperar el predio como parque vecinal seguro, con juegos infantiles y áreas verdes.",
        "Limpieza del terreno, juegos infantiles, bancas, luminarias solares, andadores y áreas verdes.",
        [("works", "Juegos infantiles", "lote", 1, "0.35"), ("works", "Bancas de concreto", "pieza", 12, "0.015"),
         ("works", "Áreas verdes y riego", "m²", 400, "0.0006")],
    ),
    "lighting": (
        ["Alumbrado del andador principal de {unit}", "Iluminación de calles peatonales de {unit}"],
        "Los andadores no tienen alumbrado; de noche las vecinas evitan caminar por ellos y hubo asaltos.",
        "Iluminar los recorridos peatonales para que se usen con seguridad a cualquier hora.",
        "Postes con luminarias LED, cableado subterráneo y reparación de la superficie del andador.",
        [("works", "Poste con luminaria LED", "pieza", 24, "0.02"), ("works", "Cableado subterráneo", "m", 600,
                                                                       "0.0004")],
    ),
    "stairs_walkways": (
        ["Escalinata y andador de {unit}", "Rehabilitación de escaleras en {unit}"],
        "La escalinata que sube al barrio tiene escalones rotos y sin barandal; personas mayores han caído.",
        "Rehabilitar la escalinata con barandales y descansos para que sea segura y accesible.",
        "Reconstrucción de escalones, barandal metálico, descansos con bancas y rampa donde la pendiente lo permite.",
        [("works", "Escalones de concreto", "m", 120, "0.003"), ("works", "Barandal metálico", "m", 120, "0.0015")],
    ),
    "sports": (
        ["Cancha de usos múltiples de {unit}", "Módulo deportivo de {unit}"],
        "La cancha existente tiene el piso agrietado, sin tableros ni malla; jóvenes no tienen dónde entrenar.",
        "Rehabilitar la cancha para fútbol rápido, básquetbol y voleibol, con horarios abiertos al barrio.",
        "Piso de concreto pulido, tableros, porterías, malla perimetral y alumbrado de la cancha.",
        [("works", "Piso de concreto pulido", "m²", 600, "0.0006"), ("works", "Malla perimetral", "m", 100,
                                                                     "0.0015")],
    ),
    "community_centre": (
        ["Centro comunitario {unit}", "Salón de usos múltiples de {unit}"],
        "El barrio no tiene un lugar techado para talleres, asambleas ni actividades de niñas y niños.",
        "Construir un salón comunitario para talleres, asambleas y actividades culturales.",
        "Salón de 120 m² con sanitarios, cocineta, instalaciones eléctricas y mobiliario básico.",
        [("works", "Construcción del salón", "m²", 120, "0.005"), ("works", "Sanitarios", "lote", 1, "0.08")],
    ),
    "cultural_centre": (
        ["Casa de cultura de {unit}", "Foro al aire libre de {unit}"],
        "No hay un espacio para la música, la danza ni las fiestas del barrio; se usan calles cerradas.",
        "Crear un foro cultural para las actividades artísticas y las tradiciones del barrio.",
        "Foro con escenario techado, gradas, camerino y bodega para el equipo de sonido.",
        [("works", "Escenario techado", "lote", 1, "0.4"), ("works", "Gradas de concreto", "m", 60, "0.004")],
    ),
    "site_museum": (
        ["Museo de sitio de {unit}"],
        "Las piezas y fotografías que guardan las familias sobre la historia del pueblo se están perdiendo.",
        "Abrir un museo de sitio que conserve y muestre la memoria del pueblo.",
        "Adecuación de un inmueble público, vitrinas, iluminación museográfica y señalización.",
        [("works", "Adecuación del inmueble", "lote", 1, "0.45"), ("works", "Vitrinas", "pieza", 10, "0.015")],
    ),
}
TYPES = list(CONTENT)

# Every budget also carries technical assistance and supervision (shares of the requested amount).
COMMON_LINES = [("technical_assistance", "Asesoría técnica", "servicio", 1, "0.1"),
                ("supervision", "Supervisión de obra", "servicio", 1, "0.05")]


def title_for(project_type: str, unit_name: str, n: int = 0) -> str:
    patterns = CONTENT[project_type][0]
    return patterns[n % len(patterns)].format(unit=unit_name)


def texts_for(project_type: str) -> dict:
    _titles, diagnosis, objectives, description, _lines = CONTENT[project_type]
    return {"diagnosis": diagnosis, "objectives": objectives, "description": description}


def budget_for(project_type: str, amount: Decimal) -> list[dict]:
    """Lines that add up to about `amount`: the type's works take what the assistance lines leave."""
    lines = CONTENT[project_type][4]
    works_share = sum(Decimal(share) * qty for *_rest, qty, share in lines)
    scale = (Decimal("1") - sum(Decimal(s) for *_r, s in COMMON_LINES)) / works_share
    out = []
    for chapter, concept, unit, qty, share in [*lines, *COMMON_LINES]:
        factor = scale if chapter == "works" else Decimal("1")
        out.append({"chapter": chapter, "concept": concept, "unit": unit, "quantity": Decimal(qty),
                    "unit_price": (amount * Decimal(share) * factor).quantize(Decimal("0.01"))})
    return out
