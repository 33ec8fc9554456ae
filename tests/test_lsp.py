"""End to end: pygls' LSP client drives ``policylint lsp`` as a subprocess over stdio.

One server per test module would couple the tests; each test starts its own (about a second).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from lsprotocol import types as t

from conftest import ASSETS, PEOPLE
from lsp_client import Editor


def drive(root: Path, script: Callable[[Editor], Awaitable[None]]) -> None:
    async def main() -> None:
        editor = Editor(root)
        await editor.start()
        try:
            await script(editor)
        finally:
            await editor.stop()

    asyncio.run(main())


def codes(diags: list[t.Diagnostic]) -> list[tuple[str, int]]:
    return sorted((str(d.code), d.range.start.line + 1) for d in diags)


def test_a_finding_appears_and_disappears_as_the_user_types(sample: Path) -> None:
    async def script(ed: Editor) -> None:
        assert await ed.open(ASSETS) == []
        since = ed.replace(ASSETS, "owner: p-watanabe-takuya", "owner: p-nobody")
        diags = await ed.wait_for(ASSETS, since)
        line = ed.texts[ASSETS][: ed.texts[ASSETS].index("p-nobody")].count("\n") + 1
        assert codes(diags) == [("II.4.1.1/asset-owner", line)]
        (d,) = diags
        assert d.source == "policylint"
        assert d.severity == t.DiagnosticSeverity.Error
        assert d.message.startswith("[II.4.1.1] asset '")
        assert "'p-nobody'" in d.message
        assert "\nfix: " in d.message
        assert d.range.start.character == len("    owner: ")
        since = ed.replace(ASSETS, "owner: p-nobody", "owner: p-watanabe-takuya")
        assert await ed.wait_for(ASSETS, since) == []

    drive(sample, script)


def test_a_cross_file_finding_updates_in_every_open_file(sample: Path) -> None:
    async def script(ed: Editor) -> None:
        assert await ed.open(ASSETS) == []
        assert await ed.open(PEOPLE) == []
        # the owner of an asset leaves: the asset (another file) now has an owner who left
        text = ed.texts[PEOPLE]
        nth = text[: text.index("id: p-watanabe-takuya")].count("status: active") + 1
        since = ed.replace(PEOPLE, "status: active", "status: terminated", nth)
        diags = await ed.wait_for(ASSETS, since)
        owner_line = ed.texts[ASSETS][: ed.texts[ASSETS].index("p-watanabe-takuya")].count("\n")
        assert ("II.4.1.1/asset-owner", owner_line + 1) in codes(diags)
        assert any("no longer works here" in d.message for d in diags)
        since = ed.replace(PEOPLE, "status: terminated", "status: active")
        assert await ed.wait_for(ASSETS, since) == []

    drive(sample, script)
