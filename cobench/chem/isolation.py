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
import pickle
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Literal, TypeVar

from cobench.chem.parsing import Format, InvalidStructure, detect_format, parse
from cobench.chem.standardize import Standardized, standardize

T = TypeVar("T")
R = TypeVar("R")

ErrorKind = Literal["invalid", "error", "timeout", "crashed", "memory"]

_START_TIMEOUT_S = 120.0
_PIPE_ROOM = 32_768  # bytes of queued items a worker's pipe takes without blocking the sender


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
    """One worker process and the items queued on it, the first of which it is working on."""

    def __init__(self, ctx: Any, fn: Callable[[Any], Any], memory_mb: int | None) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, fn, memory_mb), daemon=True)
        self.process.start()
        child.close()
        self.queued: deque[tuple[int, Any, int]] = deque()  # (index, item, payload bytes)
        self.deadline = 0.0
        self.given = 0
        try:
            started = self.conn.poll(_START_TIMEOUT_S) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            started = False
        if not started:
            self.kill()
            raise RuntimeError(f"a worker process did not start ({_death(self.process.exitcode)})")

    def room(self, size: int, prefetch: int, tasks_per_worker: int) -> bool:
        """Whether one more item of `size` pickled bytes may be queued without blocking a send."""
        if self.given >= tasks_per_worker:
            return False
        if not self.queued:
            return True
        inflight = sum(s for _, _, s in self.queued)
        return len(self.queued) < prefetch and inflight + size <= _PIPE_ROOM

    def give(self, index: int, item: Any, payload: bytes, timeout_s: float) -> None:
        self.conn.send_bytes(payload)
        if not self.queued:
            self.deadline = time.monotonic() + timeout_s
        self.queued.append((index, item, len(payload)))
        self.given += 1

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


def iter_isolated(
    fn: Callable[[T], R],
    items: Iterable[T],
    *,
    timeout_s: float = 10.0,
    memory_mb: int | None = 2048,
    workers: int | None = None,
    tasks_per_worker: int = 5000,
    prefetch: int = 1,
    window: int = 1000,
) -> Generator[R | RecordError, None, None]:
    """`fn` applied to each item in worker processes, yielded in input order as they finish.

    The streaming form of :func:`run_isolated`, for a caller that has work of its own
    to do with each result (storing it): the workers are fed from a background thread,
    so they carry on while the caller works, at most `window` items ahead of it. With
    `prefetch` > 1 each worker has that many small items queued, so it never waits
    for the feeder; the time cap still applies to each item from the moment its
    worker starts it. `items` is read lazily.
    """
    source = iter(enumerate(items))
    done: dict[int, Any] = {}
    state: dict[str, Any] = {
        "taken": 0,
        "yielded": 0,
        "finished": False,
        "error": None,
        "stop": False,
    }
    cv = threading.Condition()

    def feed() -> None:
        try:
            _dispatch(
                fn,
                source,
                done,
                state,
                cv,
                timeout_s,
                memory_mb,
                workers,
                tasks_per_worker,
                prefetch,
                window,
            )
        except BaseException as e:  # handed to the consumer, which raises it
            with cv:
                state["error"] = e
        finally:
            with cv:
                state["finished"] = True
                cv.notify_all()

    feeder = threading.Thread(target=feed, name="cobench-isolation", daemon=True)
    feeder.start()
    try:
        while True:
            with cv:
                index = state["yielded"]
                while index not in done and not state["finished"]:
                    cv.wait()
                if index not in done:
                    if state["error"] is not None:
                        raise state["error"]
                    return
                result = done.pop(index)
                state["yielded"] = index + 1
            yield result
    finally:
        with cv:
            state["stop"] = True
        feeder.join()


