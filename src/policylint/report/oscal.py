"""The report as an OSCAL assessment-results document (JSON, OSCAL 1.2.1).

One result; one finding per guideline item (target type ``objective-id``, the item id as target,
status ``satisfied`` only when the item is *met*); one observation per item (what was examined,
with the evidence files) and one per diagnostic (suppressed ones included, marked by the
exception that covers them). Reproducible: every UUID is a version-5 UUID of a stable key, and
every timestamp is midnight UTC of the run's as-of date, so the same repository and date give a
byte-identical document.

Item ids are written ``II.1.1.1`` (ASCII): OSCAL tokens must start with a letter, which ``Ⅱ``
is not.
"""

from __future__ import annotations

import uuid
from typing import Any, TextIO

from policylint.diagnostics import Diagnostic, dump_json
from policylint.report.labels import label, reason_label, status_label
from policylint.report.model import ItemRow, Report, url

OSCAL_VERSION = "1.2.1"
"""The OSCAL version of compliance-trestle 5.x (the newest release), which reads and writes
these documents: reports, catalogs and mapping collections all say this version."""
NS = "urn:policylint:oscal"
"""Namespace of policylint's own properties (``ns`` of every prop this module writes)."""
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, NS)


def oscal_token(item_id: str) -> str:
    """An item id as an OSCAL token (which must start with a letter): ``II.4.1.1`` and ``A.5.9``
    as they are, a clause number ``4.3`` as ``clause-4.3``. Reports and catalogs agree on it."""
    return item_id if item_id[:1].isalpha() else f"clause-{item_id}"


def uuid_of(*key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(str(k) for k in key)))


def _prop(name: str, value: object) -> dict[str, str]:
    text = " ".join(str(value).split()) or "-"
    return {"name": name, "ns": NS, "value": text}


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "-"


def _observation_of_diagnostic(doc: str, d: Diagnostic, ts: str, lang: str) -> dict[str, Any]:
    props = [_prop("check-id", d.check_id), _prop("severity", d.severity.value)]
    if d.item:
        props.append(_prop("item", d.item))
    if d.target:
        props.append(_prop("target", d.target))
    if d.suppressed_by:
        props.append(_prop("suppressed-by", d.suppressed_by))
    obs: dict[str, Any] = {
        "uuid": uuid_of("observation", doc, d.check_id, d.path, d.line, d.column, d.message),
        "title": _one_line(f"{d.check_id}: {d.place(lang, column=False)}"),
        "description": d.message or d.check_id,
        "props": props,
        "methods": ["TEST"],
        "types": ["finding"],
        "collected": ts,
    }
    if d.path is not None:  # a repository-level finding may concern no file
        obs["relevant-evidence"] = [{"href": url(d.path), "description": d.place(lang)}]
    if d.hint:
        obs["remarks"] = d.hint
    return obs


def _observation_of_item(doc: str, row: ItemRow, ts: str, lang: str) -> dict[str, Any]:
    lines = [
        f"- {c.id}: {c.result} (errors {c.errors}, warnings {c.warnings}, excepted {c.suppressed})"
        for c in row.checks
    ]
    description = "\n".join(lines) if lines else reason_label("no-checks", lang)
    obs: dict[str, Any] = {
        "uuid": uuid_of("examined", doc, row.id),
        "title": _one_line(f"{row.id}: {label('checks', lang)}"),
        "description": description,
        "props": [_prop("item", row.id), _prop("checks", len(row.checks))],
        "methods": ["TEST"],
        "types": ["control-objective"],
        "collected": ts,
    }
    if row.evidence:
        obs["relevant-evidence"] = [
            {"href": url(ev.path), "description": _one_line(f"{ev.kind}: {ev.id or ev.path}")}
            for ev in row.evidence
        ]
    return obs


def _approval_observations(
    doc: str, report: Report, ts: str
) -> list[tuple[dict[str, Any], str | None]]:
    """One observation per approved document: is the text in force the approved text, and who
    signed the approval (from git history and approved_digest)."""
    section = report.approvals
    if section is None:
        return []
    out: list[tuple[dict[str, Any], str | None]] = []
    for r in section.rows:
        props = [
            _prop("approval-history", section.history),
            _prop("text-in-force", r.in_force),
            _prop("approval-signature", r.signature),
        ]
        if r.item:
            props.append(_prop("item", r.item))
        if r.signed_by:
            props.append(_prop("signed-by", r.signed_by))
        if r.commit:
            props.append(_prop("approval-commit", r.commit))
        obs: dict[str, Any] = {
            "uuid": uuid_of("approval", doc, r.path),
            "title": _one_line(f"{label('approval_text', report.lang)}: {r.path}"),
            "description": _one_line(f"{r.text}; {r.signature_text}"),
            "props": props,
            "methods": ["EXAMINE"],
            "types": ["control-objective" if r.in_force == "approved" else "finding"],
            "relevant-evidence": [{"href": url(r.path), "description": _one_line(r.path)}],
            "collected": ts,
        }
        out.append((obs, r.item))
    return out


