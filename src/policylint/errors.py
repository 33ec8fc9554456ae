"""policylint's own exceptions: one small hierarchy, caught once in the CLI."""

from __future__ import annotations


class PolicylintError(Exception):
    """Base of the tool's own errors; the CLI turns them into exit code 2."""


class UsageError(PolicylintError):
    """Bad command line or configuration: a one-line message, exit code 2.

    ``ja``: the message in Japanese, printed when that is the user's language."""

    def __init__(self, message: str, ja: str | None = None) -> None:
        super().__init__(message)
        self.ja = ja
        self.lang: str | None = None
        """The language of the configuration that was being read (``lang:``), when known: the
        language of the message unless ``--lang`` says otherwise."""

    def text(self, lang: str) -> str:
        return self.ja if lang == "ja" and self.ja else str(self)
