"""``policylint approve`` and ``policylint history``: record an approval, read the audit trail.

``approve`` writes the one document named (approved_by, approved_on, a revision entry and
approved_digest) and nothing else. ``history`` prints a document's versions from git: who changed
it, who approved it and when, whether the approval commit is signed and by whom, and whether the
text in force is the approved text (text or JSON). Both resolve the repository root from
``--root``, else the nearest folder above DOC with a policylint configuration, else the top of
its git work tree, else DOC's folder.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from policylint.cli import (
    EXIT_OK,
    as_of_option,
    config_option,
    guarded,
    lang_option,
    main,
    parse_as_of,
    prepare_run,
)
from policylint.errors import UsageError

if TYPE_CHECKING:
    from policylint.history import ApprovalFacts, HistoryFacts, Signature, VersionFacts
    from policylint.model import Entity, Repository


def find_root(doc: Path) -> Path:
    from policylint.config import find_config
    from policylint.history import find_work_tree

    start = doc.resolve().parent
    top = find_work_tree(start)
    for folder in (start, *start.parents):
        if find_config(folder) is not None:
            return folder
        if top is not None and folder == top:
            return top
    return Path.cwd()


def _locate(doc: Path, root: Path | None) -> tuple[Path, str]:
    if not doc.is_file() or doc.is_symlink():
        raise UsageError(f"{doc}: not a file (give the path of a governance document)")
    if doc.suffix.lower() != ".md":
        raise UsageError(f"{doc}: not a Markdown document (approvals are recorded in documents)")
    base = (root or find_root(doc)).resolve()
    try:
        rel = doc.resolve().relative_to(base).as_posix()
    except ValueError:
        raise UsageError(f"{doc}: not inside the repository root {base}") from None
    return base, rel


def _entity(repo: Repository, rel: str, shown: str) -> Entity:
    for d in repo.documents:
        if d.path == rel:
            return d
    raise UsageError(f"{shown}: not a governance document of the repository (no kind)")


root_option = click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    help="Root of the governance repository (default: found from DOC).",
)


@main.command()
@click.argument("doc", type=click.Path(path_type=Path))
@click.option("--by", "by", required=True, metavar="PERSON", help="Person id of the approver.")
@click.option("--on", "on", metavar="DATE", help="Date of the approval (default: today).")
@click.option("--summary", metavar="TEXT", help="Summary of the revision entry.")
@root_option
@config_option
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def approve(
    doc: Path,
    by: str,
    on: str | None,
    summary: str | None,
    root: Path | None,
    config_file: Path | None,
    debug: bool,
) -> None:
    """Record PERSON's approval of DOC: approved_by, approved_on, a revision entry and the
    approved_digest of its content. Nothing else in the file changes; commit it (signed, when
    the configuration requires signed approvals)."""
    from policylint.approve import Approval, approve_file, read_document
    from policylint.engine import load_repository

    base, rel = _locate(doc, root)
    day = parse_as_of(on) or dt.date.today()
    if day > dt.date.today():
        raise UsageError(f"--on: {day} is in the future; an approval records a past event")
    read_document(base / rel, str(doc))  # a governance document, before reading anything else
    run = prepare_run(base, config_file, day, None)
    repo, _ = load_repository(base, run.config, day)
    _entity(repo, rel, str(doc))
    person = repo.person(by)
    if person is None:
        raise UsageError(f"--by: '{by}' is not a person of the people register")
    digest = approve_file(base / rel, Approval(by, day, summary), str(doc))
    click.echo(f"{rel}: approved by {by} on {day.isoformat()} ({digest})")
    if by not in repo.management_on(day):
        click.echo(
            f"policylint: warning: '{by}' holds no management role on {day.isoformat()}; "
            "II.1.1.1 asks for management's approval",
            err=True,
        )
    sys.exit(EXIT_OK)


_LABELS = {
    "en": {
        "in_force": "text in force = approved text",
        "not_in_force": "text in force differs from the approved text",
        "unknown": "whether the text in force is the approved text cannot be told",
        "pending": "a new approval is recorded in the working tree (not committed yet)",
        "never": "not committed yet",
        "history_off": "history not available",
        "approved": "approved {on} by {by}, recorded in commit {commit} ({date})",
        "signed": "signed by {signer} ({key})",
        "unsigned": "not signed",
        "unknown_key": "signed with a key no person lists ({key})",
        "bad": "signature cannot be verified: {detail}",
        "uncommitted": "uncommitted changes at line(s) {lines}",
        "changed": "changed at line(s) {lines} in commit {commit} ({date}, {author})",
        "digest": "approved_digest {state}",
        "header": "commit    date        author / change / approval",
        "created": "created",
        "text_changed": "text changed",
        "bookkeeping": "review bookkeeping only",
        "approval": "approval {on} by {by}",
    },
    "ja": {
        "in_force": "現行の内容 = 承認された内容",
        "not_in_force": "現行の内容が承認された内容と異なります",
        "unknown": "現行の内容が承認された内容かを判定できません",
        "pending": "作業ツリーに新しい承認が記録されています（未コミット）",
        "never": "まだコミットされていません",
        "history_off": "履歴なし",
        "approved": "{on} に {by} が承認（コミット {commit}、{date} に記録）",
        "signed": "{signer} が署名（{key}）",
        "unsigned": "署名なし",
        "unknown_key": "誰の鍵でもない鍵で署名（{key}）",
        "bad": "署名を検証できません: {detail}",
        "uncommitted": "未コミットの変更（{lines} 行目）",
        "changed": "コミット {commit}（{date}、{author}）で {lines} 行目を変更",
        "digest": "approved_digest {state}",
        "header": "コミット  日付        作成者 / 変更 / 承認",
        "created": "作成",
        "text_changed": "内容を変更",
        "bookkeeping": "見直し記録のみ",
        "approval": "{on} {by} が承認",
    },
}


def signature_json(sig: Signature | None) -> dict[str, Any] | None:
    if sig is None:
        return None
    return {
        "status": sig.status,
        "signer": sig.signer,
        "key": sig.key,
        "detail": sig.detail,
        "via": sig.via,
    }


def history_json(
    facts: HistoryFacts, item: ApprovalFacts, versions: list[VersionFacts]
) -> dict[str, Any]:
    from policylint.approval import line_ranges
    from policylint.checks.approvals import changed_lines

    doc = item.doc
    approval = item.approval
    return {
        "path": doc.path,
        "id": doc.id,
        "kind": doc.kind,
        "history": facts.status,
        "detail": facts.detail,
        "in_force_is_approved": item.in_force_is_approved,
        "pending_approval": item.pending,
        "approval": None
        if approval is None
        else {
            "commit": approval.commit.sha,
            "date": approval.commit.date,
            "author": approval.commit.author,
            "approved_on": _text(doc.get("approved_on")),
            "approved_by": doc.text("approved_by"),
        },
        "changed_lines": line_ranges(changed_lines(item)) if item.change else "",
        "changed_by": None if item.changed_by is None else item.changed_by.sha,
        "digest": {
            "recorded": item.digest_recorded,
            "in_force": item.digest,
            "matches": item.digest_matches,
        },
        "signature": signature_json(item.signature),
        "versions": [
            {
                "commit": v.version.commit.sha,
                "date": v.version.commit.date,
                "author": v.version.commit.author,
                "email": v.version.commit.email,
                "path": v.version.path,
                "content_changed": v.content_changed,
                "records_approval": v.records_approval,
                "approved_on": v.approved_on,
                "approved_by": v.approved_by,
                "signature": signature_json(v.signature),
            }
            for v in versions
        ],
    }


def _text(value: object) -> str:
    iso = getattr(value, "isoformat", None)
    return str(iso()) if callable(iso) else ("" if value is None else str(value))


def signature_text(sig: Signature | None, lang: str) -> str:
    t = _LABELS[lang]
    if sig is None:
        return ""
    if sig.status == "verified":
        via = "" if sig.via == "commit" else f", {sig.via}"
        return t["signed"].format(signer=sig.signer, key=(sig.key or "") + via).replace("(, ", "(")
    if sig.status == "none":
        return t["unsigned"]
    if sig.status == "unknown-key":
        return t["unknown_key"].format(key=sig.key)
    return t["bad"].format(detail=sig.detail)


def history_text(
    facts: HistoryFacts, item: ApprovalFacts, versions: list[VersionFacts], lang: str
) -> str:
    from policylint.approval import line_ranges
    from policylint.checks.approvals import changed_lines
    from policylint.diagnostics import printable

    t = _LABELS[lang]
    doc = item.doc
    lines = [printable(f"{doc.path}  ({doc.kind} '{doc.label}')")]
    state = item.in_force_is_approved
    lines.append(
        "  " + (t["in_force"] if state else t["not_in_force"] if state is False else t["unknown"])
    )
    if not facts.available:
        detail = f": {facts.detail}" if facts.detail else ""
        lines.append(f"  {t['history_off']} ({facts.status}{detail})")
    elif item.pending:
        lines.append("  " + t["pending"])
    elif not item.versions:
        lines.append("  " + t["never"])
    if item.approval is not None:
        c = item.approval.commit
        on, by = _text(doc.get("approved_on")), doc.text("approved_by") or "-"
        lines.append("  " + t["approved"].format(on=on, by=by, commit=c.short, date=c.day))
        if item.signature is not None:
            lines.append("  " + signature_text(item.signature, lang))
    if item.change:
        ranges = line_ranges(changed_lines(item))
        by_commit = item.changed_by
        if by_commit is None:
            lines.append("  " + t["uncommitted"].format(lines=ranges))
        else:
            c = by_commit
            text = t["changed"].format(lines=ranges, commit=c.short, date=c.day, author=c.author)
            lines.append("  " + text)
    if item.digest_recorded is not None:
        lines.append("  " + t["digest"].format(state="✓" if item.digest_matches else "✗"))
    if versions:
        lines += ["", t["header"]]
    for i, v in enumerate(versions):
        c = v.version.commit
        what = (
            t["created"]
            if i == len(versions) - 1
            else t["text_changed"]
            if v.content_changed
            else t["bookkeeping"]
        )
        parts = [f"{c.short}  {c.day}  {c.author}", what]
        if v.records_approval:
            parts.append(t["approval"].format(on=v.approved_on, by=v.approved_by or "-"))
        sig = signature_text(v.signature, lang)
        if sig:
            parts.append(sig)
        lines.append(printable(" / ".join(parts)))
    # values from the repository and from git (approved_by, commit authors) stay on their line
    return "\n".join(printable(line, whole_line=True) for line in lines) + "\n"


@main.command()
@click.argument("doc", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json"]),
    help="text: for people; json: for tools.",
)
@root_option
@as_of_option
@lang_option("the output")
@config_option
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def history(
    doc: Path,
    output_format: str,
    root: Path | None,
    as_of: str | None,
    lang: str | None,
    config_file: Path | None,
    debug: bool,
) -> None:
    """Print the approval history of DOC from git: each version, who changed it, who approved
    it and when, whether the approval is signed and by whom, and whether the text in force is
    the approved text."""
    from policylint.engine import lint
    from policylint.history import document_history, history_of

    base, rel = _locate(doc, root)
    run = prepare_run(base, config_file, parse_as_of(as_of), lang)
    result = lint(base, run.config, run.pack, run.today, run.lang)
    entity = _entity(result.repo, rel, str(doc))
    facts = history_of(result.repo)
    item = facts.of(entity) if facts is not None else None
    if facts is None or item is None:
        raise UsageError(f"{doc}: the document records no approval (approved_on)")
    versions = document_history(result.repo, entity)
    if output_format == "json":
        from policylint.diagnostics import dump_json

        click.echo(dump_json(history_json(facts, item, versions)), nl=False)
    else:
        click.echo(history_text(facts, item, versions, run.lang), nl=False)
    sys.exit(EXIT_OK)
