"""``cablesite build --executor dask`` (generator/executors.py): the same site, byte for byte, as
the local process pool makes; a clear error, never a hang, when Dask is missing or its
scheduler out of reach; a dead worker or Ctrl-C stops the build and leaves no process behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import integrity
from generator.parallel import Done, executing, ordered_map
from generator.synth import synthesize

from .faultkit import BOUND, differences, finish, no_process_left

pytest.importorskip("distributed", reason="dask[distributed] is in the test extra: ./run setup installs it")
# A LocalCluster's HTTP server moves off port 8787 when another cluster on this machine has it.
pytestmark = pytest.mark.filterwarnings("ignore:Port .* is already in use:UserWarning")

CABLES = 90  # the first 32 items run in the build process; the rest, and the index stamping, on the workers


def start_build(source: Path, site: Path, *extra: str, cwd: Path, key: Path, fault: str | None = None,
                python: list[str] | None = None) -> subprocess.Popen:
    """``cablesite build`` in a session (and process group) of its own, so that its processes
    can be signalled as a terminal does and counted after it."""
    env = {**os.environ, "CABLESITE_STATE_KEY": str(key)}
    env.pop("CABLESITE_FAULT", None)
    env.pop("CABLESITE_WORKERS", None)
    if fault:
        env["CABLESITE_FAULT"] = fault
    args = [*(python or [sys.executable, "-m", "generator.cli"]), "build", str(source), "--site-dir", str(site),
            "--quiet", *extra]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=env,
                            start_new_session=True)


def run_build(source: Path, site: Path, *extra: str, cwd: Path, key: Path, fault: str | None = None,
              timeout: float = BOUND, python: list[str] | None = None) -> subprocess.CompletedProcess:
    return finish(start_build(source, site, *extra, cwd=cwd, key=key, fault=fault, python=python), timeout)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, Path, Path]:
    """A synthetic archive, its state key and its local build (2 worker processes)."""
    root = tmp_path_factory.mktemp("dask-small")
    source, key = root / "cables.csv", root / "state-key"
    synthesize(CABLES, source, seed=3)
    done = run_build(source, root / "local" / "site", "--workers", "2", cwd=root, key=key)
    assert done.returncode == 0, done.stderr
    return source, key, root / "local" / "site"


_TAG: list[str] = []  # set in each worker by ``_set_tag`` (``ordered_map``'s initializer)


def _set_tag(tag: str) -> None:
    _TAG[:] = [tag]


def _tagged(value: int) -> tuple[int, str, int]:
    if value == 666:
        raise TimeoutError("the task's own timeout")
    return value, _TAG[0], os.getpid()


def _worker_key(_value: int) -> bytes:
    return integrity.state_key()


@pytest.fixture(scope="module")
def dask_executor(tmp_path_factory):
    """A DaskExecutor on a LocalCluster of 2 workers whose own state key differs from this process's."""
    from distributed import Client, LocalCluster

    from generator.executors import DaskExecutor

    other_key = tmp_path_factory.mktemp("dask-key") / "workers-state-key"
    other_key.write_bytes(os.urandom(32))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      env={"CABLESITE_STATE_KEY": str(other_key)}) as cluster, Client(cluster) as client:
        yield DaskExecutor(client)


def test_ordered_map_on_dask_gives_results_in_input_order_from_prepared_workers(dask_executor):
    items = [Done((-1, "done", 0)) if i % 10 == 3 else i for i in range(300)]
    with executing(dask_executor):
        results = list(ordered_map(_tagged, items, workers=1, chunksize=7, initializer=_set_tag, initargs=("x",)))
    assert [r[:2] for r in results] == [(-1, "done") if i % 10 == 3 else (i, "x") for i in range(300)]
    assert os.getpid() not in {r[2] for r in results if r[1] != "done"}  # all of it on the workers


def test_an_error_of_a_dask_task_is_raised_as_itself(dask_executor):
    """Even a TimeoutError: the wait for a batch must not take it for its own."""
    started = time.monotonic()
    with executing(dask_executor), pytest.raises(TimeoutError, match="the task's own timeout"):
        list(ordered_map(_tagged, range(1000), workers=1, chunksize=5, initializer=_set_tag, initargs=("x",)))
    assert time.monotonic() - started < 60


def test_dask_workers_use_the_build_process_state_key(dask_executor):
    with executing(dask_executor):
        keys = set(ordered_map(_worker_key, range(40), workers=1, chunksize=4))
    assert keys == {integrity.state_key()}


