"""Small helpers that read settings from the environment and fail loudly on bad values."""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no).")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name):
    """Comma-separated IP addresses or CIDR networks ("10.0.0.0/8, 127.0.0.1"), as networks in text."""
    networks = []
    for item in env_list(name):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {item!r} is not an IP address or network (e.g. 10.0.0.0/8).") from None
    return networks


def env_code_widths(name, levels, default):
    """{level: digits} from "4,6,9,…" (one width per level, top down, each wider than the one
    above); "off" for none: any width is accepted."""
    raw = os.environ.get(name, default).strip()
    if raw.lower() in ("", "off", "no", "0"):
        return {}
    try:
        widths = [int(part) for part in raw.split(",")]
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a list of integers.") from None
    if len(widths) != len(levels) or any(b <= a for a, b in zip(widths, widths[1:], strict=False)):
        raise ImproperlyConfigured(
            f"{name}={raw!r}: one width per level ({len(levels)}), each wider than the one above."
        )
    return dict(zip(levels, widths, strict=True))
