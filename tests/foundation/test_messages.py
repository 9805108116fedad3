"""The one message catalog: every entry in both languages with the same placeholders, used by every surface."""

from __future__ import annotations

import string

from agent import i18n


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_and_the_same_placeholders() -> None:
    sections = i18n.catalog()
    assert {"report", "status", "role", "provenance", "cli_status", "dashboard"} <= set(sections)
    count = 0
    for name, entries in sections.items():
        for key, (vi, en) in entries.items():
            count += 1
            assert vi.strip() and en.strip(), (name, key)
            assert _fields(vi) == _fields(en), (name, key, vi, en)
    assert count > 200


def test_reports_dashboard_cli_and_core_read_the_same_catalog() -> None:
    from agent.findings_table import WORD
    from assessment.provenance import WORDS
    from district.i18n import STRINGS
    from reports.i18n import LABELS, STATUS

    assert LABELS is i18n.section("report") and STATUS is i18n.section("status")
    assert STRINGS is i18n.section("dashboard") and WORD is i18n.section("cli_status")
    assert WORDS["declared"].vi == i18n.t("provenance", "declared", "vi") == "khai báo"
    assert i18n.t("status", "pass", "en") == "Pass" and i18n.t("status", "nope", "en") == "nope"


def test_the_dashboard_names_every_provenance_as_the_reports_do() -> None:
    for key, (vi, en) in i18n.section("provenance").items():
        assert i18n.section("dashboard")["prov_" + key] == (vi, en)
