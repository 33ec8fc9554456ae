"""The shipped rule pack is valid data: schemas, primitive names, items, messages."""

from __future__ import annotations

from policylint.engine import REGISTRY
from policylint.rulepack import LANGS, load_rulepack


def test_rule_pack_validates_against_its_schemas() -> None:
    load_rulepack.cache_clear()
    try:
        pack = load_rulepack("mic-asp-saas-2008", validate=True)
    finally:
        load_rulepack.cache_clear()
    assert len(pack.items) == 22


def test_every_step_names_a_known_primitive() -> None:
    pack = load_rulepack()
    unknown = [
        (c.id, s.primitive)
        for c in pack.all_checks()
        for s in c.steps
        if s.primitive != "load" and s.primitive not in REGISTRY
    ]
    assert unknown == []


def test_every_check_has_both_languages() -> None:
    pack = load_rulepack()
    for check in pack.all_checks():
        for text in (check.title, check.hint, *check.messages.values()):
            assert all(text.get(lang) for lang in LANGS), check.id
