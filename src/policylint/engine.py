"""The engine: load the repository once, run every enabled check, stamp and sort diagnostics.

Pipeline: discovery → loader → model (schema and date passes) → checks → diagnostics.
Checks yield findings; the engine turns them into :class:`Diagnostic` records with the check id,
the guideline item, the configured severity and the message in the chosen language.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policylint import exceptions, history, parallel, suggest
from policylint.cache import ParseCache
from policylint.checks import BUILTINS
from policylint.config import Config
from policylint.diagnostics import (
    Diagnostic,
    Finding,
    LoadFinding,
    Location,
    Served,
    Severity,
)
from policylint.discovery import Discovered, discover
from policylint.errors import PolicylintError, UsageError
from policylint.loader import SourceFile, format_of, node_at, parse_bytes, read_file
from policylint.model import Repository, build_repository, schema_findings
from policylint.primitives import PRIMITIVES, CheckFn, Context
from policylint.rulepack import (
    CheckDef,
    RulePack,
    Step,
    localize_nouns,
    match_selector,
    normalise_item_id,
    render,
    selector_specificity,
    tr,
)

REGISTRY: dict[str, CheckFn] = {**PRIMITIVES, **BUILTINS}
"""Every primitive and built-in check by name: the only code the rule pack can name."""

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Setting:
    """A check as configured for this run: its severity (None = off) and its steps."""

    check: CheckDef
    severity: Severity | None
    steps: tuple[Step, ...]


@dataclass
class Result:
    repo: Repository
    pack: RulePack
    settings: dict[str, Setting]
    diagnostics: list[Diagnostic]
    lang: str
    stats: dict[str, float] = field(default_factory=dict)

    @property
    def active(self) -> list[Diagnostic]:
        """Diagnostics not suppressed by an exception or the baseline."""
        return [d for d in self.diagnostics if not d.suppressed]

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.active if d.severity is severity)

    def count_errors(self) -> int:
        return self.count(Severity.ERROR)


# ---------------------------------------------------------------------------------------------
# configuration of checks


MAX_THRESHOLD = 100_000
"""Largest number a threshold may be set to (months, days, counts): far beyond any real need,
small enough that no date arithmetic on it can overflow."""


def _threshold_problem(value: Any, default: Any, where: str = "") -> tuple[str, str, str] | None:
    """Where and what a configured threshold must be when it does not fit the shape of the pack's
    default, in English and Japanese (``None``: it fits). New mapping keys take the shape of the
    existing ones; strings under a ``patterns`` key must be regular expressions."""
    if isinstance(default, bool):
        return None if isinstance(value, bool) else (where, "true or false", "true か false")
    if isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_THRESHOLD
        return (
            None
            if ok
            else (where, f"a whole number 0-{MAX_THRESHOLD}", f"0〜{MAX_THRESHOLD} の整数")
        )
    if isinstance(default, str):
        if not isinstance(value, str):
            return (where, "a text", "文字列")
        if where.rsplit(".", 1)[-1].startswith("patterns"):
            from policylint.primitives import PatternError, heading_pattern

            try:
                heading_pattern([value])
            except PatternError as exc:
                return (
                    where,
                    f"a regular expression RE2 accepts ({exc})",
                    f"RE2 が受け付ける正規表現（{exc}）",
                )
        return None
    if isinstance(default, (list, tuple)):
        element = default[0] if default else None
        items = [value] if isinstance(value, str) else value  # one value stands for a list of one
        if not isinstance(items, list):
            return (where, "a list", "リスト")
        for i, v in enumerate(items):
            if element is None or (isinstance(v, str) and isinstance(element, Mapping)):
                continue  # a name stands for a mapping entry (a law by its name)
            found = _threshold_problem(v, element, f"{where}[{i}]")
            if found is not None:
                return found
        return None
    if isinstance(default, Mapping):
        if not isinstance(value, dict):
            return (where, "a mapping", "マッピング（キー: 値）")
        sample = next(iter(default.values()), None)
        for k, v in value.items():
            shape = default.get(k, sample)
            found = _threshold_problem(v, shape, f"{where}.{k}") if shape is not None else None
            if found is not None:
                return found
    return None


def _config_usage(config: Config, en: str, ja: str) -> UsageError:
    """A usage error about the configuration, in its own language unless --lang says otherwise."""
    error = UsageError(en, ja=ja)
    error.lang = config.lang if config.lang in ("ja", "en") else None
    return error


def configure(pack: RulePack, config: Config) -> dict[str, Setting]:
    """Apply ``checks:`` of the configuration to the rule pack; reject unknown ids and keys."""
    checks = pack.all_checks()
    for selector, conf in config.checks.items():
        matched = [c for c in checks if match_selector(selector, c)]
        if not matched:
            like = selectors_like(selector, pack)
            at = config.where("checks", selector)
            raise _config_usage(
                config,
                f"{at}: unknown check or item id '{selector}' in checks{suggest.hint(like)}",
                f"{at}: checks の '{selector}' は検査または項目の ID ではありません"
                f"{suggest.hint(like, 'ja')}",
            )
        for key in conf:
            if key == REPLACE:
                _check_replace(conf[key], matched, selector, config)
                continue
            if key != "severity" and not any(key in c.thresholds for c in matched):
                known = ", ".join(["severity", *sorted({k for c in matched for k in c.thresholds})])
                meant = suggest.did_you_mean(key, ["severity", REPLACE, *known.split(", ")])
                at = config.where("checks", selector, key)
                raise _config_usage(
                    config,
                    f"{at}: '{key}' is not a setting of '{selector}'{suggest.hint(meant)} "
                    f"(settings: {known})",
                    f"{at}: '{key}' は '{selector}' の設定項目ではありません"
                    f"{suggest.hint(meant, 'ja')}（設定項目: {known}）",
                )
            if key != "severity":
                defaults = [c.thresholds[key] for c in matched if key in c.thresholds]
                problem = _threshold_problem(conf[key], defaults[0], key)
                if problem is not None:
                    at = config.where("checks", selector, key)
                    raise _config_usage(
                        config,
                        f"{at}: '{problem[0]}' of '{selector}' must be {problem[1]}",
                        f"{at}: '{selector}' の '{problem[0]}' は{problem[2]}で書いてください",
                    )
    settings: dict[str, Setting] = {}
    for check in checks:
        severity: Severity | None = check.severity
        overrides: dict[str, Any] = {}
        if check.id == UNKNOWN_FIELD:
            severity, overrides = _unknown_fields_mode(config.unknown_fields)
        entries = sorted(
            ((s, c) for s, c in config.checks.items() if match_selector(s, check)),
            key=lambda e: selector_specificity(e[0], check),
        )
        for _, conf in entries:
            replace = conf.get(REPLACE, False)
            for key, value in conf.items():
                if key == "severity":
                    severity = None if value == "off" else Severity(value)
                elif key in check.thresholds:
                    base = overrides.get(key, check.thresholds[key])
                    extends = isinstance(value, Mapping) and isinstance(base, Mapping)
                    if extends and not (
                        replace is True or (isinstance(replace, list) and key in replace)
                    ):
                        value = {**base, **value}  # a mapping extends the pack's default
                    overrides[key] = value
        steps = check.steps
        if overrides:
            steps = tuple(
                Step(
                    s.primitive,
                    {**s.params, **{k: v for k, v in overrides.items() if k in s.params}},
                )
                for s in steps
            )
        settings[check.id] = Setting(check, severity, steps)
    return settings


UNKNOWN_FIELD = "policylint/unknown-field"

REPLACE = "replace"
"""``replace: true`` (or ``replace: [setting, ...]``) in a check's configuration: its mapping
settings replace the pack's default instead of extending it."""


