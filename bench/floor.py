"""The parse floor: the least work any linter of a governance repository must do.

Reads every ``.md``/``.yaml``/``.yml`` file once; composes YAML (registers and Markdown front
matter) with the C loader and builds values from that node tree (the nodes stay alive, as a
linter keeps them for line numbers); validates each file against ``schemas/kinds/<kind>``; parses
every Markdown body with markdown-it (CommonMark). Prints elapsed time and the file count.

    python bench/floor.py PATH
"""

from __future__ import annotations

import gc
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas" / "kinds"
SKIP_DIRS = {"node_modules"}
_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)")
_FLOAT = re.compile(r"[-+]?([0-9][0-9_]*)?\.?[0-9]+([eE][-+]?[0-9]+)?")
_NULLS = {"", "~", "null", "Null", "NULL"}
_SPECIAL_START = frozenset("0123456789+-.~nNtTfF")

Validator = Callable[[Any], Any]


def plain(text: str) -> Any:
    """YAML 1.2-like resolution of a plain scalar (see docs/architecture.md)."""
    if text and text[0] not in _SPECIAL_START:
        return text  # fast path: most values are words
    if text in _NULLS:
        return None
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    if _INT.fullmatch(text):
        return int(text.replace("_", ""))
    if _FLOAT.fullmatch(text) and any(c.isdigit() for c in text):
        return float(text.replace("_", ""))
    return text


def construct(node: yaml.Node) -> Any:
    """Build plain Python values from a composed node tree (last duplicate key wins)."""
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.style else plain(node.value)  # plain style: None or ""
    if isinstance(node, yaml.SequenceNode):
        return [construct(n) for n in node.value]
    if isinstance(node, yaml.MappingNode):
        return {str(construct(k)): construct(v) for k, v in node.value}
    raise TypeError(node)


def walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS)
        for name in sorted(filenames):
            if name.endswith((".md", ".yaml", ".yml")):
                yield Path(dirpath, name)


def load_validators() -> dict[str, Validator]:
    try:
        import fastjsonschema

        def compile_fast(schema: dict[str, Any]) -> Validator:
            schema = {k: v for k, v in schema.items() if k != "$schema"}  # it knows drafts 4-7
            return fastjsonschema.compile(schema)

        compile_: Callable[[dict[str, Any]], Validator] = compile_fast
    except ImportError:
        import jsonschema

        def compile_slow(schema: dict[str, Any]) -> Validator:
            validator: Any = jsonschema.validators.validator_for(schema)(schema)
            return validator.iter_errors  # type: ignore[no-any-return]

        compile_ = compile_slow
    out: dict[str, Validator] = {}
    for f in sorted(SCHEMAS.glob("*.schema.json")) if SCHEMAS.is_dir() else []:
        out[f.name.removesuffix(".schema.json")] = compile_(json.loads(f.read_text("utf-8")))
    return out


def validate(validators: dict[str, Validator], value: Any) -> int:
    """Validate one file's top-level value; returns the number of errors found (0 or more)."""
    if not isinstance(value, dict) or (check := validators.get(str(value.get("kind")))) is None:
        return 0
    try:
        result = check(value)
    except Exception:  # fastjsonschema raises on the first error
        return 1
    return len(list(result)) if result is not None and not isinstance(result, dict) else 0


def run(root: Path) -> tuple[int, int, list[yaml.Node]]:
    validators = load_validators()
    md = MarkdownIt("commonmark")
    nodes: list[yaml.Node] = []  # kept alive as a linter keeps them for line marks
    files = errors = 0
    for path in walk(root):
        files += 1
        text = path.read_text("utf-8")
        body = None
        if path.suffix == ".md":
            body = text
            if text.startswith("---\n"):
                end = text.find("\n---\n", 3)
                if end != -1:
                    text, body = text[4 : end + 1], text[end + 5 :]
                else:
                    text = ""
            else:
                text = ""
        if text:
            try:
                node = yaml.compose(text, Loader=yaml.CSafeLoader)
            except yaml.YAMLError:
                errors += 1
                node = None
            if node is not None:
                nodes.append(node)
                errors += validate(validators, construct(node))
        if body is not None:
            md.parse(body)
    return files, errors, nodes


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    gc.disable()  # the cyclic GC triples YAML load time on large registers
    files, errors, _nodes = run(Path(args[0]))
    elapsed = time.perf_counter() - t0
    print(f"floor: {files} files, {errors} schema/parse errors, {elapsed:.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
