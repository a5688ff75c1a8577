"""Byte encodings of the index files, decoded by theme/assets/javascripts/search.js.

Everything is unsigned LEB128 varints ("varint": 7 bits a byte, high bit set on all bytes but
the last) so that small numbers, which delta encoding makes of most ids, take one byte.

Term shard (``search/t/<n>.bin``), a sequence of entries sorted by term:
    varint shared   bytes shared with the previous term (front coding)
    varint length   bytes of the rest of the term, then those UTF-8 bytes
    varint df       cables holding the term (before the cap)
    varint count    postings stored (at most the cap)
    varint size     bytes of the postings that follow, so a reader can skip them
    postings        count times: varint doc delta, varint slot, one byte score
Doc ids are positions in the archive sorted by date then id; slot 0 is the subject line and
id, slot k >= 1 the k-th paragraph of the cable; the score is a BM25 term-frequency part
scaled to 1..255 (the browser multiplies it by the term's idf).

Doc set (``search/f/<facet>/<n>.bin``): first byte 0 then delta varints of sorted doc ids, or
first byte 1 then a bitmap (bit i of byte i>>3, least significant first) over all docs;
whichever is smaller.

Term shards and hit files are stored gzipped (``.gz``) and unpacked by the browser with
DecompressionStream: static hosts rarely compress on the fly, and this halves what a query
downloads. The browser checks the gzip magic bytes, so a host that adds
``Content-Encoding: gzip`` for ``.gz`` files (the browser then unpacks them itself) works too.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable


def gzipped(data: bytes) -> bytes:
    """gzip with a fixed header (no time stamp), so the same input gives the same bytes."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def varint(value: int) -> bytes:
    """``value`` (>= 0) as an unsigned LEB128 varint."""
    if value < 0:
        raise ValueError(f"varint of a negative number: {value}")
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """The varint at ``pos`` and the position after it."""
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def encode_postings(postings: Iterable[tuple[int, int, int]]) -> bytes:
    """(doc, slot, score) triples sorted by doc, delta-encoded (one-byte values appended directly: hot path)."""
    out = bytearray()
    append = out.append
    previous = 0
    for doc, slot, score in postings:
        delta = doc - previous
        if delta < 0x80:
            append(delta)
        else:
            out += varint(delta)
        if slot < 0x80:
            append(slot)
        else:
            out += varint(slot)
        append(score)
        previous = doc
    return bytes(out)


def decode_postings(data: bytes, count: int, pos: int = 0) -> list[tuple[int, int, int]]:
    result = []
    doc = 0
    for _ in range(count):
        delta, pos = read_varint(data, pos)
        slot, pos = read_varint(data, pos)
        doc += delta
        result.append((doc, slot, data[pos]))
        pos += 1
    return result


def encode_term_entry(previous_term: bytes, term: bytes, df: int, postings: list[tuple[int, int, int]]) -> bytes:
    return encode_term_entry_parts(previous_term, term, df, len(postings), encode_postings(postings))


def encode_term_entry_parts(previous_term: bytes, term: bytes, df: int, count: int, body: bytes) -> bytes:
    """A term shard entry from its postings already encoded (``body``, ``count`` postings)."""
    shared = 0
    limit = min(len(previous_term), len(term))
    while shared < limit and previous_term[shared] == term[shared]:
        shared += 1
    return b"".join((varint(shared), varint(len(term) - shared), term[shared:], varint(df),
                     varint(count), varint(len(body)), body))


def decode_shard(data: bytes) -> dict[str, tuple[int, list[tuple[int, int, int]]]]:
    """term -> (df, postings); the reference decoder the tests hold the JS one to."""
    terms: dict[str, tuple[int, list[tuple[int, int, int]]]] = {}
    pos = 0
    previous = b""
    while pos < len(data):
        shared, pos = read_varint(data, pos)
        length, pos = read_varint(data, pos)
        term = previous[:shared] + data[pos:pos + length]
        pos += length
        df, pos = read_varint(data, pos)
        count, pos = read_varint(data, pos)
        size, pos = read_varint(data, pos)
        terms[term.decode("utf-8")] = (df, decode_postings(data, count, pos))
        pos += size
        previous = term
    return terms


def encode_doc_set(docs: list[int], total: int) -> bytes:
    """Sorted doc ids as delta varints or as a bitmap over ``total`` docs, whichever is smaller."""
    deltas = bytearray([0])
    previous = 0
    for doc in docs:
        deltas += varint(doc - previous)
        previous = doc
    if len(deltas) <= 1 + (total + 7) // 8:
        return bytes(deltas)
    bitmap = bytearray(1 + (total + 7) // 8)
    bitmap[0] = 1
    for doc in docs:
        bitmap[1 + (doc >> 3)] |= 1 << (doc & 7)
    return bytes(bitmap)


def decode_doc_set(data: bytes) -> list[int]:
    if data[0] == 1:
        return [(i - 1) * 8 + bit for i in range(1, len(data)) for bit in range(8) if data[i] >> bit & 1]
    docs, pos, doc = [], 1, 0
    while pos < len(data):
        delta, pos = read_varint(data, pos)
        doc += delta
        docs.append(doc)
    return docs
