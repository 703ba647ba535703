"""Production settings: refuse to start without secrets, pass Django's deployment check."""

import os
import secrets

import pytest
from cryptography.fernet import Fernet

from tests.helpers import BASE_DIR, run_python


def production_env(tmp_path, **values):
    """A clean environment: nothing inherited from the test run or the developer's shell."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "doorvertellen.settings.production",
        "DOORVERTELLEN_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
    }
    env.update(values)
    return env


def run(args, env):
    return run_python(*args, env=env, timeout=60)


def secret_values():
    return {
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "doorvertellen.example.nl",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    }


@pytest.mark.parametrize("missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_secret(tmp_path, missing):
    values = secret_values()
    del values[missing]
    code = "import django; from django.conf import settings; settings.DEBUG"
    result = run(["-c", code], production_env(tmp_path, **values))
    assert result.returncode != 0
    assert f"Set the environment variable {missing}" in result.stderr


def test_production_passes_the_deployment_check(tmp_path):
    env = production_env(tmp_path, **secret_values())
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert not (BASE_DIR / "var" / "check.sqlite3").exists()


def test_production_check_fails_with_a_weak_secret_key(tmp_path):
    env = production_env(tmp_path, **{**secret_values(), "SECRET_KEY": "kort"})
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr + result.stdout
