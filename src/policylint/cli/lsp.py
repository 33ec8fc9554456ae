"""``policylint lsp``: the language server for editors, over stdio (see docs/editors.md)."""

from __future__ import annotations

import click

from policylint.cli import guarded, main
from policylint.errors import UsageError


@main.command()
@click.option(
    "--stdio", is_flag=True, help="Talk over stdin/stdout (the default, and the only way)."
)
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def lsp(stdio: bool, debug: bool) -> None:
    """Run the language server (diagnostics as you type, hover, completion, definitions, fixes).

    An editor starts it and talks to it over stdin/stdout; the repository is the editor's
    workspace folder. See docs/editors.md for VS Code, Neovim and Emacs.
    """
    try:
        from policylint.lsp.server import serve
    except ImportError as exc:  # pygls is a dependency; a broken install should still say so
        raise UsageError(
            f"the language server needs pygls ({exc}); install it with: pip install 'pygls>=2'"
        ) from None
    serve()
