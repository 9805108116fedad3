"""Facts of the east-group vendors' AP catalog rows (TP-Link, Ruijie, Grandstream, Ubiquiti, MikroTik, D-Link,
Linksys, NETGEAR, EnGenius, Zyxel, Cambium, Alta Labs) that their cited sources pin down."""

from __future__ import annotations

import pytest

from probes.wifi import catalog

EAST = ("TP-Link", "Ruijie", "Grandstream", "Ubiquiti", "MikroTik", "D-Link", "Linksys", "NETGEAR", "EnGenius",
        "Zyxel", "Cambium", "Alta Labs")


def _one(model: str, vendor: str, revision: int | None = None) -> catalog.ApModel:
    match = catalog.lookup(model, revision, vendor=vendor)
    assert match is not None and match.row is not None, model
    return match.row


def test_verified_80211ac_rows_say_wave1_or_wave2() -> None:
    """A verified 802.11ac row is only verified when its source settles Wave 2 (the catalog rule)."""
    rows = [r for r in catalog.load() if r.vendor in EAST and r.verified and r.standard == "ac"]
    assert len(rows) >= 20
    assert [r.id for r in rows if r.wave2 is None] == []


# (model, vendor, revision, row id, standard, wave2) as the cited OpenWrt images / device PRs give them
PINNED = [
    ("EAP245", "TP-Link", 1, "tplink-eap245-v1", "ac", False),     # QCA9880 (lede PR #1238)
    ("EAP245", "TP-Link", 3, "tplink-eap245-v3", "ac", True),      # qca99x0, FCC 'MU-MIMO'
    ("EAP225-Outdoor", "TP-Link", None, "tplink-eap225-outdoor", "ac", True),  # qca9888
    ("EAP225-Wall", "TP-Link", None, "tplink-eap225-wall", "ac", True),
    ("EAP660 HD", "TP-Link", None, "tplink-eap660-hd", "ax", None),
    ("EAP220", "TP-Link", None, "tplink-eap220", "n", False),     # not an EAP2x5
    ("UAP-AC-HD", "Ubiquiti", None, "ubnt-uap-ac-hd", "ac", True),  # QCA9994
    ("UAP-FlexHD", "Ubiquiti", None, "ubnt-uap-flexhd", "ac", True),  # MT7615
    ("DAP-2680", "D-Link", None, "dlink-dap-2680", "ac", True),    # Gluon PR #3190 'AC1750 Wave 2'
    ("DAP-2695", "D-Link", None, "dlink-dap-2695", "ac", False),   # Gluon PR #3194 'AC1750 Wave 1'
    ("DAP-2690", "D-Link", None, "dlink-dap-2690", "n", False),    # ath9k, despite the DAP-26xx family
    ("LAPAC1750C", "Linksys", None, "linksys-lapac1750", "ac", False),  # QCA9880 (OpenWrt PR #21292)
    ("WAC124", "NETGEAR", None, "netgear-wac124", "ac", True),
    ("NWA1123-AC", "Zyxel", None, "zyxel-nwa1123-ac", "ac", False),
    ("NWA90AX", "Zyxel", None, "zyxel-nwa50ax", "ax", None),       # same hardware as NWA50AX
    ("RBwAPG-5HacT2HnD", "MikroTik", None, "mikrotik-wap-ac-qca9556", "ac", False),
    ("EAP1750H", "EnGenius", None, "engenius-eap1750h", "ac", False),
    ("EAP1300EXT", "EnGenius", None, "engenius-eap1300", "ac", True),
]


@pytest.mark.parametrize("model,vendor,revision,row_id,standard,wave2", PINNED, ids=[p[0] for p in PINNED])
def test_pinned_rows(model: str, vendor: str, revision: int | None, row_id: str, standard: str,
                     wave2: bool | None) -> None:
    row = _one(model, vendor, revision)
    assert (row.id, row.standard, row.wave2) == (row_id, standard, wave2)


def test_an_unseen_cnpilot_gets_no_wave2_claim() -> None:
    """cnPilot E400/E500 are Wave 1 and e410/e600 Wave 2: the family gives 802.11ac, Wave 2 unknown."""
    row = _one("cnPilot E501S", "Cambium")
    assert row.pattern is not None and (row.standard, row.wave2) == ("ac", None)


def test_e7_audience_has_no_24ghz_radio() -> None:
    assert _one("E7-Audience", "Ubiquiti").bands == ("5", "6")
    assert "2.4" in _one("E7-Campus", "Ubiquiti").bands


@pytest.mark.parametrize("model,standard", [
    ("RB4011iGS+5HacQ2HnD-IN", "ac"), ("C53UiG+5HPaxD2HPaxD-TC", "ax"), ("RB951Ui-2HnD", "n")])
def test_mikrotik_board_names(model: str, standard: str) -> None:
    assert _one(model, "MikroTik").standard == standard
