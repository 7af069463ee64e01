"""django-axes, configured to lock accounts without keeping anything about the client.

Axes locks by username only (settings.AXES_LOCKOUT_PARAMETERS). These hooks make sure that
what it stores and logs holds no IP address, no user agent and no email in clear.
"""

from axes.handlers.database import AxesDatabaseHandler

from habeas.lib.keyed import keyed_hash


def username(request, credentials: dict | None) -> str:
    """The account a login names, as the login form stores it: trimmed and lower-cased."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username", "")
    return str(raw or "").strip().lower()


def no_address(request) -> None:
    """Stand in for the client's IP address: there is none to store."""
    return None


def log_name(username, ip_address, user_agent, path_info, request) -> str:
    """Name an account in axes' log lines by a keyed hash: lines can be matched, not read."""
    return f"account h:{keyed_hash('login-name', str(username or ''))[:12]}"


class AddresslessHandler(AxesDatabaseHandler):
    """Axes' database handler, with the user agent and Accept header blanked before saving."""

    @staticmethod
    def _forget_client(request) -> None:
        if request is not None:
            request.axes_ip_address = None
            request.axes_user_agent = ""
            request.axes_http_accept = ""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        self._forget_client(request)
        return super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender, request, user, **kwargs):
        self._forget_client(request)
        return super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender, request, user, **kwargs):
        self._forget_client(request)
        return super().user_logged_out(sender, request, user, **kwargs)
