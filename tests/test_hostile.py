"""The hostile corpus: every malformed or hostile file gives its diagnostic, never a crash.

Each case of ``tests/hostile/expectations.yaml`` is one file (committed under
``tests/hostile/cases/``, or generated here at run time when it is big or cannot be committed:
50 MB files, alias bombs, symbolic links, pipes, file names with control characters). The file
is put beside the clean governance files of ``tests/hostile/clean/`` and the repository is checked
through the command line. The run must

- exit with the expected code and print no traceback,
- report exactly the expected diagnostics for the hostile file (check id, line, text fragment),
- still check the clean files: their two seeded warnings are reported, nothing else about them.

Everything the loader reads is data: a case that tries to run code (``!!python/object/apply``)
would create a file named ``PWNED``; the test checks that it never appears.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from policylint.cli import main
from policylint.loader import read_source

HERE = Path(__file__).resolve().parent / "hostile"
CASES = HERE / "cases"
CLEAN = HERE / "clean"
EXPECTATIONS: list[dict[str, Any]] = yaml.safe_load(
    (HERE / "expectations.yaml").read_text(encoding="utf-8")
)["cases"]

CLEAN_FINDINGS = {
    ("policies/policy.md", 7, "II.4.2.1/document-labelled"),
    ("registers/people.yaml", 16, "II.5.1.1/nda-before-access"),
}
"""The violations seeded into the clean files: reported whatever lies beside them."""

# ---------------------------------------------------------------------------------------------
# generated cases: too big, or not committable (links, pipes, names with control characters)


def billion_laughs(levels: int = 10, fan: int = 9) -> str:
    """The classic alias bomb: ``fan ** levels`` strings from a few hundred bytes."""
    lines = ["kind: people", 'a0: &a0 ["lol"' + ', "lol"' * (fan - 1) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * fan) + "]")
    lines.append(f"items: [*a{levels - 1}]")
    return "\n".join(lines) + "\n"


def alias_fanout() -> str:
    """A milder fan-out: 120 people share a 5,000-entry training list (about a million values)."""
    lines = [
        "kind: people",
        "t: &t {course: 1, completed_on: 2020/01/01}",
        "all: &all [" + ", ".join(["*t"] * 5000) + "]",
        "items:",
    ]
    lines += [f"  - {{id: p-fan-{i}, status: active, trainings: *all}}" for i in range(120)]
    return "\n".join(lines) + "\n"


def _write(text: str | bytes) -> Callable[[Path, str], None]:
    def gen(folder: Path, name: str) -> None:
        data = text.encode() if isinstance(text, str) else text
        (folder / name).write_bytes(data)

    return gen


def _fifty_megabytes(folder: Path, name: str) -> None:
    row = b"  - {id: p-big, status: active}\n"
    with (folder / name).open("wb") as fh:
        fh.write(b"kind: people\nitems:\n")
        fh.write(row * (50 * 1024 * 1024 // len(row) + 1))


def _long_line(folder: Path, name: str) -> None:
    title = "x" * (9 * 1024 * 1024)
    text = f"kind: roles\nclassification: internal\nitems:\n  - id: r-long\n    title: {title}\n"
    (folder / name).write_text(text + "    management: maybe\n", encoding="utf-8")


def _deep_block(folder: Path, name: str) -> None:
    text = "kind: people\nitems:\n" + "".join("  " * i + "- \n" for i in range(1, 3000))
    (folder / name).write_text(text, encoding="utf-8")


def _symlink(target: str) -> Callable[[Path, str], None]:
    def gen(folder: Path, name: str) -> None:
        (folder / name).symlink_to(target)

    return gen


def _fifo(folder: Path, name: str) -> None:
    os.mkfifo(folder / name)


def _raw_name(raw: bytes) -> Callable[[Path, str], None]:
    def gen(folder: Path, name: str) -> None:
        text = b"kind: roles\nclassification: internal\nitems:\n  - {id: r-name, title: T}\n"
        with open(os.fsencode(folder) + b"/" + raw, "wb") as fh:
            fh.write(text)

    return gen


def _name_at_root(folder: Path, name: str) -> None:
    text = "kind: roles\nclassification: internal\nitems:\n  - {id: r-name, title: T}\n"
    (folder.parent / name).write_text(text, encoding="utf-8")


def _clean_policy(body: str, doc_id: str = "pol-hostile") -> str:
    text = (CLEAN / "policies" / "policy.md").read_text(encoding="utf-8")
    front = text[: text.index("---\n", 4) + 4].replace("pol-clean", doc_id)
    front = front.replace("classification: top-secret", "classification: internal")
    return front + body


def _policy_with(body: str) -> Callable[[Path, str], None]:
    def gen(folder: Path, name: str) -> None:
        (folder / name).write_text(_clean_policy(body), encoding="utf-8")

    return gen


def _signature_link(folder: Path, name: str) -> None:
    (folder / "stolen.txt").symlink_to("/etc/passwd")
    text = (CASES / "md-signature-traversal.md").read_text(encoding="utf-8")
    text = text.replace("pol-traversal", "pol-sig-link")
    text = text.replace("../../../../etc/passwd", "hostile/stolen.txt")
    (folder / name).write_text(text, encoding="utf-8")


def _inside_folder_link(folder: Path, name: str) -> None:
    (folder / name).symlink_to("../registers", target_is_directory=True)


def _outside_config(name: str, text: str) -> Callable[[Path, str], None]:
    """The configuration file ``name`` at the root as a link to a file outside the root."""

    def gen(folder: Path, _: str) -> None:
        secret = folder.parent.parent / "secret.txt"
        secret.write_text(text, encoding="utf-8")
        (folder.parent / "policylint.yaml").unlink()
        (folder.parent / name).symlink_to(secret)

    return gen


def _root_file(name: str, content: str | bytes) -> Callable[[Path, str], None]:
    """``name`` at the root (``policylint.yaml`` replaced by it when it is ``pyproject.toml``)."""

    def gen(folder: Path, _: str) -> None:
        if name == "pyproject.toml":
            (folder.parent / "policylint.yaml").unlink()
        data = content.encode() if isinstance(content, str) else content
        (folder.parent / name).write_bytes(data)

    return gen


def _sparse(name: str, size: int) -> Callable[[Path, str], None]:
    """A file of ``size`` bytes that takes no room on disk (its size is all ``stat`` sees)."""

    def gen(folder: Path, _: str) -> None:
        with (folder / name).open("wb") as fh:
            fh.truncate(size)

    return gen


def _in_folder(name: str, content: str) -> Callable[[Path, str], None]:
    def gen(folder: Path, _: str) -> None:
        (folder / name).write_text(content, encoding="utf-8")

    return gen


def _fifo_named(name: str) -> Callable[[Path, str], None]:
    def gen(folder: Path, _: str) -> None:
        os.mkfifo(folder / name)

    return gen


def _nothing(folder: Path, name: str) -> None:
    pass


def _long_signature(folder: Path, name: str) -> None:
    text = _clean_policy("# Policy\n", "pol-long-signature")
    (folder / name).write_text(text.replace("evidence/signature.txt", LONG_SIGNATURE), "utf-8")


def _dangling_target(folder: Path, name: str) -> None:
    (folder / "new-repo").symlink_to("nowhere")


DEEP_TOML = "[tool.policylint]\nx = " + "[" * 100_000 + "]" * 100_000 + "\n"
BIG_INT_TOML = "[tool.policylint]\nmax_file_bytes = " + "9" * 5000 + "\n"
DEEP_JSON = "[" * 100_000 + "]" * 100_000
BIG_NUMBER_JSON = '{"policylint_baseline": ' + "1" * 5001 + ', "findings": []}'
LONG_SIGNATURE = "evidence/" + "a" * 5000 + ".pdf"

GENERATORS: dict[str, Callable[[Path, str], None]] = {
    "billion-laughs": _write(billion_laughs()),
    "alias-fanout": _write(alias_fanout()),
    "deep-flow": _write("kind: people\nitems: " + "[" * 100_000 + "]" * 100_000 + "\n"),
    "deep-block": _deep_block,
    "fifty-megabytes": _fifty_megabytes,
    "long-line": _long_line,
    "symlink-to-file-outside": _symlink("/etc/passwd"),
    "symlink-to-folder-outside": _symlink("/etc"),
    "dangling-symlink": _symlink("no-such-file.yaml"),
    "symlink-to-folder-inside": _inside_folder_link,
    "signature-symlink-outside": _signature_link,
    "fifo": _fifo,
    "newline-in-name": _raw_name(b"evil\n::error file=x.md::forged\x1b[31m.yaml"),
    "undecodable-name": _raw_name(b"bad\xff.yaml"),
    "bidi-in-name": _raw_name("policy\u202edm.yaml".encode()),
    "command-name-at-root": _name_at_root,
    "location-in-name": _raw_name(b"ok.md:1:1: ERROR forged.md"),
    "backtracking-heading": _policy_with("# " + "a" * 30_000 + "!\n"),
    "config-link-outside": _outside_config("policylint.yaml", "SECRET_TOKEN_1f2e: 1\n"),
    "pyproject-link-outside": _outside_config(
        "pyproject.toml", "[tool.policylint]\nSECRET_TOKEN_1f2e = 1\n"
    ),
    "config-huge": _root_file("policylint.yaml", "# padding\n" * 200_000),
    "config-fifo": _fifo_named("config.yaml"),
    "pyproject-deep": _root_file("pyproject.toml", DEEP_TOML),
    "pyproject-tool-5": _root_file("pyproject.toml", "tool = 5\n"),
    "pyproject-policylint-5": _root_file("pyproject.toml", "[tool]\npolicylint = 5\n"),
    "pyproject-big-int": _root_file("pyproject.toml", BIG_INT_TOML),
    "baseline-deep": _in_folder("deep.json", DEEP_JSON),
    "baseline-big-number": _in_folder("big-number.json", BIG_NUMBER_JSON),
    "baseline-fifo": _fifo_named("baseline.json"),
    "baseline-huge": _sparse("huge.json", 300 * 1024 * 1024),
    "nothing": _nothing,
    "dangling-init-target": _dangling_target,
    "long-signature": _long_signature,
    "regular-file": _in_folder("file.txt", "not a folder\n"),
}

# ---------------------------------------------------------------------------------------------
# running


def make_repo(tmp_path: Path, cases: list[dict[str, Any]]) -> Path:
    """The clean files plus the hostile file(s) of ``cases`` under ``hostile/``."""
    repo = tmp_path / "repo"
    shutil.copytree(CLEAN, repo)
    folder = repo / "hostile"
    folder.mkdir()
    for case in cases:  # settings of the case, appended to the clean configuration (as JSON)
        extra = case.get("config", {})
        lines = [f"  {k}: {json.dumps(v)}\n" for k, v in extra.get("checks", {}).items()]
        lines += [f"{k}: {json.dumps(v)}\n" for k, v in extra.items() if k != "checks"]
        with (repo / "policylint.yaml").open("a", encoding="utf-8") as fh:
            fh.writelines(lines)
    for case in cases:
        if "generate" in case:
            if case["generate"] == "fifo" and not hasattr(os, "mkfifo"):
                pytest.skip("no named pipes on this platform")
            GENERATORS[case["generate"]](folder, case["name"])
        else:
            shutil.copy(CASES / case["name"], folder / case["name"])
    return repo


def run_cli(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """``policylint ARGS`` in process: exit code, stdout, stderr."""
    runner = CliRunner()
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def expected(case: dict[str, Any]) -> set[tuple[str, int, str]]:
    path = case.get("path", "hostile/" + case["name"])
    return {(e.get("path", path), e["line"], e["check"]) for e in case.get("expect", [])}


def test_the_corpus_is_large_and_every_committed_case_is_listed() -> None:
    assert len(EXPECTATIONS) >= 40
    names = [c["name"] for c in EXPECTATIONS]
    assert len(names) == len(set(names))
    committed = {p.name for p in CASES.iterdir()}
    listed = {c["name"] for c in EXPECTATIONS if "generate" not in c}
    assert committed == listed
    assert all(c["generate"] in GENERATORS for c in EXPECTATIONS if "generate" in c)


def test_the_clean_files_alone_give_only_their_seeded_warnings(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, [])
    code, out, err = run_cli("check", "--format", "json", str(repo))
    found = {(d["path"], d["line"], d["check"]) for d in json.loads(out)["diagnostics"]}
    assert (code, found, err) == (0, CLEAN_FINDINGS, "")


@pytest.mark.parametrize("case", EXPECTATIONS, ids=[c["name"] for c in EXPECTATIONS])
def test_hostile_file(case: dict[str, Any], tmp_path: Path) -> None:
    repo = make_repo(tmp_path, [case])
    args = case.get("args", ["check", "--format", "json", "{root}"])
    t0 = time.perf_counter()
    code, out, err = run_cli(*(a.format(root=repo, tmp=tmp_path) for a in args), cwd=repo)
    elapsed = time.perf_counter() - t0
    assert elapsed < case.get("seconds", 60), elapsed  # generous: CI machines vary
    assert "Traceback" not in out + err and "internal error" not in err
    assert "SECRET_TOKEN" not in out + err  # nothing of a file outside the root is shown
    if "stderr" in case:  # a usage error: one line, in the language asked for
        assert (code, err.count("\n")) == (case["exit"], 1), (code, err)
        assert case["stderr"] in err, err
        return
    assert err == ""
    report = json.loads(out)
    diags = report["diagnostics"]
    if case.get("diagnostics") == "any":  # the case is about how the run ends, not what it finds
        assert code == case["exit"] and diags
        return
    found = {(d["path"], d["line"], d["check"]) for d in diags}
    assert found == expected(case) | CLEAN_FINDINGS
    for e in case.get("expect", []):
        path = e.get("path", case.get("path", "hostile/" + case["name"]))
        messages = [d["message"] for d in diags if (d["path"], d["line"]) == (path, e["line"])]
        assert any(e["text"] in m for m in messages), (e["text"], messages)
    for d in diags:
        assert d["line"] >= 1 and d["column"] >= 1
        assert "\n" not in d["message"] and "\x1b" not in d["message"]
    assert code == case["exit"]
    assert not (repo / "PWNED").exists() and not Path("PWNED").exists()


FILE_CASES = [c for c in EXPECTATIONS if not {"config", "args", "stderr", "diagnostics"} & set(c)]
"""The cases that are one hostile file each (the others change the configuration or the command
line): they can all lie in one repository."""


def test_all_hostile_files_together_in_one_process(tmp_path: Path) -> None:
    """One real process over the whole corpus at once: each file is reported as when alone, and
    the text output stays one line per diagnostic whatever the files contain."""
    cases = FILE_CASES
    repo = make_repo(tmp_path, cases)
    proc = subprocess.run(
        [sys.executable, "-m", "policylint", "check", "--lang", "en", str(repo)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=repo,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == "" and "Traceback" not in proc.stdout
    lines = proc.stdout.splitlines()
    heads = [ln for ln in lines if ln and not ln.startswith((" ", "\t"))]
    diag_lines = [ln for ln in heads if ": ERROR " in ln or ": WARNING " in ln]
    # nothing a file contains starts a line of its own (forged diagnostics, workflow commands)
    assert not [ln for ln in lines if ln.startswith("::")]
    want = set(CLEAN_FINDINGS)
    for case in cases:
        want |= expected(case)
    got = set()
    for ln in diag_lines:
        where, _, rest = ln.partition(": ")
        path, line, _col = where.rsplit(":", 2)
        got.add((path, int(line), rest.split()[1]))
    assert got == want


def test_parse_times_of_an_alias_bomb_and_a_50_mb_file(tmp_path: Path) -> None:
    """Both are refused after very little work. Timings are printed (``pytest -s``), not asserted
    beyond a generous sanity bound: CI machines vary."""
    (tmp_path / "bomb.yaml").write_text(billion_laughs(), encoding="utf-8")
    (tmp_path / "fanout.yaml").write_text(alias_fanout(), encoding="utf-8")
    _fifty_megabytes(tmp_path, "big.yaml")
    for name, key in (
        ("bomb.yaml", "alias-bomb"),
        ("fanout.yaml", "alias-bomb"),
        ("big.yaml", "too-large"),
    ):
        t0 = time.perf_counter()
        src = read_source(tmp_path, name)
        elapsed = time.perf_counter() - t0
        print(f"{name}: {key} after {elapsed * 1000:.1f} ms")
        assert [f.finding.key for f in src.findings] == [key]
        assert elapsed < 10


def test_output_is_identical_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, [c for c in FILE_CASES if "generate" not in c])
    outputs = []
    for seed in ("1", "2"):
        proc = subprocess.run(
            [sys.executable, "-m", "policylint", "check", "--format", "json", str(repo)],
            capture_output=True,
            timeout=300,
            cwd=repo,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert proc.returncode == 1 and proc.stderr == b""
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1]


INJECTION = [
    c
    for c in FILE_CASES
    if any(w in c["name"] for w in ("forged", "control", "name", "ERROR", "::", "bidi"))
]


def test_no_format_lets_a_repository_string_start_a_line_or_hold_html(tmp_path: Path) -> None:
    """Every output of `check` and `report` over the injection cases: no line begins with `::`
    unless it is an annotation policylint wrote, no control or bidi character is written, and
    the GitHub job summary holds no HTML from the repository."""
    assert len(INJECTION) >= 6
    repo = make_repo(tmp_path, INJECTION)
    summary = tmp_path / "summary.md"
    outputs: dict[str, str] = {}
    for fmt in ("text", "json", "sarif", "junit", "github"):
        env = {"GITHUB_STEP_SUMMARY": str(summary)} if fmt == "github" else {}
        result = CliRunner(env=env).invoke(main, ["check", "--format", fmt, str(repo)])
        assert result.exit_code == 1, result.output
        outputs[fmt] = result.stdout
    for fmt in ("md", "html", "json", "oscal", "ics"):
        result = CliRunner().invoke(main, ["report", "--format", fmt, str(repo)])
        assert result.exit_code == 0, result.output
        outputs["report-" + fmt] = result.stdout
    outputs["summary"] = summary.read_text(encoding="utf-8")
    assert "::add-mask::secret" in outputs["report-md"].replace("\\x3a", ":")  # it is printed
    for name, text in outputs.items():
        for line in text.splitlines():
            if name == "github" and line.startswith(("::error file=", "::warning file=")):
                continue  # policylint's own command; its values are escaped (% : , \n)
            assert not line.startswith("::"), (name, line)
            assert "ok.md:1:1: ERROR forged" not in line, (name, line)
        assert not re.search(
            "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text
        )
    for tag in ("<h1>All", "<img src"):
        assert tag not in outputs["summary"] and tag not in outputs["report-md"]
        assert tag not in outputs["report-html"]


def _schema_patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return found + [p for v in node.values() for p in _schema_patterns(v)]
    if isinstance(node, list):
        return [p for v in node for p in _schema_patterns(v)]
    return []


def test_no_schema_pattern_accepts_a_trailing_newline() -> None:
    """JSON Schema patterns are ECMA regular expressions, but jsonschema (and our compiled
    validator) run them with Python's ``re.search``, whose ``$`` also matches before a final
    newline: every anchored pattern ends in ``(?!\\n)$``, which means the same in both."""
    schemas = Path(__file__).resolve().parents[1] / "schemas"
    patterns = [
        p
        for f in sorted(schemas.rglob("*.json"))
        for p in _schema_patterns(json.loads(f.read_text(encoding="utf-8")))
    ]
    assert len(patterns) > 30
    for pattern in patterns:
        assert not pattern.endswith("$") or pattern.endswith("(?!\\n)$"), pattern
        sample = {"^[A-Za-z0-9][A-Za-z0-9._-]*(?!\\n)$": "exc-1", "^[A-Z]{2}(?!\\n)$": "JP"}
        if pattern in sample:
            assert re.search(pattern, sample[pattern])
            assert not re.search(pattern, sample[pattern] + "\n")


def _ten_megabyte_policy(folder: Path, name: str) -> None:
    """10.4 MB of Markdown body (under the 10 MiB default limit) in the shapes that cost
    markdown-it the most memory per byte: short paragraphs and a long list."""
    text = (CASES / "md-forged-values.md").read_text(encoding="utf-8")
    front = text[: text.index("---\n", 4) + 4].replace("<h1>All checks passed</h1>", "pol-10mb")
    front = front.replace('"ok.md:1:1: ERROR forged"', "ceo")
    n = 10_400_000 // 2
    body = "# Scope\n\n" + "a\n\n" * (n // 3) + "- a\n" * (n // 4)
    (folder / name).write_text(front + body, encoding="utf-8")


GENERATORS["ten-megabyte-policy"] = _ten_megabyte_policy

# The peak RSS of this process image: VmHWM of /proc/self/status. (ru_maxrss is no good here:
# Linux folds the RSS of the process before exec into it, so a child of a large pytest process
# would report pytest's size.)
_PEAK_RSS = """
import resource, sys
from policylint.cli import main
try:
    main(sys.argv[1:], prog_name="policylint")
