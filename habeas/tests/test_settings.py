"""Settings fail closed: outside debug, no secret means no start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def check(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HABEAS_", "SECRET_KEY"))}
    clean.update({"HABEAS_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


GOOD = {
    "SECRET_KEY": "x" * 50,
    "HABEAS_DATA_KEYS": "k1:" + "A" * 43,
    "HABEAS_INDEX_KEY": "index-key",
    "HABEAS_ALLOWED_HOSTS": "habeas.example",
}


@pytest.mark.parametrize("missing", ["SECRET_KEY", "HABEAS_DATA_KEYS", "HABEAS_INDEX_KEY"])
def test_start_up_stops_with_a_clear_message_when_a_secret_is_missing(missing, tmp_path):
    env = {k: v for k, v in GOOD.items() if k != missing}
    result = check(env, tmp_path)
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir()), "no key may be generated outside debug"


def test_a_malformed_data_key_stops_start_up(tmp_path):
    result = check({**GOOD, "HABEAS_DATA_KEYS": "not-a-key"}, tmp_path)
    assert result.returncode != 0
    assert "HABEAS_DATA_KEYS" in result.stderr


def test_production_settings_with_all_secrets_start(tmp_path):
    result = check(GOOD, tmp_path)
    assert result.returncode == 0, result.stderr


def test_debug_generates_development_keys_once_under_var(tmp_path):
    assert check({"HABEAS_DEBUG": "1"}, tmp_path).returncode == 0
    keys = (tmp_path / "dev-data-keys").read_text()
    assert check({"HABEAS_DEBUG": "1"}, tmp_path).returncode == 0
    assert (tmp_path / "dev-data-keys").read_text() == keys
    assert oct((tmp_path / "dev-data-keys").stat().st_mode)[-3:] == "600"


def test_an_evidence_bucket_without_django_storages_stops_start_up(tmp_path):
    # Evidence must never land on the local disk when the admin asked for a bucket. The test
    # environment has django-storages; a package of that name that cannot import hides it.
    hidden = tmp_path / "hide" / "storages"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ImportError('django-storages is not installed')\n")
    env = {**GOOD, "HABEAS_EVIDENCE_S3_BUCKET": "evidence", "PYTHONPATH": str(hidden.parent)}
    result = check(env, tmp_path / "var")
    assert result.returncode != 0
    assert "HABEAS_EVIDENCE_S3_BUCKET" in result.stderr and "habeas[s3]" in result.stderr


def test_an_evidence_bucket_with_django_storages_starts(tmp_path):
    result = check({**GOOD, "HABEAS_EVIDENCE_S3_BUCKET": "evidence"}, tmp_path)
    assert result.returncode == 0, result.stderr
