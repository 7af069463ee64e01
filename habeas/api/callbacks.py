"""The call-back resource: the person behind a status link asks the hotline to phone them."""

from django.http import HttpRequest
from ninja import Router, Schema, Status

from habeas.callbacks import services as callbacks

from .cases import StatusToken
from .schemas import ErrorOut

router = Router(tags=["call-back"])


class CallBackOut(Schema):
    # waiting, no_answer or later while the hotline still has to call; none when not asked.
    state: str


def _bearer(request: HttpRequest) -> str:
    return request.headers.get("Authorization", "").partition(" ")[2].strip()


@router.post(
    "/cases/callback",
    response={200: CallBackOut, 401: ErrorOut},
    auth=StatusToken(),
    summary="Ask the hotline to call me back",
)
def ask_callback(request: HttpRequest):
    """Put this report's person on the hotline's call-back list (once while it is open)."""
    return Status(200, {"state": callbacks.request(_bearer(request)).state})


@router.get(
    "/cases/callback",
    response={200: CallBackOut, 401: ErrorOut},
    auth=StatusToken(),
    summary="Whether a call-back is still to come",
)
def callback_state(request: HttpRequest):
    found = callbacks.open_request(_bearer(request))
    return Status(200, {"state": found.state if found else "none"})
