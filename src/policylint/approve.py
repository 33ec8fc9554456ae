"""``policylint approve``: record an approval in a document's front matter.

Writes ``approved_by``, ``approved_on``, a revision entry and ``approved_digest`` (the digest of
the content approved, :mod:`policylint.approval`) into the one file named, changing nothing else:
values are replaced in place (comments, key order, quoting and the body stay as they are) and
missing fields are added at the end of the front matter.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from policylint.approval import content_of
from policylint.errors import UsageError
from policylint.loader import (
    DEFAULT_MAX_FILE_BYTES,
    FileRefused,
    decode,
    parse_yaml,
    read_bounded,
    split_front_matter,
)

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def scalar(value: str) -> str:
    """A YAML scalar for ``value``: plain when it reads back as the same text, else quoted."""
    if _PLAIN.fullmatch(value) and value.lower() not in _RESERVED:
        return value
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Approval:
    by: str
    on: dt.date
    summary: str | None = None


@dataclass(frozen=True)
class Document:
    """A Markdown document split for editing: its fence lines, front matter and body."""

    head: str
    """The opening fence line, with its line break."""
    yaml_text: str
    tail: str
    """The closing fence line, its line break and the body."""
    value: dict[str, Any]
    node: yaml.MappingNode
    body: str
    crlf: bool
    bom: bool

    @property
    def text(self) -> str:
        return self.head + self.yaml_text + self.tail


def read_document(path: Path, shown: str) -> Document:
    try:  # a regular file of bounded size: a FIFO would block, /dev/zero never end
        data = read_bounded(path, DEFAULT_MAX_FILE_BYTES)
    except FileRefused as refused:
        if refused.key == "too-large":
            raise UsageError(
                f"{shown}: the file is larger than {DEFAULT_MAX_FILE_BYTES} bytes"
            ) from None
        raise UsageError(f"{shown}: the file {refused.describe('en')}") from None
    text = decode(data)
    if isinstance(text, tuple):
        raise UsageError(f"{shown}:{text[1]}: not UTF-8 text")
    split = split_front_matter(text)
    if split is None:
        raise UsageError(f"{shown}: not a governance document (no --- front matter)")
    if isinstance(split, int):
        raise UsageError(f"{shown}:{split}: the front matter is never closed")
    yaml_text, body, body_line = split
    result = parse_yaml(yaml_text)
    if result.problem is not None:
        line = result.problem.line + 2
        if result.problem.node is not None:
            line = result.problem.node.start_mark.line + 2
        raise UsageError(f"{shown}:{line}: the front matter is not valid YAML")
    if not isinstance(result.value, dict) or not isinstance(result.node, yaml.MappingNode):
        raise UsageError(f"{shown}:2: the front matter is not a mapping of fields")
    if "kind" not in result.value:
        raise UsageError(f"{shown}:2: the front matter has no kind: not a governance document")
    head, _, _ = text.partition("\n")
    lines = text.split("\n")
    closing = lines[body_line - 2]
    return Document(
        head + "\n",
        yaml_text,
        closing + "\n" + body if body_line - 1 < len(lines) else closing,
        result.value,
        result.node,
        body,
        crlf=b"\r\n" in data,
        bom=data.startswith(b"\xef\xbb\xbf"),
    )


def _top_level(node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def _line_end(text: str, index: int) -> int:
    """Index just after the line break that ends the line holding ``index``."""
    nl = text.find("\n", index)
    return len(text) if nl < 0 else nl + 1


def approve_text(doc: Document, approval: Approval, shown: str) -> tuple[str, str]:
    """The new text of the document and the digest recorded."""
    value = doc.value
    digest = content_of(value, doc.body).digest
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in yaml_text
    appended: list[str] = []
    fields = {
        "approved_by": scalar(approval.by),
        "approved_on": approval.on.isoformat(),
        "approved_digest": digest,
    }
    for key, new in fields.items():
        found = _top_level(doc.node, key)
        if found is None:
            appended.append(f"{key}: {new}\n")
            continue
        _, val = found
        if not isinstance(val, yaml.ScalarNode) or val.start_mark.line != val.end_mark.line:
            raise UsageError(
                f"{shown}:{val.start_mark.line + 2}: {key} is not a one-line value; "
                "write it as one line and run approve again"
            )
        edits.append((val.start_mark.index, val.end_mark.index, new))
    revision = _revision(doc, approval, shown)
    if revision is not None:
        edits.append(revision)
    text = doc.yaml_text
    if text and not text.endswith("\n"):
        text += "\n"
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    text += "".join(appended)
    return doc.head + text + doc.tail, digest


def _revision(doc: Document, approval: Approval, shown: str) -> tuple[int, int, str] | None:
    """Where and what to write for the new revision entry (None: the latest entry already
    records this approval)."""
    version = doc.value.get("version")
    entry: dict[str, str] = {}
    if version is not None:
        entry["version"] = json.dumps(str(version), ensure_ascii=False)
    entry["date"] = approval.on.isoformat()
    entry["approved_by"] = scalar(approval.by)
    if approval.summary:
        entry["summary"] = json.dumps(approval.summary, ensure_ascii=False)
    revisions = doc.value.get("revisions")
    found = _top_level(doc.node, "revisions")
    if isinstance(revisions, list) and revisions and isinstance(revisions[-1], dict):
        last = revisions[-1]
        if (
            str(last.get("version")) == str(version)
            and str(last.get("date")) == approval.on.isoformat()
            and last.get("approved_by") == approval.by
        ):
            return None
    text = doc.yaml_text
    if found is None or (isinstance(found[1], yaml.ScalarNode) and found[1].value in ("", "~")):
        block = "".join(f"    {k}: {v}\n" for k, v in entry.items())
        block = "revisions:\n  - " + block[4:]
        if found is None:
            return len(text), len(text), block
        key, val = found
        return key.start_mark.index, _line_end(text, val.end_mark.index), block
    _, seq = found
    if not isinstance(seq, yaml.SequenceNode):
        raise UsageError(f"{shown}:{seq.start_mark.line + 2}: revisions is not a list")
    if seq.flow_style or not seq.value:
        raise UsageError(
            f"{shown}:{seq.start_mark.line + 2}: revisions is written in flow style ([...]); "
            "write it as a block list (one '- ' entry per line) and run approve again"
        )
    first = seq.value[0]
    line = text.split("\n")[first.start_mark.line]
    dash = len(line[: first.start_mark.column].rstrip()) - 1
    last = seq.value[-1]
    end = last.end_mark.index
    at = end if last.end_mark.column == 0 else _line_end(text, max(end - 1, 0))
    if isinstance(first, yaml.MappingNode) and first.flow_style:
        inner = ", ".join(f"{k}: {v}" for k, v in entry.items())
        return at, at, " " * dash + "- {" + inner + "}\n"
    col = first.start_mark.column
    items = list(entry.items())
    lines = [" " * dash + "-" + " " * (col - dash - 1) + f"{items[0][0]}: {items[0][1]}\n"]
    lines += [" " * col + f"{k}: {v}\n" for k, v in items[1:]]
    return at, at, "".join(lines)


def approve_file(path: Path, approval: Approval, shown: str) -> str:
    """Record the approval in the file; returns the digest recorded."""
    doc = read_document(path, shown)
    new_text, digest = approve_text(doc, approval, shown)
    check = read_document_from_text(new_text, shown)
    if content_of(check.value, check.body).digest != digest:  # pragma: no cover - a safeguard
        raise UsageError(f"{shown}: the approval could not be recorded without changing content")
    out = new_text.replace("\n", "\r\n") if doc.crlf else new_text
    data = (b"\xef\xbb\xbf" if doc.bom else b"") + out.encode("utf-8")
    path.write_bytes(data)
    return digest


def read_document_from_text(text: str, shown: str) -> Document:
    split = split_front_matter(text)
    if not isinstance(split, tuple):
        raise UsageError(f"{shown}: the approval could not be written")
    result = parse_yaml(split[0])
    if not isinstance(result.value, dict) or not isinstance(result.node, yaml.MappingNode):
        raise UsageError(f"{shown}: the approval could not be written")
    return Document("", split[0], "", result.value, result.node, split[1], False, False)
