"""Checks of the incident register: incidents reported promptly after detection (II.6.1.1)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator

from policylint.diagnostics import Finding
from policylint.model import Entity
from policylint.primitives import Context, Params, finding, selected


def _moment(entity: Entity, time_field: str) -> dt.datetime | str | None:
    """The value of a date-time field (``2026-09-18T10:30+09:00``): None when absent, the text
    itself when it is not a date-time."""
    value = entity.get(time_field)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return str(value)
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return value
    if "T" not in text and " " not in text:
        return value  # a date alone is not a time of day
    return moment


def incident_reported_promptly(ctx: Context, params: Params) -> Iterator[Finding]:
    """The time from detection to report is at most ``max_hours`` [24]: measured between
    ``detected_at`` and ``reported_at`` (ISO date-times) when both are given, else between
    ``detected_on`` and ``reported_on`` (dates: at most ``ceil(max_hours / 24)`` days apart).
    A missing ``detected_on`` or ``reported_on`` is reported by II.6.1.1/incident-records."""
    max_hours = float(params.get("max_hours", 24))
    for incident in selected(ctx, params):
        detected = _moment(incident, "detected_at")
        reported = _moment(incident, "reported_at")
        for name, value in (("detected_at", detected), ("reported_at", reported)):
            if isinstance(value, str):
                yield finding(incident, "bad-time", incident.loc(name), field=name, value=value)
        if isinstance(detected, dt.datetime) and isinstance(reported, dt.datetime):
            if (detected.tzinfo is None) != (reported.tzinfo is None):
                yield finding(incident, "mixed-zones", incident.loc("reported_at"))
                continue
            hours = (reported - detected).total_seconds() / 3600
            if hours > max_hours:
                yield finding(
                    incident,
                    "late-hours",
                    incident.loc("reported_at"),
                    hours=f"{hours:.1f}".rstrip("0").rstrip("."),
                    max_hours=f"{max_hours:g}",
                    detected=incident.get("detected_at"),
                    reported=incident.get("reported_at"),
                )
            continue
        day_detected, day_reported = incident.date("detected_on"), incident.date("reported_on")
        if day_detected is None or day_reported is None:
            continue
        allowed = math.ceil(max_hours / 24)
        days = (day_reported - day_detected).days
        if days > allowed:
            yield finding(
                incident,
                "late-days",
                incident.loc("reported_on"),
                days=days,
                max_hours=f"{max_hours:g}",
                allowed=allowed,
                detected=day_detected.isoformat(),
                reported=day_reported.isoformat(),
            )
