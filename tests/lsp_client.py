"""A real LSP client (pygls') driving ``policylint lsp`` as a subprocess over stdio.

Used by tests/test_lsp.py and bench/lsp_latency.py. :class:`Editor` opens and edits files
like an editor does (incremental changes) and waits for the server's publishDiagnostics.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient


class Editor:
    def __init__(self, root: Path, options: dict[str, Any] | None = None) -> None:
        self.root = root.resolve()
        self.options = {"asOf": "2026-11-01", "lang": "en", **(options or {})}
        self.client = LanguageClient("policylint-tests", "1")
        self.diagnostics: dict[str, list[t.Diagnostic]] = {}
        self.arrived: dict[str, float] = {}
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self._event = asyncio.Event()

        @self.client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def _published(params: t.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = list(params.diagnostics)
            self.arrived[params.uri] = time.perf_counter()
            self._event.set()

        @self.client.feature(t.WINDOW_SHOW_MESSAGE)
        def _message(params: t.ShowMessageParams) -> None:
            self.messages.append(params.message)

        self.messages: list[str] = []

    def uri(self, rel: str) -> str:
        return (self.root / rel).as_uri()

    async def start(self) -> None:
        await self.client.start_io(sys.executable, "-m", "policylint", "lsp")
        await self.client.initialize_async(
            t.InitializeParams(
                capabilities=t.ClientCapabilities(),
                root_uri=self.root.as_uri(),
                workspace_folders=[t.WorkspaceFolder(uri=self.root.as_uri(), name="repo")],
                initialization_options=self.options,
            )
        )
        self.client.initialized(t.InitializedParams())

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()

    async def wait_for(self, rel: str, since: float, timeout: float = 120.0) -> list[t.Diagnostic]:
        """The diagnostics of ``rel`` published after ``since`` (perf_counter)."""
        uri = self.uri(rel)
        deadline = time.perf_counter() + timeout
        while self.arrived.get(uri, -1.0) < since:
            self._event.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"no diagnostics for {rel}")
            try:
                await asyncio.wait_for(self._event.wait(), remaining)
            except asyncio.TimeoutError:
                raise TimeoutError(f"no diagnostics for {rel}") from None
        return self.diagnostics[uri]

    async def open(self, rel: str) -> list[t.Diagnostic]:
        text = (self.root / rel).read_text(encoding="utf-8")
        self.texts[rel] = text
        self.versions[rel] = 1
        since = time.perf_counter()
        self.client.text_document_did_open(
            t.DidOpenTextDocumentParams(
                t.TextDocumentItem(uri=self.uri(rel), language_id="yaml", version=1, text=text),
            )
        )
        return await self.wait_for(rel, since)

    def replace(self, rel: str, old: str, new: str, nth: int = 1) -> float:
        """Replace the ``nth`` occurrence of ``old`` by ``new``, as one incremental change;
        returns when it was sent."""
        text = self.texts[rel]
        pos = -1
        for _ in range(nth):
            pos = text.index(old, pos + 1)
        end = pos + len(old)
        self.texts[rel] = text[:pos] + new + text[end:]
        self.versions[rel] += 1
        change = t.TextDocumentContentChangePartial(
            range=t.Range(
                start=t.Position(line=text.count("\n", 0, pos), character=_column(text, pos)),
                end=t.Position(line=text.count("\n", 0, end), character=_column(text, end)),
            ),
            text=new,
        )
        since = time.perf_counter()
        self.client.text_document_did_change(
            t.DidChangeTextDocumentParams(
                t.VersionedTextDocumentIdentifier(uri=self.uri(rel), version=self.versions[rel]),
                [change],
            )
        )
        return since

    def position(self, rel: str, needle: str, offset: int = 0) -> t.Position:
        text = self.texts[rel]
        pos = text.index(needle) + offset
        line = text.count("\n", 0, pos)
        return t.Position(line=line, character=pos - (text.rfind("\n", 0, pos) + 1))


def _column(text: str, pos: int) -> int:
    """The character of ``pos`` on its line (the tests' texts are all in the BMP: characters
    and UTF-16 code units are the same)."""
    return pos - (text.rfind("\n", 0, pos) + 1)
