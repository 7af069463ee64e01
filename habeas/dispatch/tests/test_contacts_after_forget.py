"""A trusted contact's address does not outlive the case's personal data.

Found in security round 2: dead letters to contacts (address and link sealed in the outbox)
outlived `forget` and the retention purge.
"""

from conftest import DETAINEE_BODY
from habeas.cases.models import Case
from habeas.notifications.models import Message, State


def test_forgetting_erases_undelivered_messages_to_the_contacts(phone, settings):
    settings.DEBUG = True  # the demo channel stands in for providers
    body = {**DETAINEE_BODY, "contacts": [{"phone": "+79160000001"}, {"email": "mama@x.ru"}]}
    assert phone.sos(body).status_code == 201
    case = Case.objects.get(public_id=phone.case_id)
    to_contacts = Message.objects.filter(dedupe_key__startswith=f"contact:{case.pk}:")
    to_contacts.filter(channel="sms").update(state=State.DEAD)  # a dead letter, kept sealed
    assert to_contacts.filter(sealed__isnull=False).count() == 2

    response = phone.client.post("/api/v1/cases/forget", headers=phone.auth())
    assert response.status_code == 200
    assert not to_contacts.filter(sealed__isnull=False).exists()
    assert set(to_contacts.values_list("state", flat=True)) == {State.DEAD}