def to_dict(report: Report) -> dict[str, Any]:
    lang = report.lang
    ts = f"{report.as_of.isoformat()}T00:00:00Z"
    doc = uuid_of("assessment-results", report.framework_id, report.as_of, report.digest)
    observations: list[dict[str, Any]] = []
    item_obs: dict[str, list[str]] = {}
    for row in report.items:
        o = _observation_of_item(doc, row, ts, lang)
        observations.append(o)
        item_obs.setdefault(row.id, []).append(o["uuid"])
    for d in report.diagnostics:
        o = _observation_of_diagnostic(doc, d, ts, lang)
        observations.append(o)
        if d.item:
            item_obs.setdefault(d.item, []).append(o["uuid"])
    for o, item in _approval_observations(doc, report, ts):
        observations.append(o)
        if item:
            item_obs.setdefault(item, []).append(o["uuid"])
    findings = []
    for row in report.items:
        satisfied = row.status == "met"
        reason = (
            "pass" if satisfied else ("fail" if row.status in ("not-met", "partly") else "other")
        )
        remarks = reason_label(row.reason, lang)
        if row.exceptions:
            remarks += f" ({label('exceptions', lang)}: {', '.join(row.exceptions)})"
        finding: dict[str, Any] = {
            "uuid": uuid_of("finding", doc, row.id),
            "title": _one_line(f"{row.id} {row.title}"),
            "description": row.summary or row.title,
            "props": [
                _prop("item-status", row.status),
                _prop("item-status-label", status_label(row.status, lang)),
                _prop("chapter", row.chapter),
            ],
            "target": {
                "type": "objective-id",
                "target-id": oscal_token(row.id),
                "title": _one_line(row.title),
                "status": {
                    "state": "satisfied" if satisfied else "not-satisfied",
                    "reason": reason,
                    "remarks": remarks,
                },
            },
        }
        if row.next_due is not None:
            finding["props"].append(_prop("next-due", row.next_due.date.isoformat()))
        related = item_obs.get(row.id, [])
        if related:
            finding["related-observations"] = [{"observation-uuid": u} for u in related]
        findings.append(finding)
    title = f"{label('title', lang)}: {report.framework_title}"
    result: dict[str, Any] = {
        "uuid": uuid_of("result", doc),
        "title": _one_line(title),
        "description": _one_line(
            f"policylint {report.version}, {report.framework_id}, "
            f"{label('as_of', lang)} {report.as_of.isoformat()}"
        ),
        "start": ts,
        "end": ts,
        "props": [
            _prop("errors", report.errors),
            _prop("warnings", report.warnings),
            _prop("suppressed", report.suppressed),
            _prop("files", report.files),
        ],
        "reviewed-controls": {
            "control-selections": [
                {"include-controls": [{"control-id": oscal_token(row.id)} for row in report.items]}
            ]
        },
        "findings": findings,
    }
    if observations:
        result["observations"] = observations
    metadata: dict[str, Any] = {
        "title": _one_line(title),
        "last-modified": ts,
        "version": report.as_of.isoformat(),
        "oscal-version": OSCAL_VERSION,
        "props": [
            _prop("tool", f"policylint {report.version}"),
            _prop("framework", report.framework_id),
        ],
    }
    if report.repository:
        metadata["props"].append(_prop("repository", report.repository))
    return {
        "assessment-results": {
            "uuid": doc,
            "metadata": metadata,
            "import-ap": {
                "href": f"urn:policylint:rule-pack:{report.framework_id}",
                "remarks": (
                    "No separate assessment plan: the plan is policylint's rule pack "
                    f"{report.framework_id} (the checks of each guideline item)."
                ),
            },
            "results": [result],
        }
    }


def render(report: Report, out: TextIO, link_base: str = "") -> None:
    out.write(dump_json(to_dict(report)))
