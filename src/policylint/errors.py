"""policylint's own exceptions: one small hierarchy, caught once in the CLI."""

from __future__ import annotations


class PolicylintError(Exception):
    """Base of the tool's own errors; the CLI turns them into exit code 2."""


class UsageError(PolicylintError):
    """Bad command line or configuration: a one-line message, exit code 2."""