@pytest.mark.slow
def test_the_sample_built_on_a_local_dask_cluster_is_the_local_build_byte_for_byte(sample_csv, tmp_path):
    """Issue 18's check: the shared sample on a LocalCluster of 2 worker processes, every file's
    sha256 equal to the local process pool's build."""
    key = tmp_path / "state-key"
    local = run_build(sample_csv, tmp_path / "local" / "site", "--workers", "2", cwd=tmp_path, key=key, timeout=600)
    assert local.returncode == 0, local.stderr
    dask = run_build(sample_csv, tmp_path / "dask" / "site", "--workers", "2", "--executor", "dask", cwd=tmp_path,
                     key=key, timeout=600)
    assert dask.returncode == 0, dask.stderr
    assert "wrote 1045 cable pages" in dask.stderr
    assert differences(tmp_path / "dask" / "site", tmp_path / "local" / "site") == []
    assert no_process_left(dask.pid)  # the LocalCluster's workers went with the build


def test_workers_of_a_scheduler_get_the_build_key_and_absolute_paths(small, tmp_path):
    """Workers reached with --scheduler run elsewhere: here in another folder than the build's
    (which names its site relatively) and with a state key of their own, which they must not
    use: the build's cables are sealed with the build's key, handed to them with their work."""
    from distributed import LocalCluster

    source, key, reference = small
    other_key = tmp_path / "workers-state-key"
    other_key.write_bytes(os.urandom(32))
    build_dir = tmp_path / "build"
    build_dir.mkdir()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      env={"CABLESITE_STATE_KEY": str(other_key)}) as cluster:
        done = run_build(source, Path("out/site"), "--executor", "dask", "--scheduler", cluster.scheduler_address,
                         cwd=build_dir, key=key)
    assert done.returncode == 0, done.stderr
    assert differences(build_dir / "out" / "site", reference) == []


def test_without_dask_installed_the_error_names_the_extra(small, tmp_path):
    source, key, _ = small
    hide = ("import sys; sys.modules['distributed'] = None; from generator.cli import main; "
            "sys.exit(main(sys.argv[1:]))")
    done = run_build(source, tmp_path / "site", "--executor", "dask", cwd=tmp_path, key=key,
                     python=[sys.executable, "-c", hide])
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "pip install 'cablesite[dask]'" in errors[0], done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "site").exists()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nobody listens there once the probe is closed


def test_a_scheduler_out_of_reach_fails_within_the_connect_timeout(small, tmp_path):
    source, key, _ = small
    address = f"tcp://127.0.0.1:{_closed_port()}"
    os.environ["CABLESITE_DASK_TIMEOUT"] = "3"
    try:
        started = time.monotonic()
        done = run_build(source, tmp_path / "site", "--executor", "dask", "--scheduler", address, cwd=tmp_path,
                         key=key, timeout=60)
        seconds = time.monotonic() - started
    finally:
        del os.environ["CABLESITE_DASK_TIMEOUT"]
    assert done.returncode == 1
    assert f"error: cannot reach the Dask scheduler at {address} within 3 s" in done.stderr
    assert "Traceback" not in done.stderr
    assert seconds < 40  # the connect timeout, plus interpreter and import time on a loaded machine
    assert not (tmp_path / "site").exists()


def test_scheduler_without_the_dask_executor_is_a_usage_error(small, tmp_path):
    source, key, _ = small
    done = run_build(source, tmp_path / "site", "--scheduler", "tcp://127.0.0.1:8786", cwd=tmp_path, key=key)
    assert done.returncode == 2
    assert "--scheduler needs --executor dask" in done.stderr


def test_a_dask_worker_that_dies_stops_the_build_at_once_with_a_message(small, tmp_path):
    """The LocalCluster retries no task: the batch of a killed worker fails the build (the
    worker kills itself at its first pass-2 job), which closes the cluster."""
    source, key, _ = small
    done = run_build(source, tmp_path / "site", "--executor", "dask", "--workers", "2", cwd=tmp_path, key=key,
                     fault="pass2-worker")
    assert done.returncode == 1
    assert "a Dask worker died while it had this build's work" in done.stderr
    assert "the site is unchanged" in done.stderr
    assert not (tmp_path / "site").exists()
    assert no_process_left(done.pid)


def _wait_stopped(pid: int) -> None:
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "T":
            return
        time.sleep(0.1)
    raise AssertionError("the build never reached its stop point")


def test_ctrl_c_stops_a_dask_build_and_its_local_cluster_quietly(small, tmp_path):
    """Ctrl-C as a terminal sends it: SIGINT to every process of the group, the LocalCluster's
    workers too, while they run pass 2. The build exits 130 with its one line; the workers leave
    it to the build (no traceback of theirs) and are gone with it."""
    source, key, _ = small
    process = start_build(source, tmp_path / "site", "--executor", "dask", "--workers", "2", cwd=tmp_path, key=key,
                          fault="pass2-merge:SIGSTOP")
    try:
        _wait_stopped(process.pid)
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        raise
    os.killpg(process.pid, signal.SIGINT)
    os.killpg(process.pid, signal.SIGCONT)
    done = finish(process)
    assert done.returncode == 130, done.stderr
    assert "build interrupted" in done.stderr
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr, done.stderr
    assert not (tmp_path / "site").exists()
    assert no_process_left(done.pid)
