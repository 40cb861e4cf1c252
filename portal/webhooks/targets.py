"""Which addresses the portal may call: an ``https://`` URL whose host resolves only to
public addresses. A webhook is a request the portal makes on a user's word, so an address
inside the portal's own network (the database, a metadata service, a router's admin page)
is refused, at registration and again before every attempt (a name can be pointed
elsewhere after it was registered), and the attempt connects to the address that was
checked (``pinned``). Redirects are never followed (``sending``).

For tests and development only, ``WEBHOOKS_ALLOW_LOCALHOST`` lets ``http://`` and
``https://`` reach this machine (127.0.0.1, ::1, localhost) — nothing else private; the
production configuration refuses to start with it (``portal.config``).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.errors import PortalError

LOCAL_NAMES = {"localhost", "localhost.localdomain"}

NOT_HTTPS = _l("Adressen skal begynde med https://.")
MALFORMED = _l("Skriv en hel adresse, f.eks. https://system.kommune.dk/webhooks.")
CREDENTIALS = _l("Adressen må ikke indeholde brugernavn eller adgangskode.")
UNKNOWN_HOST = _l("Adressens værtsnavn kunne ikke slås op. Tjek at det er stavet rigtigt.")


def _private(address) -> str:
    return _(
        "Adressen peger på et internt eller privat netværk (%(address)s). Skaleringsportalen "
        "sender kun webhooks til offentlige adresser på internettet.",
        address=str(address),
    )


class RefusedTarget(PortalError):
    """The URL may not be called; the message says why in Danish."""

    def __init__(self, message) -> None:
        super().__init__(str(message), field="url")


def allows_localhost() -> bool:
    return bool(current_app.config.get("WEBHOOKS_ALLOW_LOCALHOST"))


def check_url(url: str, *, resolve: bool = True) -> str:
    """The URL, stripped, when it may be called; ``RefusedTarget`` with the reason when not.
    ``resolve`` looks the host up and checks every address it has."""
    return _checked(url, resolve=resolve)[0]


@dataclass(frozen=True)
class Pinned:
    """A request to a checked address: ``url`` names the address itself, so the name cannot
    be pointed elsewhere between the check and the connection (DNS rebinding); ``host`` goes
    in the Host header and, for https, is the name TLS sends and the certificate must bear."""

    url: str
    host: str
    sni: str | None


def pinned(url: str) -> Pinned:
    """The URL checked and pinned to the first of its checked addresses."""
    url, parts, addresses = _checked(url, resolve=True)
    address = addresses[0]
    literal = f"[{address}]" if address.version == 6 else str(address)
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    target = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    host = parts.netloc.rpartition("@")[2]
    return Pinned(target, host, parts.hostname if parts.scheme == "https" else None)


def _checked(url: str, *, resolve: bool):
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port that is not a number
    except ValueError:
        raise RefusedTarget(MALFORMED) from None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise RefusedTarget(NOT_HTTPS if parts.scheme not in ("https", "http") else MALFORMED)
    if parts.username or parts.password:
        raise RefusedTarget(CREDENTIALS)
    local = allows_localhost() and _names_this_machine(host)
    if parts.scheme == "http" and not local:
        raise RefusedTarget(NOT_HTTPS)
    addresses = []
    if resolve:
        addresses = addresses_of(host, port or (443 if parts.scheme == "https" else 80))
        for address in addresses:
            if not (address.is_global or (local and address.is_loopback)):
                raise RefusedTarget(_private(address))
    return url, parts, addresses


def _names_this_machine(host: str) -> bool:
    if host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def addresses_of(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Every address the host resolves to (a literal address is itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise RefusedTarget(UNKNOWN_HOST) from None
    found = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        # an IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 one
        mapped = getattr(address, "ipv4_mapped", None)
        found.append(mapped or address)
    if not found:
        raise RefusedTarget(UNKNOWN_HOST)
    return found
