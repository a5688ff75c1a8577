"""Ordered parallel map over worker processes, for the CPU-bound stages (parse, write).

Results come back in input order (``imap``), so parallel builds are as deterministic as serial
ones. Workers are forked where the platform allows it, so read-only state prepared by the
parent before the pool starts is shared copy-on-write instead of being pickled to every worker;
a stage whose workers need little of a large parent (pass 2) asks for ``fresh_workers``, forked
from a forkserver instead, so that they do not count the parent's memory again. With one
worker, or few items, everything runs in-process: no pool start-up cost for small archives and
simple tracebacks in tests.

Where the batches go is an ``Executor``: by default the local process pool here; with
``cablesite build --executor dask`` a Dask cluster (``executors.py``), chosen once per build
with ``executing``. Both hand results back in submission order, so the site is the same.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import gc
import itertools
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def worker_count(requested: int | None = None) -> int:
    """Workers to use: the request, else the ``CABLESITE_WORKERS`` setting, else the CPU count."""
    if requested is None:
        requested = int(os.environ.get("CABLESITE_WORKERS", "0") or 0) or None
    return max(1, requested or os.cpu_count() or 1)


_M_ARENA_MAX = -8  # glibc's mallopt parameter number


def use_one_malloc_arena() -> None:
    """Make every thread of this process (and of the processes it forks) allocate from one heap.

    glibc gives threads their own heaps ("arenas"); the worker pool's threads in the build
    process then leave memory spread over several, which trimming cannot give back and each
    forked worker counts again. At 10,000 cables the summed peak varied between ~265 and
    ~335 MB from run to run with arenas per thread, and stayed at ~250 MB with one."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").mallopt(_M_ARENA_MAX, 1)


def _return_free_memory() -> None:
    """Give the heap's free pages back to the system (glibc's ``malloc_trim``), where available."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class Done:
    """An item whose result is already known (a cable the store has, in a rebuild): ``ordered_map``
    hands the result back in its place without sending anything to a worker."""

    __slots__ = ("result",)

    def __init__(self, result: object) -> None:
        self.result = result


TRIM_EVERY = 256  # items a worker handles between two returns of its free heap memory
_handled = [0]  # items this worker process has handled


def _run_batch(function: Callable[[T], R], batch: list[T]) -> list[R]:
    """Run a batch in a worker; now and then give freed heap memory back to the system: pages
    of a few hundred kilobytes each (a rendered page) leave glibc's heap fragmented, and the
    workers' resident memory grew by ~25 MB each over 10,000 cables without it."""
    results = [function(item) for item in batch]
    before = _handled[0]
    _handled[0] += len(batch)
    if _handled[0] // TRIM_EVERY != before // TRIM_EVERY:
        _return_free_memory()
    return results


class WorkerPool(Protocol):
    """Where ``ordered_map`` sends its batches: the local process pool, or a Dask cluster
    (``executors.py``). Handles come back in submission order; ``result`` waits for one."""

    workers: int  # processes (or worker threads) working: the in-flight bound scales with it

    def submit(self, function: Callable[[T], R], batch: list[T]) -> Any: ...

    def result(self, handle: Any) -> list:
        """The batch's results; ``WorkerDied`` if the worker that had it ended without them."""
        ...

    def close(self) -> None:
        """All results are in: release the workers (waits for them where it must)."""
        ...

    def stop(self) -> None:
        """The build is failing or was interrupted: stop the work now, wait for nothing."""
        ...


class Executor(Protocol):
    """What runs the build's parallel stages: it makes a ``WorkerPool`` per ``ordered_map``."""

    def pool(self, workers: int, initializer: Callable[..., None] | None, initargs: tuple) -> WorkerPool: ...


_ACTIVE: list[Executor] = []  # the executor ``ordered_map`` uses; none: the local process pool


@contextlib.contextmanager
def executing(executor: Executor | None) -> Iterator[None]:
    """Run every ``ordered_map`` of the block on ``executor`` (None: the local process pool).
    A setting of the process, not an argument through every stage: the build chooses it once."""
    if executor is not None:
        _ACTIVE.append(executor)
    try:
        yield
    finally:
        if executor is not None:
            _ACTIVE.remove(executor)


