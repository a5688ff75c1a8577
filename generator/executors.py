"""The build's parallel stages on a Dask cluster: ``cablesite build --executor dask``.

Why Dask: one machine stops being enough somewhere past a few million cables (issue 18), and
Dask distributed is the Python standard for spreading work over machines; the local process
pool (``parallel.py``) stays the default and needs nothing more. With ``--scheduler ADDRESS`` the
build connects to a running scheduler and its workers; without, it starts a ``LocalCluster``
here (one single-threaded worker process per core, or ``--workers``) and closes it at the end,
on failure and on Ctrl-C too.

What crosses to a worker is in its task: the batch (cable texts, page jobs with absolute paths
under the work folder, which must therefore be on a file system every machine sees) and, once
per worker and map, a context: the build process's HMAC state key (``integrity.py``: a worker
seals and verifies with the build's key, never one of its own machine) and the stage's worker
state (``ordered_map``'s initializer and its arguments). Results are consumed in submission
order, so the site is byte-identical to a local build's. A worker that dies fails the build at
once with a message (a LocalCluster retries no task; a remote scheduler follows its own
``allowed-failures``), and so does a cluster left without workers.

``distributed`` is an optional dependency (``pip install 'cablesite[dask]'``), imported only here
and only when asked for.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import uuid
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .integrity import state_key, use_state_key
from .parallel import Executor, WorkerDied, _run_batch

EXTRA = "cablesite[dask]"
KINDS = ("local", "dask")
POLL_SECONDS = 2.0  # how often a wait for a result checks that the cluster still has workers
CLOSE_SECONDS = 10  # at most this long to close the client and a LocalCluster


def connect_timeout() -> float:
    """Seconds to reach a scheduler (``CABLESITE_DASK_TIMEOUT``, default 10): a wrong address
    fails within this, never hangs the build."""
    return float(os.environ.get("CABLESITE_DASK_TIMEOUT", "10") or 10)


def workers_timeout() -> float:
    """Seconds to wait for a scheduler's first worker (``CABLESITE_DASK_WORKERS_TIMEOUT``, default 60)."""
    return float(os.environ.get("CABLESITE_DASK_WORKERS_TIMEOUT", "60") or 60)


class ExecutorError(RuntimeError):
    """The executor asked for cannot be used: its extra is not installed, its scheduler cannot be
    reached or has no worker, or a worker runs other code than this build."""


@dataclass(frozen=True)
class ExecutorChoice:
    """What ``--executor`` and ``--scheduler`` asked for."""

    kind: str = "local"  # "local" (the process pool) or "dask"
    scheduler: str | None = None  # a Dask scheduler's address; None with "dask": a LocalCluster here

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ExecutorError(f"unknown executor {self.kind!r} (choose from {', '.join(KINDS)})")
        if self.scheduler and self.kind != "dask":
            raise ExecutorError("--scheduler needs --executor dask")

    @property
    def remote(self) -> bool:
        """Whether work may run in processes that do not share this one's folder and memory."""
        return self.kind == "dask"


def _distributed() -> Any:
    """The ``distributed`` package, or a one-line error naming the extra that brings it."""
    try:
        import distributed
    except ImportError as err:
        raise ExecutorError(f"--executor dask needs Dask distributed, which is not installed "
                            f"(pip install '{EXTRA}'): {err}") from err
    return distributed


@contextlib.contextmanager
def open_executor(choice: ExecutorChoice | None, workers: int) -> Iterator[Executor | None]:
    """The executor ``choice`` names, for the block (None for the local pool); closed after it."""
    if choice is None or choice.kind == "local":
        yield None
        return
    executor = DaskExecutor.start(choice.scheduler, workers)
    try:
        yield executor
    finally:
        executor.close()


