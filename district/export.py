"""CSV and XLSX exports of the schools x criteria table, shaped like the district's reporting form.

Columns and their titles come from the district's pinned profile (:class:`district.matrix.Matrix`).
Every text cell, headers included, that starts with ``= + - @`` TAB or CR is neutralised with a leading
apostrophe (OWASP CSV injection), so a school name cannot become a formula in Excel or LibreOffice.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from district.i18n import translator, vn_time
from district.matrix import Matrix
from district.store import SchoolRow

FILLS = {"pass": "C6EFCE", "fail": "FFC7CE", "unknown": "FFEB9C", "not_applicable": "E7E6E6"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` safe to open in a spreadsheet: text starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table(rows: list[SchoolRow], lang: str, matrix: Matrix) -> tuple[list[str], list[list[Any]], list[list[str]]]:
    """Header, values (neutralised), and each cell's status key (for colouring)."""
    t = translator(lang)
    header = [t("no"), t("school_id"), t("name"), t("ward"), t("last_upload")]
    header += [c.label(lang) for c in matrix.columns]
    header += [t("download_mbps"), t("upload_mbps"), t("device_count"), t("overall")]
    values: list[list[Any]] = []
    statuses: list[list[str]] = []
    for n, row in enumerate(rows, 1):
        crit = row.summary.get("criteria", {})
        line: list[Any] = [n, row.id, row.name, row.ward, vn_time(row.last_upload_at)]
        keys = ["", "", "", "", ""]
        for column in matrix.columns:
            status = str(crit.get(column.id, "none")) if row.summary else "none"
            line.append(t(status))
            keys.append(status)
        line += [row.summary.get("download_mbps"), row.summary.get("upload_mbps"), row.summary.get("devices")]
        line.append(t(row.overall))
        keys += ["", "", "", row.overall]
        values.append([neutralise(v) for v in line])
        statuses.append(keys)
    return [neutralise(h) for h in header], values, statuses


def to_csv(rows: list[SchoolRow], lang: str, matrix: Matrix) -> bytes:
    """UTF-8 with a BOM, so Excel opens the Vietnamese text correctly."""
    header, values, _ = table(rows, lang, matrix)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for line in values:
        writer.writerow(["" if v is None else v for v in line])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(rows: list[SchoolRow], lang: str, matrix: Matrix) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header, values, statuses = table(rows, lang, matrix)
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
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text is text: never a formula, whatever it starts with
    for col in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 6 if col == 1 else (34 if col == 3 else 16)
    ws.freeze_panes = "D2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
