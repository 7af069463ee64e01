"""Rate limits answer 429 with Retry-After; a limited SOS is kept by the app and gets through."""

import pytest

from habeas.cases.models import Case


@pytest.fixture
def low_limits(settings):
    settings.HABEAS_RATE_SOS_PER_NETWORK = 3
    settings.HABEAS_RATE_SOS_PER_KEY = 2


def test_a_network_over_its_limit_gets_429_with_retry_after(phone, low_limits):
    codes = [phone.sos({}).status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]
    limited = phone.sos({})
    assert 0 < int(limited["Retry-After"]) <= 60
    assert "retried" in limited.json()["detail"]
    assert Case.objects.count() == 3


def test_another_network_is_not_limited_by_the_first(phone, low_limits):
    for _ in range(3):
        phone.sos({})
    other = phone.client.post(
        "/api/v1/cases",
        "{}",
        content_type="application/json",
        headers={"Idempotency-Key": "other-network-1"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert other.status_code == 201
    assert Case.objects.count() == 4


def test_one_key_hammered_is_limited_but_its_case_exists_once(phone, low_limits, settings):
    settings.HABEAS_RATE_SOS_PER_NETWORK = 100
    codes = [phone.sos({}, key="hammered-key-01").status_code for _ in range(4)]
    assert codes == [201, 200, 429, 429]
    assert Case.objects.count() == 1


def test_a_limited_sos_retried_after_the_window_is_accepted(phone, low_limits):
    from django.core.cache import cache

    for _ in range(3):
        phone.sos({})
    assert phone.sos({}, key="late-sos-key-01").status_code == 429
    cache.clear()  # the minute has passed
    assert phone.sos({}, key="late-sos-key-01").status_code == 201


def test_limits_can_be_switched_off_for_a_surge(phone, settings):
    settings.HABEAS_RATE_SOS_PER_NETWORK = 0
    settings.HABEAS_RATE_SOS_PER_KEY = 0
    assert all(phone.sos({}).status_code == 201 for _ in range(150))


def test_retries_of_one_key_do_not_shut_out_the_rest_of_its_network(phone, settings):
    """Found in security round 2: 121 requests a minute reusing one key kept everyone behind
    the same carrier /24 at 429 while creating one case."""
    settings.HABEAS_RATE_SOS_PER_NETWORK = 3
    for _ in range(10):
        assert phone.sos({"kind": "detention"}, key="retried-key-0001").status_code in (200, 201)
    neighbour = type(phone)()
    assert neighbour.sos({"kind": "detention"}, key="neighbour-key-01").status_code == 201
