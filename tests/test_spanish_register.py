"""The site speaks one Spanish: informal (tú) everywhere, and the programme's own words.

Django, allauth, rest_framework and django-filter ship Spanish in the formal register («Introduzca»,
«su contraseña», «Ha iniciado sesión»); locale/es_MX overrides each such message. These tests walk every
message those packages can show, translate it as a page would under "es-mx", and fail on any formal
marker; they check the project's own strings and templates the same way, and hold the glossary
(docs/glossary.md): no variant spellings in Spanish, one English term per Spanish one."""

import ast
import gettext as gettext_module
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation
from django.views.i18n import JavaScriptCatalog

BASE = Path(settings.BASE_DIR)
DJANGO_LOCALE = Path(__import__("django").__file__).parent / "conf" / "locale"

# Formal imperatives: usted-only, the tú forms differ (Introduce, Selecciona, Asegúrate, Inténtalo…).
# Capitalised they open a sentence; in lower case they count after a pause or «por favor», because
# after «que» the same form is a subjunctive («que tu navegador envíe»).
FORMAL_IMPERATIVES = (
    "Introduzca|Introdúzcalo|Introdúzcala|Ingrese|Ingréselo|Seleccione|Verifique|Inténtelo|Intente|"
    "Asegúrese|Confirme|Haga|Elija|Compruebe|Escriba|Escríbala|Escríbalo|Proporcione|Contacte|Contáctenos|"
    "Utilice|Use|Revise|Corrija|Cambie|Vuelva|Pulse|Póngase|Añada|Agregue|Inicie|Regístrese|Identifíquese|"
    "Espere|Active|Desactive|Habilite|Envíe|Solicite|Tenga|Vaya|Visite|Restablezca|Copie|Guarde|Descargue|"
    "Establezca|Lea|Abra|Mantenga|Recuerde|Siga|Indique|Especifique|Rellene|Complete|Adjunte|Suba|Marque|"
    "Desmarque|Acceda|Diríjase|Disculpe|Note|Emita|Consulte|Cancele|Acepte|Escanee"
)
# «Ha seleccionado…», «Recibirá…» opening a sentence speak to the reader as usted.
IMPERATIVE_OPENING = re.compile(r"(?<!\w)(" + FORMAL_IMPERATIVES + r"|Necesitará|Deberá|Tendrá|Recibirá"
                                r"|(?<![^.!?¿¡\s])Ha (?!sido)\w+[ai]do)(?!\w)")
IMPERATIVE_AFTER_PAUSE = re.compile(r"(?:^|[.,;:!?¿¡(\"“]|\bpor favor|\by|\bo|\bluego|\bdespués)\s*("
                                    + FORMAL_IMPERATIVES + r")(?!\w)", re.IGNORECASE | re.MULTILINE)
# Formal second person: «usted», «le enviamos», «Ha iniciado sesión», «¿Está seguro?», and «su» before what
# only the reader has here (their password, account, browser…). «su» alone is everyday third person in
# Spanish («su barrio», «su representante»), so it is not a marker by itself.
READER_POSSESSIONS = (r"sus? (propias? |nuevas? |antiguas? |actual |otra )?(contraseñas?|cuentas?|correos?|"
                      r"direcci(ón|ones)|navegador|nombre de usuario|usuario|sesión|perfil|códigos?|datos|"
                      r"(otra )?información|bandeja|carpeta|número de teléfono|teléfono|aplicación|dispositivo|"
                      r"paciencia|archivo|base de datos|credenciales|token)")
FORMAL_PHRASES = re.compile(r"(?<!\w)(" + "|".join([
    r"usted(es)?", READER_POSSESSIONS, r"les? (hemos|enviamos|enviaremos|pedimos|recomendamos|permite)",
    r"se le", r"¿?está seguro", r"¿?desea", r"¿ya tiene",
    r"(?<!se )ha (iniciado|cerrado|olvidado|confirmado|decidido|solicitado|recibido|indicado|modificado|creado"
    r"|ingresado)",
    r"no puede (activar|añadir|agregar|eliminar|quitar|desconectar|iniciar|generar)",
    r"(?<!se )puede (agregar|volver|editar|cambiar|iniciar|guardar|ignorar|registrarse)", r"debe escribir",
    r"está (recibiendo|a punto)", r"se dispone", r"olvidó", r"actualmente no tiene",
]) + r")(?!\w)", re.IGNORECASE)

