"""Who may use the console: any active member of staff; some pages only dispatchers."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from habeas.accounts.models import Role

from .replies import problem


def is_staff_member(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in Role.values


def staff_required(view: Callable) -> Callable:
    """Send anonymous visitors to the login page; refuse accounts that are not staff (403)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def dispatcher_required(view: Callable) -> Callable:
    """Like staff_required, and answer a lawyer with a readable 403 page: dispatchers only."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_dispatcher:
            return problem(request, _("Only dispatchers and administrators can see this."), 403)
        return view(request, *args, **kwargs)

    return staff_required(wrapped)