def ordered_map(function: Callable[[T], R], items: Iterable[T | Done], workers: int = 1, chunksize: int = 32,
                initializer: Callable[..., None] | None = None, initargs: tuple = (),
                in_process_first: int = 0, fresh_workers: bool = False) -> Iterator[R]:
    """``map(function, items)`` on ``workers`` processes, streaming, in input order; ``Done`` items
    give their result directly.

    With ``in_process_first``, the first that many items needing work run in this process, and
    the worker pool starts only if more follow: a rebuild where a few cables changed does not
    pay for starting workers and handing every item through them. Under ``executing`` the
    batches go to that executor (a Dask cluster, whatever ``workers`` says); else to a pool of
    ``workers`` local processes, or nowhere when that is one.

    ``initializer(*initargs)`` prepares each worker process once: a local worker is forked with
    it, a Dask worker receives both pickled (they must pickle, with the state they carry).
    With ``fresh_workers``, local workers are not forked from this process but from a fresh
    one (``forkserver``), and receive them pickled too: for a stage after which this process
    holds much that the workers do not need (pass 2: the catalog), which each forked worker
    would count again."""
    executor = _ACTIVE[-1] if _ACTIVE else None
    if workers <= 1 and executor is None:
        if initializer:
            initializer(*initargs)
        for item in items:
            yield item.result if isinstance(item, Done) else function(item)  # type: ignore[misc,arg-type]
        return
    remaining: Iterable[T | Done] = items
    if in_process_first:
        iterator = iter(items)
        handled = 0
        for item in iterator:
            if isinstance(item, Done):
                yield item.result  # type: ignore[misc]
                continue
            if handled == in_process_first:
                remaining = itertools.chain([item], iterator)
                break
            if handled == 0 and initializer:
                initializer(*initargs)
            handled += 1
            yield function(item)
        else:
            return
    pool = (executor or _LocalExecutor(fresh_workers)).pool(workers, initializer, initargs)
    try:
        yield from _pooled_map(pool, function, remaining, chunksize)
    except BaseException:
        pool.stop()
        raise
    pool.close()


def _pooled_map(pool: WorkerPool, function: Callable[[T], R], items: Iterable[T | Done],
                chunksize: int) -> Iterator[R]:
    """``ordered_map``'s work on a pool: batches in, results out in input order, bounded."""
    # At most ``bound`` items are read but not yet handed to the caller (Done items and items
    # in batches sent to the pool): without a bound, a large archive would sit in memory twice.
    bound = pool.workers * chunksize * int(os.environ.get("CABLESITE_INFLIGHT", "16"))
    pending: collections.deque[tuple[Any, int]] = collections.deque()  # in input order
    held = 0
    batch: list[T] = []
    for item in items:
        if batch and (isinstance(item, Done) or len(batch) >= chunksize):
            pending.append((pool.submit(function, batch), len(batch)))
            batch = []
        if isinstance(item, Done):
            pending.append((item, 1))
        else:
            batch.append(item)
        held += 1
        while held >= bound and pending:
            results, count = _next_results(pool, pending)
            held -= count
            yield from results
    if batch:
        pending.append((pool.submit(function, batch), len(batch)))
    while pending:
        yield from _next_results(pool, pending)[0]


def _next_results(pool: WorkerPool, pending: collections.deque[tuple[Any, int]]) -> tuple[list, int]:
    """The results of the oldest entry of ``pending`` (waiting for its batch if need be)."""
    head, count = pending.popleft()
    if isinstance(head, Done):
        return [head.result], count
    return pool.result(head), count


class _LocalExecutor:
    """The default: a pool of worker processes on this machine (``_ProcessPool``)."""

    def __init__(self, fresh: bool = False) -> None:
        self.fresh = fresh

    def pool(self, workers: int, initializer: Callable[..., None] | None, initargs: tuple) -> WorkerPool:
        return _ProcessPool(workers, initializer, initargs, self.fresh)


def start_method(fresh: bool) -> str:
    """How to start local workers: forked from this process, or (``fresh``) from the forkserver,
    a process started afresh that holds only the modules; spawned where neither is possible."""
    methods = multiprocessing.get_all_start_methods()
    if fresh and "forkserver" in methods:
        return "forkserver"
    return "fork" if "fork" in methods else "spawn"


def start_worker_server(workers: int) -> None:
    """Start the forkserver that ``fresh_workers`` come from now, while this process is small.

    Starting it is a fork of this process (then an exec): done once the catalog is in memory,
    that fork counted the whole build process again for an instant (at 10,000 cables it was
    the build's summed peak, 319 MB, a 154 MB copy of the build process). Started bare (no
    modules preloaded: ~12 MB for the build's life; a worker imports what it needs once)."""
    if workers > 1 and not _ACTIVE and start_method(True) == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