# Real third-person uses of those words in the project's strings.
THIRD_PARTY_POSSESSIVES = re.compile(
    # committees/home.html: the person being added chooses their own password.
    r"recibe un correo para elegir su contraseña", re.IGNORECASE)

# What is not Spanish prose: printf and format placeholders, HTML tags.
NOT_PROSE = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{\w*\}|<[^>]+>")
PLURAL_SAMPLES = (0, 1, 2, 5, 1_000_000)  # reaches every form of any Spanish plural rule


def formal_markers(text: str) -> list[str]:
    prose = THIRD_PARTY_POSSESSIVES.sub(" ", NOT_PROSE.sub(" ", text))
    found = [(m.start(1), m.group(1)) for pattern in (IMPERATIVE_OPENING, IMPERATIVE_AFTER_PAUSE, FORMAL_PHRASES)
             for m in pattern.finditer(prose)]
    return sorted({word for _start, word in sorted(found)}, key=lambda word: prose.index(word))


def package_catalogues() -> list[Path]:
    """The compiled Spanish catalogues Django merges for "es-mx": its own, every installed app's, ours."""
    roots = [DJANGO_LOCALE.parent] + [Path(app.path) for app in apps.get_app_configs()]
    found = []
    for root in roots:
        for lang in ("es_MX", "es"):
            mo = root / "locale" / lang / "LC_MESSAGES" / "django.mo"
            if mo.exists():
                found.append(mo)
    return found + [Path(p) / "es_MX" / "LC_MESSAGES" / "django.mo" for p in settings.LOCALE_PATHS]


def catalogue_name(mo: Path) -> str:
    return f"{mo.parents[3].name} ({mo.parents[1].name})"  # e.g. "allauth (es)", "admin (es_MX)"


def shown_messages():
    """(catalogue, msgid, what a page shows) for every message of every Spanish catalogue."""
    with translation.override("es-mx"):
        for mo in package_catalogues():
            with mo.open("rb") as handle:
                catalogue = gettext_module.GNUTranslations(handle)
            for key in catalogue._catalog:
                msgid, plural = (key[0], True) if isinstance(key, tuple) else (key, False)
                if not msgid or (plural and key[1] != 0):
                    continue
                context, _sep, text = msgid.rpartition("\x04")
                if plural:
                    shown = [translation.npgettext(context, text, text, n) if context
                             else translation.ngettext(text, text, n) for n in PLURAL_SAMPLES]
                else:
                    shown = [translation.pgettext(context, text) if context else translation.gettext(text)]
                for string in shown:
                    yield mo, text, string


def test_every_package_message_speaks_tu():
    seen, formal = 0, {}
    for mo, msgid, shown in shown_messages():
        seen += 1
        if markers := formal_markers(shown):
            formal[msgid] = (shown, markers, catalogue_name(mo))
    assert seen > 1500  # Django, contrib.auth, contrib.admin, allauth, rest_framework, django-filter
    assert not formal, (f"{len(formal)} messages in the usted register; override them in locale/es_MX:\n"
                        + "\n".join(f"{k!r} -> {v}" for k, v in list(formal.items())[:40]))


def test_the_admin_javascript_messages_speak_tu():
    with translation.override("es-mx"):
        view = JavaScriptCatalog(domain="djangojs")
        view.translation = DjangoTranslation("es-mx", domain="djangojs",
                                             localedirs=view.get_paths(["django.contrib.admin"]))
        catalogue = view.get_catalog()
    assert len(catalogue) > 40
    shown = [(msgid, text) for msgid, value in catalogue.items()
             for text in (value if isinstance(value, list) else [value])]
    formal = [(msgid, text) for msgid, text in shown if formal_markers(text)]
    assert not formal, f"override them in locale/es_MX/LC_MESSAGES/djangojs.po: {formal}"


