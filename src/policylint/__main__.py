from __future__ import annotations

from policylint.cli import entry

entry()