class _ProcessPool:
    """Worker processes forked from the build, or ``fresh`` ones (see ``start_method``)."""

    def __init__(self, workers: int, initializer: Callable[..., None] | None, initargs: tuple,
                 fresh: bool = False) -> None:
        self.workers = workers
        method = start_method(fresh)
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            # The forkserver imports the stage's modules once, if this starts it (it stays until
            # this process ends; ``start_worker_server`` starts it earlier, bare).
            modules = [getattr(initializer, "__module__", None)]
            context.set_forkserver_preload([m for m in modules if m])
        else:
            # A forked worker starts with its parent's resident pages (and the summed memory of a
            # build counts them once per worker): give freed memory back first. At 10k cables this
            # took the summed peak from ~380 MB to ~280 MB.
            gc.collect()
            _return_free_memory()
        # concurrent.futures, not multiprocessing.Pool: a Pool whose worker dies (the OOM killer)
        # replaces it and waits for the lost batch for ever; here the batch fails at once.
        self.executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                            initargs=(initializer, initargs, method == "forkserver"))

    def submit(self, function: Callable[[T], R], batch: list[T]) -> Future:
        try:
            return self.executor.submit(_run_batch, function, batch)
        except BrokenProcessPool as err:  # a worker died before this batch was handed over
            raise _worker_died() from err

    def result(self, handle: Future) -> list:
        try:
            return handle.result()
        except BrokenProcessPool as err:
            raise _worker_died() from err

    def close(self) -> None:
        self.executor.shutdown(wait=True)

    def stop(self) -> None:
        stop_pool(self.executor)


class WorkerDied(RuntimeError):
    """A worker process ended without handing back its work."""


def _worker_died(what: str = "") -> WorkerDied:
    return WorkerDied(f"a worker process died{' while ' + what if what else ''} (killed from outside, or by the "
                      "out-of-memory killer); the build stopped and the site is unchanged")


def _init_worker(initializer: Callable[..., None] | None, initargs: tuple, from_server: bool = False) -> None:
    """A worker leaves Ctrl-C to the build process (which stops it) and dies on SIGTERM."""
    reset_child_signals(from_server)
    tune_collector()
    if initializer:
        initializer(*initargs)


# Young objects collected every 20,000 allocations rather than 700: a cable's parse or page makes
# thousands of short-lived objects, none of them in cycles worth finding that often.
_YOUNG_THRESHOLD = 20_000


