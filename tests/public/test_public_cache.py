"""The public pages' short cache (nicp/public_cache.py): an anonymous visitor's listing, statistics and public
API answers are shared for a minute; anything personal is never cached nor served from the cache."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import BoroughFactory, UserFactory, make_open_call
from tests.public.listing_world import funded, unit


@pytest.fixture
def cached(settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def place(db):
    return make_open_call(year=2041), unit(BoroughFactory(), "41-001")


def _count(client, url):
    return client.get(url).content.decode().count("Parque del caché")


@pytest.mark.parametrize("name", ["public:project_list", "api:public-projects"])
def test_an_anonymous_answer_is_shared_for_a_minute(client, cached, place, name):
    call, where = place
    url = reverse(name)
    funded(call, where, title="Parque del caché uno")
    assert _count(client, url) == 1
    funded(call, where, title="Parque del caché dos")
    assert _count(Client(), url) == 1                      # another visitor: the kept answer
    assert _count(Client(), url + "?sort=monto") == 2      # another address: asked afresh
    signed_in = Client()
    signed_in.force_login(UserFactory())
    assert _count(signed_in, url) == 2                     # signed in: never from the cache
    with_session = Client()
    with_session.cookies["sessionid"] = "cualquiera"
    assert _count(with_session, url) == 2                  # a session (maybe a flash message): never cached


def test_the_cache_is_off_at_zero(client, place, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    call, where = place
    url = reverse("public:project_list")
    funded(call, where, title="Parque del caché uno")
    assert _count(client, url) == 1
    funded(call, where, title="Parque del caché dos")
    assert _count(client, url) == 2


def test_only_a_good_answer_is_kept(client, cached, place, monkeypatch):
    kept = []
    real_set = cache.set
    monkeypatch.setattr("nicp.public_cache.cache.set", lambda key, value, timeout: kept.append(key)
                        or real_set(key, value, timeout))
    assert client.get(reverse("public:project_list") + "?borough=999").status_code == 400
    assert kept == []
    assert client.get(reverse("public:project_list")).status_code == 200
    assert len(kept) == 1


def test_the_anonymous_pages_carry_no_csrf_token_so_they_can_be_shared(client, cached, place):
    response = client.get(reverse("public:project_list"))
    assert b"csrfmiddlewaretoken" not in response.content
    assert "csrftoken" not in response.cookies


def test_an_anonymous_language_switch_needs_no_token_a_signed_in_one_does(db):
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post(reverse("set_language"), {"language": "en", "next": "/proyectos/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    person = UserFactory(language="es-mx")
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(person)
    assert signed_in.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 403
    person.refresh_from_db()
    assert person.language == "es-mx"                      # refused: nothing recorded
    page = signed_in.get(reverse("public:project_list"))
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert signed_in.post(reverse("set_language"), {"language": "en", "next": "/",
                                                    "csrfmiddlewaretoken": token}).status_code == 302
    person.refresh_from_db()
    assert person.language == "en"
