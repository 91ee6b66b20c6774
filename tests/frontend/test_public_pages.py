"""The footer's help and privacy pages, and error pages that always offer a way back."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_footer_links_help_and_privacy(client):
    html = client.get(reverse("home")).content.decode()
    footer = html[html.index('<footer'):]
    assert f'href="{reverse("help")}"' in footer and f'href="{reverse("privacy")}"' in footer


def test_help_page_gives_the_office_and_answers_common_questions(client):
    response = client.get(reverse("help"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Oficina del Programa" in html and "Preguntas frecuentes" in html
    assert html.count("<h3>") >= 5
    assert reverse("proposals:call_list") in html and reverse("account_reset_password") in html


def test_privacy_notice_says_what_is_kept_who_sees_it_and_how_to_use_arco_rights(client):
    html = client.get(reverse("privacy")).content.decode()
    for words in ("Qué datos guardamos", "Para qué los usamos", "Quién los ve", "ARCO", "Texto de demostración"):
        assert words in html, words


def test_the_ministry_replaces_the_privacy_text_with_a_template_override(client, settings, tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "privacy_notice_text.html").write_text("<p>Aviso oficial de la Secretaría.</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    html = client.get(reverse("privacy")).content.decode()
    assert "Aviso oficial de la Secretaría." in html and "Texto de demostración" not in html


@pytest.mark.parametrize("user_kind", ["anonymous", "applicant"])
def test_not_found_page_offers_home_calls_and_help(user_kind, applicant):
    client = Client()
    if user_kind == "applicant":
        client.force_login(applicant)
    response = client.get("/no-existe/")
    html = response.content.decode()
    assert response.status_code == 404 and "No encontramos esta página" in html
    main = html[html.index("<main"):]
    for url in (reverse("home"), reverse("proposals:call_list"), reverse("help")):
        assert f'href="{url}"' in main


def test_forbidden_page_offers_a_way_back(client, applicant):
    client.force_login(applicant)
    response = client.get(reverse("proposals:review_queue"))
    assert response.status_code == 403
    assert f'href="{reverse("help")}"' in response.content.decode().split("<main", 1)[1]


def test_server_error_page_offers_a_way_back_without_touching_the_database():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert 'href="/convocatorias/"' in html and 'href="/ayuda/"' in html
    assert reverse("proposals:call_list") == "/convocatorias/" and reverse("help") == "/ayuda/"
