"""``cablesite serve``: build, serve on localhost, rebuild when sources change.

The server honours HTTP Range requests, as GitHub Pages, S3 and nginx do, so that what works
in preview works on a real static host (the search index is read in byte ranges), and answers
a missing file with the site's own 404 page, as GitHub Pages and Netlify do.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from .build import build
from .progress import print_report
from .project import TABLES, THEME
from .sources import iter_source_files

# Byte positions of at most 18 digits: any real file's size fits, and ``int`` of a longer
# number (5,000 digits) would raise; a longer one is a malformed request.
_RANGE = re.compile(r"^bytes=(\d{0,18})-(\d{0,18})$")
NOT_FOUND_PAGE = "404.html"  # MkDocs writes it at the site's root


class MalformedRequest(ValueError):
    """A request no file name can come from (a NUL byte, a lone surrogate): answered with 400."""


class RangeRequestHandler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler plus single-range ``Range: bytes=a-b`` support, confined to
    the site: nothing whose real path lies outside the site folder is served (a symbolic link
    in the site to ``/etc``), folders are never listed, and a malformed request is answered
    with 400 instead of a traceback in the log."""

    def translate_path(self, path: str) -> str:
        translated = super().translate_path(path)
        if "\x00" in translated:
            raise MalformedRequest("NUL byte in the path")
        try:
            os.fsencode(translated)
        except UnicodeError:
            raise MalformedRequest("the path is not a valid file name") from None
        return translated

    def _inside_site(self, path: str) -> bool:
        """Whether ``path``, with every link followed, is the site folder or lies inside it.
        The folder is resolved per request: a rebuild replaces it (or the link to it)."""
        root = os.path.realpath(self.directory)
        real = os.path.realpath(path)
        return real == root or real.startswith(root.rstrip(os.sep) + os.sep)

    def _target(self) -> str | None:
        """The local path the request names, None when it is outside the site; a folder's
        index page (what the base class would serve for ``folder/``) is checked too."""
        path = self.translate_path(self.path)
        if not self._inside_site(path):
            return None
        if os.path.isdir(path) and path.endswith("/"):
            for name in ("index.html", "index.htm"):
                index = os.path.join(path, name)
                if os.path.isfile(index):
                    return path if self._inside_site(index) else None
        return path

    def send_head(self):
        try:
            path = self._target()
        except MalformedRequest as err:
            self.send_error(400, f"Bad request: {err}")
            return None
        if path is None:
            self.send_error(404, "File not found")
            return None
        range_header = self.headers.get("Range")
        if not range_header or os.path.isdir(path):
            return super().send_head()
        match = _RANGE.match(range_header.strip())
        if not match:
            self.send_error(400, "Bad Range header: one range of bytes=FIRST-LAST expected")
            return None
        try:
            handle = open(path, "rb")  # noqa: SIM115 - returned to the base class, which closes it
        except OSError:
            self.send_error(404, "File not found")
            return None
        size = os.fstat(handle.fileno()).st_size
        if not match.group(1) and not match.group(2):
            handle.close()
            self.send_error(416, "Bad range")
            return None
        if match.group(1):
            start = int(match.group(1))
            end = int(match.group(2)) if match.group(2) else size - 1
        else:
            start = max(0, size - int(match.group(2)))
            end = size - 1
        end = min(end, size - 1)
        if start > end or start >= size:
            handle.close()
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.end_headers()
            return None
        handle.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self._remaining = end - start + 1
        return handle

    def send_error(self, code, message=None, explain=None):
        """A missing file (404) is answered with the site's 404 page, as a static host answers it:
        its search box and links must work at any missing URL, and only a server that shows the
        page lets one see that they do. Other errors as the base class answers them."""
        page = self._not_found_page() if code == 404 else None
        if page is None:
            super().send_error(code, message, explain)
            return
        self.log_error("code %d, message %s", code, message)
        self.send_response(code, message)
        self.send_header("Connection", "close")
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(page)

    def _not_found_page(self) -> bytes | None:
        """The nearest ``404.html`` in the requested path's folder or a folder above it, inside the
        site (GitHub Pages serves a project site's own at any missing URL below the project's
        path: the served folder may hold sites under sub-paths); None when there is none."""
        root = os.path.abspath(self.directory)
        try:
            folder = os.path.abspath(os.path.dirname(self.translate_path(self.path)))
        except MalformedRequest:
            return None
        while folder == root or folder.startswith(root.rstrip(os.sep) + os.sep):
            candidate = os.path.join(folder, NOT_FOUND_PAGE)
            if os.path.isfile(candidate) and self._inside_site(candidate):
                try:
                    with open(candidate, "rb") as handle:
                        return handle.read()
                except OSError:
                    return None
            if folder == root:
                break
            folder = os.path.dirname(folder)
        return None

    def list_directory(self, path):
        """No listings: a static host shows none, and a listing shows what is not published."""
        self.send_error(404, "File not found")
        return None

    def copyfile(self, source, outputfile):
        remaining = getattr(self, "_remaining", None)
        if remaining is None:
            return super().copyfile(source, outputfile)
        while remaining > 0:
            chunk = source.read(min(65536, remaining))
            if not chunk:
                break
            outputfile.write(chunk)
            remaining -= len(chunk)
        self._remaining = None
        return None

    def end_headers(self):
        if not self.headers.get("Range"):
            self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def log_message(self, format, *args):
        pass


def make_server(site_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(RangeRequestHandler, directory=str(site_dir))
    return http.server.ThreadingHTTPServer((host, port), handler)


@contextlib.contextmanager
def background_server(root: Path, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``root`` on a free port in a thread; yields the base URL (tests, previews)."""
    server = make_server(root, host, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def watched(sources: list[Path], config: Path) -> list[Path]:
    """What a rebuild depends on besides the code: the sources and the project's own mkdocs.yml,
    theme/ and site_config/ (the shipped defaults do not change while serving)."""
    root = config.parent
    return [*sources, config, root / THEME, root / TABLES]


def _snapshot(paths: list[Path]) -> dict[str, float]:
    stamps: dict[str, float] = {}
    for source in paths:
        if source.exists():
            for path in iter_source_files(source):
                stamps[str(path)] = path.stat().st_mtime
    return stamps


def serve(sources: list[Path], site_dir: Path, config: Path, site_name: str, host: str, port: int,
          watch: bool = True, progress: bool = True) -> int:
    """Build, serve, and rebuild on a change (a failed rebuild keeps the last good site served)."""
    print_report(build(sources, site_dir, config, site_name, progress=progress))
    # Serve the parent of the swap target through a stable path: the site folder is replaced
    # on rebuild, so the handler resolves it per request.
    server = make_server(site_dir, host, port)
    print(f"serving {site_dir} at http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        paths = watched(sources, config)
        last = _snapshot(paths)
        while True:
            time.sleep(1.0)
            if not watch:
                continue
            now = _snapshot(paths)
            if now != last:
                last = now
                print("sources changed: rebuilding", flush=True)
                try:
                    print_report(build(sources, site_dir, config, site_name, progress=progress))
                except Exception as err:  # keep serving the last good site
                    print(f"error: rebuild failed: {err}", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0
