"""Checks of people and roles: roles defined and held (II.2.1.1), security training (II.5.2.1),
duties of people who have left (II.5.3.1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import partial

from policylint.diagnostics import Finding
from policylint.primitives import (
    Context,
    Params,
    due_findings,
    finding,
    iso,
    register_field_loc,
    register_loc,
    selected,
)


def roles_defined(ctx: Context, params: Params) -> Iterator[Finding]:
    """The roles register defines each required role, held by an active person; every role's
    holder is a person; at least one role is management.

    A terminated holder is left to II.5.3.1/no-duties-after-termination (reported once).
    """
    repo = ctx.repo
    wanted = params.get("required_roles", ["cio", "ciso"])
    required = [wanted] if isinstance(wanted, str) else [str(r) for r in wanted or ()]
    loc = register_loc(ctx, "roles")
    if loc is None:
        yield Finding(repo.repo_location(), "missing", {"kind": "roles", "required": required})
        return
    defined = {r.id for r in repo.items_of("roles") if r.id}
    for role_id in required:
        if role_id not in defined:
            yield Finding(loc, "missing-role", {"id": role_id, "kind": "roles"}, role_id)
    for role in repo.items_of("roles"):
        if not role.present("holder"):
            yield finding(role, "no-holder")
            continue
        holder = role.text("holder")
        if holder is None:
            continue  # a wrong type: reported by policylint/schema
        person = repo.person(holder)
        if person is None:
            yield finding(role, "unknown-holder", role.loc("holder"), ref=holder)
            continue
        status = person.get("status")
        if role.id in required and status not in ("active", "terminated"):
            shown = status if isinstance(status, str) else ""
            yield finding(role, "inactive-holder", role.loc("holder"), ref=holder, status=shown)
    if not any(r.get("management") is True for r in repo.items_of("roles")):
        yield Finding(loc, "no-management", {"kind": "roles"})


def training_current(ctx: Context, params: Params) -> Iterator[Finding]:
    """Each selected (active) person completed a training within ``interval_months`` [12];
    people hired less than ``grace_days`` [30] ago are exempt."""
    months = int(params.get("interval_months", 12))
    grace = int(params.get("grace_days", 30))
    warn = int(params.get("warn_before_days", 30))
    for person in selected(ctx, params):
        hired = person.date("hired_on")
        if hired is not None and (ctx.today - hired).days < grace:
            continue
        trainings = person.get("trainings")
        if trainings is not None and not isinstance(trainings, list):
            continue  # a wrong type: reported by policylint/schema
        latest: tuple[dt.date, int] | None = None
        for i in range(len(trainings or [])):
            day = person.date("trainings", i, "completed_on")
            if day is not None and (latest is None or day > latest[0]):
                latest = (day, i)
        if latest is None:
            loc = person.loc("trainings") if person.present("trainings") else person.loc()
            yield finding(person, "no-training", loc, interval=months)
            continue
        day, i = latest
        course = person.get("trainings", i, "course")
        yield from due_findings(
            person,
            day,
            months,
            ctx.today,
            warn,
            partial(person.loc, "trainings", i, "completed_on"),
            course=course if isinstance(course, str) else "",
        )


# ---------------------------------------------------------------------------------------------
# II.5.3.1 duties of people who have left


def no_duties_after_termination(ctx: Context, params: Params) -> Iterator[Finding]:
    """No terminated person still holds a duty: a role (as its ``holder`` or in their own
    ``roles``), the ownership of a document or register, a document's ``contact``, or the
    ``reviewer`` of a review dated after they left.

    An asset owner who has left is reported by II.4.1.1/asset-owner; a duty given to a role is
    reported once, at the role.
    """
    repo = ctx.repo
    gone = {p.id: p for p in repo.items_of("people") if p.id and p.get("status") == "terminated"}
    if not gone:
        return

    def left(ref: str) -> str:
        return iso(gone[ref].date("terminated_on"))

    def said(key: str, ref: str) -> str:
        """The message key: '...-undated' when the leaving date is unknown (its absence is
        reported by II.5.3.1/access-revoked, an invalid one by policylint/invalid-date)."""
        return key if left(ref) else key + "-undated"

    held: set[tuple[str, str]] = set()
    for role in repo.items_of("roles"):
        holder = role.text("holder")
        if holder in gone and role.id:
            held.add((holder, role.id))
            yield finding(
                role,
                said("role-holder", holder),
                role.loc("holder"),
                person=holder,
                left=left(holder),
            )
    for pid, person in gone.items():
        roles = [
            r for r in person.strings("roles") if repo.role(r) is not None and (pid, r) not in held
        ]
        if roles:
            yield finding(
                person, said("person-roles", pid), person.loc("roles"), roles=roles, left=left(pid)
            )
    for doc in repo.documents:
        for name in ("owner", "contact"):
            ref = doc.text(name)
            if ref in gone:
                yield finding(doc, said(name, ref), doc.loc(name), person=ref, left=left(ref))
        if doc.kind == "review-record":
            ref = doc.text("reviewer")
            day = doc.date("date")
            if ref in gone and day is not None:
                ended = gone[ref].date("terminated_on")
                if ended is not None and day > ended:
                    yield finding(
                        doc,
                        "reviewer",
                        doc.loc("reviewer"),
                        person=ref,
                        left=left(ref),
                        date=day.isoformat(),
                    )
    for register in repo.registers:
        ref = register.data.get("owner")
        if isinstance(ref, str) and ref in gone:
            yield Finding(
                register_field_loc(register, "owner"),
                said("register-owner", ref),
                {
                    "id": register.path,
                    "kind": register.kind,
                    "path": register.path,
                    "person": ref,
                    "left": left(ref),
                },
            )
