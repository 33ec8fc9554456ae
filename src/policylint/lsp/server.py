"""``policylint lsp``: the language server, over stdio.

It keeps one :class:`~policylint.incremental.Session` for the workspace root. Opening or editing
a governance file updates that file in the session (debounced: edits that arrive within
``debounceMs`` [10] of each other, or while a check runs, are checked together), and the
diagnostics of every open file whose findings changed are published again, so a cross-file
finding (an asset owner who left, after people.yaml changed) appears and disappears in every
open file it touches.

Initialisation options (all optional): ``lang`` (``ja``/``en``), ``asOf`` (YYYY-MM-DD),
``config`` (a configuration file), ``debounceMs``.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.uris import from_fs_path

from policylint import __version__
from policylint.diagnostics import Diagnostic, Severity, printable
from policylint.errors import PolicylintError
from policylint.incremental import Session
from policylint.loader import inside
from policylint.lsp.buffers import Buffer, Lines, from_units, to_units
from policylint.lsp.features import Spot, complete, definition, hover, spot_at

log = logging.getLogger("policylint.lsp")

SOURCE = "policylint"
_FIX_LABEL = {"en": "fix", "ja": "対処"}


class _Protocol(LanguageServerProtocol):
    """pygls' protocol without its own copy of open documents: the server keeps
    :class:`~policylint.lsp.buffers.Buffer` objects, edited in place (see buffers.py)."""

    @lsp_method(t.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: t.DidOpenTextDocumentParams) -> Iterator[Any]:
        if (handler := self.fm.features.get(t.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(t.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: t.DidChangeTextDocumentParams) -> Iterator[Any]:
        if (handler := self.fm.features.get(t.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(t.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: t.DidCloseTextDocumentParams) -> Iterator[Any]:
        if (handler := self.fm.features.get(t.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


def uri_to_path(uri: str) -> Path | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


class PolicylintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "policylint",
            __version__,
            protocol_cls=_Protocol,
            text_document_sync_kind=t.TextDocumentSyncKind.Incremental,
        )
        self.root: Path | None = None
        self.options: dict[str, Any] = {}
        self.session: Session | None = None
        self.failed: str | None = None
        self.buffers: dict[str, Buffer] = {}  # by uri
        self.dirty: dict[str, None] = {}  # uris edited since the last check (ordered set)
        self.published: dict[str, list[Diagnostic]] = {}
        self.debounce = 0.010
        self._timer: asyncio.TimerHandle | None = None
        self._tidied = 0

    # -- the workspace -------------------------------------------------------------------------

    @property
    def encoding(self) -> str:
        try:
            return str(self.workspace.position_encoding or "utf-16")
        except RuntimeError:
            return "utf-16"

    def rel(self, uri: str) -> str | None:
        """The repository-relative path of a document (None: not below the root)."""
        path = uri_to_path(uri)
        if path is None or self.root is None:
            return None
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError):
            return None

    def uri(self, rel: str) -> str:
        assert self.root is not None
        return str(from_fs_path(str(self.root / rel)))

    def start(self) -> None:
        """Load the repository (once): configuration, rule pack and every file."""
        if self.session is not None or self.failed is not None or self.root is None:
            return
        from policylint.cli import default_lang, parse_as_of, prepare_run

        opts = self.options
        try:
            as_of = parse_as_of(opts.get("asOf")) if opts.get("asOf") else None
            config_file = Path(opts["config"]) if opts.get("config") else None
            lang = opts.get("lang") if opts.get("lang") in ("ja", "en") else None
            run = prepare_run(self.root, config_file, as_of, lang)
            session = Session(
                run.root, run.config, run.pack, run.today, lang or default_lang(run.config.lang)
            )
            texts = {}
            for uri, buf in self.buffers.items():
                rel = self.rel(uri)
                if rel is not None:
                    texts[rel] = buf.text
            session.load(texts)
        except PolicylintError as exc:
            self.failed = printable(str(exc))
            self.window_show_message(
                t.ShowMessageParams(type=t.MessageType.Error, message=f"policylint: {self.failed}")
            )
            return
        self.session = session
        gc.collect()
        gc.freeze()  # the model lives as long as the server: keep the collector off it

    # -- checking ------------------------------------------------------------------------------

    def schedule(self, uri: str) -> None:
        self.dirty[uri] = None
        if self._timer is None:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(self.debounce, self.flush)

    def flush(self) -> None:
        self._timer = None
        self.start()
        session = self.session
        dirty, self.dirty = list(self.dirty), {}
        if session is None:
            return
        changed: set[str] = set()
        for uri in dirty:
            rel = self.rel(uri)
            if rel is None:
                continue
            buf = self.buffers.get(uri)
            changed |= session.update(rel, buf.text if buf is not None else None)
        for uri in self.buffers:
            rel = self.rel(uri)
            if rel is not None and (rel in changed or uri in dirty or uri not in self.published):
                self.publish(uri, rel)
        self.tidy()

    def tidy(self) -> None:
        """Keep the collector off the model: what an update built is frozen with the rest
        (a collection over a large model takes a second). Old versions of whole files that
        were parsed again can hold reference cycles only the collector frees: after about
        50 MB of those, one full collection frees them (rarely: edits within one item of a
        register, and documents, are not parsed whole)."""
        session = self.session
        if session is not None and session.parsed_chars - self._tidied > 50_000_000:
            self._tidied = session.parsed_chars
            gc.unfreeze()
            gc.collect()
        gc.freeze()

    def publish(self, uri: str, rel: str) -> None:
        assert self.session is not None
        diags = [d for d in self.session.by_path().get(rel, []) if not d.suppressed]
        if self.published.get(uri) == diags and uri in self.published:
            return
        self.published[uri] = diags
        buf = self.buffers.get(uri)
        out = [self.lsp_diagnostic(d, buf) for d in diags]
        self.text_document_publish_diagnostics(
            t.PublishDiagnosticsParams(
                uri=uri, diagnostics=out, version=buf.version if buf is not None else None
            )
        )

    def lsp_diagnostic(self, d: Diagnostic, buf: Buffer | None) -> t.Diagnostic:
        lang = self.session.lang if self.session is not None else "en"
        line = max(d.line - 1, 0)
        col = max(d.column - 1, 0)
        text = buf.line(line) if buf is not None else ""
        end = len(text.rstrip())
        if end <= col:
            end = col + 1
        enc = self.encoding
        item = f"[{d.item}] " if d.item else ""
        message = f"{item}{d.message}"
        if d.hint:
            message += f"\n{_FIX_LABEL.get(lang, 'fix')}: {d.hint}"
        return t.Diagnostic(
            range=t.Range(
                start=t.Position(line=line, character=to_units(text, col, enc)),
                end=t.Position(line=line, character=to_units(text, end, enc)),
            ),
            message=message,
            severity=(
                t.DiagnosticSeverity.Error
                if d.severity is Severity.ERROR
                else t.DiagnosticSeverity.Warning
            ),
            code=d.check_id,
            source=SOURCE,
            data={"item": d.item, "target": d.target, "hint": d.hint},
        )


server = PolicylintServer()


@server.feature(t.INITIALIZE)
def _initialize(ls: PolicylintServer, params: t.InitializeParams) -> None:
    root: Path | None = None
    if params.workspace_folders:
        root = uri_to_path(params.workspace_folders[0].uri)
    if root is None and params.root_uri:
        root = uri_to_path(params.root_uri)
    if root is None and params.root_path:
        root = Path(params.root_path)
    ls.root = root.resolve() if root is not None else None
    opts = params.initialization_options
    ls.options = dict(opts) if isinstance(opts, dict) else {}
    debounce = ls.options.get("debounceMs")
    if isinstance(debounce, (int, float)) and 0 <= debounce <= 10_000:
        ls.debounce = debounce / 1000


@server.feature(t.INITIALIZED)
def _initialized(ls: PolicylintServer, params: t.InitializedParams) -> None:
    ls.start()


@server.feature(t.TEXT_DOCUMENT_DID_OPEN)
def _did_open(ls: PolicylintServer, params: t.DidOpenTextDocumentParams) -> None:
    doc = params.text_document
    ls.buffers[doc.uri] = Buffer(doc.text, doc.version)
    ls.published.pop(doc.uri, None)
    ls.schedule(doc.uri)


@server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
def _did_change(ls: PolicylintServer, params: t.DidChangeTextDocumentParams) -> None:
    doc = params.text_document
    buf = ls.buffers.get(doc.uri)
    if buf is None:
        return
    enc = ls.encoding
    for change in params.content_changes:
        if isinstance(change, t.TextDocumentContentChangePartial):
            r = change.range
            buf.edit(
                (r.start.line, r.start.character), (r.end.line, r.end.character), change.text, enc
            )
        else:
            buf.replace_all(change.text)
    buf.version = doc.version
    ls.schedule(doc.uri)


@server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
def _did_close(ls: PolicylintServer, params: t.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.buffers.pop(uri, None)
    if ls.published.pop(uri, None):
        ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    ls.schedule(uri)  # back to the file on disk (or gone)


@server.feature(t.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def _watched(ls: PolicylintServer, params: t.DidChangeWatchedFilesParams) -> None:
    for change in params.changes:
        if change.uri not in ls.buffers:
            ls.schedule(change.uri)


def _spot(ls: PolicylintServer, uri: str, pos: t.Position) -> Spot | None:
    buf = ls.buffers.get(uri)
    if buf is None or ls.session is None or ls.rel(uri) is None:
        return None
    line = buf.line(pos.line)
    col = from_units(line, pos.character, ls.encoding)
    return spot_at(Lines(buf), pos.line, col, uri.lower().endswith(".md"))


@server.feature(t.TEXT_DOCUMENT_HOVER)
def _hover(ls: PolicylintServer, params: t.HoverParams) -> t.Hover | None:
    spot = _spot(ls, params.text_document.uri, params.position)
    if spot is None or ls.session is None:
        return None
    text = hover(ls.session, spot)
    if not text:
        return None
    line = params.position.line
    buf = ls.buffers[params.text_document.uri]
    enc = ls.encoding
    src_line = buf.line(line)
    return t.Hover(
        contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value=f"```text\n{text}```"),
        range=t.Range(
            start=t.Position(line=line, character=to_units(src_line, spot.token_start, enc)),
            end=t.Position(line=line, character=to_units(src_line, spot.token_end, enc)),
        ),
    )


@server.feature(t.TEXT_DOCUMENT_DEFINITION)
def _definition(ls: PolicylintServer, params: t.DefinitionParams) -> t.Location | None:
    spot = _spot(ls, params.text_document.uri, params.position)
    if spot is None or ls.session is None:
        return None
    entity = definition(ls.session, spot)
    if entity is None:
        return None
    loc = entity.loc("id")
    if loc.path is None:
        return None
    line, col = loc.line - 1, loc.column - 1
    target = ls.uri(loc.path)
    buf = ls.buffers.get(target)
    text = buf.line(line) if buf is not None else _disk_line(ls, loc.path, line)
    char = to_units(text, col, ls.encoding)
    end = to_units(text, col + len(entity.id or ""), ls.encoding)
    return t.Location(
        uri=target,
        range=t.Range(
            start=t.Position(line=line, character=char), end=t.Position(line=line, character=end)
        ),
    )


def _disk_line(ls: PolicylintServer, rel: str, line: int) -> str:
    assert ls.root is not None
    path = ls.root / rel
    if not inside(ls.root, path) or not path.is_file():  # a FIFO would block the server
        return ""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for i, text in enumerate(fh):
                if i == line:
                    return text.rstrip("\r\n")
    except OSError:
        pass
    return ""


_COMPLETION_KIND = {
    "kind": t.CompletionItemKind.Class,
    "field": t.CompletionItemKind.Field,
    "id": t.CompletionItemKind.Reference,
}


@server.feature(t.TEXT_DOCUMENT_COMPLETION, t.CompletionOptions(trigger_characters=[":", " "]))
def _completion(ls: PolicylintServer, params: t.CompletionParams) -> t.CompletionList | None:
    spot = _spot(ls, params.text_document.uri, params.position)
    if spot is None or ls.session is None:
        return None
    limit = 200
    found = complete(ls.session, spot, params.text_document.uri.lower().endswith(".md"), limit)
    items = [
        t.CompletionItem(
            label=s.label,
            kind=_COMPLETION_KIND[s.what],
            detail=s.detail or None,
            insert_text=f"{s.label}: " if s.what == "field" else s.label,
        )
        for s in found
    ]
    return t.CompletionList(is_incomplete=len(found) >= limit, items=items)


@server.feature(
    t.TEXT_DOCUMENT_CODE_ACTION,
    t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix]),
)
def _code_action(ls: PolicylintServer, params: t.CodeActionParams) -> list[t.CodeAction] | None:
    uri = params.text_document.uri
    rel = ls.rel(uri)
    if ls.session is None or rel is None:
        return None
    first, last = params.range.start.line + 1, params.range.end.line + 1
    out: list[t.CodeAction] = []
    for d in ls.session.by_path().get(rel, []):
        fix = d.fix
        if fix is None or d.suppressed or not first <= d.line <= last:
            continue
        edit = fix.edit
        buf = ls.buffers.get(ls.uri(fix.file))
        enc = ls.encoding

        def line_of(n: int, buf: Buffer | None = buf, path: str = fix.file) -> str:
            return buf.line(n) if buf is not None else _disk_line(ls, path, n)

        sl, el = edit.line - 1, edit.end_line - 1
        text_edit = t.TextEdit(
            range=t.Range(
                start=t.Position(line=sl, character=to_units(line_of(sl), edit.column - 1, enc)),
                end=t.Position(line=el, character=to_units(line_of(el), edit.end_column - 1, enc)),
            ),
            new_text=edit.new,
        )
        out.append(
            t.CodeAction(
                title=f"policylint: {edit.old} → {edit.new}",
                kind=t.CodeActionKind.QuickFix,
                diagnostics=[ls.lsp_diagnostic(d, ls.buffers.get(uri))],
                is_preferred=True,
                edit=t.WorkspaceEdit(changes={ls.uri(fix.file): [text_edit]}),
            )
        )
    return out


def serve() -> None:
    """Run the server on stdin/stdout until the client says exit."""
    logging.basicConfig(level=logging.WARNING, format="policylint lsp: %(message)s")
    server.start_io()
