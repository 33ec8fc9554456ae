"""Shared fixtures: the sample repository, copies of it to mutate, and a runner."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from policylint.config import load_config
from policylint.engine import Result, lint
from policylint.rulepack import load_rulepack

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample-repo"
SHARED = ROOT.parent / "shared"
SAMPLE_AS_OF = dt.date(2026, 11, 1)

Triple = tuple[str, str, int]


# Files of sample-repo/ that tests seed violations into (repository-relative paths).
NORTHSTAR_CTR = "contracts/datacenter-northstar.md"
GINKO_CTR = "contracts/partner-saas-ginko-link.md"
TSUNAGU_CTR = "contracts/partner-saas-tsunagu-ts.md"
MAMORU_CTR = "contracts/security-mamoru.md"
KIZUNA_CTR = "contracts/telecom-kizuna.md"
NOTICE = "policies/acceptable-use-notice.md"
CONF = "policies/confidentiality-requirements.md"
POLICY = "policies/information-security-policy.md"
SUPPORT = "policies/user-support-policy.md"
ACCOUNT_PROC = "procedures/account-management.md"
BACKUP_PROC = "procedures/backup-restore.md"
DISCIPLINARY = "procedures/disciplinary.md"
INCIDENT_PROC = "procedures/incident-response.md"
OFFBOARDING = "procedures/offboarding.md"
PARTNER_PROC = "procedures/partner-management.md"
SYSTEM_AUDIT = "records/audits/2026-07-system-audit.md"
GINKO_AUDIT = "records/audits/2026-08-partner-ginko-link.md"
TSUNAGU_AUDIT = "records/audits/2026-09-partner-tsunagu-ts.md"
DEV_REVIEW = "records/reviews/2026-06-dev-source.md"
INFRA_REVIEW = "records/reviews/2026-08-infra-assets.md"
HR_REVIEW = "records/reviews/2026-09-hr-records.md"
SUPPORT_REVIEW = "records/reviews/2026-10-support-assets.md"
ASSETS = "registers/assets.yaml"
SCHEME = "registers/classification-scheme.yaml"
EXCEPTIONS = "registers/exceptions.yaml"
PARTIES = "registers/external-parties.yaml"
INCIDENTS = "registers/incidents.yaml"
LEGAL = "registers/legal-register.yaml"
PEOPLE = "registers/people.yaml"
RETENTION = "registers/records-retention.yaml"
ROLES = "registers/roles.yaml"


def pytest_configure(config: pytest.Config) -> None:
    """Keep the parse cache of every command the tests run in a folder of their own (never the
    user's cache folder); tests/test_cache.py sets its own where it looks at the cache."""
    import os
    import tempfile

    os.environ["POLICYLINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="policylint-test-cache-")


def run_lint(root: Path, as_of: dt.date | None = SAMPLE_AS_OF, lang: str = "en") -> Result:
    """Lint ``root`` as of ``as_of`` (None: the repository's own ``as_of``, else today)."""
    config = load_config(root)
    today = as_of or config.as_of or dt.date.today()
    return lint(root, config, load_rulepack(config.framework), today, lang)


def triples(result: Result) -> list[Triple]:
    """(check id, path, line) of every active diagnostic, the form most tests compare."""
    return [(d.check_id, d.path, d.line) for d in result.active]


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing ``needle`` (tests never hard-code lines)."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A private copy of sample-repo/ to seed violations into."""
    dest = tmp_path / "repo"
    shutil.copytree(SAMPLE, dest)
    return dest


@pytest.fixture
def edit() -> Callable[[Path, str, str], None]:
    def _edit(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not found in {path}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return _edit