@pytest.mark.parametrize(("msgid", "expected"), [
    ("Enter a valid email address.", "Escribe un correo electrónico válido."),
    ("Successfully signed in as %(name)s.", "Iniciaste sesión como %(name)s."),
    ("Your password can’t be entirely numeric.", "Tu contraseña no puede tener solo números."),
    ("You do not have permission to perform this action.", "No tienes permiso para hacer esta acción."),
])
def test_the_overrides_are_what_pages_show(msgid, expected):
    with translation.override("es-mx"):
        assert translation.gettext(msgid) == expected


def test_the_marker_finds_the_formal_register_and_spares_the_informal():
    assert formal_markers("Introduzca su contraseña.") == ["Introduzca", "su contraseña"]
    assert formal_markers("Las siguientes direcciones están asociadas a su cuenta:") == ["su cuenta"]
    assert formal_markers("Ha iniciado sesión como %(name)s.") == ["Ha iniciado"]
    assert formal_markers("Ha seleccionado una acción. Necesitará ejecutarla.") == ["Ha seleccionado", "Necesitará"]
    assert formal_markers("¿Ya tiene una cuenta? %(link)sinicie sesión%(end_link)s.") == ["¿Ya tiene", "inicie"]
    assert formal_markers("Si no lo recibe, compruebe la carpeta.") == ["compruebe"]
    assert formal_markers("¿Está seguro?") == ["¿Está seguro"]
    assert formal_markers("Este sitio necesita que tu navegador envíe el encabezado.") == []
    assert formal_markers("Escribe tu contraseña. Asegúrate de que coincida; inténtalo de nuevo.") == []
    assert formal_markers("Un grupo comunitario registra su proyecto; pide a su representante.") == []


# The account pages as people see them: allauth's templates, Django's validators, our layout.
PAGE_NOISE = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.DOTALL)
PUBLIC_ACCOUNT_PAGES = ["account_login", "account_signup", "account_reset_password", "account_reset_password_done",
                        "account_email_verification_sent"]
SIGNED_IN_ACCOUNT_PAGES = ["account_email", "account_change_password", "account_logout", "mfa_index",
                           "account_reauthenticate"]


def visible_text(response) -> str:
    return PAGE_NOISE.sub(" ", response.content.decode())


@pytest.mark.django_db
def test_the_account_pages_and_their_errors_speak_tu(client, applicant):
    formal = {}
    failed_login = client.post(reverse("account_login"), {"login": applicant.email, "password": "no-es-esta-1"})
    weak_signup = client.post(reverse("account_signup"), {"email": "nueva@ejemplo.mx", "password1": "1234567890",
                                                          "password2": "1234567890"})
    assert "El correo electrónico o la contraseña que escribiste no son correctos." in visible_text(failed_login)
    assert "Tu contraseña no puede tener solo números." in visible_text(weak_signup)
    for name, response in [("failed login", failed_login), ("weak sign-up", weak_signup)]:
        formal[name] = formal_markers(visible_text(response))
    pages = [client.get(reverse(name)) for name in PUBLIC_ACCOUNT_PAGES]
    client.force_login(applicant)
    pages += [client.get(reverse(name)) for name in SIGNED_IN_ACCOUNT_PAGES]
    for name, response in zip(PUBLIC_ACCOUNT_PAGES + SIGNED_IN_ACCOUNT_PAGES, pages, strict=True):
        assert response.status_code == 200, name
        formal[name] = formal_markers(visible_text(response))
    assert not {name: markers for name, markers in formal.items() if markers}


@pytest.mark.django_db
def test_the_account_emails_speak_tu_and_come_from_the_programme(client, applicant, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": applicant.email})
    client.post(reverse("account_signup"), {"email": "nueva@ejemplo.mx", "password1": "Barrio-2026-prueba",
                                            "password2": "Barrio-2026-prueba"})
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert message.body.startswith("Hola:"), message.body  # not allauth's «¡Hola de parte de 127.0.0.1!»
        assert "Programa Comunitario de Mejoramiento Barrial" in message.body
        assert not formal_markers(message.subject + "\n" + message.body), message.body


# --- the project's own Spanish -------------------------------------------------------------------------

GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
                 "npgettext", "npgettext_lazy"}
SKIPPED_DIRS = {".venv", "tests", "locale", "migrations", "static", "node_modules", ".git"}


