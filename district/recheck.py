"""Re-assess stored bundles with the district's profile and catalog (``schoolnet-district recheck``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from district.db import Bundle, School
from district.summary import Assessor, summarise

BATCH = 200


@dataclass
class Rechecked:
    total: int = 0
    changed: int = 0  # bundles whose overall verdict changed
    errors: int = 0


def recheck_all(session: Session, judge: Assessor, *, school_id: str | None = None,
                progress: Callable[[int, int, int], None] | None = None) -> Rechecked:
    """Recompute every stored bundle's summary (and each school's latest) in batches; returns the counts."""
    query = select(Bundle.id)
    if school_id:
        query = query.where(Bundle.school_id == school_id)
    ids = list(session.scalars(query.order_by(Bundle.id)))
    result = Rechecked(total=len(ids))
    for start in range(0, len(ids), BATCH):
        for bundle in session.scalars(select(Bundle).where(Bundle.id.in_(ids[start:start + BATCH]))):
            old = json.loads(bundle.summary or "{}")
            try:
                new = summarise(json.loads(bundle.document), judge)
            except ValueError:
                result.errors += 1
                continue
            result.changed += old.get("overall") != new["overall"]
            bundle.summary = json.dumps(new)
            session.execute(update(School).where(School.id == bundle.school_id,
                                                 School.latest_bundle_id == bundle.bundle_id)
                            .values(latest_summary=bundle.summary))
        session.commit()
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids), result.changed)
    if progress and not ids:
        progress(0, 0, 0)
    return result