def _check_replace(value: Any, matched: Sequence[CheckDef], selector: str, config: Config) -> None:
    mappings = sorted(
        {k for c in matched for k, v in c.thresholds.items() if isinstance(v, Mapping)}
    )
    names = value if isinstance(value, list) else None
    if (
        value is True
        or value is False
        or (names is not None and all(isinstance(n, str) and n in mappings for n in names))
    ):
        return
    at = config.where("checks", selector, "replace")
    names_shown = ", ".join(mappings) or "none"
    raise _config_usage(
        config,
        f"{at}: 'replace' of '{selector}' must be true, false or a list of its mapping settings "
        f"({names_shown})",
        f"{at}: '{selector}' の 'replace' は true、false、またはマッピング設定のリスト"
        f"（{names_shown}）で書いてください",
    )


def selectors_like(selector: str, pack: RulePack) -> tuple[str, ...]:
    """Check ids, item ids and chapters (``II.4``) close to an unknown selector."""
    checks = pack.all_checks()
    names = [
        "policylint",
        *pack.chapters,
        *pack.items,
        *(c.id for c in checks),
    ]
    return suggest.did_you_mean(normalise_item_id(selector), names)


def _unknown_fields_mode(mode: str) -> tuple[Severity | None, dict[str, Any]]:
    """``unknown_fields`` of the configuration as the severity and setting of
    ``policylint/unknown-field`` (its own ``checks:`` entry, if any, is applied after it)."""
    if mode == "off":
        return None, {}
    if mode == "error":
        return Severity.ERROR, {"all": True}
    return Severity.WARNING, {}


