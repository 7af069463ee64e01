"""Limits that protect, not block (issue 14, findings 7 and 9).

- A retry of a known idempotency key costs nothing against its network's SOS budget.
- X-Forwarded-For counts only when the direct peer is one of HABEAS_TRUSTED_PROXIES.
"""

import ipaddress
import json

import pytest
from django.test import RequestFactory

from habeas.api import limits
from habeas.cases.models import Case

CARRIER = "100.64.7.20"  # one carrier NAT address: hundreds of phones behind it


def sos_request(address: str = CARRIER, **headers):
    return RequestFactory().post("/api/v1/cases", REMOTE_ADDR=address, headers=headers)


@pytest.fixture
def budgets(settings):
    settings.HABEAS_RATE_SOS_PER_NETWORK = 120
    settings.HABEAS_RATE_SOS_PER_KEY = 30


def test_one_key_retried_121_times_does_not_keep_its_network_at_429(budgets):
    """Guards against: 121 requests a minute reusing one key kept everyone behind the same
    carrier /24 at 429 while creating one case."""
    waits = [limits.sos_wait(sos_request(), "hammered-key-0001") for _ in range(121)]
    assert waits[:30] == [None] * 30  # the key's own budget
    assert all(w is not None for w in waits[30:])

    neighbour = sos_request("100.64.7.99")  # another phone, same /24
    assert limits.sos_wait(neighbour, "neighbour-key-0001") is None


def test_new_keys_still_spend_the_networks_budget(settings):
    settings.HABEAS_RATE_SOS_PER_NETWORK = 3
    settings.HABEAS_RATE_SOS_PER_KEY = 10
    waits = [limits.sos_wait(sos_request(), f"fresh-key-{n:04d}") for n in range(4)]
    assert waits[:3] == [None, None, None]
    assert 0 < waits[3] <= 60


def test_a_key_refused_by_its_network_is_not_free_on_its_retry(settings):
    """A key becomes known only once it passed the network's budget: minting keys that are
    refused once and retried must not bypass the network limit."""
    settings.HABEAS_RATE_SOS_PER_NETWORK = 1
    settings.HABEAS_RATE_SOS_PER_KEY = 10
    assert limits.sos_wait(sos_request(), "first-key-0001") is None
    assert limits.sos_wait(sos_request(), "second-key-001") is not None
    assert limits.sos_wait(sos_request(), "second-key-001") is not None
    assert limits.sos_wait(sos_request(), "first-key-0001") is None  # its retry is free


def test_the_cache_holds_no_idempotency_key_and_no_address(budgets, settings):
    from django.core.cache import cache

    limits.sos_wait(sos_request(), "secret-key-123456")
    stored = json.dumps([str(k) for k in cache._cache])  # locmem's keys
    assert "secret-key-123456" not in stored
    assert "100.64.7" not in stored


# --- X-Forwarded-For ------------------------------------------------------------------------

PROXY = "10.0.0.5"


def network_of(request) -> str:
    return limits.client_network(request)


def test_behind_proxy_alone_no_longer_trusts_a_client_chosen_forwarded_for(settings):
    """Guards against: with HABEAS_BEHIND_PROXY=1 a made-up X-Forwarded-For moved a client to a
    fresh network budget on every request."""
    settings.HABEAS_BEHIND_PROXY = True
    settings.HABEAS_TRUSTED_PROXIES = []
    real = network_of(sos_request(CARRIER))
    forged = network_of(sos_request(CARRIER, x_forwarded_for="8.8.8.8"))
    assert forged == real


def test_forwarded_for_from_a_trusted_proxy_names_the_right_most_untrusted_address(settings):
    settings.HABEAS_TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/24")]
    client = network_of(sos_request(CARRIER))
    # The client wrote "1.2.3.4"; our proxy appended the address it saw, then a second proxy.
    via_proxies = sos_request(PROXY, x_forwarded_for=f"1.2.3.4, {CARRIER}, 10.0.0.9")
    assert network_of(via_proxies) == client
    assert network_of(sos_request(PROXY, x_forwarded_for="1.2.3.4")) != client
    # An untrusted peer's header is ignored: the peer is the client.
    assert network_of(sos_request("192.0.2.1", x_forwarded_for=CARRIER)) != client


def test_a_trusted_proxy_without_a_readable_forwarded_for_is_unknown_never_a_guess(settings):
    settings.HABEAS_TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/24")]
    assert network_of(sos_request(PROXY, x_forwarded_for="1.2.3.4, not-an-ip")) == "unknown"
    assert network_of(sos_request(PROXY)) == network_of(sos_request("10.0.0.77"))


def test_clients_behind_a_trusted_proxy_get_their_own_sos_budgets(phone, settings):
    settings.HABEAS_TRUSTED_PROXIES = [ipaddress.ip_network(PROXY)]
    settings.HABEAS_RATE_SOS_PER_NETWORK = 2

    def sos(client_address: str, key: str):
        return phone.client.post(
            "/api/v1/cases",
            "{}",
            content_type="application/json",
            headers={"Idempotency-Key": key, "X-Forwarded-For": client_address},
            REMOTE_ADDR=PROXY,
        )

    codes = [sos("198.51.100.1", f"proxied-a-{n:04d}").status_code for n in range(3)]
    assert codes == [201, 201, 429]
    assert sos("203.0.113.1", "proxied-b-0001").status_code == 201
    assert Case.objects.count() == 3