def _dispatch(
    fn: Callable[[Any], Any],
    source: Iterator[tuple[int, Any]],
    done: dict[int, Any],
    state: dict[str, Any],
    cv: threading.Condition,
    timeout_s: float,
    memory_mb: int | None,
    workers: int | None,
    tasks_per_worker: int,
    prefetch: int,
    window: int,
) -> None:
    pending: deque[tuple[int, Any, bytes]] = deque()  # taken from the source, not yet given
    exhausted = False
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["cobench.chem"])
    slots: list[_Slot | None] = [None] * max(1, workers or default_workers())

    def finish(index: int, result: Any) -> None:
        with cv:
            done[index] = result
            cv.notify_all()

    def requeue(slot: _Slot) -> None:
        for index, item, _ in reversed(slot.queued):
            pending.appendleft((index, item, pickle.dumps((index, item))))
        slot.queued.clear()

    def drop(i: int, slot: _Slot, kind: ErrorKind, message: str = "") -> None:
        slot.kill()
        message = message or _death(slot.process.exitcode)  # known once the process is reaped
        index = slot.queued.popleft()[0]
        finish(index, RecordError(index, kind, message))
        requeue(slot)
        slots[i] = None

    try:
        while True:
            with cv:
                if state["stop"]:
                    return
                ahead = state["taken"] - state["yielded"]
            while not exhausted and len(pending) < len(slots) * prefetch and ahead < window:
                try:
                    index, item = next(source)
                except StopIteration:
                    exhausted = True
                    break
                pending.append((index, item, pickle.dumps((index, item))))
                ahead += 1
                with cv:
                    state["taken"] = index + 1
            for i in range(len(slots)):
                while pending:
                    slot = slots[i]
                    if slot is None:
                        slot = slots[i] = _Slot(ctx, fn, memory_mb)
                    if not slot.room(len(pending[0][2]), prefetch, tasks_per_worker):
                        break
                    index, item, payload = pending.popleft()
                    slot.give(index, item, payload, timeout_s)
            busy = [s for s in slots if s is not None and s.queued]
            if not busy:
                if exhausted and not pending:
                    return
                if not pending:  # waiting for the consumer to catch up with the window
                    time.sleep(0.01)
                continue
            remaining = min(s.deadline for s in busy) - time.monotonic()
            ready = wait(
                [s.conn for s in busy] + [s.process.sentinel for s in busy],
                timeout=min(0.1, max(0.0, remaining)),
            )
            now = time.monotonic()
            for i, slot in enumerate(slots):
                if slot is None or not slot.queued:
                    continue
                if slot.conn in ready:
                    try:
                        got, out = slot.conn.recv()
                    except (EOFError, OSError):
                        drop(i, slot, "crashed")
                        continue
                    slot.queued.popleft()
                    slot.deadline = now + timeout_s
                    if out[0] == "ok":
                        finish(got, out[1])
                    else:
                        finish(got, RecordError(got, out[0], out[1], tuple(out[2])))
                    if out[0] == "memory":
                        requeue(slot)
                        slot.stop()
                        slots[i] = None
                    elif not slot.queued and slot.given >= tasks_per_worker:
                        slot.stop()
                        slots[i] = None
                elif slot.process.sentinel in ready:
                    drop(i, slot, "crashed")
                elif now >= slot.deadline:
                    message = f"gave up after {timeout_s:g} s; the worker was stopped"
                    drop(i, slot, "timeout", message)
    finally:
        for slot in slots:
            if slot is not None:
                slot.kill() if slot.queued else slot.stop()


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
    return list(
        iter_isolated(
            fn,
            items,
            timeout_s=timeout_s,
            memory_mb=memory_mb,
            workers=workers,
            tasks_per_worker=tasks_per_worker,
        )
    )


def parse_and_standardize(task: tuple[str, Format]) -> Standardized:
    """Parse and standardize one (text, format) task: what each isolated worker runs."""
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
        parse_and_standardize,
        [(text, fmt) for text in records],
        timeout_s=timeout_s,
        memory_mb=memory_mb,
        workers=workers,
    )
