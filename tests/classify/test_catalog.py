"""The catalog loads, every row has a source, and broken files fail with one clear message per fault."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from agent.paths import CATALOG_DIR
from probes import catalog


def test_catalog_loads_and_every_row_has_a_source() -> None:
    fps = catalog.fingerprints()
    table = catalog.models()
    assert len(fps.fingerprint) > 50 and len(fps.mib) > 10 and len(table.rows) > 150
    rows: list[Any] = [*fps.fingerprint, *fps.mib, *fps.descr_hint, *table.rows]
    for row in rows:
        assert len(row.source) >= 3, row.id
    assert all(r.confidence in ("high", "medium", "low") for r in table.rows)


def test_catalog_is_cached() -> None:
    assert catalog.fingerprints() is catalog.fingerprints()
    assert catalog.models() is catalog.models()


def test_lab_models_are_in_the_table() -> None:
    table = catalog.models()
    for name, role, cap in [("CCR2004-16G-2S+", "router", 10000), ("TL-SG3428", "switch", 1000),
                            ("UAP-nanoHD", "access_point", 1000), ("EAP115", "access_point", 100),
                            ("HP LaserJet Pro M404dn", "printer", 1000)]:
        row = table.by_name(name)
        assert row is not None, name
        assert (row.role.value, row.port_capability_mbps) == (role, cap)


def test_model_names_compare_loosely_but_vendor_scoped() -> None:
    table = catalog.models()
    assert table.by_name("fgt-100e", "Fortinet") is table.by_name("FGT_100E")
    assert table.by_name("FGT_100E", "Cisco") is None
    assert table.by_family("CRS328-24P-4S+RM", "MikroTik").port_capability_mbps == 10000  # type: ignore[union-attr]
    assert table.by_family("CRS328-24P-4S+RM", None) is None


def _copy(tmp_path: Path) -> Path:
    for name in ("fingerprints.toml", "models.toml", "interfaces.toml"):
        shutil.copy(CATALOG_DIR / name, tmp_path / name)
    return tmp_path


def test_broken_toml_is_one_clear_error(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    (d / "models.toml").write_text("[[model]\nid = ", encoding="utf-8")
    with pytest.raises(catalog.CatalogError, match="not valid TOML"):
        catalog.models(d)


def test_bad_regex_and_missing_source_are_listed(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    text = (d / "fingerprints.toml").read_text(encoding="utf-8")
    text += '\n[[fingerprint]]\nid = "bad"\nsys_descr = ["(unclosed"]\nsource = "somewhere"\n'
    text += '\n[[fingerprint]]\nid = "nosource"\nsys_descr = ["ok"]\nsource = "x"\n'
    (d / "fingerprints.toml").write_text(text, encoding="utf-8")
    with pytest.raises(catalog.CatalogError) as err:
        catalog.fingerprints(d)
    assert any("bad regex" in p for p in err.value.problems)
    assert any("source" in p for p in err.value.problems)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    text = (d / "models.toml").read_text(encoding="utf-8")
    text += '\n[[model]]\nid = "tplink-eap115"\nvendor = "X"\nnames = ["Y"]\nrole = "switch"\nsource = "abc"\n'
    (d / "models.toml").write_text(text, encoding="utf-8")
    with pytest.raises(catalog.CatalogError, match="duplicate row ids: tplink-eap115"):
        catalog.models(d)


def test_unknown_role_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    text = (d / "models.toml").read_text(encoding="utf-8")
    text += '\n[[model]]\nid = "z"\nvendor = "X"\nnames = ["Y"]\nrole = "toaster"\nsource = "abc"\n'
    (d / "models.toml").write_text(text, encoding="utf-8")
    with pytest.raises(catalog.CatalogError) as err:
        catalog.models(d)
    assert any("role" in p for p in err.value.problems)
