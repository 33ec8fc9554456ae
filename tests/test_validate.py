"""The compiled schema predicate must agree with jsonschema on every kind."""

from __future__ import annotations

import copy
import itertools
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from policylint.loader import read_source
from policylint.validate import compile_schema, kind_schema, known_kinds

from conftest import SAMPLE, run_lint

ODD_VALUES: list[Any] = [
    "",
    "x",
    "2026-04-01",
    "none",
    0,
    1,
    4,
    -1,
    1.5,
    2.0,
    True,
    False,
    None,
    [],
    ["none"],
    ["none", "admin-terminal"],
    [1],
    {},
    {"a": 1},
]


def _samples() -> list[tuple[str, Any, str]]:
    """(kind, instance, part) for every document and register item of the sample repository."""
    out = []
    for path in sorted(SAMPLE.rglob("*")):
        if path.suffix not in (".md", ".yaml"):
            continue
        value = read_source(SAMPLE, path.relative_to(SAMPLE).as_posix()).value
        if not isinstance(value, dict) or "kind" not in value:
            continue
        schema = kind_schema(value["kind"])
        assert schema is not None
        if schema.is_register:
            out.append((value["kind"], {k: v for k, v in value.items() if k != "items"}, "shell"))
            out.extend((value["kind"], item, "item") for item in value["items"])
        else:
            out.append((value["kind"], value, "file"))
    return out


def _mutations(instance: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for key, odd in itertools.product(sorted(instance), ODD_VALUES):
        mutated = copy.deepcopy(instance)
        mutated[key] = odd
        out.append(mutated)
    for key in sorted(instance):
        mutated = copy.deepcopy(instance)
        del mutated[key]
        out.append(mutated)
        inner = instance[key]
        if isinstance(inner, list) and inner and isinstance(inner[0], dict):
            inner = inner[0]
            nested = [(key, 0)]
        else:
            nested = [(key,)] if isinstance(inner, dict) else []
        for path in nested:
            for sub, odd in itertools.product(sorted(inner), ODD_VALUES):
                mutated = copy.deepcopy(instance)
                target = mutated
                for step in path:
                    target = target[step]
                target[sub] = odd
                out.append(mutated)
    return out


@pytest.mark.parametrize("kind", known_kinds())
def test_every_kind_schema_compiles(kind: str) -> None:
    schema = kind_schema(kind)
    assert schema is not None
    for part in ("item", "shell") if schema.is_register else ("file",):
        compile_schema(schema.part(part))


def test_fast_predicate_agrees_with_jsonschema() -> None:
    checked = 0
    for kind, instance, part in _samples():
        schema = kind_schema(kind)
        assert schema is not None
        fast = compile_schema(schema.part(part))
        slow = Draft202012Validator(schema.part(part))
        for candidate in [instance, *_mutations(instance)]:
            assert fast(candidate) == slow.is_valid(candidate), (kind, part, candidate)
            checked += 1
    assert checked > 10_000


def test_compiled_predicate_refuses_what_it_cannot_handle() -> None:
    from policylint.validate import Unsupported

    with pytest.raises(Unsupported):
        compile_schema({"oneOf": [{"type": "string"}]})
    with pytest.raises(Unsupported):
        compile_schema({"$ref": "#/$defs/text"})


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"lang": "ja"},
        {"lang": "fr"},
        {"langs": "ja"},
        {"checks": {"II.4": {"severity": "x"}}},
        {"checks": {"II.4": {"severity": "off", "interval_months": 3}}},
        {"include": "a"},
        {"max_file_bytes": 0},
        {"checks": {"II.4": 1}},
    ],
)
def test_config_schema_predicate_agrees_with_jsonschema(config: dict[str, Any]) -> None:
    import json

    from policylint.resources import data_dir

    schema = json.loads((data_dir("schemas") / "config.schema.json").read_text(encoding="utf-8"))
    assert compile_schema(schema)(config) == Draft202012Validator(schema).is_valid(config)


def test_sample_has_every_kind() -> None:
    assert {k for k, _, _ in _samples()} == set(known_kinds())


def test_a_bad_register_row_is_explained_at_its_place(tmp_path: Path) -> None:
    rows = "".join(
        f"  - id: a{i}\n    name: asset {i}\n    cia: {{confidentiality: {5 if i == 7 else 2}}}\n"
        for i in range(20)
    )
    (tmp_path / "assets.yaml").write_text("kind: assets\nitems:\n" + rows, encoding="utf-8")
    result = run_lint(tmp_path)
    [d] = [d for d in result.diagnostics if d.check_id == "policylint/schema"]
    assert (d.path, d.line, d.column, d.target) == ("assets.yaml", 2 + 3 * 7 + 3, 28, "a7")
    assert d.message == "items[7].cia.confidentiality: 5 is out of range (maximum 3)"


def test_a_mistyped_value_gets_one_message_in_yaml_words(tmp_path: Path) -> None:
    (tmp_path / "people.yaml").write_text(
        "kind: people\nitems:\n  - id: a\n    status: 1.10\n    roles: ciso\n", encoding="utf-8"
    )
    result = run_lint(tmp_path)
    schema = [(d.line, d.message) for d in result.diagnostics if d.check_id == "policylint/schema"]
    assert schema == [
        (4, "items[0].status: expected string, found number 1.10"),
        (5, "items[0].roles: expected list, found string ciso"),
    ]
