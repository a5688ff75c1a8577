"""Sharded rendering gives the same site, file for file, as one MkDocs run."""

from __future__ import annotations

import hashlib
import shutil

from generator.build import work_dir_for
from generator.render import render_site
from generator.render.shards import nav_pages, plan_shards, render_in_shards

from .conftest import CONFIG


def digest_tree(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_plan_gives_navigation_pages_to_the_first_shard(tmp_path):
    pages = ["a.md", "cables.md", "index.md", "b.md", "c.md"]
    shards = plan_shards(pages, ["index.md", "cables.md"], 2, tmp_path)
    assert [s.pages for s in shards] == [["index.md", "cables.md", "a.md", "b.md"], ["c.md"]]
    assert "index.md" in nav_pages(CONFIG)


def test_sharded_render_equals_single_render(sample_site, tmp_path):
    site, _ = sample_site
    docs_copy = tmp_path / "docs"
    shutil.copytree(work_dir_for(site) / "docs", docs_copy)
    single, sharded = tmp_path / "single", tmp_path / "sharded"
    render_site(CONFIG, docs_copy, single)
    seen = []
    count = render_in_shards(CONFIG, docs_copy, sharded, tmp_path / "shards", shard_size=400, workers=2,
                             progress=lambda done, total: seen.append((done, total)))
    assert count >= 3 and seen[-1] == (count, count)
    assert digest_tree(single) == digest_tree(sharded)
    assert not (tmp_path / "shards").exists()
