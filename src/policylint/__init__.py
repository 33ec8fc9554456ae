"""policylint: a policy-as-code linter for governance repositories."""

from __future__ import annotations

__version__ = "0.1.0"
