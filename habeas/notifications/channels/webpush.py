"""Web Push to a staff browser (pywebpush, VAPID keys from settings).

A subscription's endpoint is a URL the browser gave us, so it is the sender's choice, not
ours: a staff account (or whoever stole one) once subscribed https://169.254.169.254/... and
https://127.0.0.1:5432/... and read the HTTP status back from the outbox, a port scanner run
by our own server. So, at send time:
- the endpoint must be https on a push service's host (settings.HABEAS_PUSH_HOSTS);
- the host is resolved here and every address checked: private, loopback, link-local,
  multicast, reserved and unspecified addresses are refused, and the connection is made to
  the address that was checked, so a second DNS answer cannot point it elsewhere;
- the outbox records the class of failure ("push service refused", "timeout", "address not
  allowed"), never the remote status or body.
Only hosts in settings.HABEAS_PUSH_LOCAL_HOSTS (debug: the local fake) skip the address check.
"""

import ipaddress
import json
import socket
from urllib.parse import urlsplit

import requests
from django.conf import settings
from pywebpush import WebPushException, webpush
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from . import PermanentFailure, TemporaryFailure

GONE = "subscription gone"
REFUSED = "push service refused"
UNAVAILABLE = "push service unavailable"
NOT_ALLOWED = "address not allowed"
NOT_A_PUSH_SERVICE = "not a push service"
TIMEOUT = "timeout"
UNREACHABLE = "connection failed"
NO_SUCH_HOST = "host not found"


class AddressNotAllowed(Exception):
    """The host resolved to an address the server must never call."""


class HostNotFound(Exception):
    pass


def configured() -> bool:
    return bool(settings.HABEAS_VAPID_PRIVATE_KEY)


def _host_matches(host: str, patterns) -> bool:
    host = host.lower().rstrip(".")
    for pattern in patterns:
        pattern = pattern.lower().strip("[]")
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and host != pattern[2:]:
                return True
        elif host == pattern:
            return True
    return False


def is_local_host(host: str) -> bool:
    """Whether the host is one the settings allow to be private (debug's local fake only)."""
    return _host_matches(host, settings.HABEAS_PUSH_LOCAL_HOSTS)


def host_allowed(host: str) -> bool:
    """Whether a subscription may point at this host: a push service's, or a local one."""
    return _host_matches(host, settings.HABEAS_PUSH_HOSTS) or is_local_host(host)


def endpoint_problem(endpoint: str) -> str | None:
    """Why an endpoint may not be sent to (a failure class), or None when it may."""
    try:
        parts = urlsplit(endpoint)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return NOT_A_PUSH_SERVICE
    host = parts.hostname or ""
    if not host or parts.username is not None or parts.password is not None:
        return NOT_A_PUSH_SERVICE
    local = is_local_host(host)
    if parts.scheme != "https" and not (local and parts.scheme == "http"):
        return NOT_A_PUSH_SERVICE
    if not host_allowed(host):
        return NOT_A_PUSH_SERVICE
    return None


def public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def checked_addresses(host: str, port: int) -> list[tuple]:
    """Resolve a host; return (family, sockaddr) pairs, or raise if any address is refused.

    All must pass, not one: a name that answers with a public and a private address could be
    made to land on the private one.
    """
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise HostNotFound from exc
    if not answers:
        raise HostNotFound
    if not is_local_host(host) and not all(public_address(a[4][0]) for a in answers):
        raise AddressNotAllowed
    return [(family, sockaddr) for family, _type, _proto, _name, sockaddr in answers]


class _Checked:
    """Connect only to an address that checked_addresses() passed, never re-resolving.

    urllib3 connects to `_dns_host` and verifies TLS against `host`, so the certificate is
    still checked for the push service's name while the socket goes to the checked address.
    """

    def _new_conn(self) -> socket.socket:
        name = self._dns_host
        last: Exception | None = None
        for _family, sockaddr in checked_addresses(name, self.port):
            self._dns_host = sockaddr[0]
            try:
                return super()._new_conn()
            except (NewConnectionError, ConnectTimeoutError) as exc:
                last = exc
            finally:
                self._dns_host = name
        raise last or HostNotFound()


class _CheckedHTTPConnection(_Checked, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_Checked, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _CheckedHTTPPool,
            "https": _CheckedHTTPSPool,
        }


def checked_session() -> requests.Session:
    """A requests session that connects only to addresses that passed the check."""
    session = requests.Session()
    session.trust_env = False  # an HTTPS_PROXY in the environment would skip the check
    adapter = _CheckedAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _status_failure(status: int | None) -> Exception:
    if status in (404, 410):
        return PermanentFailure(GONE)
    if status is not None and 400 <= status < 500 and status not in (408, 429):
        return PermanentFailure(REFUSED)
    return TemporaryFailure(UNAVAILABLE)


def send(address: str, subject: str, body: str, key: str) -> None:
    """Address is the subscription as JSON: {"endpoint": ..., "keys": {...}}."""
    info = json.loads(address)
    endpoint = str(info.get("endpoint", ""))
    if (problem := endpoint_problem(endpoint)) is not None:
        raise PermanentFailure(problem)
    session = checked_session()
    try:
        webpush(
            subscription_info=info,
            data=json.dumps({"title": subject, "body": body}),
            vapid_private_key=settings.HABEAS_VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.HABEAS_VAPID_SUBJECT},
            timeout=settings.HABEAS_DELIVERY_TIMEOUT,
            ttl=3600,
            # A retried message replaces an undelivered earlier copy instead of stacking.
            headers={"Topic": key.replace("-", "")[:32]},
            requests_session=session,
        )
    except AddressNotAllowed as exc:
        raise PermanentFailure(NOT_ALLOWED) from exc
    except HostNotFound as exc:
        raise TemporaryFailure(NO_SUCH_HOST) from exc
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        raise _status_failure(status) from exc
    except requests.Timeout as exc:
        raise TemporaryFailure(TIMEOUT) from exc
    except requests.RequestException as exc:
        raise TemporaryFailure(UNREACHABLE) from exc
    finally:
        session.close()
