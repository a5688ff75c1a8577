"""The posts table (site_config/posts.csv): station names as reference ids spell them, the
origin's display name, and the other spellings cables use for each post.

Cables name a post many ways: ``SAO PAULO``, ``SAOPAULO``, ``SAO PAUO``; ``HAGUE`` for
``THEHAGUE``; ``SECSTATE`` for ``STATE``. An id must carry one spelling (the release's) or
references do not resolve, so spellings are looked up in a table the publisher can extend.
A spelling the table does not know stays as written (joined, in capitals): a guess would
link a reference to the wrong cable, a missing alias only leaves it unlinked.

Spellings are compared joined and in capitals (``Buenos Aires`` = ``BUENOSAIRES``), so an
alias that differs only by spaces, dots or hyphens need not be listed.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError

_NOT_IN_KEY = re.compile(r"[\s.'\-]+")
_CODE = re.compile(r"[A-Z0-9]{2,30}")


@functools.lru_cache(maxsize=8192)  # the same few hundred spellings, asked for at every reference
def post_key(written: str) -> str:
    """``Sao Paulo`` -> ``SAOPAULO``; ``PORT-AU-PRINCE`` -> ``PORTAUPRINCE``; ``ST. PETERSBURG`` -> ``STPETERSBURG``."""
    return _NOT_IN_KEY.sub("", written.upper())


@dataclass(frozen=True)
class Post:
    code: str  # as in ids: BUENOSAIRES
    name: str  # the origin as shown: "Embassy Buenos Aires" ("" when the table gives none)
    aliases: tuple[str, ...] = ()  # other spellings, as written in the table


@dataclass(eq=False)
class PostTable:
    """Posts by code, and every known spelling (joined, capitals) -> code."""

    posts: dict[str, Post] = field(default_factory=dict)
    by_spelling: dict[str, str] = field(default_factory=dict)

    def canonical(self, written: str) -> str:
        """The id spelling of a post as written: the table's code, else the writing joined."""
        key = post_key(written)
        return self.by_spelling.get(key, key)

    def knows(self, written: str) -> bool:
        """Whether the table holds this spelling (a code or an alias)."""
        return post_key(written) in self.by_spelling

    def display_name(self, written: str) -> str | None:
        """The origin's display name for a post as written (``BUENOSAIRES`` -> ``Embassy Buenos
        Aires``); None for a spelling the table does not know or a post without a name."""
        code = self.by_spelling.get(post_key(written))
        return (self.posts[code].name or None) if code else None


def read_posts(path: Path) -> PostTable:
    """site_config/posts.csv (columns ``post``, ``name``, ``aliases`` ``|``-separated).

    A post listed twice, a code that is not letters and digits, or a spelling claimed by two
    posts is an error naming the line: either would send references to the wrong cable.
    A missing file is an empty table (every spelling then stays as written)."""
    table = PostTable()
    if not path.exists():
        return table
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            code = (row.get("post") or "").strip().upper()
            if not code and not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue  # a blank line
            if not _CODE.fullmatch(code):
                raise ConfigError(f"{path}:{line}: post {code!r} must be written as in ids: "
                                  "capitals and digits, no spaces (BUENOSAIRES)")
            if code in table.posts:
                raise ConfigError(f"{path}:{line}: post {code} is listed twice")
            aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
            table.posts[code] = Post(code, (row.get("name") or "").strip(), aliases)
            for spelling in (code, *aliases):
                _claim(table, post_key(spelling), code, f"{path}:{line}", spelling)
    return table


def _claim(table: PostTable, key: str, code: str, where: str, spelling: str) -> None:
    owner = table.by_spelling.get(key)
    if owner is not None and owner != code:
        raise ConfigError(f"{where}: spelling {spelling!r} of {code} already belongs to {owner}")
    if not key:
        raise ConfigError(f"{where}: post {code} has an empty alias")
    table.by_spelling[key] = code


# The parser's default table (where none is passed, as in tests): the shipped site_config's, read
# the first time a cable needs it. The build passes its project's table to ``parse_cable``.
_ACTIVE: list[PostTable] = []


def active_posts() -> PostTable:
    """The default posts table: the shipped site_config's."""
    if not _ACTIVE:
        # Imported here: enrich.config reads this module's table, so a top-level import would
        # be a cycle; load_tables is cached, so the build and this default read the file once.
        from ..enrich.config import load_tables
        _ACTIVE.append(load_tables().posts)
    return _ACTIVE[0]