def select_checks(
    settings: Mapping[str, Setting], select: Sequence[str] = (), ignore: Sequence[str] = ()
) -> dict[str, Setting]:
    """Narrow the configured checks to ``--select`` minus ``--ignore`` (check or item ids).

    For each check the most specific matching selector decides (a check id beats an item id beats
    a prefix; ``--ignore`` wins a tie). A check turned off by configuration stays off.
    """
    if not select and not ignore:
        return dict(settings)
    out: dict[str, Setting] = {}
    for check_id, setting in settings.items():
        check = setting.check
        best: tuple[int, int] | None = None  # (specificity, 1 = ignore wins ties)
        for selectors, kept in ((select, 0), (ignore, 1)):
            for sel in selectors:
                if match_selector(sel, check):
                    rank = (selector_specificity(sel, check), kept)
                    best = rank if best is None or rank > best else best
        keep = best[1] == 0 if best is not None else not select
        out[check_id] = setting if keep else Setting(check, None, setting.steps)
    return out


# ---------------------------------------------------------------------------------------------
# loading


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: a run allocates millions of small objects that all
    live until it ends, and CPython's collector would traverse them again and again (it triples
    the load time of large registers). Reference counting still frees what is dropped."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_repository(
    root: Path,
    config: Config,
    today: dt.date,
    progress: Progress | None = None,
    stats: dict[str, float] | None = None,
    cache: ParseCache | None = None,
) -> tuple[Repository, list[LoadFinding]]:
    """Discover and read every file once, then build the model (schema and date passes).

    With a parse ``cache``, files parsed before (same bytes, same policylint) are not parsed
    again; they are still read and hashed, and everything after parsing runs as always."""
    t0 = time.perf_counter()
    with no_cyclic_gc():
        found, sources = read_sources(root, config, progress, cache)
        t1 = time.perf_counter()
        repo, findings = model_of(found, sources, config, today)
    if stats is not None:
        stats["load"] = t1 - t0
        stats["validate"] = time.perf_counter() - t1
    return repo, findings


