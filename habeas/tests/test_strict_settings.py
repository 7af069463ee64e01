"""Settings are strict: a value that is neither yes nor no, or not a number, stops start-up."""

import pytest

from .test_settings import GOOD, check


@pytest.mark.parametrize("value", ["ture", "maybe", "2", "offf"])
def test_a_boolean_that_is_neither_true_nor_false_stops_start_up_with_its_name(value, tmp_path):
    # A typo once read as "off" and silently turned the HTTPS redirect off.
    result = check({**GOOD, "HABEAS_SSL_REDIRECT": value}, tmp_path)
    assert result.returncode != 0
    assert "HABEAS_SSL_REDIRECT must be one of" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["false", "0", "no", "OFF", " On ", "TRUE"])
def test_every_spelling_of_yes_and_no_is_understood(value, tmp_path):
    assert check({**GOOD, "HABEAS_BEHIND_PROXY": value}, tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HABEAS_DELIVERY_BACKOFF_SECONDS", "five"),
        ("HABEAS_DELIVERY_BACKOFF_SECONDS", "nan"),
        ("HABEAS_OFFER_SECONDS", "-1"),
        ("HABEAS_RETENTION_DAYS", "30d"),
    ],
)
def test_a_number_that_is_not_one_stops_start_up_with_its_name(name, value, tmp_path):
    result = check({**GOOD, name: value}, tmp_path)
    assert result.returncode != 0
    assert name in result.stderr
    assert "Traceback" not in result.stderr
