"""Trust nothing read back from the work folder unless it carries this machine's seal.

Why: the work folder outlives builds (and travels in CI caches). A build killed mid-write, a
full disk or a flipped byte leaves files that look whole; a crafted pickle runs code when it is
loaded. Every blob the build keeps for a later one (parsed cables, search state, page frames)
is therefore sealed with an HMAC-SHA256 under a key kept *outside* the work folder, over the
blob and the name it is kept under, and checked before it is unpickled. A blob that fails is
``WorkStateError``: the build then rebuilds that part (or everything) with a one-line notice,
never unpickles it, never reuses it silently.

The key lives in ``$CABLESITE_STATE_KEY`` (a file name), else in the user's cache folder
(``$XDG_CACHE_HOME/cablesite/state-key``, made on first use, mode 0600). A work folder moved to
another machine (or user) is therefore rebuilt once there: what cannot be authenticated is
not loaded. The work folder names the key that sealed it (``KEY_MARK``, an HMAC of a fixed
text, not the key), so that this case is one notice and a clean rebuild, not a failed check
per file. ``fault_point`` is the fault-injection hook of the test suite.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import pickle
import secrets
import signal
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

TAG = 32  # bytes of an HMAC-SHA256 tag
KEY_MARK = "state-key-id"  # in the work folder: which key sealed its state (not the key itself)
_FRAME = struct.Struct("<I")
_END = b"cablesite-stream-end"
_KEY: list[bytes] = []


class WorkStateError(Exception):
    """A file of the work folder is unreadable, truncated or fails its seal."""


def key_file() -> Path:
    explicit = os.environ.get("CABLESITE_STATE_KEY")
    if explicit:
        return Path(explicit)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "cablesite" / "state-key"


def state_key() -> bytes:
    """The sealing key: read once per process, made (atomically, private) when missing."""
    if _KEY:
        return _KEY[0]
    path = key_file()
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)  # the first process to get here wins; the others read its key
        tmp.unlink()
        key = path.read_bytes()
    if len(key) < 16:
        raise WorkStateError(f"the state key {path} is too short; delete it to make a new one")
    _KEY[:] = [key]
    return key


def use_state_key(key: bytes) -> None:
    """Seal and verify with ``key`` from now on in this process: a Dask worker (see executors.py)
    uses the build process's key, handed to it with its work, never one of its own machine."""
    _KEY[:] = [key]


def key_id() -> str:
    """A name for this process's key that gives nothing of it away (an HMAC of a fixed text)."""
    return hmac.digest(state_key(), b"cablesite state key id", "sha256")[:8].hex()


def sealed_elsewhere(work: Path) -> bool:
    """Whether ``work``'s state was sealed under another key than this process's (a work folder
    moved from another machine or user, a CI cache restored without its key, a key replaced):
    then none of it verifies, and one notice says so instead of one per file."""
    try:
        mark = (work / KEY_MARK).read_text(encoding="ascii").strip()
    except (OSError, UnicodeError):  # no mark (a new folder, or one of an older version)
        return False
    return mark != key_id()


def mark_key(work: Path) -> None:
    """Record in ``work`` which key seals what builds keep there from now on."""
    (work / KEY_MARK).write_text(key_id() + "\n", encoding="ascii")


def _tag(data: bytes, name: bytes) -> bytes:
    return hmac.digest(state_key(), name + b"\0" + data, "sha256")


def seal(data: bytes, name: str | bytes = b"") -> bytes:
    """``data`` with its tag in front; ``name`` (what it is kept under) is bound into the tag."""
    return _tag(data, _b(name)) + data


def unseal(blob: bytes | None, name: str | bytes = b"", where: str = "") -> bytes:
    """The data of a sealed ``blob``; ``WorkStateError`` naming ``where`` if it does not verify."""
    if blob is None or len(blob) < TAG:
        raise WorkStateError(f"{where or 'a work file'}: missing or truncated")
    data = blob[TAG:]
    if not hmac.compare_digest(blob[:TAG], _tag(data, _b(name))):
        raise WorkStateError(f"{where or 'a work file'}: fails its integrity check (changed since it was written)")
    return data


def dumps(value: object, name: str | bytes = b"") -> bytes:
    return seal(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), name)


def loads(blob: bytes | None, name: str | bytes = b"", where: str = "") -> Any:
    """Unpickle a sealed blob, only once its seal is verified."""
    return pickle.loads(unseal(blob, name, where))


def write_sealed(path: Path, value: object) -> None:
    """``value`` pickled and sealed into ``path`` (bound to the file's name)."""
    path.write_bytes(dumps(value, path.name))


def read_sealed(path: Path) -> Any:
    try:
        blob = path.read_bytes()
    except OSError as err:
        raise WorkStateError(f"{path}: cannot be read ({err.strerror or err})") from err
    return loads(blob, path.name, str(path))


def write_stream(handle: BinaryIO, chunks: Iterable[object], name: str) -> None:
    """Chunks pickled into sealed frames, then an end frame counting them: a file cut at a
    frame boundary fails on reading as surely as one cut inside a frame."""
    count = 0
    for chunk in chunks:
        _write_frame(handle, dumps(chunk, f"{name}:{count}"))
        count += 1
    _write_frame(handle, seal(_END + str(count).encode(), f"{name}:end"))


def read_stream(path: Path, name: str | None = None) -> Iterator[Any]:
    """The chunks ``write_stream`` wrote into ``path``, each verified before it is unpickled."""
    name = name or path.name
    try:
        handle = path.open("rb")
    except OSError as err:
        raise WorkStateError(f"{path}: cannot be read ({err.strerror or err})") from err
    with handle:
        count = 0
        while True:
            head = handle.read(_FRAME.size)
            if len(head) < _FRAME.size:
                raise WorkStateError(f"{path}: truncated (no end mark after {count} chunk(s))")
            blob = handle.read(_FRAME.unpack(head)[0])
            if blob[TAG:].startswith(_END):
                if unseal(blob, f"{name}:end", str(path)) != _END + str(count).encode():
                    raise WorkStateError(f"{path}: its end mark does not match its {count} chunk(s)")
                return
            yield loads(blob, f"{name}:{count}", str(path))
            count += 1


def _write_frame(handle: BinaryIO, blob: bytes) -> None:
    handle.write(_FRAME.pack(len(blob)))
    handle.write(blob)


def _b(name: str | bytes) -> bytes:
    return name.encode("utf-8", "surrogatepass") if isinstance(name, str) else name


def fault_point(name: str) -> None:
    """Test hook: with ``CABLESITE_FAULT=name`` (or ``name:SIGNAL``), this process sends itself
    SIGKILL (or that signal) here. Lets the fault tests kill a build at a chosen point."""
    wanted = os.environ.get("CABLESITE_FAULT")
    if not wanted:
        return
    point, _, sig = wanted.partition(":")
    if point == name:
        os.kill(os.getpid(), getattr(signal, sig or "SIGKILL"))
