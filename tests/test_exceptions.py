"""Exceptions (the ``exceptions`` register): approved, expiring acceptances of findings.

An exception needs a check, a target, a reason, an approver from management, an approval date
not in the future and an expiry at most [12] months after approval. An invalid or expired one is
itself an error, and the findings it would cover count again. Dates per ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from policylint.diagnostics import Severity

from conftest import ASSETS, EXCEPTIONS, SAMPLE, line_of, run_lint, triples

Edit = Callable[[Path, str, str], None]
OWNER = "II.4.1.1/asset-owner"


def remove_owner(root: Path, edit: Edit) -> None:
    """Seed one error: the asset as-customer-db has no owner."""
    edit(
        root / ASSETS,
        "    owner: cio\n    classification: secret\n",
        "    classification: secret\n",
    )


def add_exception(root: Path, **fields: str | None) -> None:
    """Append an exception (default: a valid one covering the seeded error) to the register."""
    values: dict[str, str | None] = {
        "id": "exc-test",
        "check": OWNER,
        "target": "as-customer-db",
        "reason": "The owner is being reassigned after the reorganisation.",
        "approved_by": "p-suzuki-daisuke",  # holds ciso (management: true)
        "approved_on": "2026-10-01",
        "expires_on": "2026-12-31",
    }
    values.update(fields)
    lines = [f"  - id: {values.pop('id')}"]
    lines += [f"    {k}: {v}" for k, v in values.items() if v is not None]
    path = root / EXCEPTIONS
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")


def checks_of(result: object, *ids: str) -> list[tuple[str, str, int]]:
    return [t for t in triples(result) if t[0] in ids]  # type: ignore[arg-type]


def test_sample_exception_suppresses_but_is_still_listed() -> None:
    result = run_lint(SAMPLE)
    assert result.active == []
    [d] = result.diagnostics
    assert (d.check_id, d.target, d.suppressed_by) == (
        "II.4.1.1/asset-inventory-fields",
        "as-employee-records",
        "exc-2026-001",
    )


def test_valid_exception_suppresses_an_error(sample: Path, edit: Edit) -> None:
    remove_owner(sample, edit)
    assert triples(run_lint(sample))[0][0] == OWNER
    add_exception(sample)
    result = run_lint(sample)
    assert result.count_errors() == 0 and result.active == []
    suppressed = [d for d in result.diagnostics if d.check_id == OWNER]
    assert [d.suppressed_by for d in suppressed] == ["exc-test"]
    assert suppressed[0].severity is Severity.ERROR  # the record keeps what was excepted


def test_exception_that_expired_yesterday_turns_the_finding_back_into_an_error(
    sample: Path, edit: Edit
) -> None:
    remove_owner(sample, edit)
    add_exception(sample, expires_on="2026-11-30")
    on_expiry_day = run_lint(sample, as_of=dt.date(2026, 11, 30))
    assert checks_of(on_expiry_day, OWNER, "policylint/exception-expired") == []

    day_after = run_lint(sample, as_of=dt.date(2026, 12, 1))
    line = line_of(sample / EXCEPTIONS, "expires_on: 2026-11-30")
    assert checks_of(day_after, OWNER, "policylint/exception-expired") == [
        (OWNER, ASSETS, line_of(sample / ASSETS, "- id: as-customer-db")),
        ("policylint/exception-expired", EXCEPTIONS, line),
    ]
    expired = next(d for d in day_after.active if d.check_id == "policylint/exception-expired")
    assert expired.severity is Severity.ERROR
    assert expired.message == (
        "exception 'exc-test' expired on 2026-11-30; the findings it covered are errors again"
    )
    owner = next(d for d in day_after.diagnostics if d.check_id == OWNER)
    assert owner.suppressed_by is None and owner.severity is Severity.ERROR


def test_approver_who_is_not_management(sample: Path, edit: Edit) -> None:
    remove_owner(sample, edit)
    add_exception(sample, approved_by="p-ito-yumi")  # dpo, hr-manager: management false
    result = run_lint(sample)
    line = line_of(sample / EXCEPTIONS, "approved_by: p-ito-yumi")
    assert sorted(triples(result)) == sorted(
        [
            (OWNER, ASSETS, line_of(sample / ASSETS, "- id: as-customer-db")),
            ("policylint/exception-unapproved", EXCEPTIONS, line),
        ]
    )
    d = next(d for d in result.active if d.check_id == "policylint/exception-unapproved")
    assert "approved by 'p-ito-yumi', who is not management" in d.message


@pytest.mark.parametrize(
    ("fields", "key_text"),
    [
        ({"reason": None}, "lacks reason"),
        ({"reason": "'   '"}, "lacks reason"),
        ({"approved_by": None}, "lacks approved_by"),
        ({"expires_on": None}, "lacks expires_on"),
        ({"approved_by": "p-nobody"}, "is not a person of the people register"),
        ({"expires_on": "2027-10-02"}, "more than 12 months after its approval"),
        ({"approved_on": "2026-11-02", "expires_on": "2027-01-31"}, "after today"),
    ],
)
def test_invalid_exceptions_do_not_apply(
    sample: Path, edit: Edit, fields: dict[str, str | None], key_text: str
) -> None:
    remove_owner(sample, edit)
    add_exception(sample, **fields)
    result = run_lint(sample)
    unapproved = [d for d in result.active if d.check_id == "policylint/exception-unapproved"]
    assert len(unapproved) == 1 and key_text in unapproved[0].message, triples(result)
    assert any(d.check_id == OWNER and not d.suppressed for d in result.diagnostics)


def test_expiry_exactly_twelve_months_after_approval_is_allowed(sample: Path, edit: Edit) -> None:
    remove_owner(sample, edit)
    add_exception(sample, approved_on="2026-10-31", expires_on="2027-10-31")
    assert run_lint(sample).active == []


def test_unparseable_date_fails_closed(sample: Path, edit: Edit) -> None:
    remove_owner(sample, edit)
    add_exception(sample, expires_on="2026/12/31")
    result = run_lint(sample)
    ids = sorted(d.check_id for d in result.active)
    assert ids == sorted([OWNER, "policylint/exception-unapproved", "policylint/invalid-date"])
    d = next(d for d in result.active if d.check_id == "policylint/exception-unapproved")
    assert "unreadable approval or expiry date" in d.message


def test_maximum_duration_is_configurable(sample: Path, edit: Edit) -> None:
    remove_owner(sample, edit)
    add_exception(sample, approved_on="2026-10-01", expires_on="2027-03-01")
    assert run_lint(sample).active == []
    config = sample / "policylint.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "checks:\n  policylint/exception-unapproved: {max_months: 3}\n",
        encoding="utf-8",
    )
    result = run_lint(sample)
    unapproved = [d for d in result.active if d.check_id == "policylint/exception-unapproved"]
    assert {d.target for d in unapproved} == {"exc-test", "exc-2026-001"}
    assert all("more than 3 months" in d.message for d in unapproved)
    assert any(d.check_id == OWNER for d in result.active)


@pytest.mark.parametrize(
    ("check", "target", "covers"),
    [
        ("II.4.1.1", "as-customer-db", True),  # item id
        ("II.4", "as-customer-db", True),  # item prefix
        ("Ⅱ.4.1.1", "as-customer-db", True),  # the guideline's spelling
        ("II.4.1.1/asset-owner", ASSETS, True),  # the file
        ("II.4.1.1/asset-owner", "./registers/", True),  # a folder above it
        ("II.4.2.1", "as-customer-db", False),  # another item
        ("II.4.1.1/asset-cia", "as-customer-db", False),  # another check
        ("II.4.1.1/asset-owner", "as-crm", False),  # another target
        ("II.4.1.1/asset-owner", "registers/assets", False),  # not a folder boundary
    ],
)
def test_what_an_exception_covers(
    sample: Path, edit: Edit, check: str, target: str, covers: bool
) -> None:
    remove_owner(sample, edit)
    add_exception(sample, check=f"'{check}'", target=f"'{target}'")
    result = run_lint(sample)
    owner = next(d for d in result.diagnostics if d.check_id == OWNER)
    assert (owner.suppressed_by == "exc-test") is covers
    tool = [(d.check_id, d.target) for d in result.active if d.check_id.startswith("policylint/")]
    # an exception that covers nothing is reported as stale (issue 10)
    assert tool == ([] if covers else [("policylint/stale-exception", "exc-test")])


def test_exception_findings_cannot_be_excepted(sample: Path, edit: Edit) -> None:
    remove_owner(sample, edit)
    add_exception(sample, approved_by="p-ito-yumi")
    add_exception(
        sample, id="exc-cover-all", check="policylint/exception-unapproved", target=EXCEPTIONS
    )
    result = run_lint(sample)
    assert [d.check_id for d in result.diagnostics if d.suppressed_by == "exc-cover-all"] == []
    assert any(d.check_id == "policylint/exception-unapproved" for d in result.active)
