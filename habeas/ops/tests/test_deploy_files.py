"""deploy/ is valid as shipped: Caddy accepts the Caddyfile, Tor the onion snippet, and the
access log and the onion site keep the promises docs/deploy.md makes about them."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
ENV = {**os.environ, "HABEAS_DOMAIN": "sos.example.org", "HABEAS_ONION": "abc.onion"}


def tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"CI must have {name}: .ci/run installs it")
    pytest.skip(f"{name} is not installed (apt-get install {name}; CI installs it)")


def adapted() -> dict:
    result = subprocess.run(
        [tool("caddy"), "adapt", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_caddy_validates_the_caddyfile():
    result = subprocess.run(
        [
            tool("caddy"),
            "validate",
            "--config",
            str(DEPLOY / "Caddyfile"),
            "--adapter",
            "caddyfile",
        ],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


def test_the_caddyfile_is_as_caddy_fmt_writes_it():
    """Caddy warns at every start about a Caddyfile that `caddy fmt` would change."""
    result = subprocess.run(
        [tool("caddy"), "fmt", str(DEPLOY / "Caddyfile")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (DEPLOY / "Caddyfile").read_text()


def test_the_access_log_keeps_no_client_address_header_or_uri():
    logs = [log for name, log in adapted()["logging"]["logs"].items() if name != "default"]
    assert logs
    for log in logs:
        fields = log["encoder"]["fields"]
        for field in ("request>remote_ip", "request>client_ip", "request>headers", "request>uri"):
            assert fields[field] == {"filter": "delete"}, field


def test_caddys_own_log_keeps_no_client_address_header_or_uri_either():
    """Guards against: an upstream's outage writing each SOS's address and Idempotency-Key
    (its status token derives from it) into the journal, in Caddy's error entries."""
    fields = adapted()["logging"]["logs"]["default"]["encoder"]["fields"]
    for field in ("request>remote_ip", "request>client_ip", "request>headers", "request>uri"):
        assert fields[field] == {"filter": "delete"}, field


def test_without_the_test_variables_the_caddyfile_is_the_production_one():
    """The placeholders make-test-stack sets default to what production runs: one upstream
    on 127.0.0.1:8000, ports 443 and 8081, the log under /var/log/caddy, certificates from
    ACME (no local authority)."""
    config = adapted()
    text = json.dumps(config)
    assert text.count('"dial": "127.0.0.1:8000"') == 2
    assert config["admin"]["listen"] == "localhost:2019"
    listens = [s["listen"] for s in config["apps"]["http"]["servers"].values()]
    assert sorted(listens) == [["127.0.0.1:8081"], [":443"]]
    assert "/var/log/caddy/habeas-access.log" in text
    assert "internal" not in text and "pki" not in config["apps"]


def test_the_onion_site_sends_no_hsts_and_the_public_site_does():
    text = json.dumps(adapted())
    servers = adapted()["apps"]["http"]["servers"]
    onion = [s for s in servers.values() if ":8081" in json.dumps(s["listen"])]
    public = [s for s in servers.values() if ":443" in json.dumps(s["listen"])]
    assert onion and public
    assert "Strict-Transport-Security" in json.dumps(public[0])
    assert '"Strict-Transport-Security": [' not in json.dumps(onion[0])  # deleted, never set
    assert "Onion-Location" in text


def test_tor_accepts_the_onion_service_snippet(tmp_path):
    hs = tmp_path / "hs"
    snippet = (DEPLOY / "torrc").read_text().replace("/var/lib/tor/habeas/", f"{hs}/")
    assert snippet != (DEPLOY / "torrc").read_text()
    config = tmp_path / "torrc"
    config.write_text(f"{snippet}\nDataDirectory {tmp_path / 'data'}\n")
    tmp_path.chmod(0o700)
    result = subprocess.run(
        [tool("tor"), "--verify-config", "-f", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Configuration was valid" in result.stdout
