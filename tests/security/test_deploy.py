import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "nicp.settings.production",
    "SECRET_KEY": "x7#Kp2$vQ9!mZ4&rT8*wL1^nB6@hJ3%cF5(eD0)yG-uA_sR+oI=lM{pN}qV|tX~zW",
    "DATABASE_URL": "postgres://nicp:secret@db.invalid:5432/nicp",
    "CELERY_BROKER_URL": "redis://redis.invalid:6379/0",
    "ALLOWED_HOSTS": "nicp.example.mx",
}


def manage(*args, env):
    # A clean production-like environment: none of the test run's own switches (the browser tests
    # relax Django's async guard in this process; production never does).
    clean = {k: v for k, v in os.environ.items()
             if k not in PRODUCTION_ENV and not k.startswith(("CELERY_", "DJANGO_ALLOW_ASYNC"))}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_with_a_clear_message_for_each_missing_variable():
    for missing in ("SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "ALLOWED_HOSTS"):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
        result = manage("check", env=env)
        assert result.returncode != 0
        assert f"Missing required environment variables: {missing}" in result.stderr


def test_production_refuses_sqlite():
    result = manage("check", env={**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///x.sqlite3"})
    assert result.returncode != 0 and "PostgreSQL" in result.stderr
