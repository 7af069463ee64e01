"""The limiter's counters live in one cache for every process (HABEAS_CACHE_URL), and an
unreachable cache fails open: the SOS is accepted (issue 14, finding 7: "counters in each
process's memory, N processes allow N times the limit")."""

import logging
import os
import shutil
import socket
import subprocess
import time
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory

from habeas.api import limits
from habeas.cases.models import Case
from habeas.tests.test_settings import GOOD, check


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url():
    """A Redis of this test's own when redis-server is installed (CI installs it), else the
    machine's at 127.0.0.1:6379; skipped, with the reason shown by -ra, when neither exists."""
    binary = shutil.which("redis-server")
    if binary:
        port = free_port()
        server = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
             "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            for _ in range(50):
                if reachable(port):
                    break
                time.sleep(0.1)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            server.terminate()
            server.wait(timeout=10)
    elif reachable(6379):
        yield "redis://127.0.0.1:6379/15"
    elif os.environ.get("CI"):
        pytest.fail("CI must have redis-server: .ci/run installs it")
    else:
        pytest.skip("no redis-server installed and none at 127.0.0.1:6379 (CI installs it)")


@pytest.fixture
def use_caches(settings):
    """Point the default cache elsewhere for one test; put the test cache back before the
    suite's own clean-up clears it (a closed port cannot be cleared)."""
    original = settings.CACHES

    def use(caches: dict) -> None:
        settings.CACHES = caches

    yield use
    settings.CACHES = original


def redis_caches(url: str, prefix: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def request(address: str = "100.64.9.1"):
    return RequestFactory().post("/api/v1/cases", REMOTE_ADDR=address)


def test_two_processes_share_one_count_through_redis(redis_url, use_caches, settings):
    """Guards against: each process counting alone, so N workers allowed N times the limit."""
    prefix = f"t-{uuid.uuid4().hex[:8]}"
    use_caches(redis_caches(redis_url, prefix))
    settings.HABEAS_RATE_SOS_PER_NETWORK = 4
    settings.HABEAS_RATE_SOS_PER_KEY = 10
    assert [limits.sos_wait(request(), f"worker-one-{n:04d}") for n in range(2)] == [None, None]

    # A second worker: its own connection pool to the same Redis, no memory shared.
    other = RedisCache(redis_url, {"KEY_PREFIX": prefix})
    window = int(time.time() // limits.WINDOW_SECONDS)
    assert other.get(f"rl:sos-net:{limits.client_network(request())}:{window}") == 2
    use_caches(redis_caches(redis_url, prefix))  # new handles, as in another process
    waits = [limits.sos_wait(request(), f"worker-two-{n:04d}") for n in range(3)]
    assert waits[:2] == [None, None] and waits[2] is not None


def test_an_unreachable_cache_lets_the_sos_through_and_warns_without_addresses(
    phone, settings, use_caches, caplog
):
    """Guards against: a Redis outage turning into refused SOS (or a 500)."""
    use_caches(redis_caches(f"redis://127.0.0.1:{free_port()}/0", "closed"))
    settings.HABEAS_RATE_SOS_PER_NETWORK = 1
    caplog.set_level(logging.WARNING)
    codes = [phone.sos({}).status_code for _ in range(3)]
    assert codes == [201, 201, 201]
    assert Case.objects.count() == 3
    assert "cache is unreachable" in caplog.text
    assert "127.0.0.1" not in caplog.text


def test_an_unreachable_cache_does_not_block_staff_login(lawyer_a, use_caches):
    from django.test import Client

    from conftest import PASSWORD

    use_caches(redis_caches(f"redis://127.0.0.1:{free_port()}/0", "closed"))
    response = Client().post("/console/login/", {"username": lawyer_a.email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "url", ["memcached://x", "redis://host:notaport/0", "db://bad table", "redis://"]
)
def test_a_malformed_cache_url_stops_start_up_naming_the_variable(url, tmp_path):
    result = check({**GOOD, "HABEAS_CACHE_URL": url}, tmp_path)
    assert result.returncode != 0
    assert "HABEAS_CACHE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_trusted_proxy_stops_start_up_naming_the_variable(tmp_path):
    result = check({**GOOD, "HABEAS_TRUSTED_PROXIES": "10.0.0.0/8, proxy.local"}, tmp_path)
    assert result.returncode != 0
    assert "HABEAS_TRUSTED_PROXIES" in result.stderr


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "db://habeas_cache", "locmem://"])
def test_good_cache_urls_start(url, tmp_path):
    result = check({**GOOD, "HABEAS_CACHE_URL": url}, tmp_path)
    assert result.returncode == 0, result.stderr
