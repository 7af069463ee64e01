"""Twenty phones' worth of retries at once, one key: exactly one case (SQLite and PostgreSQL)."""

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from conftest import DETAINEE_BODY
from habeas.cases.models import Case, CaseEvent, Report


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_posts_with_one_key_make_exactly_one_case():
    barrier = threading.Barrier(20)
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def send():
        client = Client()
        barrier.wait()
        try:
            response = client.post(
                "/api/v1/cases",
                json.dumps(DETAINEE_BODY),
                content_type="application/json",
                headers={"Idempotency-Key": "one-key-twenty-posts"},
            )
            with lock:
                answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    codes = sorted(code for code, _ in answers)
    assert len(answers) == 20
    assert codes == [200] * 19 + [201]
    assert len({body["case_id"] for _, body in answers}) == 1
    assert len({body["status_token"] for _, body in answers}) == 1
    assert Case.objects.count() == Report.objects.count() == CaseEvent.objects.count() == 1
