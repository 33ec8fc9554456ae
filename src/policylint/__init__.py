"""policylint: a policy-as-code linter for governance repositories."""

from __future__ import annotations

import time

STARTED = time.perf_counter()
"""When policylint was first imported: ``--stats`` accounts for the whole run from here."""

__version__ = "0.1.0"
