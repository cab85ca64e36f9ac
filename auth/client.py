"""The client address of a request, for throttling and the audit trail (来源地址).

The direct peer is the client unless it is a proxy the deployment trusts ($MINYI_TRUSTED_PROXIES):
then the address comes from X-Forwarded-For, read from the right, skipping the trusted proxies
in the chain. Anyone can send X-Forwarded-For, so it is never read from an untrusted peer.
"""

from __future__ import annotations

import ipaddress
import os

TRUSTED_PROXIES_ENV = "MINYI_TRUSTED_PROXIES"
# Streamlit reports no address for a browser (or a proxy) on the server itself.
LOOPBACK = "127.0.0.1"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies(value: str | None = None) -> list[Network]:
    """The networks of $MINYI_TRUSTED_PROXIES (or `value`): addresses or CIDR ranges separated by
    commas or spaces, e.g. "127.0.0.1, 10.1.0.0/24"."""
    text = os.environ.get(TRUSTED_PROXIES_ENV, "") if value is None else value
    networks = []
    for part in text.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(
                f"{TRUSTED_PROXIES_ENV} 中的 {part!r} 不是 IP 地址或网段（如 127.0.0.1 或 10.1.0.0/24）。"
            ) from None
    return networks


def _is_trusted(address: str, networks: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def address(
    peer: str | None, forwarded_for: str | None, networks: list[Network] | None = None
) -> str:
    """The client's address: `peer` (the direct connection; None = the server itself), or, when
    that is a trusted proxy, the right-most address of X-Forwarded-For that is no trusted proxy."""
    networks = trusted_proxies() if networks is None else networks
    hop = peer or LOOPBACK
    if not _is_trusted(hop, networks) or not forwarded_for:
        return hop
    for forwarded in reversed([part.strip() for part in forwarded_for.split(",")]):
        if not forwarded:
            continue
        hop = forwarded
        if not _is_trusted(hop, networks):
            break
    return hop