class DaskExecutor:
    """A Dask client (and the LocalCluster it started, if any): makes a ``_DaskPool`` per map."""

    def __init__(self, client: Any, cluster: Any = None) -> None:
        self.client, self.cluster = client, cluster

    @classmethod
    def start(cls, scheduler: str | None, workers: int) -> DaskExecutor:
        """Connect to ``scheduler``, or start a LocalCluster of ``workers`` processes."""
        distributed = _distributed()
        import dask

        cluster = client = None
        try:
            if scheduler is None:
                # A task whose worker died fails at once (``WorkerDied``), as with the local pool.
                with dask.config.set({"distributed.scheduler.allowed-failures": 0}), warnings.catch_warnings():
                    # its HTTP server takes another port when 8787 is taken: nothing to tell the user
                    warnings.filterwarnings("ignore", "Port .* is already in use", UserWarning)
                    cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                       dashboard_address=None, silence_logs=logging.ERROR)
                client = distributed.Client(cluster, timeout=connect_timeout())
                client.run(_prepare_local_worker)
            else:
                try:
                    client = distributed.Client(scheduler, timeout=connect_timeout())
                except Exception as err:  # refused, timed out, a malformed address
                    raise ExecutorError(f"cannot reach the Dask scheduler at {scheduler} "
                                        f"within {connect_timeout():g} s: {err}") from err
            executor = cls(client, cluster)
            executor._check_workers(scheduler or "the LocalCluster")
            return executor
        except BaseException:
            for part in (client, cluster):
                if part is not None:
                    with contextlib.suppress(Exception):
                        part.close(timeout=CLOSE_SECONDS)
            raise

    def _check_workers(self, where: str) -> None:
        """Some worker there, and every worker running this build's code (same files, same hash)."""
        try:
            self.client.wait_for_workers(1, timeout=workers_timeout())
        except Exception as err:
            raise ExecutorError(f"{where} has no worker after {workers_timeout():g} s "
                                "(start one with: dask worker ADDRESS)") from err
        try:
            theirs = self.client.run(_code_digest)
        except Exception as err:
            raise ExecutorError(f"a Dask worker of {where} cannot run cablesite ({err}); "
                                f"install it there: pip install '{EXTRA}', the same version as here") from err
        mine = _code_digest()
        other = sorted(address for address, digest in theirs.items() if digest != mine)
        if other:
            raise ExecutorError(f"Dask worker(s) {', '.join(other)} run other cablesite code than this build; "
                                "install the same version on every machine")

    def threads(self) -> int:
        """Tasks the cluster runs at once (its workers' threads)."""
        return max(1, sum(self.client.nthreads().values()))

    def pool(self, workers: int, initializer: Callable[..., None] | None, initargs: tuple) -> _DaskPool:
        return _DaskPool(self, initializer, initargs)

    def close(self) -> None:
        """Disconnect; a LocalCluster's workers are stopped."""
        for part in (self.client, self.cluster):
            if part is not None:
                with contextlib.suppress(Exception):
                    part.close(timeout=CLOSE_SECONDS)


class _DaskPool:
    """One ``ordered_map`` on the cluster: its context scattered once, a task per batch."""

    def __init__(self, executor: DaskExecutor, initializer: Callable[..., None] | None, initargs: tuple) -> None:
        self.client = executor.client
        self.workers = executor.threads()
        context = (uuid.uuid4().hex, state_key(), initializer, initargs)
        try:
            [self.context] = self.client.scatter([context], hash=False)  # sent to each worker once, not per task
        except TypeError as err:  # what a stage's workers need must pickle; say which stage, not the whole state
            name = getattr(initializer, "__qualname__", "the worker state")
            raise ExecutorError(f"{name}: its arguments cannot be sent to Dask workers ({str(err)[:200]})") from err
        self.futures: deque[Any] = deque()  # submitted, results not yet taken (in submission order)

    def submit(self, function: Callable[[Any], Any], batch: list) -> Any:
        future = self.client.submit(_run_on_worker, self.context, function, batch, pure=False)
        self.futures.append(future)
        return future

    def result(self, future: Any) -> list:
        distributed = _distributed()
        try:
            while not future.done():  # waited for in steps: a cluster left without workers never finishes it
                with contextlib.suppress(distributed.TimeoutError):
                    distributed.wait([future], timeout=POLL_SECONDS)
                if not future.done() and not self.client.nthreads():
                    raise WorkerDied("the Dask cluster has no worker left; the build stopped and the site "
                                     "is unchanged")
            return future.result()
        except distributed.KilledWorker as err:
            raise WorkerDied(f"a Dask worker died while it had this build's work ({err}); the build stopped "
                             "and the site is unchanged") from err
        finally:
            if self.futures and self.futures[0] is future:
                self.futures.popleft()

    def close(self) -> None:
        self.client.cancel([self.context])

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.client.cancel([*self.futures, self.context], force=True)
        self.futures.clear()


_WORKER_LOCK = threading.Lock()
_WORKER_CONTEXT: list[str] = []  # in a worker: the token of the context it is prepared for


def _run_on_worker(context: tuple, function: Callable[[Any], Any], batch: list) -> list:
    """A batch in a Dask worker, the worker first prepared for its map (once per map): the build's
    state key, then the stage's initializer."""
    token, key, initializer, initargs = context
    with _WORKER_LOCK:
        if [token] != _WORKER_CONTEXT:
            use_state_key(key)
            if initializer:
                initializer(*initargs)
            _WORKER_CONTEXT[:] = [token]
    return _run_batch(function, batch)


def _prepare_local_worker(dask_worker: Any) -> None:
    """In a LocalCluster worker (``Client.run`` passes it). Ctrl-C reaches every process of the
    terminal's group: it is the build's to handle (it closes the cluster), not the worker's, which
    would die printing tracebacks. And the worker works in a folder of its own, not the build's:
    a path relative to the build's folder fails here as it would on another machine."""
    with contextlib.suppress(ValueError):  # only the worker's main thread may set it
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.chdir(dask_worker.local_directory)


def _code_digest() -> str:
    """The hash of the installed cablesite code (the build fingerprint's code part)."""
    from .store import PACKAGE, hash_files

    return hash_files([PACKAGE])
