"""One SMS into a case, whichever gateway delivered it (our own signed webhook in inbound.py,
SMS Gateway for Android in sms_gateway.py)."""

from habeas.cases import services as cases
from habeas.dispatch import services as dispatch
from habeas.lib import smscodec
from habeas.lib.keyed import keyed_hash


def receive_text(sender: str, text: str, message_id: str) -> tuple[cases.Opened, bool]:
    """Turn one SMS into a case: a payload is an SOS keyed by its reference; free text is a
    case for dispatchers, keyed by a keyed hash of the sender and the gateway's message id.
    Returns the case and whether it was a payload."""
    parsed = smscodec.parse(text)
    if parsed is not None:
        intake = cases.Intake(
            person=cases.Person(
                full_name=parsed.full_name, date_of_birth=parsed.date_of_birth, phone=sender
            ),
            location=(
                cases.Location(lat=parsed.lat, lon=parsed.lon) if parsed.lat is not None else None
            ),
            channel="sms",
        )
        return dispatch.receive_sos(intake, reference=parsed.reference), True
    digest = keyed_hash("sms-key", f"{sender}|{message_id or text}")
    intake = cases.Intake(kind="other", person=cases.Person(phone=sender, note=text), channel="sms")
    return dispatch.receive_for_dispatchers(intake, idempotency_key="sms-" + digest[:40]), False
