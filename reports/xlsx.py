"""inventory.xlsx: criteria, devices, every finding with its basis, measurements and declarations (openpyxl)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from agent.model import EvidenceBundle
from assessment import provenance
from reports.csv_report import COLUMNS, rows
from reports.i18n import STATUS, SYMBOL, label, pick


def _plain(text: str) -> str:
    return re.sub(r"^\d+\.\s*", "", text)


FILL = {"pass": "E3F3E6", "fail": "FBE4E2", "unknown": "FFF3CF", "not_applicable": "EEEEEE"}


def write_xlsx(bundle: EvidenceBundle, target: Path, lang: str = "vi") -> Path:
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font, PatternFill
    except ImportError as exc:
        from agent.errors import RuntimeFailure

        raise RuntimeFailure(f"XLSX needs openpyxl (pip install 'schoolnet-audit[reports]'): {exc}") from None

    wb = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, header: list[str], data: list[list[Any]], status_col: int | None = None) -> None:
        """``status_col``: the 0-based column holding a status value; that cell is coloured by it."""
        ws = wb.create_sheet(title[:31])
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in data:
            ws.append(row)
            if status_col is not None and row[status_col] in FILL:
                fill = PatternFill("solid", fgColor=FILL[row[status_col]])
                for cell in ws[ws.max_row]:
                    cell.fill = fill
        ws.freeze_panes = "A2"
        for col in ws.columns:
            width = max(len(str(c.value or "")) for c in col)
            ws.column_dimensions[col[0].column_letter].width = min(60, max(10, width + 2))

    titles = {c.id: c.title.get(lang) for c in bundle.criteria}
    school = [f for f in bundle.findings if f.subject == "school"]
    sheet(_plain(label("summary", lang)),
          ["id", label("criterion", lang), label("result", lang), "status", label("measured", lang),
           label("required", lang), label("provenance", lang), label("explanation", lang), label("remedy", lang)],
          [[f.criterion_id, titles.get(f.criterion_id, f.criterion_id),
            f"{SYMBOL[f.status.value]} {pick(STATUS[f.status.value], lang)}", f.status.value, f.measured or "",
            f.threshold or "", provenance.word(f.provenance, f.verified, lang), f.reason.get(lang) if f.reason else "",
            f.remedy.get(lang) if f.remedy else ""] for f in school], status_col=3)
    sheet(_plain(label("devices", lang)), list(COLUMNS), [[r[c] for c in COLUMNS] for r in rows(bundle)])
    sheet(_plain(label("appendix", lang)).split(":")[0],
          ["id", label("subject", lang), "status", label("measured", lang), label("required", lang),
           label("provenance", lang), label("explanation", lang), label("remedy", lang), label("basis", lang)],
          [[f.criterion_id, f.subject, f.status.value, f.measured or "", f.threshold or "",
            provenance.word(f.provenance, f.verified, lang), f.reason.get(lang) if f.reason else "",
            f.remedy.get(lang) if f.remedy else "",
            "\n".join(f"{b.source} {b.key} = {b.value}" + (f" ({b.note})" if b.note else "") for b in f.basis)]
           for f in bundle.findings], status_col=2)
    sheet(_plain(label("bandwidth", lang)),
          ["engine", "server", "network", "role", "direction", "mbps", "p10", "p90", "latency_ms", "limited_by",
           "error", "confidence"],
          [[m.engine, m.server, m.network, m.role, m.direction, m.mbps, m.p10_mbps, m.p90_mbps, m.latency_ms,
            m.limited_by or "", m.error or "", m.confidence] for m in bundle.measurements])
    sheet(_plain(label("declarations", lang)),
          [label("key", lang), label("value", lang), label("note", lang), label("attachments", lang)],
          [[d.key, d.value, d.note, " ".join(d.attachments)] for d in bundle.declarations])
    del wb[wb.sheetnames[0]]
    props = wb.properties
    props.title = f"{label('doc_title', lang)} – {bundle.school.name or bundle.school.id}"
    props.identifier = bundle.bundle_id
    wb.save(target)
    return target
