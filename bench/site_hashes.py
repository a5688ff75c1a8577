"""Print ``sha256  path`` for every file of a built site, sorted by path: diff two listings to
show that a change left the site byte-identical.

    python bench/site_hashes.py SITE_DIR > before.txt

Symbolic links are listed by their target (``-> target``), not followed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path


def site_hashes(site: Path) -> Iterator[str]:
    """One ``sha256  path`` line per file below ``site``, in path order."""
    for path in sorted(p for p in site.rglob("*") if p.is_symlink() or p.is_file()):
        rel = path.relative_to(site).as_posix()
        if path.is_symlink():
            yield f"{'-> ' + os.readlink(path):64}  {rel}"
            continue
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda h=handle: h.read(1 << 20), b""):
                digest.update(block)
        yield f"{digest.hexdigest()}  {rel}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        print(f"error: {args.site}: no such folder", file=sys.stderr)
        return 2
    for line in site_hashes(args.site):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
