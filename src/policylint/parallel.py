"""Checking in several processes: forked workers that share one queue of jobs.

A large repository's run spends most of its time after loading: the schema pass over every row,
building the model, and a hundred checks. On a machine with more than one core, ``check`` forks
workers once the files are read (so every process holds the same loaded values, copied on
write), and each process builds the model and takes jobs (checks) from one queue until it is
empty. The queue is a pipe holding every job's number: a read of two bytes from a pipe is atomic,
so each job is taken by exactly one process, and a process that is slower to start simply takes
fewer.

A worker sends its results back once, through its own pipe, with :mod:`pickle`: these are
policylint's own objects, made in policylint's own process a moment before, never anything read
from the repository or from disk. A worker that fails (killed, out of memory) only costs time:
the caller is told which jobs came back and runs the others itself.

Only where ``fork`` is dependable (not on Windows, not on macOS) and only when this process has
no other thread (a thread holding a lock at the moment of the fork would leave that lock held
for ever in the child).
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

MAX_JOBS = 30_000
"""Job numbers are written into the queue before any process starts: a pipe holds 64 KiB."""


def available() -> bool:
    """Whether this process can share its work with forked workers."""
    return (
        hasattr(os, "fork")
        and sys.platform != "darwin"
        and sys.platform != "win32"
        and threading.active_count() == 1
    )


def cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - platforms without affinity
        return os.cpu_count() or 1


LOOKS = 3
"""How many times :func:`idle_cpus` counts the running tasks (a task may run for an instant)."""


def idle_cpus(loadavg: str = "/proc/loadavg") -> int:
    """The CPUs of :func:`cpus` that no other task is running on now, at least one.

    A process forked onto a CPU that another program keeps busy slows the run down (measured: a
    large pre-commit run took 3.2 s in two processes and 2.75 s in one while a test suite ran on
    one of two CPUs). Linux counts the tasks running now, this process included, in the fourth
    field of ``/proc/loadavg``; the least of :data:`LOOKS` counts a millisecond apart is taken.
    Where that count cannot be read, every CPU is taken as idle."""
    total = cpus()
    counts = []
    try:
        for look in range(LOOKS):
            if look:
                time.sleep(0.001)
            with open(loadavg, "rb") as fh:
                counts.append(int(fh.read(256).split()[3].split(b"/")[0]))
    except (OSError, ValueError, IndexError):
        return total
    others = max(0, min(counts) - 1)
    return max(1, total - others)


class JobQueue:
    """Jobs ``0 .. count-1``, each taken once by whichever process asks first."""

    def __init__(self, count: int) -> None:
        if count > MAX_JOBS:
            raise ValueError(f"{count} jobs do not fit in the queue")
        self._read, write = os.pipe()
        try:
            os.write(write, b"".join(i.to_bytes(2, "big") for i in range(count)))
        finally:
            os.close(write)

    def take(self) -> int | None:
        """The next job, or None when every job has been taken."""
        if self._read < 0:
            return None
        data = os.read(self._read, 2)
        return int.from_bytes(data, "big") if len(data) == 2 else None

    def close(self) -> None:
        if self._read >= 0:
            os.close(self._read)
            self._read = -1


class Worker:
    """A forked process running ``work()``; its result comes back through a pipe."""

    def __init__(self, work: Callable[[], Any]) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            code = 1
            try:
                os.close(read)
                data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as out:
                    out.write(data)
                code = 0
            except BaseException:  # any failure only means "no result"
                pass
            os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
        os.close(write)
        self.pid, self._read = pid, read

    def result(self) -> Any | None:
        """What ``work()`` returned, or None when the worker failed."""
        try:
            with os.fdopen(self._read, "rb") as fh:
                data = fh.read()
        finally:
            _, status = os.waitpid(self.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0 or not data:
            return None
        try:
            return pickle.loads(data)  # our own objects from our own worker
        except Exception:  # a truncated result is no result
            return None

    def kill(self) -> None:
        """Stop the worker (the caller failed) and reap it."""
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.close(self._read)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
