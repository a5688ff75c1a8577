"""The preview server honours HTTP Range, like the static hosts the README names."""

from __future__ import annotations

import urllib.request

import pytest

from generator.serve import background_server


@pytest.fixture
def server(tmp_path):
    (tmp_path / "data.bin").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "index.html").write_text("<p>home</p>", encoding="utf-8")
    with background_server(tmp_path) as url:
        yield url


def fetch(url: str, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_range_request_returns_the_bytes_asked_for(server):
    status, headers, body = fetch(f"{server}/data.bin", {"Range": "bytes=10-19"})
    assert status == 206
    assert body == bytes(range(10, 20))
    assert headers["Content-Range"] == "bytes 10-19/1024"


def test_suffix_and_open_ranges(server):
    assert fetch(f"{server}/data.bin", {"Range": "bytes=-4"})[2] == bytes([252, 253, 254, 255])
    status, _, body = fetch(f"{server}/data.bin", {"Range": "bytes=1020-"})
    assert status == 206 and body == bytes([252, 253, 254, 255])


def test_unsatisfiable_range_is_416(server):
    status, headers, _ = fetch(f"{server}/data.bin", {"Range": "bytes=5000-6000"})
    assert status == 416 and headers["Content-Range"] == "bytes */1024"


def test_plain_request_is_whole_file_and_advertises_ranges(server):
    status, headers, body = fetch(f"{server}/data.bin")
    assert status == 200 and len(body) == 1024
    assert headers.get("Accept-Ranges") == "bytes"
    assert fetch(f"{server}/")[2] == b"<p>home</p>"
