"""django-axes, configured so that a stranger cannot lock staff out, and nothing about the
client is kept in clear.

Two locks (settings.AXES_LOCKOUT_PARAMETERS and HABEAS_LOGIN_ACCOUNT_CEILING):
- Per account *and* source network: HABEAS_LOGIN_FAILURE_LIMIT wrong passwords from one /24
  (IPv4) or /48 (IPv6) lock that account from that network only. Counting per account alone
  let anyone who knew a lawyer's email lock them out every 15 minutes, from anywhere.
- Per account from every network: HABEAS_LOGIN_ACCOUNT_CEILING wrong passwords in one clock
  hour lock the account everywhere until the hour ends, so a guesser spread over many networks
  still gets a bounded number of tries; administrators are told by email (the outbox) and a
  warning is logged, as when all accounts together pass HABEAS_LOGIN_ALERT_FAILURES.

What axes stores: in `username`, a keyed hash of the name as typed (trimmed, lower-cased),
never the name; in `ip_address`, a keyed hash of the network folded into an IPv6 address in
fd00::/8 (the column is an address column on PostgreSQL), never the address; no user agent,
no Accept header, no log of successful logins. Log lines name an account by its hash.
"""

import ipaddress
import logging
import re
import time

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import gettext as _

from habeas.lib.keyed import keyed_hash

from .network import network_hash

log = logging.getLogger(__name__)

HOUR = 3600
HASH = re.compile(r"[0-9a-f]{64}")
# fd00::/8 is the unique-local range: a pseudonym there can never be mistaken for, or collide
# with, a public address; the other 120 bits come from the keyed hash.
PSEUDONYM_PREFIX = 0xFD << 120


def typed_name(request, credentials: dict | None) -> str:
    """The account a login names, as the login form stores it: trimmed and lower-cased."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username", "")
    return str(raw or "").strip().lower()


def account_hash(name: str) -> str:
    """The keyed hash axes keeps instead of a login name: countable, not readable."""
    return keyed_hash("login-name", name)


def username(request, credentials: dict | None) -> str:
    """AXES_USERNAME_CALLABLE: the hash of the typed name, so axes never stores the name."""
    return account_hash(typed_name(request, credentials))


def source_network(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: a pseudonym of the client's /24 or /48, never the address."""
    digest = network_hash(request, "login-network")
    if digest is None:
        return None
    return str(ipaddress.IPv6Address(PSEUDONYM_PREFIX | int(digest[:30], 16)))


def log_name(username, ip_address, user_agent, path_info, request) -> str:
    """Name an account in axes' log lines by its hash: lines can be matched, not read.

    Axes passes the stored hash after a failure but the account's email after a success.
    """
    name = str(username or "")
    if not HASH.fullmatch(name):
        name = account_hash(name.strip().lower())
    return f"account h:{name[:12]}"


# --- the per-account ceiling and the alerts ---------------------------------------------------