def read_sources(
    root: Path,
    config: Config,
    progress: Progress | None = None,
    cache: ParseCache | None = None,
    processes: int = 1,
) -> tuple[Discovered, list[SourceFile]]:
    """Discover and read (parse) every file once.

    With a ``cache`` and more than one of ``processes`` allowed (see :func:`process_limit`), a
    large YAML file the cache does not hold (a register just edited) is parsed by a forked
    worker that stores it in the cache, while this process reads the other files; it is read
    back from its entry at the end (or parsed here, if the worker failed)."""
    found = discover(root, config.include, config.exclude)
    files = found.files
    total = len(files)
    helpers = 0
    if cache is not None:
        helpers = processes - 1
    order: list[int] = list(range(total))
    if helpers > 0:  # large YAML files first: a worker parses one while the rest are read
        big = [i for i, rel in enumerate(files) if _large_yaml(root, rel)]
        first = set(big)
        order = big + [i for i in order if i not in first]
    slots: list[SourceFile | None] = [None] * total
    pending: list[tuple[int, parallel.Worker, bytes]] = []
    for n, i in enumerate(order):
        src, data = read_file(root, files[i], config.max_file_bytes)
        if data is not None:
            if (
                cache is not None
                and len(pending) < helpers
                and len(data) >= OFFLOAD_BYTES
                and not cache.holds(src, data)
            ):
                store = functools.partial(_store, cache, src, data)
                pending.append((i, parallel.Worker(store), data))
            elif cache is not None:
                cache.parse(src, data)
            else:
                parse_bytes(src, data)
        slots[i] = src
        if progress is not None and (n & 63) == 0:
            progress("load", n, total)
    sources = [src for src in slots if src is not None]
    for index, worker, data in pending:
        worker.result()  # whatever it says, the entry is read back, or the file parsed here
        if cache is not None:
            cache.adopt(sources[index], data)
    return found, sources


def _large_yaml(root: Path, rel: str) -> bool:
    if format_of(rel) != "yaml":
        return False
    try:
        return os.stat(os.path.join(root, rel)).st_size >= OFFLOAD_BYTES
    except OSError:
        return False  # read_file says why, in its turn


OFFLOAD_BYTES = 1024 * 1024
"""A YAML file from this size that the cache misses is parsed by a worker (about 0.15 s)."""


def _store(cache: ParseCache, src: SourceFile, data: bytes) -> bool:
    """In a worker: parse a file into the cache."""
    cache.parse(src, data)
    return True


def model_of(
    found: Discovered,
    sources: list[SourceFile],
    config: Config,
    today: dt.date,
    validate: bool = True,
) -> tuple[Repository, list[LoadFinding]]:
    """The model of the files read, with the findings of their loading, schema (unless not
    ``validate``) and date passes."""
    repo, findings = build_repository(sources, today, config.path, config.aliases, validate)
    repo.unread = found.unread
    for rel in found.escaping_links:
        findings.append(
            LoadFinding(
                "policylint/symlink-escape", Finding(Location(rel), "default", {"path": rel})
            )
        )
    return repo, findings


# ---------------------------------------------------------------------------------------------
# running


def _diagnostic(
    pack: RulePack,
    setting: Setting,
    f: Finding,
    lang: str,
    serves: tuple[Served, ...] = (),
) -> Diagnostic | None:
    severity = setting.severity
    if severity is None:
        return None
    if f.severity is not None and f.severity.rank < severity.rank:
        severity = f.severity
    check = setting.check
    args: Mapping[str, Any] = {**f.args, "item": check.item or ""}
    template = pack.message(check, f.key, lang)
    hint_template = tr(check.hint, lang)
    message = render(template, localize_nouns(template, args, lang), lang)
    meant = f.args.get("suggestions")
    if meant and "{suggestion" not in template:
        message += suggest.hint(meant, lang)  # one "did you mean", worded the same everywhere
    if "near_kind" in f.args:
        message += render(_NEAR_MISS_NOTE["ja" if lang == "ja" else "en"], f.args)
    hint = render(hint_template, localize_nouns(hint_template, args, lang), lang)
    return Diagnostic(
        f.location.path,
        f.location.line,
        f.location.column,
        check.id,
        check.item,
        severity,
        message,
        hint,
        f.target,
        discriminator=_discriminator(f),
        serves=serves or served_by(check),
        fix=f.fix,
    )


