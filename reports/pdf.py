"""The PDF report: the HTML report laid out on A4 by WeasyPrint (DejaVu/Noto fonts carry the diacritics)."""

from __future__ import annotations

import logging
from pathlib import Path

from agent.errors import RuntimeFailure
from agent.model import EvidenceBundle
from reports.html import TEMPLATES, render_html


def write_pdf(bundle: EvidenceBundle, target: Path, lang: str = "vi", digest: str | None = None) -> Path:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Pango/Cairo system libraries are missing
        raise RuntimeFailure(f"PDF needs WeasyPrint (pip install 'schoolnet-audit[reports]'): {exc}") from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = render_html(bundle, lang, digest)
    document = weasyprint.HTML(string=html, base_url=str(TEMPLATES))
    document.write_pdf(target, pdf_variant=None)
    return target