def _hour() -> int:
    return int(time.time() // HOUR)


def minutes_left_in_hour() -> int:
    return max(1, -(-(HOUR - int(time.time()) % HOUR) // 60))


def _count(key: str) -> int | None:
    """Add one to an hourly counter; None when the cache cannot be reached (fail open: the
    per-network lock, kept in the database, still stands)."""
    try:
        cache.add(key, 0, timeout=HOUR * 2)
        try:
            return cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=HOUR * 2)
            return 1
    except Exception as exc:
        log.warning("login failure not counted, the cache is unreachable: %s", type(exc).__name__)
        return None


def account_failures(account: str) -> int:
    """Wrong passwords for this account (by hash) this hour, from every network."""
    try:
        return int(cache.get(f"login-fail:{account}:{_hour()}") or 0)
    except Exception as exc:
        log.warning("login failures not read, the cache is unreachable: %s", type(exc).__name__)
        return 0


def over_ceiling(account: str) -> bool:
    ceiling = settings.HABEAS_LOGIN_ACCOUNT_CEILING
    return ceiling > 0 and account_failures(account) >= ceiling


def _tell_admins(subject: str, body: str, dedupe: str) -> None:
    """Email every active administrator through the outbox (sealed, erased once sent)."""
    from habeas.notifications import services as notifications

    from .models import Role, User

    admins = User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True)
    for admin in admins:
        notifications.enqueue(
            "email", admin.email, subject, body, dedupe_key=f"{dedupe}:{admin.pk}", recipient=admin
        )


def count_failure(request, credentials: dict | None) -> None:
    """Count one wrong password against the account's hourly ceiling and the global alert."""
    account = username(request, credentials)
    window = _hour()
    ceiling = settings.HABEAS_LOGIN_ACCOUNT_CEILING
    failures = _count(f"login-fail:{account}:{window}")
    if ceiling > 0 and failures == ceiling:
        log.warning(
            "login: account h:%s had %d wrong passwords this hour from all networks; "
            "locked everywhere for the rest of the hour",
            account[:12],
            failures,
        )
        from .models import User

        known = User.objects.filter(email=typed_name(request, credentials)).first()
        _tell_admins(
            _("Habeas: an account is locked after many wrong passwords"),
            _(
                "%(account)s had %(count)d wrong passwords in the last hour, from several "
                "networks, and is locked everywhere for up to an hour. Someone may be guessing "
                "its password: tell its owner, and change the password if they were not "
                "mistyping it."
            )
            % {
                "account": known.email if known else _("A login name that is no account"),
                "count": failures,
            },
            f"login-alert:account:{account[:16]}:{window}",
        )
    alert = settings.HABEAS_LOGIN_ALERT_FAILURES
    total = _count(f"login-fail:all:{window}")
    if alert > 0 and total == alert:
        log.warning("login: %d wrong passwords this hour across all accounts", total)
        _tell_admins(
            _("Habeas: many wrong passwords"),
            _(
                "%(count)d wrong passwords were typed at the staff login in the last hour, "
                "across all accounts. Someone may be guessing passwords."
            )
            % {"count": total},
            f"login-alert:all:{window}",
        )


class AddresslessHandler(AxesDatabaseHandler):
    """Axes' database handler: no user agent or Accept header saved, and the per-account
    ceiling on top of axes' per-account-and-network lock."""

    @staticmethod
    def _forget_client(request) -> None:
        if request is not None:
            request.axes_user_agent = ""
            request.axes_http_accept = ""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return over_ceiling(username(request, credentials))

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        self._forget_client(request)
        refused_while_locked = bool(getattr(request, "axes_locked_out", False))
        result = super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not refused_while_locked:
            # A try refused during a lock is not counted, as axes does: the lock lasts what
            # the login page says.
            count_failure(request, credentials)
            if over_ceiling(username(request, credentials)):
                request.axes_locked_out = True
                request.axes_credentials = credentials
        return result

    def user_logged_in(self, sender, request, user, **kwargs):
        self._forget_client(request)
        return super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender, request, user, **kwargs):
        self._forget_client(request)
        return super().user_logged_out(sender, request, user, **kwargs)


def lockout_minutes(request, credentials: dict | None) -> int:
    """How long the login page says the lock lasts: to the hour's end for the ceiling."""
    if over_ceiling(username(request, credentials)):
        return minutes_left_in_hour()
    return settings.HABEAS_LOGIN_LOCKOUT_MINUTES


def unlock(email: str) -> int:
    """Lift every lock on this login name: per-network rows and this hour's ceiling count."""
    from axes.models import AccessAttempt

    account = account_hash(email.strip().lower())
    removed, _ = AccessAttempt.objects.filter(username=account).delete()
    try:
        cache.delete(f"login-fail:{account}:{_hour()}")
    except Exception as exc:
        log.warning("login ceiling not reset, the cache is unreachable: %s", type(exc).__name__)
    return removed
