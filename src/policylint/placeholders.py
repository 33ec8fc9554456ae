"""What counts as a placeholder rather than evidence: the one vocabulary.

``policylint init`` writes a complete repository whose values are placeholders (a signature file
that says it is one, sample review and audit records, "(replace)" values); people write ``TBD``
or ``未定`` where they do not know yet, and a template left unfilled keeps ``{{name}}``. None of it
is evidence. ``policylint/placeholder`` reports it, the compliance report never counts an item
met on it, and any check that needs to tell evidence from a placeholder (a policy's
``signature``) asks :func:`is_placeholder` / :func:`is_placeholder_file`.

The vocabulary is deliberately narrow, so that a real statement is never flagged: a whole value
that is one of :data:`PLACEHOLDER_WORDS`, a value that contains an unfilled ``{{…}}``, a value
that starts with a :data:`PLACEHOLDER_PREFIXES` phrase, or one that carries a placeholder mark
in brackets (``(placeholder)``, ``(replace)``, ``（仮）``, ``（CIO、仮）``,
``（置き換えてください）``).
A file is a placeholder when its first non-blank line starts with one of the prefixes.
"""

from __future__ import annotations

import re
from typing import Any

PLACEHOLDER_WORDS = frozenset(
    {
        "tbd",
        "tba",
        "todo",
        "fixme",
        "xxx",
        "placeholder",
        "未定",
        "未記入",
        "要記入",
        "仮",
    }
)
"""Whole values (compared case-insensitively, without surrounding spaces and brackets)."""

PLACEHOLDER_PREFIXES = (
    "placeholder:",
    "placeholder created by policylint init",
    "仮の記録",
    "仮のファイル",
    "仮の値",
)
"""How a value or file written as a placeholder starts (case-insensitive)."""

_MARK = re.compile(
    r"[(（](?:[^()（）]*[,、]\s*)?(?:placeholder|replace|仮|置き換えてください)[)）]"
    r"|\{\{[^{}]*\}\}",
    re.IGNORECASE,
)
_QUICK = re.compile(r"placeholder|replace|仮|置き換え|\{\{|^\W*(?:tbd|tba|todo|fixme|xxx|未)", re.I)
"""A cheap first test: values that cannot be placeholders are dismissed with one search."""

might_be_placeholder = _QUICK.search


def may_hold(data: Any, clear: set[str]) -> bool:
    """Whether any text among the values of ``data`` (a mapping or list, nested values
    included) might be a placeholder: one cheap pass (most hold none). ``clear`` holds the
    texts found to hold no placeholder mark so far: most values recur from row to row (a
    location, a backup method, an acceptable use), and a set lookup is cheaper than a search.
    Recursive: the loader refuses values nested deeper than :data:`policylint.loader.MAX_DEPTH`."""
    for value in data.values() if type(data) is dict else data:
        kind = type(value)
        if kind is str:
            if value not in clear:
                if might_be_placeholder(value):
                    return True
                clear.add(value)
        elif (kind is dict or kind is list) and may_hold(value, clear):
            return True
    return False


def loud_entities(value: Any, is_register: bool) -> tuple[int, ...]:
    """Which entities of a file's value (as read) might hold a placeholder: the positions of
    the items of a register, ``(0,)`` for a document's front matter that might. Computed once
    when a file is parsed and kept with it in the parse cache, so that a later run's
    ``policylint/placeholder`` looks closer at those entities only (the date pass that follows
    only turns texts into dates, so an entity quiet here stays quiet)."""
    clear: set[str] = set()
    if not isinstance(value, dict):
        return ()
    if not is_register:
        return (0,) if may_hold(value, clear) else ()
    items = value.get("items")
    if not isinstance(items, list):
        return ()
    return tuple(
        i for i, item in enumerate(items) if isinstance(item, dict) and may_hold(item, clear)
    )


_STRIP = " \t\r\n()（）[]「」\"'"


def is_placeholder(text: object) -> bool:
    """Whether a value is a placeholder rather than real content."""
    if not isinstance(text, str) or not _QUICK.search(text):
        return False
    bare = text.strip(_STRIP).casefold()
    if bare in PLACEHOLDER_WORDS or bare.startswith(PLACEHOLDER_PREFIXES):
        return True
    return _MARK.search(text) is not None


def is_placeholder_file(head: str) -> bool:
    """Whether a file whose beginning is ``head`` says that it is a placeholder."""
    for line in head.splitlines():
        if line.strip():
            first = line.strip().casefold()
            return first.startswith(PLACEHOLDER_PREFIXES) or first.startswith("placeholder ")
    return False