def project_files(*suffixes):
    for path in sorted(BASE.rglob("*")):
        relative = path.relative_to(BASE)
        if path.suffix in suffixes and not SKIPPED_DIRS.intersection(relative.parts) and path.is_file():
            yield relative, path


def python_strings():
    """Every string literal passed to a gettext function in the project's code."""
    for relative, path in project_files(".py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in GETTEXT_CALLS:
                    for argument in node.args:
                        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                            yield f"{relative}:{node.lineno}", argument.value


TEMPLATE_NOISE = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|<script.*?</script>"
                            r"|<style.*?</style>|\{\{.*?\}\}", re.DOTALL)
TEMPLATE_TAG = re.compile(r"\{%.*?%\}", re.DOTALL)
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'')


def template_texts():
    """What a template shows in Spanish: its literal text, and the strings inside translate tags."""
    for relative, path in project_files(".html", ".txt"):
        if "templates" not in relative.parts:
            continue
        source = TEMPLATE_NOISE.sub(" ", path.read_text(encoding="utf-8"))
        for tag in TEMPLATE_TAG.findall(source):
            if re.match(r"\{%\s*trans(late)?\s", tag):
                for match in QUOTED.finditer(tag):
                    yield str(relative), match.group(1) or match.group(2) or ""
        yield str(relative), TEMPLATE_TAG.sub(" ", source)


def project_spanish():
    yield from python_strings()
    yield from template_texts()


def test_the_project_speaks_tu_in_its_code_and_templates():
    found = list(project_spanish())
    assert len(found) > 300
    formal = [(where, markers, text[:120]) for where, text in found if (markers := formal_markers(text))]
    assert not formal, "usted register in the project's Spanish:\n" + "\n".join(map(str, formal))


# --- glossary ---------------------------------------------------------------------------------------------