def tune_collector() -> None:
    """Garbage collection for a worker: what the worker inherited from the build process (the
    catalog, the link index: millions of objects at 251k cables) is moved out of the collector's
    sight (``gc.freeze``), so that no full collection walks it again, or writes to its pages and
    makes the fork copy them; and young objects are collected less often (in one process over
    1,500 of the benchmark's cables, parse, pickle and search terms took 1.62 ms a cable against
    1.68 with the default thresholds)."""
    gc.freeze()
    gc.set_threshold(_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


@contextlib.contextmanager
def young_collections_less_often() -> Iterator[None]:
    """The build process's young-object threshold as its workers' (``tune_collector``), for the
    build only: a program that calls ``build`` gets its own thresholds back."""
    before = gc.get_threshold()
    gc.set_threshold(_YOUNG_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


_PR_SET_PDEATHSIG = 1


def reset_child_signals(from_server: bool = False) -> None:
    """In a forked worker or child: Ctrl-C is the build process's to handle (it stops its
    children), SIGTERM ends it, and so does its parent's death (Linux): a build killed with
    SIGKILL leaves no worker behind, waiting for work that never comes.

    A worker ``from_server`` (the forkserver's child) dies with the forkserver, which ends
    when the build process does (its pipe from the build closes)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # The parent as multiprocessing knows it: a spawned worker runs this seconds after it was
    # started (a fresh interpreter's imports), and the parent may have died in between. A
    # forkserver's child is the server's, not the build process's: its parent is its parent.
    known = None if from_server else multiprocessing.parent_process()
    parent = known.pid if known is not None and known.pid else os.getppid()
    if from_server:
        _let_the_forkserver_end()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _let_the_forkserver_end() -> None:
    """In a forkserver's child: close its copy of the pipe whose end tells the forkserver that the
    build process is gone. With it open in every worker, a build killed with SIGKILL left the
    forkserver waiting for that end, and so its workers (which die with the forkserver) and
    their hold on the build's output, for ever. (A private attribute of multiprocessing: a
    worker never starts processes of its own through the forkserver.)"""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    descriptor = getattr(server, "_forkserver_alive_fd", None)
    if isinstance(descriptor, int):
        with contextlib.suppress(OSError):
            os.close(descriptor)
        server._forkserver_alive_fd = None  # type: ignore[union-attr]


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers now (the build is failing or was interrupted): terminate, then kill
    what is still there a few seconds later; no zombie is left behind.

    A worker killed while it wrote its result leaves half a message in the result pipe, and
    the pool's manager thread waits for the rest for ever (and the interpreter's exit waits for
    that thread). Closing this process's copy of the pipe's write end, once no worker is left,
    ends that wait with an EOF, which the manager thread takes as a broken pool and ends."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    deadline = time.monotonic() + 5
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(1)
    with contextlib.suppress(Exception):
        pool._result_queue._writer.close()  # type: ignore[attr-defined]
    pool.shutdown(wait=False, cancel_futures=True)
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:
        manager.join(5)


def pool_map(function: Callable[[T], R], items: Iterable[T], workers: int, what: str = "",
             initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> Iterator[R]:
    """``map(function, items)`` on ``workers`` fresh (spawned) worker processes, in input order.

    For stages that need a pool of their own but nothing of the build's memory (the render
    stage: stamping, MkDocs shards), with ``ordered_map``'s guarantees: the workers leave
    Ctrl-C to the build process and die with it; a worker that dies fails the map at once
    (``WorkerDied``, naming ``what`` the workers were doing) instead of hanging; and a failure
    or an interrupt in the build process stops every worker now, without waiting for the work
    still queued (which ``with ProcessPoolExecutor`` would). An exception raised in the caller's
    loop does not reach this generator: the caller closes it (``contextlib.closing``), which
    stops the workers too. Every item is submitted at once: ``items`` is a list of a few large
    tasks."""
    pool = ProcessPoolExecutor(max(1, workers), mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker, initargs=(initializer, initargs))
    try:
        try:
            futures = [pool.submit(function, item) for item in items]
        except BrokenProcessPool as err:  # a worker died before all were handed over
            raise _worker_died(what) from err
        for future in futures:
            try:
                result = future.result()
            except BrokenProcessPool as err:
                raise _worker_died(what) from err
            yield result
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)


def run_in_child(function: Callable[..., R], *args: object) -> R:
    """``function(*args)`` in a forked child process (in this one where the platform cannot fork).

    For a stage whose garbage should not stay behind: what the child allocates dies with it,
    while the build's own heap stays as it was, and the worker processes forked next do not
    count it once more each. The result (and an exception) comes back pickled."""
    return run_in_children([(function, args)])[0]


def run_in_children(calls: list[tuple[Callable[..., R], tuple]]) -> list[R]:
    """Each ``function(*args)`` of ``calls`` in its own forked child, all at once (one after the
    other in this process where the platform cannot fork); their results in order. The first
    failure is raised once every child has ended."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return [function(*args) for function, args in calls]
    context = multiprocessing.get_context("fork")
    gc.collect()
    _return_free_memory()  # a child starts with what the parent holds: as little as it can
    started = []
    for function, args in calls:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(function, args, sender))
        process.start()
        sender.close()
        started.append((process, receiver))
    outcomes: list[tuple[bool, object]] = []
    try:
        for process, receiver in started:
            try:
                outcomes.append(receiver.recv())
            except EOFError:
                outcomes.append((False, None))
            process.join()
            if outcomes[-1] == (False, None):
                died = RuntimeError(f"a build stage's child process died (exit code {process.exitcode})")
                outcomes[-1] = (False, died)
    except BaseException:  # interrupted: the children go too
        for process, _receiver in started:
            process.kill()
            process.join()
        raise
    for ok, value in outcomes:
        if not ok:
            raise value  # type: ignore[misc]
    return [value for _, value in outcomes]  # type: ignore[misc]


def _child(function: Callable[..., object], args: tuple, sender: Any) -> None:
    """A forked child's work: its outcome, or its failure, goes back through ``sender``."""
    reset_child_signals()  # the parent stops its children when it is interrupted
    try:
        outcome: tuple[bool, object] = (True, function(*args))
    except BaseException as err:  # every failure is handed to the parent
        outcome = (False, err)
    try:
        sender.send(outcome)
    except Exception as err:  # the result or the exception could not be pickled
        sender.send((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]} ({err})")))
