"""Where the rule packs and schemas live: inside the wheel, or beside ``src/`` in a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def data_dir(name: str) -> Path:
    """The ``rules`` or ``schemas`` folder shipped with policylint."""
    packaged = Path(__file__).parent / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"policylint's {name}/ folder is missing from this installation")
