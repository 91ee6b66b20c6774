"""Links in e-mails point at the server people use: NICP_SITE_URL, or the HOST and PORT `make run` serves on."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from nicp.settings.base import site_url_from
from notifications.services import notices_email, notify
from tests.factories import UserFactory

ROOT = Path(settings.BASE_DIR)


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "http://127.0.0.1:8000"),
    ({"HOST": "127.0.0.1", "PORT": "8104"}, "http://127.0.0.1:8104"),
    ({"HOST": "nicp.local", "PORT": "9000"}, "http://nicp.local:9000"),
    ({"HOST": "0.0.0.0", "PORT": "8080"}, "http://127.0.0.1:8080"),  # noqa: S104 (bind-all is not openable)
    ({"HOST": "::1", "PORT": "8080"}, "http://[::1]:8080"),
    ({"HOST": "0.0.0.0", "PORT": "8080", "NICP_SITE_URL": "https://nicp.example.mx/"},  # noqa: S104
     "https://nicp.example.mx"),
])
def test_site_url_follows_host_and_port_unless_configured(environ, expected):
    assert site_url_from(environ) == expected


def test_the_settings_read_host_and_port_from_the_environment():
    env = {k: v for k, v in os.environ.items() if k != "NICP_SITE_URL"}
    env.update(HOST="127.0.0.1", PORT="8123", DJANGO_SETTINGS_MODULE="nicp.settings.base")
    out = subprocess.run([sys.executable, "-c", "from django.conf import settings; print(settings.NICP_SITE_URL)"],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "http://127.0.0.1:8123"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_exports_host_and_port_to_the_server_and_the_worker():
    bind_all = "0.0.0.0"  # noqa: S104 (only passed to make -n)
    out = subprocess.run(["make", "-n", "run", f"HOST={bind_all}", "PORT=8123"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    export = next(line for line in out.splitlines() if line.lstrip("@ \t").startswith("export"))
    assert f"HOST={bind_all}" in export and "PORT=8123" in export


@pytest.mark.django_db
def test_a_notice_email_links_to_the_configured_site(settings):
    settings.NICP_SITE_URL = site_url_from({"HOST": "127.0.0.1", "PORT": "8104"})
    notice, = notify(recipients=[UserFactory()], subject="Aviso", body="Algo pasó.", url="/inicio/")
    notices_email(notice_ids=[notice.pk])
    assert "http://127.0.0.1:8104/inicio/" in mail.outbox[-1].body
