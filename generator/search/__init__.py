"""Client-side search: a fragmented static index written by the build (see index.py)."""

from .index import SearchIndexer
from .tokens import tokenize

__all__ = ["SearchIndexer", "tokenize"]
