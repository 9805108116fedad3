"""Reports rendered from an EvidenceBundle: HTML (printable A4), PDF, CSV inventory and XLSX.

Vietnamese first (``lang="vi"``), English with ``lang="en"``. Templates live in ``reports/templates``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent.model import EvidenceBundle

FORMATS = ("html", "pdf", "csv", "xlsx")


def render(bundle: EvidenceBundle, fmt: str, lang: str, target: Path, digest: str | None = None) -> Path:
    """Write ``bundle`` as ``fmt`` to ``target``; ``digest`` is the bundle's SHA-256 (computed when omitted)."""
    target = Path(target)
    if fmt == "html":
        from reports.html import write_html

        return write_html(bundle, target, lang, digest)
    if fmt == "pdf":
        from reports.pdf import write_pdf

        return write_pdf(bundle, target, lang, digest)
    if fmt == "csv":
        from reports.csv_report import write_csv

        return write_csv(bundle, target, lang)
    if fmt == "xlsx":
        from reports.xlsx import write_xlsx

        return write_xlsx(bundle, target, lang)
    raise ValueError(f"unknown report format {fmt!r} (expected one of {', '.join(FORMATS)})")
