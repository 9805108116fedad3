"""How a fact or a verdict is known, and which of those a rule accepts.

Strongest first: ``measured`` (an SNMP value, a beacon bit, a speed test on this network), ``catalog`` (a model
row; verified against a public source or not), ``inferred`` (a vendor family or naming rule), ``declared``
(typed by a person). A verdict resting on several facts takes the weakest of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from agent.i18n import section
from agent.model import Basis, Provenance, Radio, Text

_RANK: dict[str, int] = {"measured": 0, "catalog_verified": 1, "catalog": 2, "inferred": 3, "declared": 4}

WORDS: dict[str, Text] = {k: Text(vi, en) for k, (vi, en) in section("provenance").items()}  # messages.toml


def key(provenance: Provenance | None, verified: bool | None = None) -> str:
    """The display/accept key: "catalog_verified" for a verified catalog row, else the provenance itself."""
    if provenance == "catalog" and verified:
        return "catalog_verified"
    return provenance or ""


def word(provenance: Provenance | None, verified: bool | None, lang: str) -> str:
    """"đo được", "danh mục chưa kiểm chứng", ... ("" when unknown)."""
    k = key(provenance, verified)
    return WORDS[k].get(lang) if k in WORDS else ""


def accepted(accepts: Sequence[str], provenance: Provenance | None, verified: bool | None = None) -> bool:
    """Whether a rule that accepts ``accepts`` may decide on evidence of this provenance."""
    if provenance is None:
        return False
    if provenance == "catalog":
        return "catalog" in accepts or (bool(verified) and "catalog_verified" in accepts)
    return provenance in accepts


def weakest(items: Iterable[tuple[Provenance | None, bool | None]]) -> tuple[Provenance | None, bool | None]:
    """The weakest (provenance, verified) of several facts a verdict rests on."""
    worst: tuple[Provenance | None, bool | None] = (None, None)
    for prov, verified in items:
        if prov is None:
            continue
        if worst[0] is None or _RANK[key(prov, verified)] > _RANK[key(*worst)]:
            worst = (prov, verified)
    return worst


def rank(provenance: Provenance | None, verified: bool | None = None) -> int:
    """Smaller is stronger (unknown provenance ranks last)."""
    return _RANK.get(key(provenance, verified), len(_RANK))


def of_basis(basis: Iterable[Basis]) -> Provenance:
    """The provenance of a value whose basis names its sources (catalog rows, family rules, the wire)."""
    sources = {b.source for b in basis}
    if sources & {"snmp", "beacon", "iw", "measurement", "lldp", "arp", "host"}:
        return "measured"
    if "family" in sources or any(b.key.startswith("family:") for b in basis):
        return "inferred"
    if "catalog" in sources:
        return "catalog"
    if "declared" in sources:
        return "declared"
    return "measured"


def of_radio(radio: Radio) -> Provenance:
    """A radio's provenance: its own field, else what its basis says."""
    return radio.provenance or of_basis(radio.basis)