def _discriminator(f: Finding) -> str:
    field_name = f.args.get("field") or f.args.get("name")
    return f"{f.key}:{field_name}" if isinstance(field_name, str) and field_name else f.key


def run_checks(
    repo: Repository,
    root: Path,
    pack: RulePack,
    settings: Mapping[str, Setting],
    lang: str,
    load_findings: Iterable[LoadFinding] = (),
    progress: Progress | None = None,
) -> list[Diagnostic]:
    out = load_diagnostics(pack, settings, load_findings, lang)
    ctx = Context(repo, root)
    empty = not repo.documents and not repo.registers
    if empty:
        out.extend(no_governance_files(repo, pack, settings, lang))
    units = check_units(settings)
    for i, unit in enumerate(units):
        if progress is not None:
            progress("checks", i, len(units))
        out.extend(unit_diagnostics(ctx, pack, unit, lang, empty))
    return sort_unique(out)


def unit_diagnostics(
    ctx: Context,
    pack: RulePack,
    unit: tuple[Setting, tuple[Served, ...]],
    lang: str,
    empty: bool,
) -> list[Diagnostic]:
    """The diagnostics of one unit of :func:`check_units` (none for an item's check in a tree
    without governance files: one clear message instead of a finding per missing kind)."""
    setting, serves = unit
    if empty and setting.check.item is not None:
        return []
    return list(check_diagnostics(ctx, pack, setting, lang, serves))


SHARE_FROM_ROWS = 5_000
"""Documents and register rows from which ``jobs=0`` checks in several processes (below, a
run takes a fraction of a second and forking would not pay)."""
MAX_PROCESSES = 4
"""More processes than this add memory (each builds its own model) for little time."""


def process_limit(jobs: int) -> int:
    """The processes ``jobs`` allows here (0: one per idle CPU, up to :data:`MAX_PROCESSES`);
    asked once per run."""
    if jobs == 1 or not parallel.available():
        return 1
    return jobs if jobs > 1 else max(1, min(parallel.idle_cpus(), MAX_PROCESSES))


def _processes(jobs: int, limit: int, sources: Sequence[SourceFile]) -> int:
    """The processes to check in, of the ``limit`` allowed: with ``jobs`` 0, more than one only
    from :data:`SHARE_FROM_ROWS` documents and register rows."""
    if limit == 1 or jobs > 1:
        return limit
    rows = 0
    for src in sources:
        value = src.value
        items = value.get("items") if isinstance(value, dict) else None
        rows += len(items) if isinstance(items, list) else 1
    return limit if rows >= SHARE_FROM_ROWS else 1


def _run_shared(
    processes: int,
    found: Discovered,
    sources: list[SourceFile],
    root: Path,
    config: Config,
    pack: RulePack,
    settings: Mapping[str, Setting],
    today: dt.date,
    lang: str,
    progress: Progress | None,
) -> tuple[Repository, list[Diagnostic]] | None:
    """:func:`run_checks` in ``processes`` processes (see :mod:`policylint.parallel`): a forked
    worker runs the schema pass, which must see the values as read (this process's date pass
    turns dates into dates); this process builds the model, then forks ``processes - 1``
    workers that share it, and all take checks from one queue. None: the schema pass did not
    come back (the caller runs everything again in one process)."""
    units = check_units(settings)
    validator = parallel.Worker(functools.partial(schema_findings, sources, config.aliases))
    workers: list[parallel.Worker] = []
    queue: parallel.JobQueue | None = None
    try:
        repo, findings = model_of(found, sources, config, today, validate=False)
        history.assess(repo, root, config.history_mode, config.signed_mode)
        ctx, empty = Context(repo, root), not repo.documents and not repo.registers
        jobs = queue = parallel.JobQueue(len(units))

        def take(here: bool) -> dict[int, list[Diagnostic]]:
            done: dict[int, list[Diagnostic]] = {}
            while (i := jobs.take()) is not None:
                if here and progress is not None:
                    progress("checks", i, len(units))
                done[i] = unit_diagnostics(ctx, pack, units[i], lang, empty)
            return done

        workers = [parallel.Worker(functools.partial(take, False)) for _ in range(processes - 1)]
        done = take(True)
        results = [w.result() for w in workers]
        checked = validator.result()
    except BaseException:
        for w in (validator, *workers):
            w.kill()
        raise
    finally:
        if queue is not None:
            queue.close()
    if checked is None:
        return None
    for result in results:
        if result is not None:
            done.update(result)
    out = load_diagnostics(pack, settings, [*findings, *checked], lang)
    if empty:
        out.extend(no_governance_files(repo, pack, settings, lang))
    for i, unit in enumerate(units):  # a worker that failed: its checks are run here
        out.extend(done[i] if i in done else unit_diagnostics(ctx, pack, unit, lang, empty))
    return repo, sort_unique(out)


