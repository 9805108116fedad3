"""The school-level verdicts as lines for a terminal (``audit`` and ``assess``), each with how it is known."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from agent.i18n import section
from agent.model import Criterion, Finding
from assessment import overall, passes_by_provenance, provenance

SYMBOL = {"pass": "✔", "fail": "✘", "unknown": "?", "not_applicable": "–"}
WORD: dict[str, tuple[str, str]] = section("cli_status")  # config/messages.toml


def lines(findings: Sequence[Finding], criteria: Iterable[Criterion], lang: str) -> list[str]:
    """One line per criterion ("✔ ĐẠT · đo được   Router ... — 10 000 Mbit/s"), then the overall verdict."""
    criteria = list(criteria)
    titles = {c.id: c.title.get(lang) for c in criteria}
    informational = {c.id for c in criteria if c.informational}
    out = []
    for f in findings:
        if f.subject != "school":
            continue
        word = WORD[f.status.value][1 if lang == "en" else 0]
        known = provenance.word(f.provenance, f.verified, lang)
        status = f"{word} · {known}" if known else word
        info = (" [informational]" if lang == "en" else " [tham khảo]") if f.criterion_id in informational else ""
        measured = f" — {f.measured}" if f.measured else ""
        out.append(f"  {SYMBOL[f.status.value]} {status:<36} {titles.get(f.criterion_id, f.criterion_id)}{info}"
                   f"{measured}")
    verdict = overall(findings, criteria).value
    counts = passes_by_provenance(findings, criteria)
    by = ", ".join(f"{provenance.WORDS[k].get(lang) if k in provenance.WORDS else k} {n}" for k, n in counts.items())
    head = "Overall" if lang == "en" else "Kết luận"
    out.append(f"  {head}: {SYMBOL[verdict]} {WORD[verdict][1 if lang == 'en' else 0]}" + (f" ({by})" if by else ""))
    return out
