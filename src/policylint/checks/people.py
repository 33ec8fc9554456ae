"""Checks of people and roles: roles defined and held (II.2.1.1), security training (II.5.2.1),
duties of people who have left (II.5.3.1)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterator
from functools import partial

from policylint.dates import add_days, add_months
from policylint.diagnostics import Finding, Location
from policylint.model import Entity, Repository
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
            yield finding(
                role,
                "unknown-holder",
                role.loc("holder"),
                ref=holder,
                suggestions=repo.ids_like(holder, ("person",)),
            )
            continue
        status = person.get("status")
        if role.id in required and not repo.has_left(person) and status != "active":
            shown = status if isinstance(status, str) else ""
            yield finding(role, "inactive-holder", role.loc("holder"), ref=holder, status=shown)
    if not any(r.get("management") is True for r in repo.items_of("roles")):
        yield Finding(loc, "no-management", {"kind": "roles"})


def _course_matcher(params: Params, repo: Repository) -> Callable[[str], bool]:
    """Whether a course name is a security course: it contains a word of ``security_courses``
    (the pack's vocabulary, configurable) or is the course of a ``training-sessions`` entry
    marked ``security: true``."""
    words = [_fold(w) for w in params.get("security_courses", ()) if isinstance(w, str)]
    named = {
        _fold(c)
        for s in repo.items_of("training-sessions")
        if s.get("security") is True and (c := s.text("course"))
    }
    if not words and not named:
        return lambda course: True  # no vocabulary configured: any course counts

    known: dict[str, bool] = {}  # a few courses, taken by thousands of people

    def is_security(course: str) -> bool:
        answer = known.get(course)
        if answer is None:
            folded = _fold(course)
            answer = known[course] = folded in named or any(w and w in folded for w in words)
        return answer

    return is_security


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def trainings_of(
    repo: Repository, person: Entity
) -> list[tuple[dt.date, str, Callable[[], Location]]]:
    """Every training the person completed: their own ``trainings`` and the sessions of the
    ``training-sessions`` register that list them among ``attendees``."""
    out: list[tuple[dt.date, str, Callable[[], Location]]] = []  # locations looked up lazily
    trainings = person.get("trainings")
    for i in range(len(trainings) if isinstance(trainings, list) else 0):
        day = person.date("trainings", i, "completed_on")
        if day is not None:
            course = person.get("trainings", i, "course")
            shown = course if isinstance(course, str) else ""
            out.append((day, shown, partial(person.loc, "trainings", i, "completed_on")))
    if person.id is not None:
        for session in repo.sessions_attended(person.id):
            day = session.date("date")
            if day is not None:
                course = session.text("course") or session.label
                out.append((day, course, partial(session.loc, "date")))
    return out


def training_current(ctx: Context, params: Params) -> Iterator[Finding]:
    """Each selected person (staff who have not left; a person without ``status`` too) completed
    a security course within ``interval_months`` [12]; a new joiner within ``grace_days`` [30]
    of ``hired_on``. A course counts when it is a security course (``security_courses``, or a
    ``training-sessions`` course marked ``security: true``); training kept per session with an
    ``attendees`` list counts like a person's own ``trainings``."""
    repo = ctx.repo
    months = int(params.get("interval_months", 12))
    grace = int(params.get("grace_days", 30))
    warn = int(params.get("warn_before_days", 30))
    is_security = _course_matcher(params, repo)
    for person in selected(ctx, params):
        hired = person.date("hired_on")
        trainings = person.get("trainings")
        if trainings is not None and not isinstance(trainings, list):
            continue  # a wrong type: reported by policylint/schema
        done = trainings_of(repo, person)
        security = [t for t in done if is_security(t[1])]
        if hired is not None and (ctx.today - hired).days < grace:
            continue  # a new joiner still within the period for the first course
        if not security:
            at = person.loc("trainings") if person.present("trainings") else person.loc()
            if done:
                courses = sorted({t[1] for t in done if t[1]})
                yield finding(person, "no-security-course", at, courses=courses)
            elif hired is not None and (due := add_days(hired, grace)) is not None:
                # the same due date the report shows for a new joiner
                yield finding(
                    person,
                    "no-training-hired",
                    at,
                    interval=months,
                    hired=hired.isoformat(),
                    due=due.isoformat(),
                    grace=grace,
                )
            else:
                yield finding(person, "no-training", at, interval=months)
            continue
        first_cycle_end = add_months(hired, months) if hired is not None else None
        deadline = add_days(hired, grace) if hired is not None else None
        if first_cycle_end is not None and deadline is not None and ctx.today <= first_cycle_end:
            day, course, loc = min(security, key=lambda t: t[0])
            if day > deadline:
                yield finding(
                    person,
                    "late-first-training",
                    loc(),
                    hired=iso(hired),
                    deadline=deadline.isoformat(),
                    first=day.isoformat(),
                    course=course,
                    grace=grace,
                )
                continue
        day, course, loc = max(security, key=lambda t: t[0])
        yield from due_findings(person, day, months, ctx.today, warn, loc, course=course)


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
    gone = {p.id: p for p in repo.leavers() if p.id}
    if not gone:
        return

    def left(ref: str) -> str:
        return iso(gone[ref].date("terminated_on"))

    def said(key: str, ref: str) -> str:
        """The message key: '...-undated' when the leaving date is unknown (its absence is
        reported by II.5.3.1/person-status, an invalid one by policylint/invalid-date)."""
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


def person_status(ctx: Context, params: Params) -> Iterator[Finding]:
    """Every person has a ``status`` that agrees with their dates: a person whose
    ``terminated_on`` is past has left, whatever the status says (and every leaver check
    applies to them); ``status: terminated`` needs a ``terminated_on`` that is not in the
    future."""
    repo = ctx.repo
    for person in repo.items_of("people"):
        status = person.get("status")
        ended = person.date("terminated_on")
        if status is None or status == "":
            yield finding(person, "missing-status", person.loc())
        elif not isinstance(status, str):
            continue  # a wrong type: reported by policylint/schema
        elif status != "terminated" and ended is not None and ended < ctx.today:
            yield finding(
                person,
                "left-but-" + ("on-leave" if status == "on-leave" else "active"),
                person.loc("status"),
                status=status,
                left=ended.isoformat(),
            )
        elif status == "terminated" and ended is None and not person.present("terminated_on"):
            yield finding(person, "no-leaving-date", person.loc())
        elif status == "terminated" and ended is not None and ended >= ctx.today:
            yield finding(
                person, "not-yet-left", person.loc("terminated_on"), left=ended.isoformat()
            )


def offboarding_dates(ctx: Context, params: Params) -> Iterator[Finding]:
    """For each leaver (:meth:`Repository.has_left`), ``field`` is recorded (when ``required``
    [true]), not before the last day (``terminated_on``) by more than ``days_before`` [0], not
    more than ``max_days`` [1] after it, and never before ``access_granted_on``."""
    name = params["field"]
    required = bool(params.get("required", True))
    max_days = int(params.get("max_days", 1))
    before = int(params.get("days_before", 0))
    for person in selected(ctx, params):
        if not person.present(name):
            if required:
                yield finding(person, "missing-date", field=name)
            continue
        value = person.date(name)
        ended = person.date("terminated_on")
        if value is None or ended is None:
            continue  # invalid dates: policylint/invalid-date; no leaving date: person-status
        granted = person.date("access_granted_on")
        args = {"field": name, "value": value.isoformat(), "other_value": ended.isoformat()}
        latest, earliest = add_days(ended, max_days), add_days(ended, -before)
        if granted is not None and value < granted:
            yield finding(
                person, "before-access", person.loc(name), granted=granted.isoformat(), **args
            )
        elif latest is not None and value > latest:
            days = (value - ended).days
            yield finding(
                person, "too-late", person.loc(name), days=days, max_days=max_days, **args
            )
        elif earliest is not None and value < earliest:
            days = (ended - value).days
            yield finding(person, "too-early", person.loc(name), days=days, **args)