def load_diagnostics(
    pack: RulePack, settings: Mapping[str, Setting], found: Iterable[LoadFinding], lang: str
) -> list[Diagnostic]:
    """The diagnostics of the loader's findings (parse, schema, dates...)."""
    out: list[Diagnostic] = []
    for lf in found:
        setting = settings.get(lf.check_id)
        if setting is None:
            raise PolicylintError(f"the loader reported unknown check {lf.check_id}")
        diag = _diagnostic(pack, setting, lf.finding, lang)
        if diag is not None:
            out.append(diag)
    return out


def no_governance_files(
    repo: Repository, pack: RulePack, settings: Mapping[str, Setting], lang: str
) -> list[Diagnostic]:
    """The one finding of a tree without any governance file (instead of one per missing kind)."""
    setting = settings["policylint/no-governance-files"]
    unfenced = [s.path for s in repo.sources if s.unfenced_front_matter]
    args = {
        "files": len(repo.sources),
        "unfenced": len(unfenced),
        "example": unfenced[:1],
        "more": _adoption_notes(repo, pack, setting, lang),
    }
    key = "unfenced" if unfenced else "default"
    diag = _diagnostic(pack, setting, Finding(repo.repo_location(), key, args), lang)
    return [] if diag is None else [diag]


def _adoption_notes(repo: Repository, pack: RulePack, setting: Setting, lang: str) -> str:
    """What the "no governance files" message adds about files that are nearly governance
    files: front matter without a kind, and documents in formats policylint does not read."""
    from policylint.adoption import likely_kind

    parts = []
    no_kind = [(s, g) for s in repo.sources if (g := likely_kind(s)) is not None]
    if no_kind:
        src, (guess, _) = no_kind[0]
        template = pack.message(setting.check, "more-no-kind", lang)
        parts.append(render(template, {"count": len(no_kind), "example": src.path, "guess": guess}))
    if repo.unread:
        shown = ", ".join(repo.unread[:5]) + (" …" if len(repo.unread) > 5 else "")
        template = pack.message(setting.check, "more-unread", lang)
        parts.append(render(template, {"count": len(repo.unread), "names": shown}))
    return "".join(parts)


def check_units(settings: Mapping[str, Setting]) -> list[tuple[Setting, tuple[Served, ...]]]:
    """What a run runs: one enabled check, or one group of checks of different frameworks that
    run the same code (see :func:`same_code_groups`), with the items its findings serve."""
    units: list[tuple[Setting, tuple[Served, ...]]] = []
    for group in same_code_groups(s for s in settings.values() if s.severity is not None):
        setting = group[0]
        serves: tuple[Served, ...] = ()
        if len(group) > 1:
            serves = tuple(x for s in group for x in served_by(s.check))
            strongest = max((s.severity for s in group if s.severity), key=lambda v: v.rank)
            setting = Setting(setting.check, strongest, setting.steps)
        units.append((setting, serves))
    return units


