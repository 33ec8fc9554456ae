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


def test_hover_completion_definition_and_a_quick_fix(sample: Path) -> None:
    async def script(ed: Editor) -> None:
        assert await ed.open(ASSETS) == []
        client, uri = ed.client, ed.uri(ASSETS)
        doc = t.TextDocumentIdentifier(uri=uri)

        async def hover(needle: str, offset: int = 0) -> str:
            pos = ed.position(ASSETS, needle, offset)
            found = await client.text_document_hover_async(t.HoverParams(doc, pos))
            assert found is not None and isinstance(found.contents, t.MarkupContent)
            return found.contents.value

        # a field: what `policylint explain assets.owner` says
        text = await hover("    owner: p-watanabe-takuya", 5)
        assert "assets.owner" in text and "II.4.1.1/asset-owner" in text
        # a kind, and an id (what it names, and where)
        assert "Asset inventory" in await hover("kind: assets", 7)
        assert "p-watanabe-takuya  (people)\n渡辺 拓也\nregisters/people.yaml:70" in await hover(
            "p-watanabe-takuya", 2
        )

        pos = ed.position(ASSETS, "p-watanabe-takuya", 2)
        (loc,) = [await client.text_document_definition_async(t.DefinitionParams(doc, pos))]
        assert isinstance(loc, t.Location)
        assert loc.uri == ed.uri(PEOPLE) and loc.range.start.line == 69

        async def complete(needle: str, offset: int) -> dict[str, str | None]:
            pos = ed.position(ASSETS, needle, offset)
            found = await client.text_document_completion_async(t.CompletionParams(doc, pos))
            assert isinstance(found, t.CompletionList)
            return {i.label: i.detail for i in found.items}

        # ids where the field takes a reference (a person or a role), with their names
        ids = await complete("owner: p-watanabe-takuya", len("owner: p-wat"))
        assert ids == {"p-watanabe-takuya": "people: 渡辺 拓也"}
        assert "cio" in await complete("owner: p-watanabe-takuya", len("owner: "))
        # field names of the kind, and kinds
        assert set(await complete("    name:", 6)) == {"name"}
        assert {"assets", "people", "roles"} <= set(await complete("kind: assets", 6))

        # a misspelt field with exactly one near match: the finding carries a quick fix
        since = ed.replace(ASSETS, "    license:", "    licence:")
        diags = await ed.wait_for(ASSETS, since)
        (diag,) = [d for d in diags if d.code == "policylint/unknown-field"]
        assert "did you mean 'license'?" in diag.message
        actions = await client.text_document_code_action_async(
            t.CodeActionParams(doc, diag.range, t.CodeActionContext(diagnostics=[diag]))
        )
        assert actions is not None
        (action,) = actions
        assert isinstance(action, t.CodeAction) and action.edit and action.edit.changes
        (edit,) = action.edit.changes[uri]
        assert edit.new_text == "license"
        assert edit.range.start == ed.position(ASSETS, "licence:")

    drive(sample, script)


def test_a_line_added_to_an_asset_moves_what_the_editor_shows_below_it(sample: Path) -> None:
    """In a register large enough for the server to parse an edited item alone: typing Enter
    to add a field moves the findings below it down one line, with their quick fix, and go
    to definition finds an asset below at its new line; deleting the line moves them back."""
    path = sample / ASSETS
    text = path.read_text(encoding="utf-8")
    last = text[text.index("  - id: as-product-site") :]
    copies = [last.replace("as-product-site", f"as-site-{i}") for i in range(300)]
    path.write_text(text + "\n" + "\n".join(copies), encoding="utf-8")
    review = "records/reviews/2026-10-support-assets.md"

    async def script(ed: Editor) -> None:
        await ed.open(ASSETS)
        since = ed.replace(ASSETS, "    license: サポートデスク", "    licence: サポートデスク")
        misspelt = ed.position(ASSETS, "licence:").line + 1
        below = codes(await ed.wait_for(ASSETS, since))
        assert ("policylint/unknown-field", misspelt) in below
        start = ed.position(ASSETS, "  - id: as-evidence-files").line + 1
        since = ed.replace(
            ASSETS, "  - id: as-evidence-files\n", "  - id: as-evidence-files\n    notes: x\n"
        )
        diags = await ed.wait_for(ASSETS, since)
        assert codes(diags) == [(c, n + 1 if n > start else n) for c, n in below]
        (diag,) = [d for d in diags if d.code == "policylint/unknown-field"]
        actions = await ed.client.text_document_code_action_async(
            t.CodeActionParams(
                t.TextDocumentIdentifier(uri=ed.uri(ASSETS)),
                diag.range,
                t.CodeActionContext(diagnostics=[diag]),
            )
        )
        assert actions is not None
        (action,) = actions
        assert isinstance(action, t.CodeAction) and action.edit and action.edit.changes
        (edit,) = action.edit.changes[ed.uri(ASSETS)]
        assert (edit.new_text, edit.range.start) == ("license", ed.position(ASSETS, "licence:"))
        await ed.open(review)
        pos = ed.position(review, "as-support-tickets", 3)
        found = await ed.client.text_document_definition_async(
            t.DefinitionParams(t.TextDocumentIdentifier(uri=ed.uri(review)), pos)
        )
        assert isinstance(found, t.Location) and found.uri == ed.uri(ASSETS)
        assert found.range.start.line == ed.position(ASSETS, "id: as-support-tickets").line
        since = ed.replace(
            ASSETS, "  - id: as-evidence-files\n    notes: x\n", "  - id: as-evidence-files\n"
        )
        assert codes(await ed.wait_for(ASSETS, since)) == below

    drive(sample, script)
