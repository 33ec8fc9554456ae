from __future__ import annotations

import io

import pytest

from policylint.progress import ProgressLine, progress_for


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_progress_when_not_a_terminal() -> None:
    assert progress_for("en", io.StringIO()) is None


def test_no_progress_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert progress_for("en", FakeTTY()) is None


def test_progress_appears_only_after_the_delay_and_is_erased(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)
    out = FakeTTY()
    line = progress_for("ja", out)
    assert isinstance(line, ProgressLine)
    line("load", 1, 10)
    assert out.getvalue() == ""  # a quick run never shows it
    line.start -= 5
    line("load", 5, 10)
    assert out.getvalue() == "\r\033[Kpolicylint: ファイル読み込み 5/10"
    line.close()
    assert out.getvalue().endswith("\r\033[K")


PHASES = ["start-up", "load", "validate", "history", "checks", "report", "other", "total"]
"""What --stats prints, in order: the phases add up to the total of the whole run."""


def test_stats_prints_every_phase_on_stderr() -> None:
    from click.testing import CliRunner

    from policylint.cli import main

    from conftest import SAMPLE

    result = CliRunner().invoke(main, ["check", str(SAMPLE), "--stats", "--lang", "en"])
    assert result.exit_code == 0
    *timed, cache = result.stderr.splitlines()
    phases = [line.split()[1] for line in timed]
    assert phases == PHASES
    seconds = [float(line.split()[2]) for line in timed]
    assert abs(sum(seconds[:-1]) - seconds[-1]) < 0.01  # the phases account for the whole run
    files = len([p for p in SAMPLE.rglob("*") if p.suffix in (".md", ".yaml")])
    hits, misses = int(cache.split()[2]), int(cache.split()[4])
    assert cache.startswith("policylint: cache ") and 0 < hits + misses <= files
    assert "No problems found" in result.stdout


def test_report_stats_use_the_same_phases() -> None:
    from click.testing import CliRunner

    from policylint.cli import main

    from conftest import SAMPLE

    result = CliRunner().invoke(main, ["report", str(SAMPLE), "--stats", "--format", "json"])
    assert result.exit_code == 0
    phases = [line.split()[1] for line in result.stderr.splitlines()]
    assert phases == PHASES