def check_diagnostics(
    ctx: Context,
    pack: RulePack,
    setting: Setting,
    lang: str,
    serves: tuple[Served, ...] = (),
) -> Iterator[Diagnostic]:
    """The diagnostics of one configured check (its steps run in order on the model)."""
    for step in setting.steps:
        yield from step_diagnostics(ctx, pack, setting, step, lang, serves)


def step_diagnostics(
    ctx: Context,
    pack: RulePack,
    setting: Setting,
    step: Step,
    lang: str,
    serves: tuple[Served, ...] = (),
) -> Iterator[Diagnostic]:
    """The diagnostics of one step of a configured check."""
    fn = REGISTRY.get(step.primitive)
    if fn is None:
        if step.primitive == "load":
            return  # findings of the loader, handled by run_checks
        raise PolicylintError(f"check {setting.check.id}: unknown primitive '{step.primitive}'")
    for f in fn(ctx, step.params):
        if f.key == "missing" and ctx.repo.unknown:
            f = _at_near_miss(f, _near_miss_kinds(ctx.repo))
        diag = _diagnostic(pack, setting, f, lang, serves)
        if diag is not None:
            yield diag


def same_as_aliases(pack: RulePack) -> dict[str, str]:
    """Each check that runs another pack's check (``same_as``), mapped to that check: an
    exception approved for one covers the other's finding."""
    return {c.id: c.same_as for c in pack.checks.values() if c.same_as}


def served_by(check: CheckDef) -> tuple[Served, ...]:
    """What a finding of ``check`` answers: its item, then the further items it serves."""
    if not check.also:
        return (Served(check.framework, check.item, check.id),)
    return tuple(Served(check.framework, i, check.id) for i in check.items)


def _frozen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


def same_code_groups(settings: Iterable[Setting]) -> list[list[Setting]]:
    """The enabled checks grouped by what they run: checks of different frameworks whose steps
    are the same primitives with the same parameters (after configuration) form one group, run
    once, and their finding is one diagnostic that names them all. The first framework's check
    leads (its id and message); the group reports at its strongest configured severity."""
    groups: dict[Any, list[Setting]] = {}
    for setting in settings:
        key = tuple((s.primitive, _frozen(s.params)) for s in setting.steps)
        group = groups.setdefault(key, [])
        if group and any(g.check.framework == setting.check.framework for g in group):
            # two checks of the same pack that happen to run the same code stay separate
            groups[(key, setting.check.id)] = [setting]
            continue
        group.append(setting)
    return list(groups.values())


def _near_miss_kinds(repo: Repository) -> dict[str, tuple[Location, str, str]]:
    """Known kinds that a file's unknown ``kind`` is a near miss of: kind → (where that
    ``kind`` is written, the file, the kind as written). First file by path wins."""
    from policylint.checks.integrity import meant_kind

    out: dict[str, tuple[Location, str, str]] = {}
    for src, kind in sorted(repo.unknown, key=lambda u: u[0].path):
        meant = meant_kind(src, kind)
        if meant is not None and meant not in out:
            node = node_at(src.node, ("kind",))[0] if isinstance(src.value, dict) else src.node
            out[meant] = (src.location(node), src.path, kind)
    return out


def _at_near_miss(f: Finding, near: Mapping[str, tuple[Location, str, str]]) -> Finding:
    """A "no document of kind K" finding, when a file's misspelt ``kind`` was probably meant to
    be K: placed at that file's ``kind`` and saying so (not pinned on an unrelated file)."""
    kinds = str(f.args.get("kind", "")).split(" / ")
    for kind in kinds:
        if kind in near:
            loc, path, written = near[kind]
            args = {**f.args, "near_path": path, "near_kind": written, "meant_kind": kind}
            return Finding(loc, f.key, args, f.target, f.severity)
    return f


_NEAR_MISS_NOTE = {
    "en": " ({near_path} has kind '{near_kind}': did you mean '{meant_kind}'?)",
    "ja": "（{near_path} の kind '{near_kind}' は '{meant_kind}' の誤りではありませんか?）",
}


