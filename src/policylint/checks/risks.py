"""Checks of risk treatment and the Statement of Applicability (ISO/IEC 27001:2022 6.1.3): the
SoA decides on every Annex A control once, and agrees with the risk register's treatments.

The list of Annex A controls is the catalogue of the rule pack named by the ``framework``
parameter (``rules/<framework>/catalog.yaml``, the items of chapters ``A.*``): the same list the
report and ``policylint rules`` show, so the SoA is checked against the controls the pack sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from policylint.diagnostics import Finding
from policylint.model import Entity, Register
from policylint.primitives import Context, Params, finding

SOA = "statement-of-applicability"
RISKS = "risk-register"
STATUSES = ("implemented", "partial", "planned", "not-implemented")


@cache
def annex_controls(framework: str = "iso27001-2022") -> tuple[str, ...]:
    """The Annex A control ids of a pack's catalogue, in catalogue order."""
    from policylint.rulepack import load_rulepack

    pack = load_rulepack(framework)
    return tuple(i.id for i in pack.items.values() if i.chapter.startswith("A."))


def _register_finding(register: Register, key: str, **args: object) -> Finding:
    name = register.data.get("id")
    label = name if isinstance(name, str) and name else register.path
    return Finding(
        register.loc(), key, {"id": label, "kind": register.kind, "path": register.path, **args}
    )


def _control(entry: Entity) -> str | None:
    value = entry.text("control")
    return value.strip() if value is not None else None


def soa_complete(ctx: Context, params: Params) -> Iterator[Finding]:
    """A Statement of Applicability exists, is approved, names each Annex A control exactly once
    (and nothing else), justifies each decision and gives applicable controls a status."""
    kind = str(params.get("kind", SOA))
    registers = ctx.repo.registers_of(kind)
    if not registers:
        yield Finding(ctx.repo.repo_location(), "missing", {"kind": kind})
        return
    controls = annex_controls(str(params.get("framework", "iso27001-2022")))
    known = set(controls)
    seen: dict[str, str] = {}
    for register in registers:
        missing = [f for f in ("approved_by", "approved_on") if not register.data.get(f)]
        if missing:
            yield _register_finding(register, "not-approved", missing=missing)
        for entry in register.items:
            control = _control(entry)
            if control is None:
                continue  # a missing control is reported by the schema (required field)
            if control not in known:
                yield finding(entry, "unknown-control", entry.loc("control"), control=control)
                continue
            if control in seen:
                yield finding(
                    entry,
                    "duplicate-control",
                    entry.loc("control"),
                    control=control,
                    first=seen[control],
                )
                continue
            seen[control] = entry.label
            if entry.text("justification") is None:
                yield finding(entry, "no-justification", control=control)
            if entry.get("applicable") is True and entry.text("status") is None:
                yield finding(entry, "no-status", control=control)
    absent = [c for c in controls if c not in seen]
    if absent:
        shown = absent if len(absent) <= 12 else [*absent[:12], "…"]
        yield _register_finding(registers[0], "missing-controls", missing=shown, count=len(absent))


def soa_matches_risks(ctx: Context, params: Params) -> Iterator[Finding]:
    """Every control a risk is treated with is an Annex A control the SoA declares applicable
    (a warning when the SoA records it as not implemented)."""
    from policylint.diagnostics import Severity

    decisions: dict[str, Entity] = {}
    for entry in ctx.repo.entities_of(str(params.get("kind", SOA))):
        control = _control(entry)
        if control is not None:
            decisions.setdefault(control, entry)
    known = set(annex_controls(str(params.get("framework", "iso27001-2022"))))
    for risk in ctx.repo.items_of(RISKS):
        for i, control in enumerate(risk.strings("controls")):
            control = control.strip()
            if control not in known:
                yield finding(risk, "unknown-control", risk.loc("controls", i), control=control)
                continue
            decided = decisions.get(control)
            if decided is None:
                continue  # the SoA's gap is reported by soa_complete
            entry = decided
            if entry.get("applicable") is False:
                yield finding(
                    entry,
                    "excluded-but-treats",
                    entry.loc("applicable"),
                    risk=risk.label,
                    control=control,
                )
            elif entry.text("status") == "not-implemented":
                yield finding(
                    entry,
                    "not-implemented",
                    entry.loc("status"),
                    severity=Severity.WARNING,
                    risk=risk.label,
                    control=control,
                )
