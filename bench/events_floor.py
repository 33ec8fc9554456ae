"""The events floor: the least YAML work there is.

Reads every ``.md``/``.yaml``/``.yml`` file once, cuts the front matter out of Markdown, and lets
PyYAML's C parser (libyaml) produce the event stream of every YAML text, doing nothing with the
events. No node tree, no values, no schema, no Markdown body: any linter that reads every file
does at least this much. Prints elapsed time and the file count.

    python bench/events_floor.py PATH
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

import yaml
from floor import walk


def run(root: Path) -> tuple[int, int]:
    files = events = 0
    for path in walk(root):
        files += 1
        text = path.read_text("utf-8")
        if path.suffix == ".md":
            end = text.find("\n---\n", 3) if text.startswith("---\n") else -1
            text = text[4 : end + 1] if end != -1 else ""
        if not text:
            continue
        try:
            for _ in yaml.parse(text, Loader=yaml.CSafeLoader):
                events += 1
        except yaml.YAMLError:
            pass
    return files, events


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    gc.disable()
    files, events = run(Path(args[0]))
    print(f"events floor: {files} files, {events} events, {time.perf_counter() - t0:.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
