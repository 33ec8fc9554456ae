""" "Did you mean": the one way policylint finds the name a person probably meant.

Used wherever a name is looked up and not found: a field of a kind, a ``kind``, a reference to an
id, a check or item id (configuration, ``--select``/``--ignore``, the exceptions register,
``explain``). Everywhere the same rule, so the same typo gets the same answer:

- names are compared case-insensitively, with ``-``, ``_`` and spaces treated alike and the
  guideline's ``Ⅱ`` read as ``II`` (``Last-Reviewed`` is ``last_reviewed``);
- the distance is the optimal string alignment distance (insertions, deletions, substitutions
  and swaps of two neighbouring characters each count 1: ``polcy``/``policy``,
  ``datacentre``/``datacenter``);
- a candidate is close when its distance is at most 1 for names of up to 4 characters and 2
  beyond, and also less than half the length of the name;
- only the closest candidates are named (all those at the smallest distance, at most three), in
  the order of their text, so the answer never depends on the order of a file or a dict.

Cost is bounded: names longer than :data:`MAX_NAME` characters get no suggestion, candidates
whose length differs by more than the allowed distance are skipped before any comparison, the
comparison stops as soon as the distance exceeds the allowed one, and a :class:`Suggester`
spends at most :data:`BUDGET` character comparisons in a run (a hostile repository with
thousands of wrong references against a register of a hundred thousand ids gets suggestions for
the first ones, in file order, and plain messages after that).
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_NAME = 64
"""Longer names are not compared (no one mistypes a 65-character name by one letter)."""

BUDGET = 20_000_000
"""Character comparisons one :class:`Suggester` may spend in a run."""


def normalise(name: str) -> str:
    return name.casefold().replace("-", "_").replace(" ", "_").replace("ⅱ", "ii")


def allowed_distance(name: str) -> int:
    n = len(name)
    limit = 1 if n <= 4 else 2
    return min(limit, max(0, (n - 1) // 2))


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance of ``a`` and ``b``, or ``limit + 1`` when it is larger
    (the computation stops as soon as every path exceeds ``limit``)."""
    if a == b:
        return 0
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return limit + 1
    before: list[int] = []
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        ca = a[i - 1]
        best = cur[0]
        for j in range(1, lb + 1):
            cost = 0 if ca == b[j - 1] else 1
            value = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, before[j - 2] + 1)
            cur[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        before, prev = prev, cur
    return prev[lb]


class Suggester:
    """Suggestions against one set of candidate names (built once, asked many times)."""

    def __init__(self, candidates: Iterable[str]) -> None:
        by_key: dict[str, str] = {}
        for c in sorted({c for c in candidates if isinstance(c, str) and c}):
            by_key.setdefault(normalise(c), c)
        self._keys = by_key
        self._budget = BUDGET
        self._cache: dict[str, tuple[str, ...]] = {}

    def __call__(self, name: str, limit: int = 3) -> tuple[str, ...]:
        """The candidates closest to ``name`` (at most ``limit``), best first; none when
        ``name`` itself is a candidate or nothing is close."""
        if not isinstance(name, str) or not name or len(name) > MAX_NAME:
            return ()
        cached = self._cache.get(name)
        if cached is None:
            cached = self._cache[name] = self._compute(name)
        return cached[:limit]

    def _compute(self, name: str) -> tuple[str, ...]:
        key = normalise(name)
        exact = self._keys.get(key)
        if exact is not None:
            return (exact,) if exact != name else ()
        allowed = allowed_distance(key)
        if allowed == 0:
            return ()
        scored: list[tuple[int, str]] = []
        n = len(key)
        for cand_key, cand in self._keys.items():
            if abs(len(cand_key) - n) > allowed:
                continue
            self._budget -= n * len(cand_key)
            if self._budget < 0:
                return ()
            d = distance(key, cand_key, allowed)
            if d <= allowed:
                scored.append((d, cand))
        if not scored:
            return ()
        best = min(d for d, _ in scored)
        return tuple(sorted(c for d, c in scored if d == best))


def did_you_mean(name: str, candidates: Iterable[str], limit: int = 3) -> tuple[str, ...]:
    """The names of ``candidates`` closest to ``name``, best first (see the module's rules)."""
    return Suggester(candidates)(name, limit)


def hint(suggestions: Iterable[str], lang: str = "en") -> str:
    """`` (did you mean 'x'?)`` / ``（'x' の誤りではありませんか?）``, or "" with no suggestion."""
    shown = [f"'{s}'" for s in suggestions]
    if not shown:
        return ""
    if lang == "ja":
        return f"（{' または '.join(shown)} の誤りではありませんか?）"
    return f" (did you mean {' or '.join(shown)}?)"
