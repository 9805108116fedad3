"""Bundle validation against config/evidence.schema.json.

:func:`agent.schema.validate` is the reference (the same check as on the agent, with precise messages).
It takes ~20 ms on a 50 KB bundle, so when jsonschema-rs is installed a compiled validator of the same
schema answers first, and only a bundle it rejects goes through the reference for its messages.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from agent import schema


@cache
def _fast() -> Any:
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs.validator_for(schema.shipped())


def validate(document: Any) -> list[str]:
    """One line per problem; empty when the bundle matches the shipped schema."""
    fast = _fast()
    if fast is not None and fast.is_valid(document):
        return []
    return schema.validate(document)
