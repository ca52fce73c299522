"""The address of the client, seen through the reverse proxies we trust.

Behind a proxy, REMOTE_ADDR is the proxy's address. The proxy appends the address it got the
request from to X-Forwarded-For, so that header reads "client, proxy1, proxy2" — but everything
left of what our own proxies appended was written by the client and may be forged. Hence:
when REMOTE_ADDR is one of settings.TRUSTED_PROXIES, walk X-Forwarded-For from the right and
take the first address that is not a trusted proxy; otherwise REMOTE_ADDR, whatever the headers
say. Login throttling (AXES_CLIENT_IP_CALLABLE) keys on it.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


def client_ip(request):
    """The client's IP address as text: REMOTE_ADDR, or the one our trusted proxies report."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not proxies or not _is_trusted(_parse(remote), proxies):
        return remote
    client = remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not hop.strip():
            continue
        address = _parse(hop)
        if address is None:  # not an address, written by a proxy we trust: we cannot tell who it is
            return remote
        client = str(address)
        if not _is_trusted(address, proxies):
            return client
    return client  # every hop is a trusted proxy: the request came from one of them


@lru_cache(maxsize=8)
def _networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def _parse(text):
    """An address from REMOTE_ADDR or one hop of X-Forwarded-For: "203.0.113.5",
    "203.0.113.5:51234", "2001:db8::1" or "[2001:db8::1]:51234"; None when it is none.
    An IPv4 address mapped into IPv6 (::ffff:203.0.113.5) is the IPv4 address."""
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address
