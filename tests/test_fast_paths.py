"""The quick passes that let a large repository be checked fast must never hide a finding.

Each check that runs over every row has a quick test that clears a complete, clean row with a
few set or C-level operations and hands anything else to the check proper. These tests seed the
cases a quick test could get wrong (a falsy value that is not empty, a mapping where a text is
expected, a finding deep in a nested mapping or in a list of mappings, the same value in many
rows) and assert the exact findings; the compiled schema predicate is compared with jsonschema
on whole lists of rows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from policylint.primitives import all_filled
from policylint.validate import compile_schema, kind_schema

from conftest import ASSETS, PEOPLE, line_of, run_lint, triples

Edit = Callable[[Path, str, str], None]

FIRST_ASSET_CIA = "    cia: {confidentiality: 3, integrity: 3, availability: 3}\n"


# -- required_fields ----------------------------------------------------------------------------


def test_quick_test_of_required_fields_clears_only_filled_fields() -> None:
    complete = all_filled([("a",), ("b",), ("p", "x"), ("p", "y")])
    assert complete({"a": "1", "b": [1], "p": {"x": 1, "y": {"k": 1}}})
    assert not complete({"a": "1", "b": [1], "p": {"x": 1}})  # missing
    assert not complete({"a": "1", "b": [], "p": {"x": 1, "y": 2}})  # empty
    assert not complete({"a": 0, "b": [1], "p": {"x": 1, "y": 2}})  # falsy: looked at closer
    assert not complete({"a": "1", "b": [1], "p": "x and y"})  # not a mapping
    assert not complete({"a": "1", "b": [1], "p": ["x", "y"]})
    assert not complete({"a": "1", "b": [1], "p": None})
    assert not all_filled([("a", "b", "c")])({"a": {"b": {"c": 1}}})  # deeper: the long way
    assert all_filled([("only",)])({"only": "x"})


def test_a_falsy_value_is_a_value_not_a_missing_field(sample: Path, edit: Edit) -> None:
    edit(sample / ASSETS, "    country: JP\n", "    country: JP\n    license_note: x\n")
    edit(sample / ASSETS, "    license: PostgreSQL License（OSS）\n", "    license: 0\n")
    edit(sample / ASSETS, FIRST_ASSET_CIA, "    cia: {confidentiality: 0, integrity: 3}\n")
    result = run_lint(sample)
    # 0 is the wrong type or out of range (schema), but it is there: only availability is missing
    assert triples(result) == [
        ("II.4.1.1/asset-cia", ASSETS, line_of(sample / ASSETS, "- id: as-customer-db")),
        ("policylint/schema", ASSETS, line_of(sample / ASSETS, "license: 0")),
        ("policylint/schema", ASSETS, line_of(sample / ASSETS, "confidentiality: 0")),
    ]
    assert result.active[0].message == (
        "asset 'as-customer-db' has no protection level for: cia.availability"
    )


def test_nested_fields_under_a_text_or_empty_values_are_missing(sample: Path, edit: Edit) -> None:
    edit(sample / ASSETS, FIRST_ASSET_CIA, "    cia: 高\n")
    edit(
        sample / ASSETS,
        "      users: 当該利用者が許可したユーザ\n",
        '      users: ""\n      method_note: x\n',
    )
    result = run_lint(sample)
    first = line_of(sample / ASSETS, "- id: as-customer-db")
    third = line_of(sample / ASSETS, "- id: as-evidence-files")
    assert triples(result) == [
        ("II.4.1.1/asset-cia", ASSETS, first),
        ("policylint/schema", ASSETS, line_of(sample / ASSETS, "cia: 高")),
        ("II.4.1.1/asset-acceptable-use", ASSETS, third),
    ]
    assert [d.message for d in result.active if d.check_id != "policylint/schema"] == [
        "asset 'as-customer-db' has no protection level for: "
        "cia.confidentiality, cia.integrity, cia.availability",
        "asset 'as-evidence-files' does not document its acceptable use: acceptable_use.users",
    ]


# -- unknown fields -----------------------------------------------------------------------------


def test_a_misspelt_field_is_found_however_deep(sample: Path, edit: Edit) -> None:
    edit(sample / ASSETS, "last_reviewed: 2026-10-09", "last_reviewd: 2026-10-09")  # the shell
    edit(sample / ASSETS, FIRST_ASSET_CIA, FIRST_ASSET_CIA.replace("integrity", "integrty"))
    edit(sample / PEOPLE, "        completed_on: 2026-06-12", "        complted_on: 2026-06-12")
    # beside fields the convention does not define and that are no near miss (name, department)
    edit(sample / PEOPLE, "    nda_signed_on: 2018-04-02", "    nda_signd_on: 2018-04-02")
    result = run_lint(sample)
    near = [(d.path, d.line, d.message) for d in result.active if d.check_id.endswith("field")]
    assert near == [
        (
            ASSETS,
            line_of(sample / ASSETS, "last_reviewd"),
            "'last_reviewd' is not a field of kind assets; did you mean 'last_reviewed'? As "
            "written it is ignored, so nothing it says is checked",
        ),
        (
            ASSETS,
            line_of(sample / ASSETS, "integrty"),
            "'integrty' is not a field of kind assets; did you mean 'integrity'? As written it "
            "is ignored, so nothing it says is checked",
        ),
        (
            PEOPLE,
            line_of(sample / PEOPLE, "nda_signd_on"),
            "'nda_signd_on' is not a field of kind people; did you mean 'nda_signed_on'? As "
            "written it is ignored, so nothing it says is checked",
        ),
        (
            PEOPLE,
            line_of(sample / PEOPLE, "complted_on"),
            "'complted_on' is not a field of kind people; did you mean 'completed_on'? As "
            "written it is ignored, so nothing it says is checked",
        ),
    ]


# -- placeholders and references: values that recur from row to row ----------------------------


def test_the_same_placeholder_in_many_rows_is_reported_in_each(sample: Path, edit: Edit) -> None:
    text = (sample / ASSETS).read_text(encoding="utf-8")
    (sample / ASSETS).write_text(text.replace("    country: JP\n", "    country: TBD\n", 3))
    lines = [i for i, line in enumerate(text.splitlines(), 1) if line == "    country: JP"][:3]
    result = run_lint(sample)
    placeholders = [
        (d.check_id, d.path, d.line) for d in result.active if "placeholder" in d.check_id
    ]
    assert placeholders == [("policylint/placeholder", ASSETS, line) for line in lines]


def test_the_same_unknown_owner_in_two_rows_is_reported_twice(sample: Path, edit: Edit) -> None:
    for _ in range(2):
        edit(sample / ASSETS, "    owner: cio\n", "    owner: ghost-owner\n")
    result = run_lint(sample)
    lines = [
        i
        for i, line in enumerate((sample / ASSETS).read_text(encoding="utf-8").splitlines(), 1)
        if line == "    owner: ghost-owner"
    ]
    owners = [(d.check_id, d.line) for d in result.active if d.check_id == "II.4.1.1/asset-owner"]
    assert owners == [("II.4.1.1/asset-owner", line) for line in lines] and len(lines) == 2
    assert "'ghost-owner'" in result.active[0].message


# -- the compiled schema predicate on many rows -------------------------------------------------

ROW_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z]+$"},
        "n": {"type": "integer", "minimum": 1, "maximum": 3},
        "x": {"type": "number", "maximum": 2.5},
        "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
        "codes": {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]{2}$"}},
        "grid": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
        "nums": {"type": "array", "items": {"type": "integer", "minimum": 0}},
        "kind": {"enum": ["p", "q", 1]},
        "sub": {
            "type": "object",
            "properties": {"k": {"type": ["string", "null"]}},
            "additionalProperties": False,
        },
        "any": {"description": "anything"},
    },
}
GOOD_ROW: dict[str, Any] = {
    "id": "abc",
    "n": 2,
    "x": 1.5,
    "tags": ["a", "b"],
    "codes": ["JP", "US"],
    "grid": [[1], [2, 3]],
    "nums": [0, 5],
    "kind": "p",
    "sub": {"k": None},
    "any": [{"z": 1}],
}
BAD_VALUES: dict[str, list[Any]] = {
    "id": ["ABC", "", 1, None],
    "n": [0, 4, 2.0, 2.5, True, "2"],
    "x": [3, 2.6, True, "1"],
    "tags": [["c"], ["a", 1], "a", [None]],
    "codes": [["jp"], ["JPN"], [1]],
    "grid": [[[1.5]], [1], [["1"]], [[True]]],
    "nums": [[-1], [1.0], [False]],
    "kind": ["r", True, 1.5, None],
    "sub": [{"k": 1}, {"j": "x"}, "k", []],
}
FINE_VALUES: dict[str, list[Any]] = {
    "n": [1, 3],
    "x": [2, 2.5, -1],
    "tags": [[]],
    "grid": [[], [[]]],
    "nums": [[], [0]],
    "kind": ["q", 1, 1.0],
    "sub": [{}, {"k": "v"}],
    "any": [None, 1, "x"],
}


def _rows() -> list[list[Any]]:
    """Lists of rows: good ones with one row made bad or odd at one field, or made no mapping."""
    out: list[list[Any]] = [[], [GOOD_ROW], [GOOD_ROW, {"id": "z"}]]
    for values in (BAD_VALUES, FINE_VALUES):
        for name, choices in values.items():
            for value in choices:
                out.append([GOOD_ROW, {**GOOD_ROW, name: value}, GOOD_ROW])
    out.append([GOOD_ROW, {k: v for k, v in GOOD_ROW.items() if k != "id"}])
    out.append([GOOD_ROW, "not a mapping"])
    out.append([GOOD_ROW, None])
    return out


@pytest.mark.parametrize("rows", _rows())
def test_compiled_predicate_agrees_with_jsonschema_on_lists_of_rows(rows: list[Any]) -> None:
    schema = {"type": "object", "properties": {"items": {"type": "array", "items": ROW_SCHEMA}}}
    document = {"items": rows}
    assert compile_schema(schema)(document) is Draft202012Validator(schema).is_valid(document)
    for row in rows:
        assert compile_schema(ROW_SCHEMA)(row) is Draft202012Validator(ROW_SCHEMA).is_valid(row)


def test_compiled_predicate_agrees_with_jsonschema_on_a_whole_register() -> None:
    schema = kind_schema("assets")
    assert schema is not None
    rows: list[Any] = [
        {"id": "as-1", "cia": {"confidentiality": 1, "integrity": 3, "availability": 2}},
        {"id": "as-2", "hosted_by": ["ep-1", "ep-2"], "country": "JP"},
    ]
    odd: list[tuple[str, Any]] = [
        ("cia", {"confidentiality": 4}),
        ("cia", {"integrity": 2.0}),
        ("hosted_by", ["ep-1", 2]),
        ("country", "jp"),
        ("id", "-x"),
        ("owner", 1),
    ]
    whole = schema.part("file")
    for name, value in odd:
        register = {"kind": "assets", "items": [*rows, {**rows[0], name: value}]}
        expected = Draft202012Validator(whole).is_valid(register)
        assert compile_schema(whole)(register) is expected, (name, value)
    assert compile_schema(whole)({"kind": "assets", "items": rows}) is True
