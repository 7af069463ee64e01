"""`manage.py check --deploy` passes on production settings, email or not, with no warning."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ONION = "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion"


def check_deploy(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HABEAS_", "SECRET_KEY"))}
    clean.pop("DATABASE_URL", None)
    # The suite runs with it (Playwright and the ORM in one test); a deployment never does.
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    clean.update(
        {
            "HABEAS_VAR_DIR": str(tmp_path),
            # Django's own test: at least 50 characters, 5 distinct, no "django-insecure-".
            "SECRET_KEY": secrets.token_urlsafe(50),
            "HABEAS_DATA_KEYS": "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "HABEAS_INDEX_KEY": secrets.token_urlsafe(32),
            "HABEAS_ALLOWED_HOSTS": f"sos.example.org,{ONION}",
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "email", [{}, {"HABEAS_SMTP_URL": "smtp://habeas:secret@mail.example.org:587"}]
)
def test_production_settings_pass_check_deploy_with_email_on_or_off(tmp_path, email):
    result = check_deploy(tmp_path, **email)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_still_warns_when_a_safeguard_is_turned_off(tmp_path):
    result = check_deploy(tmp_path, HABEAS_HSTS_PRELOAD="0")
    assert result.returncode != 0
    assert "security.W021" in result.stderr
