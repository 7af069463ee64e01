"""The client's network, as the login throttle and the public API's limits both see it.

Two rules, both against a client that picks its own address:
- `X-Forwarded-For` counts only when the direct peer (REMOTE_ADDR) is one of
  HABEAS_TRUSTED_PROXIES; then the client is the right-most address in it that is not a
  proxy of ours. Anything to the left of that was written by the client and proves nothing:
  with HABEAS_BEHIND_PROXY alone, a made-up header once moved an attacker out of the SOS limit.
- The address is widened to its /24 (IPv4) or /48 (IPv6): carrier NAT puts many phones behind
  one address, and one subscriber can hold a whole /64. Only a keyed hash of that network is
  ever stored or compared, never the address.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

from habeas.lib.keyed import keyed_hash

IPV4_PREFIX = 24
IPV6_PREFIX = 48

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is the IPv4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address) -> bool:
    return any(address in network for network in settings.HABEAS_TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> Address | None:
    """The client's address: the peer's, or what our own proxies forwarded; None if unknown."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None or not _trusted(peer):
        return peer
    forwarded = request.headers.get("X-Forwarded-For", "")
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        address = _address(hop)
        if address is None:
            return None  # our proxy wrote something we cannot read: never guess
        if not _trusted(address):
            return address
    return peer  # every hop is one of ours: the request started inside


def network_of(address: Address) -> str:
    """The /24 or /48 around an address, as text (e.g. "203.0.113.0/24")."""
    prefix = IPV4_PREFIX if address.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def network_hash(request: HttpRequest, purpose: str) -> str | None:
    """A keyed hash of the client's network for one purpose; None when there is no address."""
    address = client_address(request)
    if address is None:
        return None
    return keyed_hash(purpose, network_of(address))
