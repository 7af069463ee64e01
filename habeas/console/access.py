"""Who may use the console: any active member of staff, whatever their role."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from habeas.accounts.models import Role


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