def sort_unique(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The distinct diagnostics in report order. Findings that tie on the order of
    :meth:`Diagnostic.sort_key` (one field reached through a YAML alias by several rows, say)
    are ordered by the rest of what tells them apart, never by how a set happened to hash."""
    return sorted(set(diags), key=_report_order)


def _report_order(d: Diagnostic) -> tuple[Any, ...]:
    return (*d.sort_key(), d.target or "", d.item or "", d.hint, d.suppressed_by or "")


def lint(
    root: Path,
    config: Config,
    pack: RulePack,
    today: dt.date,
    lang: str,
    progress: Progress | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    cache: ParseCache | None = None,
    jobs: int = 1,
) -> Result:
    """Run the whole pipeline on one repository (in up to ``jobs`` processes; 0: as many as
    the machine has CPUs, for a repository large enough to gain from it)."""
    stats: dict[str, float] = {}
    settings = select_checks(configure(pack, config), select, ignore)
    with no_cyclic_gc():
        t0 = time.perf_counter()
        limit = process_limit(jobs)
        found, sources = read_sources(root, config, progress, cache, limit)
        t1 = time.perf_counter()
        stats["load"] = t1 - t0
        processes = _processes(jobs, limit, sources)
        shared = None
        if processes > 1:
            shared = _run_shared(
                processes, found, sources, root, config, pack, settings, today, lang, progress
            )
        if shared is not None:
            repo, diagnostics = shared
            t2 = time.perf_counter()
            stats[f"model, history and checks in {processes} processes"] = t2 - t1
            t1 = t2
        else:
            if processes > 1:  # the schema pass did not come back: this process's date pass
                found, sources = read_sources(root, config, None, cache)  # changed the values
                t1 = time.perf_counter()
            repo, load_findings = model_of(found, sources, config, today)
            stats["validate"] = time.perf_counter() - t1
            t1 = time.perf_counter()
            history.assess(repo, root, config.history_mode, config.signed_mode)
            stats["history"] = time.perf_counter() - t1
            t1 = time.perf_counter()
            diagnostics = run_checks(repo, root, pack, settings, lang, load_findings, progress)
        max_months = (
            settings["policylint/exception-unapproved"].steps[0].params.get("max_months", 12)
        )
        diagnostics = exceptions.apply(diagnostics, repo, int(max_months), same_as_aliases(pack))
        diagnostics = sort_unique(
            [*diagnostics, *stale_exceptions(diagnostics, repo, pack, settings, lang, max_months)]
        )
        stats["checks" if shared is None else "exceptions"] = time.perf_counter() - t1
    result = Result(repo, pack, settings, diagnostics, lang, stats)
    if _retained is not None:
        _retained.append(result)
    return result


def stale_exceptions(
    diagnostics: Sequence[Diagnostic],
    repo: Repository,
    pack: RulePack,
    settings: Mapping[str, Setting],
    lang: str,
    max_months: Any,
) -> Iterator[Diagnostic]:
    """``policylint/stale-exception``: computed once every check has run and the exceptions
    were applied (an exception is stale only against the whole run)."""
    setting = settings.get(STALE_EXCEPTION)
    if setting is None or setting.severity is None:
        return
    ran = [s.check.id for s in settings.values() if s.severity is not None]
    checks = [s.check for s in settings.values()]
    for f in exceptions.stale(diagnostics, repo, int(max_months), checks, ran):
        diag = _diagnostic(pack, setting, f, lang)
        if diag is not None:
            yield diag


STALE_EXCEPTION = "policylint/stale-exception"

_retained: list[Result] | None = None


def retain_results() -> None:
    """Keep every result alive until the process exits (the command line's choice).

    Freeing a large model object by object takes seconds; a process that is about to exit can
    skip that work entirely (see ``policylint.cli.entry``). Library users never call this.
    """
    global _retained
    if _retained is None:
        _retained = []