except SystemExit as exc:
    code = exc.code
try:
    status = open("/proc/self/status").read()
    peak = int(status.split("VmHWM:")[1].split()[0]) * 1024
except (OSError, IndexError, ValueError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(code, peak, file=sys.stderr)
"""


def test_a_ten_megabyte_markdown_body_stays_within_50_times_its_size(tmp_path: Path) -> None:
    """markdown-it keeps several objects per line and block: parsing this body whole took
    4-5 GB (about 410 bytes per byte). Parsed in pieces, the run's peak memory (measured in a
    child process) stays below 50 times the file and 1 GB."""
    repo = make_repo(tmp_path, [])
    (repo / "policylint.yaml").write_text(
        "as_of: 2026-11-01\nlang: en\nchecks: {II: {severity: off}, "
        "II.1.1.1/policy-sections: {severity: error}}\n",
        encoding="utf-8",
    )
    _ten_megabyte_policy(repo / "hostile", "big.md")
    size = (repo / "hostile" / "big.md").stat().st_size
    assert size > 10_000_000
    proc = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS, "check", "--format", "json", str(repo)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    code, peak = (int(x) for x in proc.stderr.split()[-2:])
    found = {(d["path"], d["line"], d["check"]) for d in json.loads(proc.stdout)["diagnostics"]}
    print(f"10.4 MB Markdown: peak RSS {peak / 2**20:.0f} MiB ({peak / size:.1f} x the file)")
    assert ("hostile/big.md", 2, "II.1.1.1/policy-sections") in found  # headings were read
    assert code == 1 and peak < min(50 * size, 2**30)
