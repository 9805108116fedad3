"""Bundle validation against config/evidence.schema.json, bounded in time and memory.

1. :func:`bounds` walks the parsed document once (no recursion) and refuses it at the first node past a
   limit: nesting depth, items in one array, characters in one string, nodes in all.
2. The shipped schema, with ``maxItems``/``maxLength`` added wherever it sets none, is checked by a compiled
   validator (jsonschema-rs) when installed; only a bundle it rejects goes through ``jsonschema`` for messages,
   and only the first ``max_problems`` of those are collected (a 1 MiB array of wrong items gives 20 lines,
   not 500,000).
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass
from functools import cache
from typing import Any

from agent import schema


@dataclass(frozen=True)
class Limits:
    max_depth: int = 32
    max_items: int = 10000
    max_string: int = 65536
    max_nodes: int = 500_000
    max_problems: int = 20


def bounds(document: Any, limits: Limits) -> str | None:
    """The first limit ``document`` breaks, as one line; None when it fits."""
    stack: list[tuple[Any, str, int]] = [(document, "", 0)]
    nodes = 0
    while stack:
        node, where, depth = stack.pop()
        nodes += 1
        if nodes > limits.max_nodes:
            return f"the bundle has more than {limits.max_nodes} values"
        if depth > limits.max_depth:
            return f"{where or '(top)'}: nested deeper than {limits.max_depth} levels"
        if isinstance(node, str):
            if len(node) > limits.max_string:
                return f"{where or '(top)'}: a string of {len(node)} characters (at most {limits.max_string})"
        elif isinstance(node, list):
            if len(node) > limits.max_items:
                return f"{where or '(top)'}: {len(node)} items (at most {limits.max_items})"
            stack.extend((v, f"{where}/{i}", depth + 1) for i, v in enumerate(node))
        elif isinstance(node, dict):
            if len(node) > limits.max_items:
                return f"{where or '(top)'}: {len(node)} members (at most {limits.max_items})"
            for k, v in node.items():
                if len(k) > limits.max_string:
                    return f"{where or '(top)'}: a member name of {len(k)} characters"
                stack.append((v, f"{where}/{k}", depth + 1))
    return None


def _bound(node: Any, limits: Limits) -> None:
    if isinstance(node, dict):
        if node.get("type") == "array" or "items" in node or "prefixItems" in node:
            node.setdefault("maxItems", limits.max_items)
        if node.get("type") == "string":
            node.setdefault("maxLength", limits.max_string)
        for value in node.values():
            _bound(value, limits)
    elif isinstance(node, list):
        for value in node:
            _bound(value, limits)


@cache
def bounded_schema(limits: Limits) -> dict[str, Any]:
    """The shipped schema with array and string limits wherever it sets none (the district's copy)."""
    bounded = copy.deepcopy(schema.shipped())
    _bound(bounded, limits)
    return bounded


@cache
def _fast(limits: Limits) -> Any:
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs.validator_for(bounded_schema(limits))


@cache
def _reference(limits: Limits) -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(bounded_schema(limits))


def validate(document: Any, limits: Limits | None = None) -> list[str]:
    """The first ``limits.max_problems`` problems, one line each; empty when the bundle matches."""
    limits = limits or Limits()
    broken = bounds(document, limits)
    if broken:
        return [broken]
    fast = _fast(limits)
    if fast is not None and fast.is_valid(document):
        return []
    problems = []
    for error in itertools.islice(_reference(limits).iter_errors(document), limits.max_problems):
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        message = error.message if len(error.message) <= 300 else error.message[:300] + "…"
        problems.append(f"{where}: {message}")
    return sorted(problems)
