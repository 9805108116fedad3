"""CSV and XLSX exports of the schools x criteria table, shaped like the district's reporting form."""

from __future__ import annotations

import csv
import io
from typing import Any

from district.i18n import translator
from district.store import SchoolRow

FILLS = {"pass": "C6EFCE", "fail": "FFC7CE", "unknown": "FFEB9C", "not_applicable": "E7E6E6"}


def criteria_columns(rows: list[SchoolRow]) -> list[tuple[str, dict[str, str]]]:
    """Criteria in the order the bundles list them (union over schools), with their titles."""
    seen: dict[str, dict[str, str]] = {}
    for row in rows:
        titles = row.summary.get("titles", {})
        for cid in row.summary.get("order", []):
            if cid not in seen:
                seen[cid] = titles.get(cid, {"vi": cid, "en": cid})
    return list(seen.items())


def table(rows: list[SchoolRow], lang: str) -> tuple[list[str], list[list[Any]], list[list[str]]]:
    """Header, values, and each cell's status key (for colouring)."""
    t = translator(lang)
    columns = criteria_columns(rows)
    header = [t("no"), t("school_id"), t("name"), t("ward"), t("last_upload")]
    header += [f"{cid} {titles.get(lang, cid)}" for cid, titles in columns]
    header += [t("download_mbps"), t("upload_mbps"), t("device_count"), t("overall")]
    values: list[list[Any]] = []
    statuses: list[list[str]] = []
    for n, row in enumerate(rows, 1):
        crit = row.summary.get("criteria", {})
        line: list[Any] = [n, row.id, row.name, row.ward]
        line.append(row.last_upload_at.strftime("%Y-%m-%d %H:%M") if row.last_upload_at else "")
        keys = ["", "", "", "", ""]
        for cid, _ in columns:
            status = crit.get(cid, "none") if row.summary else "none"
            line.append(t(status))
            keys.append(status)
        line += [row.summary.get("download_mbps"), row.summary.get("upload_mbps"), row.summary.get("devices")]
        line.append(t(row.overall))
        keys += ["", "", "", row.overall]
        values.append(line)
        statuses.append(keys)
    return header, values, statuses


def to_csv(rows: list[SchoolRow], lang: str) -> bytes:
    """UTF-8 with a BOM, so Excel opens the Vietnamese text correctly."""
    header, values, _ = table(rows, lang)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for line in values:
        writer.writerow(["" if v is None else v for v in line])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(rows: list[SchoolRow], lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header, values, statuses = table(rows, lang)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Truong hoc" if lang == "vi" else "Schools"
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for line, keys in zip(values, statuses, strict=True):
        ws.append(line)
        for col, key in enumerate(keys, 1):
            if key in FILLS:
                ws.cell(row=ws.max_row, column=col).fill = PatternFill("solid", fgColor=FILLS[key])
    for col in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 6 if col == 1 else (34 if col == 3 else 16)
    ws.freeze_panes = "D2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
