"""The district's criteria matrix: which criteria are columns and how they are titled, from its pinned profile.

A school's bundle never decides a column or its title; the profile the server was started with
(``serve --profile NAME|FILE``, default hcmc-956-2024) does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Column:
    id: str
    number: str
    title: dict[str, str]
    short: dict[str, str]
    informational: bool

    def label(self, lang: str) -> str:
        """The short label, with the official number when the profile gives one (``1.2.1 Router ≥ 10 Gbps``)."""
        text = self.short.get(lang) or self.title.get(lang) or self.id
        return f"{self.number} {text}" if self.number else text


@dataclass(frozen=True)
class Matrix:
    profile: Any
    columns: tuple[Column, ...]

    @property
    def profile_id(self) -> str:
        return str(getattr(self.profile, "id", ""))

    @classmethod
    def of(cls, profile: Any) -> Matrix:
        columns = []
        for rule in profile.rules:
            title = {"vi": rule.title.vi, "en": rule.title.en}
            short_rule = getattr(rule, "short", None)
            short = {"vi": short_rule.vi, "en": short_rule.en} if short_rule else dict(title)
            number = getattr(rule, "indicator", "") or ""
            columns.append(Column(rule.id, number, title, short, bool(rule.informational)))
        return cls(profile, tuple(columns))

    def column(self, cid: str) -> Column | None:
        return next((c for c in self.columns if c.id == cid), None)
