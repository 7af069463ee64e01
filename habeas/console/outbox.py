"""Dead letters: messages the outbox gave up on, for a dispatcher to see and send again.

Only the envelope is shown (channel, tries, the provider's short error, when). Address and
text stay sealed: a dispatcher decides to retry from the error, not from the content.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from habeas.notifications import services as notifications
from habeas.notifications.models import Message, State

from .access import dispatcher_required
from .acting import parse_id
from .replies import problem

# Newest first; more than this many dead letters is an outage, and the count says so.
OUTBOX_LIMIT = 200


@never_cache
@dispatcher_required
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    dead = Message.objects.dead()
    shown = list(
        dead.select_related("recipient").only(
            "pk",
            "channel",
            "attempts",
            "last_error",
            "updated_at",
            "created_at",
            "recipient__first_name",
            "recipient__last_name",
            "recipient__email",
        )[:OUTBOX_LIMIT]
    )
    total = dead.count()
    context = {"letters": shown, "total": total, "more_count": max(total - len(shown), 0)}
    return render(request, "console/outbox.html", context)


@dispatcher_required
@require_POST
def outbox_retry(request: HttpRequest) -> HttpResponse:
    """Put one dead message back in the outbox with fresh tries."""
    message_id = parse_id(request.POST.get("message", "").strip())
    state = Message.objects.filter(pk=message_id).values_list("state", flat=True).first()
    if message_id is None or state is None:
        return problem(request, _("There is no message with this id."), 400)
    if state != State.DEAD:
        # Another dispatcher pressed "Retry" first, or it was delivered meanwhile.
        messages.info(request, _("This message is no longer among the failed ones."))
    elif notifications.retry(message_id).state == State.PENDING:
        messages.success(request, _("The message will be sent again."))
    else:
        messages.error(request, _("This message cannot be sent again: its text was erased."))
    return redirect("console:outbox")
