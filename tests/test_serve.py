"""The preview server honours HTTP Range, like the static hosts the README names."""

from __future__ import annotations

import http.client
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


# --- D20: the server never serves outside the site, never lists, answers malformed requests 400 ---


@pytest.fixture
def site_with_links(tmp_path):
    """A site holding links out (to a file, to a folder, as a folder's index page), a link
    within, and a folder without an index page; the secret lies beside the site."""
    site, outside = tmp_path / "site", tmp_path / "outside"
    (site / "cable" / "2009").mkdir(parents=True)
    (site / "linked-out").mkdir()
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0:SECRET\n", encoding="utf-8")
    (outside / "index.html").write_text("SECRET index\n", encoding="utf-8")
    (site / "index.html").write_text("<p>home</p>", encoding="utf-8")
    (site / "cable" / "2009" / "09BAKU179.html").write_text("<p>cable</p>", encoding="utf-8")
    (site / "passwd.html").symlink_to(outside / "passwd")
    (site / "etc").symlink_to(outside, target_is_directory=True)
    (site / "linked-out" / "index.html").symlink_to(outside / "index.html")
    (site / "alias.html").symlink_to(site / "cable" / "2009" / "09BAKU179.html")
    with background_server(site) as url:
        yield url


def raw_get(base: str, target: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """A request sent as written (urllib would refuse or re-quote some of these)."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("target", ["/passwd.html", "/etc/passwd", "/etc/", "/etc", "/linked-out/",
                                    "/linked-out/index.html"])
def test_links_out_of_the_site_are_not_followed(site_with_links, target):
    status, body = raw_get(site_with_links, target)
    assert status == 404 and b"SECRET" not in body


def test_links_within_the_site_are_served(site_with_links):
    assert raw_get(site_with_links, "/alias.html") == (200, b"<p>cable</p>")
    assert raw_get(site_with_links, "/") == (200, b"<p>home</p>")


def test_folders_are_not_listed(site_with_links):
    status, body = raw_get(site_with_links, "/cable/2009/")
    assert status == 404 and b"09BAKU179" not in body
    assert raw_get(site_with_links, "/cable/2009/09BAKU179.html") == (200, b"<p>cable</p>")


@pytest.mark.parametrize(("target", "headers"), [
    ("/%00", {}),
    ("/cable/%00.html", {}),
    ("/%ed%a0%80.html", {}),  # a lone surrogate: no file name
    ("/index.html", {"Range": "bytes=" + "9" * 5000 + "-"}),
    ("/index.html", {"Range": "bytes=0-" + "9" * 5000}),
    ("/index.html", {"Range": "bytes=abc"}),
])
def test_malformed_requests_are_400_without_a_traceback(site_with_links, capsys, target, headers):
    status, _ = raw_get(site_with_links, target, headers)
    assert status == 400
    assert raw_get(site_with_links, "/")[0] == 200  # and the server goes on
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out


# --- a missing file is answered with the site's 404 page, as GitHub Pages answers it ---


@pytest.fixture
def sites_with_404(tmp_path):
    """A served folder holding a site at its root and one under the sub-path /project/, each with
    its own 404 page, and a folder linked out of the site that holds a 404 page of its own."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "404.html").write_text("SECRET 404", encoding="utf-8")
    root = tmp_path / "root"
    (root / "project" / "cable").mkdir(parents=True)
    (root / "404.html").write_text("<p>root 404</p>", encoding="utf-8")
    (root / "project" / "404.html").write_text("<p>project 404</p>", encoding="utf-8")
    (root / "linked").symlink_to(outside, target_is_directory=True)
    with background_server(root) as url:
        yield url


@pytest.mark.parametrize(("target", "page"), [
    ("/missing.html", b"<p>root 404</p>"),
    ("/no/such/deep/page", b"<p>root 404</p>"),
    ("/no/such/folder/", b"<p>root 404</p>"),
    ("/project/no/such/deep/page?q=x#par3", b"<p>project 404</p>"),
    ("/project/cable/", b"<p>project 404</p>"),  # a folder without an index page: never listed
    ("/linked/missing.html", b"<p>root 404</p>"),  # the 404 page of a folder linked out is not used
])
def test_a_missing_file_is_answered_with_the_nearest_404_page(sites_with_404, target, page):
    status, headers, body = fetch(sites_with_404 + target)
    assert (status, body) == (404, page)
    assert headers["Content-Type"] == "text/html; charset=utf-8"


def test_a_missing_file_without_a_404_page_gets_the_plain_answer(server):
    status, _, body = fetch(f"{server}/no/such/page.html")
    assert status == 404 and b"File not found" in body


def test_a_missing_range_is_a_404_with_the_page_and_a_head_request_gets_no_body(sites_with_404):
    assert fetch(f"{sites_with_404}/search/t/9.bin.gz", {"Range": "bytes=0-9"})[::2] == (404, b"<p>root 404</p>")
    host, port = sites_with_404.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("HEAD", "/no/such/page")
        response = connection.getresponse()
        assert response.status == 404 and response.read() == b""
        assert response.getheader("Content-Length") == str(len(b"<p>root 404</p>"))
    finally:
        connection.close()