# (Spanish term as in docs/glossary.md, how it appears in a msgid, what the English must say,
#  Spanish variants that must not appear, msgids where the Spanish word means something else).
GLOSSARY = [
    ("Programa Comunitario de Mejoramiento Barrial", r"Programa Comunitario de Mejoramiento Barrial",
     r"Neighbourhood Improvement Community Programme", [r"Programa de Mejoramiento Barrial"], []),
    ("Ciudad de México", r"Ciudad de México", r"Mexico City", [r"Distrito Federal", r"D\.F\."], []),
    ("convocatoria", r"convocatorias?", r"\bcalls?\b", [r"llamado", r"llamada a propuestas"], []),
    ("modalidad", r"modalidad(es)?", r"modalit", [], []),
    ("propuesta", r"propuestas?", r"proposal",
     [], [r"propuesta de selección", r"[Pp]relación propuesta", r"^Propuesta: %\(p\)s"]),
    ("folio", r"folios?", r"folio", [], []),
    ("grupo comunitario", r"grupos? comunitarios?", r"community groups?", [r"grupos? vecinal(es)?"], []),
    ("grupo promovente", r"grupos? promoventes?", r"proposing group", [], []),
    ("integrante", r"integrantes?", r"member", [r"miembros?"], []),
    ("unidad territorial", r"unidad(es)? territorial(es)?", r"territorial units?", [], []),
    ("alcaldía", r"alcaldías?", r"borough", [r"[Dd]elegaci[óo]n(es)?", r"[Aa]lcaldias?", r"municipios?"], []),
    ("índice / estrato de desarrollo social", r"desarrollo social", r"social development", [], []),
    ("obras excluidas", r"obras excluidas", r"excluded works", [], []),
    ("elegibilidad", r"elegib\w*", r"eligib", [], []),
    ("asamblea vecinal", r"asambleas?", r"assembl", [r"asambleas? ciudadanas?", r"asambleas? comunitarias?"], []),
    ("quórum", r"quórum", r"quorum", [r"quorum"], []),
    # On the closure tab «el acta» is the handover record (acta de entrega-recepción), not minutes.
    ("acta", r"actas?", r"minutes", [r"minutas?"],
     [r"entrega-recepción", r"^El acta se genera cuando las obras", r"^Acta firmada cargada", r"quedará en el acta\.$",
      r"^El acta firmada", r"^acta firmada \(PDF\)$", r"^Falta (cargar|generar) el acta", r"^Generar el acta$",
      r"^Cargar (de nuevo )?el acta firmada$", r"^Imprime el acta, que la firmen"]),
    ("dictamen técnico", r"dictamen|dictámenes", r"review", [r"dictámen\b"], []),
    ("revisión técnica", r"revisión técnica", r"technical review", [], []),
    ("factible / no factible", r"factib\w*", r"feasib", [], []),
    ("Comité Técnico Mixto", r"Comité Técnico Mixto", r"Mixed Technical Committee",
     [r"Comite", r"Comité Mixto", r"CTM"], []),
    ("secretaría del Comité", r"secretaría del Comité", r"Committee secretary", [], []),
    ("sesión", r"sesión del Comité", r"session", [], []),
    ("calificación", r"calificaci(ón|ones)", r"scor", [r"puntuaci(ón|ones)"], []),
    ("puntaje", r"puntajes?", r"score", [r"puntuaci(ón|ones)"], []),
    ("criterios de evaluación (rúbrica)", r"criterios de evaluación", r"scoring criteria", [], []),
    ("excusa", r"excus(a|as|ada|ado|ó|arse)", r"recus", [r"recusaci(ón|ones)"], []),
    ("prelación", r"prelación", r"rank", [], []),
    ("seleccionada / lista de espera / no seleccionada", r"lista de espera", r"waitlist", [], []),
    ("ministración", r"ministraci(ón|ones)", r"tranche", [r"ministracion", r"desembolsos?"], []),
    ("comprobación (de gastos)", r"comprobación", r"verif", [r"comprobacion", r"justificación de gastos"], []),
    ("rendición de cuentas", r"rendición de cuentas", r"accountab", [r"rendicion de cuentas"], []),
    ("convenio", r"convenios?", r"agreement", [], []),
    ("reintegro", r"reintegros?", r"refund", [], []),
    ("factura (CFDI)", r"facturas?", r"invoice", [], []),
    ("bitácora de obra", r"bitácoras?", r"logbook", [r"bitacoras?"], []),
    ("acta de entrega-recepción", r"entrega-recepción", r"handover", [r"entrega recepción"], []),
    ("verificación en dos pasos", r"verificación en dos pasos", r"two-factor authentication",
     [r"doble factor", r"dos factores"], []),
]
EN_CATALOGUE = BASE / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_the_glossary_document_and_this_list_name_the_same_terms():
    table = (BASE / "docs" / "glossary.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| \*\*(.+?)\*\*", table, re.MULTILINE)
    assert documented == [term for term, *_rest in GLOSSARY]


def test_spanish_strings_use_the_glossary_words_not_their_variants():
    found = list(project_spanish()) + [(f"{catalogue_name(mo)}: {msgid[:40]}", shown)
                                       for mo, msgid, shown in shown_messages()]
    wrong = [(where, variant, text[:100]) for where, text in found
             for _term, _es, _en, variants, _other in GLOSSARY for variant in variants
             if re.search(rf"(?<!\w){variant}(?!\w)", text, re.IGNORECASE)]
    assert not wrong, "use the glossary's word (docs/glossary.md):\n" + "\n".join(map(str, wrong))


def english_entries():
    from tests.test_translations import CATALOGUE, entries
    assert CATALOGUE == EN_CATALOGUE
    return [(msgid, strings) for msgid, strings, _fuzzy in entries()]


def test_english_translates_each_glossary_term_with_its_one_english_term():
    entries = english_entries()
    inconsistent = []
    for term, spanish, english, _variants, other_senses in GLOSSARY:
        for msgid, strings in entries:
            if not re.search(rf"(?<!\w)({spanish})(?!\w)", msgid, re.IGNORECASE):
                continue
            if any(re.search(sense, msgid, re.IGNORECASE) for sense in other_senses):
                continue
            if not all(re.search(english, string, re.IGNORECASE) for string in strings if string):
                inconsistent.append((term, msgid[:90], strings[0][:90]))
    assert not inconsistent, "the English catalogue must keep one term per glossary word:\n" + "\n".join(
        map(str, inconsistent))
