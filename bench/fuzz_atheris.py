"""Coverage-guided fuzzing of the loader and the configuration reader (atheris, libFuzzer).

Not part of the test run: atheris is not a dependency (``pip install atheris``; it has wheels for
CPython 3.11 on Linux). Each input is

- read as a governance file by :func:`policylint.loader.read_source`, as YAML and as Markdown
  (front matter and headings): it must never raise, whatever the bytes;
- read as ``policylint.yaml`` and as ``pyproject.toml`` by :func:`policylint.config.load_config`:
  it may only raise :class:`~policylint.errors.UsageError` (a one-line message, exit 2).

Any other exception is a crash: libFuzzer stops, prints the traceback and writes the input to
``crash-…``; add it to ``tests/hostile/`` with its expected outcome, then fix the code.

    python bench/fuzz_atheris.py -runs=200000 bench/fuzz-corpus      # a fixed budget of inputs
    python bench/fuzz_atheris.py -max_total_time=600 bench/fuzz-corpus

``bench/fuzz-corpus`` (created if missing, not committed) starts from the hostile corpus and the
sample repository and keeps the inputs that reached new code.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from policylint import config, loader
    from policylint.errors import UsageError

ROOT = Path(tempfile.mkdtemp(prefix="policylint-fuzz-"))
HERE = Path(__file__).resolve().parent
SEEDS = [HERE.parent / "tests" / "hostile" / "cases", HERE.parent / "sample-repo"]


def one_input(data: bytes) -> None:
    for name in ("doc.md", "register.yaml"):
        (ROOT / name).write_bytes(data)
        source = loader.read_source(ROOT, name)
        if name == "doc.md":
            source.headings()
    for name in ("policylint.yaml", "pyproject.toml"):
        (ROOT / name).write_bytes(data)
        with contextlib.suppress(UsageError):
            config.load_config(ROOT)
        (ROOT / name).unlink()


def _seed(corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    for folder in SEEDS:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink() and path.stat().st_size < 64 * 1024:
                shutil.copy(path, corpus / f"seed-{len(os.listdir(corpus))}")


def main() -> None:
    corpora = [Path(a) for a in sys.argv[1:] if not a.startswith("-")]
    for corpus in corpora:
        _seed(corpus)
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
