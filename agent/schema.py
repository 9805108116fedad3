"""The evidence bundle's JSON Schema: generated from the model, shipped in config/, used on both sides."""

from __future__ import annotations

import argparse
import json
from functools import cache
from typing import Any

from agent.model import SCHEMA_VERSION, EvidenceBundle
from agent.paths import EVIDENCE_SCHEMA

SCHEMA_ID = f"https://schoolnet-audit.invalid/schema/evidence-{SCHEMA_VERSION}.json"


def generate() -> dict[str, Any]:
    """The JSON Schema of :class:`EvidenceBundle` as the model defines it today."""
    from pydantic import TypeAdapter

    schema = TypeAdapter(EvidenceBundle).json_schema(mode="serialization")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "schoolnet-audit evidence bundle",
        **schema,
    }
    _close_objects(schema)
    return schema


def _close_objects(node: Any) -> None:
    """Forbid unknown properties everywhere, so a typo or a smuggled field is caught on both sides."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _close_objects(value)
    elif isinstance(node, list):
        for value in node:
            _close_objects(value)


@cache
def shipped() -> dict[str, Any]:
    """The schema file shipped in config/ (the interface the district validates against)."""
    data: dict[str, Any] = json.loads(EVIDENCE_SCHEMA.read_text(encoding="utf-8"))
    return data


def validate(document: Any) -> list[str]:
    """Check a bundle document against the shipped schema; returns one line per problem."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(shipped())
    problems = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        problems.append(f"{where}: {error.message}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help=f"write {EVIDENCE_SCHEMA}")
    args = parser.parse_args()
    text = json.dumps(generate(), indent=2, ensure_ascii=False) + "\n"
    if args.write:
        EVIDENCE_SCHEMA.write_text(text, encoding="utf-8")
    else:
        print(text, end="")


if __name__ == "__main__":
    main()
