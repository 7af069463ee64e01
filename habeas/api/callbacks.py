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


ANSWERS = {200: CallBackOut, 401: ErrorOut}
AUTH = StatusToken()


@router.post("/cases/callback", response=ANSWERS, auth=AUTH, summary="Ask to be called back")
def ask_callback(request: HttpRequest):
    """Put this report's person on the hotline's call-back list (once while it is open)."""
    return Status(200, {"state": callbacks.request(request.auth).state})


@router.get("/cases/callback", response=ANSWERS, auth=AUTH, summary="Is a call-back to come?")
def callback_state(request: HttpRequest):
    found = callbacks.open_request_for(request.auth)
    return Status(200, {"state": found.state if found else "none"})
