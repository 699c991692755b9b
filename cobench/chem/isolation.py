"""Running untrusted chemistry in disposable worker processes, with a time and memory cap each.

RDKit can hang or crash its process on some inputs (huge fused ring systems,
malformed S-group blocks). :func:`run_isolated` gives each item to a worker
process and waits at most ``timeout_s`` for it: a worker that overruns is killed,
one that dies is replaced, and in both cases that item alone becomes a
:class:`RecordError` while the caller and the other items carry on. Workers limit
their own address space growth to ``memory_mb`` (``RLIMIT_AS``), so a runaway
allocation fails in the worker, not in the machine.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Literal, TypeVar

from cobench.chem.parsing import Format, InvalidStructure, detect_format, parse
from cobench.chem.standardize import Standardized, standardize

T = TypeVar("T")
R = TypeVar("R")

ErrorKind = Literal["invalid", "error", "timeout", "crashed", "memory"]

_START_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class RecordError:
    """Why one item gave no result: its position in the input, the kind and the messages."""

    index: int
    kind: ErrorKind
    message: str
    messages: tuple[str, ...] = ()


def default_workers() -> int:
    """The number of CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _vm_bytes() -> int:
    """This process's current address space size (0 where /proc is not available)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _worker(conn: Connection, fn: Callable[[Any], Any], memory_mb: int | None) -> None:
    if memory_mb:
        limit = _vm_bytes() + memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    conn.send("ready")
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        index, item = task
        try:
            out: tuple[Any, ...] = ("ok", fn(item))
        except InvalidStructure as e:
            out = ("invalid", e.reason, e.messages)
        except MemoryError:
            conn.send((index, ("memory", f"over the memory cap of {memory_mb} MB", ())))
            return  # the heap may be in a poor state: let a fresh worker take over
        except Exception as e:
            out = ("error", f"{type(e).__name__}: {e}", ())
        conn.send((index, out))


class _Slot:
    """One worker process and the item it is working on."""

    def __init__(self, ctx: Any, fn: Callable[[Any], Any], memory_mb: int | None) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, fn, memory_mb), daemon=True)
        self.process.start()
        child.close()
        self.index: int | None = None
        self.deadline = 0.0
        self.done = 0
        try:
            started = self.conn.poll(_START_TIMEOUT_S) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            started = False
        if not started:
            self.kill()
            raise RuntimeError(f"a worker process did not start ({_death(self.process.exitcode)})")

    def give(self, index: int, item: Any, timeout_s: float) -> None:
        self.conn.send((index, item))
        self.index, self.deadline = index, time.monotonic() + timeout_s

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"the worker was killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"the worker was killed by signal {-exitcode}"
    return f"the worker exited with code {exitcode}"


def run_isolated(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    timeout_s: float = 10.0,
    memory_mb: int | None = 2048,
    workers: int | None = None,
    tasks_per_worker: int = 5000,
) -> list[R | RecordError]:
    """`fn` applied to each item in worker processes; results (or errors) in input order.

    `fn` must be importable by name (a module-level function). An item that raises,
    runs longer than `timeout_s`, exceeds `memory_mb` or kills its worker gives a
    `RecordError` in its place. Workers are replaced after `tasks_per_worker` items.
    """
    pending = deque(enumerate(items))
    results: list[Any] = [None] * len(pending)
    if not pending:
        return []
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["cobench.chem"])
    n = max(1, min(workers or default_workers(), len(pending)))
    slots: list[_Slot | None] = [None] * n
    try:
        while True:
            for i, slot in enumerate(slots):
                if pending and (slot is None or slot.index is None):
                    if slot is None:
                        slot = slots[i] = _Slot(ctx, fn, memory_mb)
                    index, item = pending.popleft()
                    slot.give(index, item, timeout_s)
            busy = [s for s in slots if s is not None and s.index is not None]
            if not busy:
                break
            remaining = min(s.deadline for s in busy) - time.monotonic()
            ready = wait(
                [s.conn for s in busy] + [s.process.sentinel for s in busy],
                timeout=max(0.0, remaining),
            )
            now = time.monotonic()
            for i, slot in enumerate(slots):
                if slot is None or slot.index is None:
                    continue
                index = slot.index
                if slot.conn in ready:
                    try:
                        got, out = slot.conn.recv()
                    except (EOFError, OSError):
                        slot.kill()
                        results[index] = RecordError(
                            index, "crashed", _death(slot.process.exitcode)
                        )
                        slots[i] = None
                        continue
                    if out[0] == "ok":
                        results[got] = out[1]
                    else:
                        results[got] = RecordError(got, out[0], out[1], tuple(out[2]))
                    slot.index = None
                    slot.done += 1
                    if out[0] == "memory" or slot.done >= tasks_per_worker:
                        slot.stop()
                        slots[i] = None
                elif slot.process.sentinel in ready:
                    slot.kill()
                    results[index] = RecordError(index, "crashed", _death(slot.process.exitcode))
                    slots[i] = None
                elif now >= slot.deadline:
                    slot.kill()
                    results[index] = RecordError(
                        index, "timeout", f"gave up after {timeout_s:g} s; the worker was stopped"
                    )
                    slots[i] = None
    finally:
        for slot in slots:
            if slot is not None:
                slot.kill() if slot.index is not None else slot.stop()
    return results


def _parse_and_standardize(task: tuple[str, Format]) -> Standardized:
    text, fmt = task
    mol = parse(text, fmt=fmt)
    is_molfile = fmt == "molfile" or (fmt == "auto" and detect_format(text) == "molfile")
    return standardize(mol, molblock=text if is_molfile else None)


def parse_and_standardize_many(
    records: Sequence[str],
    *,
    fmt: Format = "auto",
    timeout_s: float = 10.0,
    memory_mb: int | None = 2048,
    workers: int | None = None,
) -> list[Standardized | RecordError]:
    """Each record (SMILES or molfile) parsed and standardized in isolation, in input order."""
    return run_isolated(
        _parse_and_standardize,
        [(text, fmt) for text in records],
        timeout_s=timeout_s,
        memory_mb=memory_mb,
        workers=workers,
    )
