"""Facts from git history: which commit recorded each approval, whether the text in force is the
text approved, and who signed the approval.

The only module that runs ``git``. It runs the real ``git`` command with a fixed argument list
(no shell), in an environment stripped of ``GIT_*`` variables and of the user's and the system's
configuration, with every setting that could make git run a program forced to a harmless value:
nothing in the checked repository (hooks, ``core.fsmonitor``, ``gpg.ssh.program``, diff drivers,
replace refs) is ever executed or honoured. It never writes into the repository: the allowed-signers
list for signature verification is written to a temporary folder outside it.

The calls are batched, never one process per document:

1. ``git rev-parse`` (top of the work tree, the root's prefix in it, shallow or not);
2. one ``git log --raw`` over the root: every commit and the blobs it changed (renames followed);
3. one ``git cat-file --batch`` process, fed on demand with the blobs of the versions needed;
4. one ``git log --no-walk --stdin`` over the approval commits, with ``%G?`` (signature status)
   verified against the allowed-signers list built from the people register.

:func:`assess` turns them into :class:`HistoryFacts` on the model (``Repository.history``), which
the approval checks, the compliance report and ``policylint history`` all read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from policylint.approval import (
    DIGEST_RE,
    Content,
    ContentChange,
    approval_key,
    compare,
    content_of,
)
from policylint.loader import decode, parse_yaml, split_front_matter
from policylint.model import Entity, Repository

TIMEOUT_S = 300
"""Longest any one git command may run (a huge history on a slow disk), then: history unreadable."""
MAX_BLOB_BYTES = 10 * 1024 * 1024

HISTORY_MODES = ("auto", "required", "off")
SIGNED_MODES = ("optional", "required")

_SAFE_CONFIG: tuple[str, ...] = (
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "core.pager=cat",
    "core.quotePath=false",
    "gpg.program=gpg",
    "gpg.ssh.program=ssh-keygen",
    "gpg.x509.program=gpgsm",
    "gpg.ssh.defaultKeyCommand=",
    "gpg.ssh.revocationFile=/dev/null",
    "log.showSignature=false",
    "log.follow=false",
    "diff.external=",
    "i18n.logOutputEncoding=UTF-8",
    "protocol.allow=never",
)
"""Forced on every call (``-c`` beats the repository's own ``.git/config``)."""

_SSH_KEY = re.compile(
    r"(?:ssh-(?:ed25519|rsa|dss)|ecdsa-sha2-nistp(?:256|384|521)"
    r"|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}"
)
_OPENPGP_FPR = re.compile(r"[0-9A-Fa-f]{40}")
_PRINCIPAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def git_env() -> dict[str, str]:
    """The environment of every git call: no GIT_* variable of the caller (a hook's GIT_DIR,
    GIT_INDEX_FILE), no system or global configuration, no replace refs, no prompts."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_NO_REPLACE_OBJECTS="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_ATTR_NOSYSTEM="1",
        LC_ALL="C",
        LANGUAGE="C",
    )
    return env


def git_argv(cwd: Path, *args: str, config: Sequence[str] = ()) -> list[str]:
    argv = ["git", "-C", str(cwd), "--no-pager"]
    for setting in (*_SAFE_CONFIG, *config):
        argv += ["-c", setting]
    return [*argv, *args]


class GitError(Exception):
    def __init__(self, message: str, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


def run_git(
    cwd: Path,
    *args: str,
    config: Sequence[str] = (),
    stdin: bytes | None = None,
    ok_codes: tuple[int, ...] = (0,),
) -> bytes:
    try:
        proc = subprocess.run(
            git_argv(cwd, *args, config=config),
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            env=git_env(),
            timeout=TIMEOUT_S,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("the git command is not installed", missing=True) from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git could not run: {exc}") from None
    if proc.returncode not in ok_codes:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(lines[-1] if lines else f"git exited with {proc.returncode}")
    return proc.stdout


# ---------------------------------------------------------------------------------------------
# Facts


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    email: str
    date: str
    """Author date, ISO 8601 with the author's offset."""

    @property
    def short(self) -> str:
        return self.sha[:8]

    @property
    def day(self) -> str:
        return self.date[:10]


@dataclass(frozen=True)
class Version:
    """A committed version of a document: the commit that wrote it and its blob."""

    commit: Commit
    path: str
    blob: str


@dataclass(frozen=True)
class Signature:
    """What verification of an approval commit found.

    ``status``: ``verified`` (a good signature by a key of ``signer``), ``none``, ``bad``,
    ``unknown-key`` (a good signature by a key nobody in the people register lists), or
    ``unverifiable`` (expired or revoked key, missing public key: ``detail`` says)."""

    status: str
    signer: str | None = None
    key: str = ""
    detail: str = ""
    via: str = "commit"
    """What carries the signature: ``commit`` or ``tag NAME`` (a signed tag naming it)."""


@dataclass
class ApprovalFacts:
    """One approved document: its recorded approval and whether the text in force is that text."""

    doc: Entity
    versions: list[Version] = field(default_factory=list)
    """Committed versions, newest first (empty: never committed)."""
    keys: list[str | None] = field(default_factory=list)
    """Approval key of each version read (None: unreadable), parallel to ``versions``."""
    approval: Version | None = None
    """The version whose commit recorded the current approval."""
    pending: bool = False
    """The working tree records an approval that is not committed yet."""
    unknown: str | None = None
    """Why the history cannot answer for this document (a shallow clone)."""
    change: ContentChange | None = None
    """How the text in force differs from the approved text (None or empty: it does not)."""
    changed_by: Commit | None = None
    """The first commit after the approval that changed the content (None: uncommitted)."""
    later_changes: int = 0
    digest_recorded: str | None = None
    digest_matches: bool | None = None
    signature: Signature | None = None
    authors: list[Commit] = field(default_factory=list)
    """Commits that wrote the approved change (since the previous approval)."""
    _current: Content | None = field(default=None, repr=False)
    head_matches: bool = False
    """The working-tree file is the committed one, byte for byte."""

    @property
    def current(self) -> Content:
        """The content in force (the working tree, as the model holds it), normalised on first
        use: a run without git history and without recorded digests never needs it."""
        if self._current is None:
            self._current = content_of(self.doc.data, self.doc.source.body)
        return self._current

    @property
    def digest(self) -> str:
        """The digest of the content in force."""
        return self.current.digest

    @property
    def in_force_is_approved(self) -> bool | None:
        """True/False when the history or the digest can tell, None when neither can."""
        if self.digest_matches is False:
            return False
        if self.approval is not None or self.pending:
            return not self.change
        if self.digest_matches:
            return True
        return None


@dataclass
class HistoryFacts:
    """What the history of the repository says, for the whole run.

    ``status``: ``available``; ``off`` (configuration); ``not-a-work-tree`` (no ``.git``: an
    exported copy); ``git-missing``; ``git-error`` (``detail``); ``no-commits``."""

    status: str
    mode: str = "auto"
    signed: str = "optional"
    detail: str = ""
    shallow: bool = False
    approvals: dict[Entity, ApprovalFacts] = field(default_factory=dict)
    signers_checked: bool = False
    top: Path | None = None
    """The top of the git work tree (when the history was read)."""

    @property
    def available(self) -> bool:
        return self.status in ("available", "no-commits")

    @property
    def shallow_documents(self) -> list[ApprovalFacts]:
        return [a for a in self.approvals.values() if a.unknown == "shallow"]

    def of(self, doc: Entity) -> ApprovalFacts | None:
        return self.approvals.get(doc)


# ---------------------------------------------------------------------------------------------
# Reading the history


def find_work_tree(root: Path) -> Path | None:
    """The folder holding ``.git`` at or above ``root`` (None: not inside a work tree)."""
    try:
        here = root.resolve()
    except OSError:
        return None
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def approved_documents(repo: Repository) -> list[Entity]:
    """Documents that record an approval (``approved_on``) or an approved digest."""
    return [
        d
        for d in repo.documents
        if d.get("approved_on") is not None or d.get("approved_digest") is not None
    ]


def assess(
    repo: Repository,
    root: Path,
    mode: str = "auto",
    signed: str = "optional",
    previous: HistoryFacts | None = None,
    trust_disk: bool = True,
    memo: dict[Any, Any] | None = None,
) -> HistoryFacts:
    """Compute the history facts of every approved document (once per run) and store them on
    the model as ``repo.history``.

    ``previous``: the facts of the same repository before one file changed (the language
    server). Without git history a document's facts depend on the document alone, so those of
    the documents that are still the same objects are kept instead of computed again.
    ``trust_disk``: the model's texts are the files on disk (a run of ``check``), so a file
    identical to its committed blob need not be read from git; the language server, whose texts
    are editor buffers, passes False.
    ``memo``: answers of git kept from one call to the next (the language server, which empties
    it when the history moves): the repository's log, and blobs (which never change).
    """
    docs = approved_documents(repo)
    facts = HistoryFacts("off", mode, signed)
    kept: dict[Entity, ApprovalFacts] = {}
    if previous is not None and (mode == "off" or find_work_tree(root) is None):
        kept = {doc: previous.approvals[doc] for doc in docs if doc in previous.approvals}
    for doc in docs:
        if doc in kept:
            facts.approvals[doc] = kept[doc]
            continue
        item = ApprovalFacts(doc)
        recorded = doc.get("approved_digest")
        if isinstance(recorded, str) and DIGEST_RE.fullmatch(recorded.strip()):
            item.digest_recorded = recorded.strip()
            item.digest_matches = item.digest_recorded == item.digest
        facts.approvals[doc] = item
    repo.history = facts
    if mode == "off":
        return facts
    if find_work_tree(root) is None:
        facts.status = "not-a-work-tree"
        return facts
    try:
        _read(facts, repo, root, docs, trust_disk, memo if memo is not None else {})
    except GitError as exc:
        facts.status = "git-missing" if exc.missing else "git-error"
        facts.detail = str(exc)
        for item in facts.approvals.values():
            _reset(item)
    return facts


def _reset(item: ApprovalFacts) -> None:
    item.versions, item.keys, item.approval, item.pending = [], [], None, False
    item.change, item.changed_by, item.unknown, item.signature = None, None, None, None


def _memo_git(memo: dict[Any, Any], cwd: Path, *args: str) -> bytes:
    """``run_git`` for a question whose answer only a change of the history changes."""
    key = ("git", str(cwd), *args)
    if key not in memo:
        memo[key] = run_git(cwd, *args)
    return bytes(memo[key])


def _read(
    facts: HistoryFacts,
    repo: Repository,
    root: Path,
    docs: list[Entity],
    trust_disk: bool,
    memo: dict[Any, Any],
) -> None:
    out = _memo_git(
        memo, root, "rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository"
    ).decode("utf-8", "replace")
    lines = out.split("\n")
    if len(lines) < 3:
        raise GitError("git rev-parse gave an unexpected answer")
    top, prefix, shallow = Path(lines[0]), lines[1], lines[2].strip() == "true"
    facts.shallow = shallow
    facts.top = top
    facts.status = "available"
    if not docs:
        return
    try:
        log = _memo_git(
            memo,
            root,
            "log",
            "-z",
            "--topo-order",
            "--no-abbrev",
            "--raw",
            "-M",
            "--no-textconv",
            "--no-ext-diff",
            "--format=%x1eC%H%x1f%P%x1f%aI%x1f%an%x1f%ae",
            "HEAD",
            "--",
            ".",
        )
    except GitError as exc:
        if "does not have any commits" in str(exc) or "bad default revision" in str(exc):
            facts.status = "no-commits"
            return
        raise
    boundary = _shallow_commits(top) if shallow else set()
    by_path = {prefix + d.path: facts.approvals[d] for d in docs}
    _versions(log, by_path)
    wanted: list[str] = []
    for item in facts.approvals.values():
        if item.versions:
            item.head_matches = trust_disk and _head_matches(item, root)
            first = 1 if item.head_matches else 0
            wanted += [v.blob for v in item.versions[first : BlobReader.PREFETCH_VERSIONS]]
    with BlobReader(top, memo.setdefault("blobs", {}), memo.setdefault("parsed", {})) as blobs:
        blobs.prefetch(wanted)
        for item in facts.approvals.values():
            _approval(item, blobs, boundary)
    _signatures(facts, repo, top)


def _shallow_commits(top: Path) -> set[str]:
    """The boundary commits of a shallow clone (their parents were not fetched)."""
    path = top / ".git" / "shallow"
    if (top / ".git").is_file():  # a linked work tree or submodule: ask git where it is
        try:
            rel = run_git(top, "rev-parse", "--git-path", "shallow").decode().strip()
        except GitError:
            return set()
        path = Path(rel) if Path(rel).is_absolute() else top / rel
    try:
        if path.stat().st_size > MAX_BLOB_BYTES:
            return set()
        return set(path.read_text(encoding="ascii", errors="replace").split())
    except OSError:
        return set()


def _versions(log: bytes, by_path: Mapping[str, ApprovalFacts]) -> None:
    """Every committed version of every tracked document, newest first, following renames."""
    tracked: dict[str, ApprovalFacts] = dict(by_path)
    done: set[int] = set()
    for chunk in log.split(b"\x1e"):
        if not chunk.startswith(b"C"):
            continue
        header, _, rest = chunk.partition(b"\x00")
        parts = header[1:].decode("utf-8", "replace").split("\x1f")
        if len(parts) < 5:
            continue
        commit = Commit(parts[0], parts[3], parts[4], parts[2])
        tokens = rest.split(b"\x00")
        i = 0
        while i < len(tokens):
            meta = tokens[i].strip()
            i += 1
            if not meta.startswith(b":"):
                continue
            fields = meta[1:].split()
            if len(fields) < 5:
                continue
            status = fields[4][:1].decode("ascii", "replace")
            new_blob = fields[3].decode("ascii", "replace")
            if status in ("R", "C"):
                old_path = tokens[i].decode("utf-8", "surrogateescape")
                new_path = tokens[i + 1].decode("utf-8", "surrogateescape")
                i += 2
            else:
                old_path = new_path = tokens[i].decode("utf-8", "surrogateescape")
                i += 1
            item = tracked.get(new_path)
            if item is None or id(item) in done:
                continue
            if status == "D":  # deleted here, re-created later: the history starts after this
                done.add(id(item))
                continue
            item.versions.append(Version(commit, new_path, new_blob))
            if status == "R":
                del tracked[new_path]
                tracked[old_path] = item
            elif status in ("A", "C"):
                done.add(id(item))


class BlobReader:
    """One ``git cat-file --batch`` process: blobs are requested in batches (written by a
    thread while the answers are read, so a batch costs one round trip) or one at a time, and
    each blob is read and parsed at most once."""

    PREFETCH_VERSIONS = 8
    """Versions of each document requested up front; older ones are read when needed."""

    def __init__(
        self,
        top: Path,
        cache: dict[str, bytes | None] | None = None,
        parsed: dict[str, tuple[dict[str, Any], str] | None] | None = None,
    ) -> None:
        self.top = top
        self.proc: subprocess.Popen[bytes] | None = None
        self.cache: dict[str, bytes | None] = cache if cache is not None else {}
        """Blobs by id (a blob never changes: a caller may keep them between runs)."""
        self.parsed: dict[str, tuple[dict[str, Any], str] | None] = (
            parsed if parsed is not None else {}
        )

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            stdin = self.proc.stdin
            if stdin is not None:
                with contextlib.suppress(OSError):
                    stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        if self.proc is None:
            try:
                self.proc = subprocess.Popen(
                    git_argv(self.top, "cat-file", "--batch"),
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    env=git_env(),
                )
            except OSError as exc:
                raise GitError(f"git cat-file could not run: {exc}") from None
        if self.proc.stdin is None or self.proc.stdout is None:
            raise GitError("git cat-file has no pipes")
        return self.proc.stdin, self.proc.stdout

    def _answer(self, stdout: IO[bytes]) -> bytes | None:
        header = stdout.readline().split()
        if not header:
            raise GitError("git cat-file stopped answering")
        if len(header) != 3 or header[1] != b"blob":
            return None  # missing (a shallow clone) or not a blob
        size = int(header[2])
        if size > MAX_BLOB_BYTES:  # read through it in chunks, keep nothing
            left = size + 1
            while left > 0:
                chunk = stdout.read(min(left, 1 << 20))
                if not chunk:
                    raise GitError("git cat-file stopped answering")
                left -= len(chunk)
            return None
        return stdout.read(size + 1)[:size]

    def prefetch(self, shas: list[str]) -> None:
        wanted = list(dict.fromkeys(s for s in shas if s not in self.cache))
        if not wanted:
            return
        stdin, stdout = self._pipes()
        failure: list[BaseException] = []

        def write() -> None:
            try:
                stdin.write("".join(s + "\n" for s in wanted).encode("ascii"))
                stdin.flush()
            except OSError as exc:
                failure.append(exc)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        try:
            for sha in wanted:
                self.cache[sha] = self._answer(stdout)
        except OSError as exc:
            raise GitError(f"git cat-file stopped: {exc}") from None
        finally:
            writer.join(timeout=TIMEOUT_S)
        if failure:
            raise GitError(f"git cat-file stopped: {failure[0]}")

    def read(self, sha: str) -> bytes | None:
        if sha not in self.cache:
            self.prefetch([sha])
        return self.cache.get(sha)

    def version(self, sha: str) -> tuple[dict[str, Any], str] | None:
        """The front matter and body of a blob (parsed once)."""
        if sha not in self.parsed:
            self.parsed[sha] = parse_version(self.read(sha))
        return self.parsed[sha]


def parse_version(data: bytes | None) -> tuple[dict[str, Any], str] | None:
    """Front matter and body of a committed version (None: not a readable document)."""
    if data is None:
        return None
    text = decode(data)
    if isinstance(text, tuple):
        return None
    split = split_front_matter(text)
    if not isinstance(split, tuple):
        return None
    yaml_text, body, _ = split
    result = parse_yaml(yaml_text)
    if result.problem is not None or not isinstance(result.value, dict):
        return None
    return result.value, body


def _head_matches(item: ApprovalFacts, root: Path) -> bool:
    """Whether the working-tree file is byte for byte the committed one (its git blob id), so
    that the newest version need not be read from git: it is the text the model holds."""
    try:
        path = root / item.doc.path
        if path.stat().st_size > MAX_BLOB_BYTES:
            return False
        data = path.read_bytes()
    except OSError:
        return False
    blob = hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()
    return blob == item.versions[0].blob


def _version(item: ApprovalFacts, i: int, blobs: BlobReader) -> tuple[str | None, Content | None]:
    """The approval key and content of version ``i`` (None, None: unreadable)."""
    if i == 0 and item.head_matches:
        return approval_key(item.doc.data), item.current
    data = blobs.version(item.versions[i].blob)
    if data is None:
        return None, None
    return approval_key(data[0]), content_of(*data)


def _approval(item: ApprovalFacts, blobs: BlobReader, boundary: set[str]) -> None:
    """Find the version that recorded the current approval and compare the text in force."""
    doc = item.doc
    if not item.versions:
        return  # never committed: the approval is recorded by the commit being prepared
    current_key = approval_key(doc.data)
    contents: list[Content | None] = []
    approval_index: int | None = None
    for i in range(len(item.versions)):
        key, content = _version(item, i, blobs)
        contents.append(content)
        item.keys.append(key)
        if i == 0 and key != current_key:
            item.pending = True  # the working tree changes the approval: a new one is recorded
            return
        if key != current_key:
            break
        approval_index = i
    if approval_index is None:
        return
    last = item.versions[approval_index]
    if approval_index == len(item.versions) - 1 and last.commit.sha in boundary:
        item.unknown = "shallow"  # the approval may be older than the clone reaches
        return
    item.approval = last
    approved = contents[approval_index]
    if approved is None:
        return
    current = item.current
    if approved.canonical != current.canonical:
        item.change = compare(approved, current)
        changers = [
            item.versions[i].commit
            for i in range(approval_index - 1, -1, -1)
            if (c := contents[i]) is not None and c.canonical != approved.canonical
        ]
        if changers:
            item.changed_by = changers[0]
            item.later_changes = len(changers) - 1
    item.authors = _authors(item, approval_index, blobs)


def _authors(item: ApprovalFacts, approval_index: int, blobs: BlobReader) -> list[Commit]:
    """The commits that wrote the approved text: the approval commit, and the commits since the
    previous approval (the older versions that still carry the previous approval's key, but the
    oldest of them, which recorded that approval, unless it records none)."""
    versions = item.versions
    run: list[int] = []
    previous: str | None = None
    for j in range(approval_index + 1, len(versions)):
        key, _ = _version(item, j, blobs)
        if run and key != previous:
            break
        previous = key
        run.append(j)
    if run and (previous is None or json.loads(previous).get("approved_on") is not None):
        run.pop()  # the oldest of them recorded the previous approval
    return [versions[approval_index].commit, *(versions[j].commit for j in run)]


# ---------------------------------------------------------------------------------------------
# Signatures


def signing_keys(person: Entity) -> tuple[list[str], list[str]]:
    """A person's SSH public keys (type and base64, comment dropped) and OpenPGP fingerprints."""
    ssh: list[str] = []
    pgp: list[str] = []
    for value in person.strings("signing_keys"):
        text = value.strip()
        match = _SSH_KEY.match(text)
        if match is not None and "\n" not in text:
            ssh.append(match.group(0))
        elif _OPENPGP_FPR.fullmatch(text.replace(" ", "")):
            pgp.append(text.replace(" ", "").upper())
    return ssh, pgp


def allowed_signers(repo: Repository) -> str:
    """The allowed-signers list (``ssh-keygen`` ALLOWED SIGNERS format) of the people register:
    one line per key, the person's id as principal."""
    lines: list[str] = []
    for person in repo.items_of("people"):
        pid = person.id
        if pid is None or not _PRINCIPAL.fullmatch(pid):
            continue
        for key in signing_keys(person)[0]:
            lines.append(f'{pid} namespaces="git" {key}')
    return "".join(line + "\n" for line in lines)


def _signatures(facts: HistoryFacts, repo: Repository, top: Path) -> None:
    commits = {a.approval.commit.sha for a in facts.approvals.values() if a.approval is not None}
    if not commits:
        return
    found = verify_commits(repo, top, commits)
    facts.signers_checked = True
    for item in facts.approvals.values():
        if item.approval is not None:
            item.signature = found.get(item.approval.commit.sha, Signature("none"))
    _tag_signatures(facts, repo, top)


def _tag_signatures(facts: HistoryFacts, repo: Repository, top: Path) -> None:
    """An approval commit not signed by its approver may be named by a tag the approver signed
    (``git tag -s``): one ``for-each-ref`` for the tags, then one ``verify-tag`` per approver
    with an allowed-signers list of that approver's keys alone (it prints only the tags whose
    signature verifies)."""
    waiting: dict[str, list[ApprovalFacts]] = {}
    for item in facts.approvals.values():
        approver = item.doc.text("approved_by")
        sig = item.signature
        if item.approval is None or approver is None or not _PRINCIPAL.fullmatch(approver):
            continue
        if sig is not None and sig.status == "verified" and sig.signer == approver:
            continue
        waiting.setdefault(approver, []).append(item)
    if not waiting:
        return
    refs = run_git(
        top, "for-each-ref", "--format=%(objecttype)%00%(*objectname)%00%(refname)", "refs/tags"
    ).decode("utf-8", "surrogateescape")
    tags: dict[str, list[str]] = {}
    for line in refs.splitlines():
        parts = line.split("\x00")
        if len(parts) == 3 and parts[0] == "tag" and parts[2].startswith("refs/tags/"):
            tags.setdefault(parts[1], []).append(parts[2])
    import tempfile  # only signature checks need it

    for approver, items in sorted(waiting.items()):
        person = repo.person(approver)
        keys = signing_keys(person)[0] if person is not None else []
        commits = {i.approval.commit.sha for i in items if i.approval is not None}
        names = sorted({t for c in commits for t in tags.get(c, [])})
        if not keys or not names:
            continue
        with tempfile.TemporaryDirectory(prefix="policylint-signers-") as tmp:
            signers = Path(tmp) / "allowed_signers"
            signers.write_text(
                "".join(f'{approver} namespaces="git" {k}\n' for k in keys), encoding="utf-8"
            )
            out = run_git(
                top,
                "verify-tag",
                "--format=%(*objectname)%00%(refname)",
                *names,
                config=(f"gpg.ssh.allowedSignersFile={signers}",),
                ok_codes=(0, 1),
            ).decode("utf-8", "surrogateescape")
        verified: dict[str, str] = {}
        for line in out.splitlines():
            commit, _, ref = line.partition("\x00")
            verified.setdefault(commit, ref)
        for item in items:
            if item.approval is not None and item.approval.commit.sha in verified:
                tag = verified[item.approval.commit.sha].removeprefix("refs/tags/")
                item.signature = Signature("verified", approver, via=f"tag {tag}")


def verify_commits(repo: Repository, top: Path, commits: set[str]) -> dict[str, Signature]:
    """Verify the signatures of ``commits`` in one git call, against an allowed-signers list of
    the people register written to a temporary folder (never into the repository)."""
    if not commits:
        return {}
    pgp_owner: dict[str, str] = {}
    for person in repo.items_of("people"):
        if person.id:
            for fpr in signing_keys(person)[1]:
                pgp_owner.setdefault(fpr, person.id)
    import tempfile  # only signature checks need it

    with tempfile.TemporaryDirectory(prefix="policylint-signers-") as tmp:
        signers = Path(tmp) / "allowed_signers"
        signers.write_text(allowed_signers(repo), encoding="utf-8")
        out = run_git(
            top,
            "log",
            "--no-walk=unsorted",
            "--stdin",
            "--format=%x1e%H%x1f%G?%x1f%GS%x1f%GK%x1f%GF%x1f%GP",
            config=(f"gpg.ssh.allowedSignersFile={signers}",),
            stdin="".join(c + "\n" for c in sorted(commits)).encode("ascii"),
        )
    found: dict[str, Signature] = {}
    for record in out.decode("utf-8", "replace").split("\x1e"):
        parts = record.strip("\n").split("\x1f")
        if len(parts) < 6:
            continue
        sha, code, signer, key, fpr, primary = parts[:6]
        found[sha] = _signature(code, signer, key, fpr, primary, pgp_owner)
    return found


def _signature(
    code: str, signer: str, key: str, fpr: str, primary: str, pgp_owner: Mapping[str, str]
) -> Signature:
    ssh = key.startswith("SHA256:")
    if ssh:  # %GS is the principal of policylint's own allowed-signers list: a person id
        if code == "G" and signer and _PRINCIPAL.fullmatch(signer):
            return Signature("verified", signer, key)
    else:  # OpenPGP: %GS is a user id of the keyring, so only a listed fingerprint counts
        owner = pgp_owner.get(fpr.upper()) or pgp_owner.get(primary.upper())
        if code in ("G", "U") and owner is not None:
            return Signature("verified", owner, fpr)
    if code == "N":
        return Signature("none")
    if code == "B":
        return Signature("bad", key=key, detail="the signature does not match the commit")
    if code in ("G", "U"):
        return Signature("unknown-key", key=key or fpr)
    details = {
        "X": "the signature has expired",
        "Y": "the key has expired",
        "R": "the key has been revoked",
        "E": "the signature cannot be checked (the public key or gpg is missing)",
    }
    return Signature("unverifiable", key=key or fpr, detail=details.get(code, f"status {code}"))


def history_of(repo: Repository) -> HistoryFacts | None:
    facts = repo.history
    return facts if isinstance(facts, HistoryFacts) else None


@dataclass(frozen=True)
class VersionFacts:
    """One committed version of a document, as ``policylint history`` shows it."""

    version: Version
    approved_on: str
    approved_by: str
    records_approval: bool
    """Its approval (approved_on, approved_by, latest revision) differs from the older version's."""
    content_changed: bool
    """Its content (body and non-bookkeeping fields) differs from the older version's."""
    signature: Signature | None


def document_history(repo: Repository, doc: Entity) -> list[VersionFacts]:
    """Every committed version of ``doc``, newest first, with the signature of each commit."""
    facts = history_of(repo)
    item = facts.of(doc) if facts is not None else None
    if facts is None or facts.top is None or item is None or not item.versions:
        return []
    top = facts.top
    with BlobReader(top) as blobs:
        parsed = [blobs.version(v.blob) for v in item.versions]
    signatures = verify_commits(repo, top, {v.commit.sha for v in item.versions})
    out: list[VersionFacts] = []
    for i, version in enumerate(item.versions):
        data = parsed[i]
        older = parsed[i + 1] if i + 1 < len(parsed) else None
        front = data[0] if data is not None else {}
        key = approval_key(front) if data is not None else None
        older_key = approval_key(older[0]) if older is not None else None
        canonical = content_of(*data).canonical if data is not None else None
        older_canonical = content_of(*older).canonical if older is not None else None
        out.append(
            VersionFacts(
                version,
                _as_text(front.get("approved_on")),
                _as_text(front.get("approved_by")),
                key != older_key and front.get("approved_on") is not None,
                canonical != older_canonical,
                signatures.get(version.commit.sha),
            )
        )
    return out


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)
