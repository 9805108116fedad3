"""Fixtures for the classification tests: real recordings (shared, read in place) and their labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from probes.classify import Classification, classify
from probes.snmp.data import SnmpData
from probes.snmp.snmprec import load
from tests.labels import records as label_records

LAB_RECORDINGS = Path(__file__).resolve().parents[2] / "lab" / "recordings"


@pytest.fixture(scope="session")
def labels(recordings_dir: Path) -> dict[str, dict[str, Any]]:
    return {r["community"]: r for r in label_records(recordings_dir)}


@pytest.fixture(scope="session")
def snmp(recordings_dir: Path) -> Any:
    cache: dict[str, SnmpData] = {}

    def get(name: str) -> SnmpData:
        if name not in cache:
            cache[name] = load(recordings_dir / f"{name}.snmprec")
        return cache[name]

    return get


@pytest.fixture(scope="session")
def classified(snmp: Any) -> Any:
    cache: dict[str, Classification] = {}

    def get(name: str) -> Classification:
        if name not in cache:
            cache[name] = classify("192.0.2.1", snmp(name))
        return cache[name]

    return get
