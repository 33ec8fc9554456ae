"""Checks of management reviews (ISO/IEC 27001:2022 9.3): top management takes part."""

from __future__ import annotations

from collections.abc import Iterator

from policylint.diagnostics import Finding
from policylint.primitives import Context, Params, finding, selected


def management_attends(ctx: Context, params: Params) -> Iterator[Finding]:
    """At least one person of ``field`` [attendees] holds a role with ``management: true``."""
    name = str(params.get("field", "attendees"))
    management = ctx.repo.management()
    for doc in selected(ctx, params):
        attendees = doc.strings(name)
        if not attendees:
            continue  # a review without attendees is reported by its required fields
        if not management.intersection(attendees):
            yield finding(doc, "default", doc.loc(name))
