"""Every channel delivers through a real server; failures are retried, never lost or doubled."""

import pytest

from habeas.notifications import services
from habeas.notifications.models import Message, State

from .helpers import make_due, states, subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_worker(run_tasks):
    return run_tasks


def test_an_email_goes_through_a_real_smtp_server_and_is_then_erased(smtp, run_worker):
    services.enqueue(
        "email", "lawyer@example.org", "New case", "Accept: http://x/o/1", dedupe_key="t:email:1"
    )
    run_worker()
    assert len(smtp.messages) == 1
    assert smtp.messages[0].rcpt_tos == ["lawyer@example.org"]
    assert b"Accept: http://x/o/1" in smtp.messages[0].content
    message = Message.objects.get()
    assert message.state == State.SENT
    assert message.sealed is None


def test_a_telegram_message_reaches_the_bot_api(telegram, run_worker):
    services.enqueue("telegram", "4242", "New case", "Accept", dedupe_key="t:tg:1")
    run_worker()
    sent = [r for r in telegram.requests if r["path"].endswith("/sendMessage")]
    assert len(sent) == 1
    assert str(sent[0]["body"]["chat_id"]) == "4242"
    assert states() == [State.SENT]


def test_an_sms_goes_to_the_gateway_with_the_template_auth_and_a_stable_key(
    sms_gateway, run_worker
):
    services.enqueue("sms", "+79160000000", "", 'SOS "14:05"', dedupe_key="t:sms:1")
    run_worker()
    [request] = sms_gateway.requests
    assert request["body"]["to"] == "+79160000000"
    assert request["body"]["text"] == 'SOS "14:05"'
    assert request["key"] == str(Message.objects.get().key)
    assert states() == [State.SENT]


def test_a_web_push_is_encrypted_and_posted_to_the_subscription(push_service, run_worker):
    address = subscription(f"{push_service.url}/push/abc")
    services.enqueue("webpush", address, "New case", "Accept", dedupe_key="t:push:1")
    run_worker()
    assert [r["path"] for r in push_service.requests] == ["/push/abc"]
    assert states() == [State.SENT]


def test_a_gone_push_subscription_is_given_up_at_once(push_service, run_worker):
    services.enqueue(
        "webpush", subscription(f"{push_service.url}/push/gone"), "s", "b", dedupe_key="t:push:gone"
    )
    run_worker()
    assert states() == [State.DEAD]
    assert Message.objects.get().last_error == "subscription gone"


def test_the_same_dedupe_key_twice_makes_one_message_and_one_send(sms_gateway, run_worker):
    for _ in range(3):
        services.enqueue("sms", "+79160000000", "", "hi", dedupe_key="t:sms:same")
    run_worker()
    assert Message.objects.count() == 1
    assert len(sms_gateway.requests) == 1


@pytest.mark.parametrize("failure", ["500", "hang", "drop"])
def test_a_failing_gateway_is_retried_and_delivered_once_it_recovers(
    sms_gateway, fast_retries, failure, run_worker
):
    sms_gateway.mode = failure
    services.enqueue("sms", "+79160000000", "", "hi", dedupe_key=f"t:sms:{failure}")
    run_worker()
    message = Message.objects.get()
    assert message.state == State.PENDING
    assert message.last_error
    assert "+7916" not in message.last_error
    sms_gateway.mode = "ok"
    run_worker()
    message.refresh_from_db()
    assert message.state == State.PENDING, "a retry waits for its backoff"
    make_due()
    run_worker()
    message.refresh_from_db()
    assert message.state == State.SENT
    assert message.attempts == 2
    assert len(sms_gateway.delivered) == 1


def test_a_telegram_outage_is_retried_until_it_recovers(telegram, fast_retries, run_worker):
    telegram.mode = "500"
    services.enqueue("telegram", "4242", "s", "b", dedupe_key="t:tg:outage")
    run_worker()
    assert states() == [State.PENDING]
    telegram.mode = "ok"
    make_due()
    run_worker()
    assert states() == [State.SENT]


def test_an_unknown_telegram_chat_is_given_up_without_retrying(telegram, fast_retries, run_worker):
    services.enqueue("telegram", "404", "s", "b", dedupe_key="t:tg:404")
    run_worker()
    assert states() == [State.DEAD]


def test_after_the_last_attempt_a_message_is_dead_and_a_dispatcher_can_retry_it(
    sms_gateway, fast_retries, run_worker
):
    sms_gateway.mode = "500"
    message = services.enqueue("sms", "+79160000000", "", "hi", dedupe_key="t:sms:dead")
    for _ in range(4):
        run_worker()
        make_due()
    message.refresh_from_db()
    assert message.state == State.DEAD
    assert message.attempts == 3
    assert list(Message.objects.dead()) == [message]
    sms_gateway.mode = "ok"
    services.retry(message.pk)
    run_worker()
    make_due()
    run_worker()
    message.refresh_from_db()
    assert message.state == State.SENT


def test_a_message_is_sent_before_the_cases_waiting_to_be_dispatched(sms_gateway):
    # A surge: dispatches queued first, then the offer's SMS. The worker's own claim query
    # (the one db_worker runs) must take the SMS first, or the lawyer hears last.
    from django_tasks_db.models import DBTaskResult

    from habeas.dispatch.tasks import dispatch_case

    for pk in range(1, 21):
        dispatch_case.enqueue(pk)
    services.enqueue("sms", "+79990000001", "", "New case", dedupe_key="t:order:1")
    first = DBTaskResult.objects.ready().get_locked()
    assert first.task_path == "habeas.notifications.tasks.deliver"
    assert first.args_kwargs["args"][0] == Message.objects.get().pk


def test_a_channel_that_is_not_configured_takes_no_message(settings):
    settings.DEBUG = False
    settings.HABEAS_SMS_URL = ""
    assert services.enqueue("sms", "+7916", "", "hi", dedupe_key="t:none") is None
    assert Message.objects.count() == 0


def test_the_sealed_outbox_row_holds_no_address_or_text_in_clear(sms_gateway):
    services.enqueue("sms", "+79161234567", "", "Мария задержана", dedupe_key="t:sealed")
    raw = bytes(Message.objects.get().sealed)
    assert b"+79161234567" not in raw
    assert "Мария".encode() not in raw


def test_every_sms_of_a_process_goes_through_one_kept_client_that_ignores_proxies(
    sms_gateway, monkeypatch
):
    from habeas.notifications import channels
    from habeas.notifications.channels import sms

    monkeypatch.setattr(channels, "_clients", {})
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # a proxy would see every number
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    for n in range(3):
        sms.send("+79160000000", "", f"hi {n}", f"reuse-{n}")
    assert len(sms_gateway.requests) == 3, "sent directly, not to the proxy"
    [client] = channels._clients.values()
    assert client.trust_env is False
    # A forked worker gets its own client, never its parent's sockets.
    monkeypatch.setattr(channels.os, "getpid", lambda: -1)
    assert channels.http_client() is not client
