"""Django's admin behind the console's login: password, then the second factor.

The admin has no login form of its own here: it sends people to the console's, which knows
about the second factor and about axes' lockout. Only a verified session with Django's
is_staff flag gets in.
"""

from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from .access import is_verified, safe_next, second_factor_step


class StaffAdminSite(AdminSite):
    def has_permission(self, request) -> bool:
        return super().has_permission(request) and is_verified(request.user)

    def login(self, request, extra_context=None):
        """Send the visitor through the console's login and second factor, then back here."""
        next_url = safe_next(request, default="admin:index")
        if not request.user.is_authenticated:
            return redirect_to_login(next_url)
        if not is_verified(request.user):
            return second_factor_step(request, next_url)
        if not self.has_permission(request):
            # Verified, but not an admin: no login form would change that.
            raise PermissionDenied
        return redirect(next_url)
