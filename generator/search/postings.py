"""Postings: a cable's (term, doc, slot, score) packed into one int, and a term's entry made from them.

A posting is one int (score << 48 | inverted doc << 16 | slot) so that a segment's postings are
a plain list of ints in memory and on disk, and sorting them orders by score, then low doc.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .capped import CappedStore
from .encode import encode_postings

# BM25 term-frequency part with a fixed reference length: the average is not known while
# streaming, and a constant keeps scores independent of the order cables arrive in.
K1 = 1.2
B = 0.75
REFERENCE_LENGTH = 500
SCORE_BITS = 255
_TIE_DOC = (1 << 32) - 1  # doc ids are stored inverted in sort keys: low ids win ties


def _length_norm(length: int) -> float:
    return K1 * (1 - B + B * length / REFERENCE_LENGTH)


def term_score(tf: int, length: int) -> int:
    """BM25's saturating tf part tf*(k1+1)/(tf+norm), divided by its bound k1+1, scaled to 1..255."""
    return min(SCORE_BITS, int(tf * SCORE_BITS / (tf + _length_norm(length)) + 0.5)) or 1


def _pack(score: int, doc: int, slot: int) -> int:
    """One int per posting (a tuple costs three times the memory); sorts by score, then low doc."""
    return (score << 48) | ((_TIE_DOC - doc) << 16) | min(slot, 0xFFFF)


def _unpack(key: int) -> tuple[int, int, int]:
    return _TIE_DOC - ((key >> 16) & _TIE_DOC), key & 0xFFFF, key >> 48


TermEntry = tuple[str, int, int, bytes]  # term, df, postings stored, those postings encoded


@dataclass
class CableAnalysis:
    """What one cable contributes to the index: (term, packed posting) pairs and facet values."""

    doc: int
    terms: list[str]
    postings: Sequence[int]  # packed, one per term (see _pack): a list, or an array once unpickled
    facets: dict[str, list[str]]

    def __reduce__(self) -> tuple[Callable[..., CableAnalysis], tuple[int, str, bytes, dict[str, list[str]]]]:
        """Pickled as one string of terms and the postings' machine bytes: the workers hand
        one per cable to the build process, whose unpickling competes with them for the cores
        (50 -> 20 µs to pickle a cable's, 60 -> 32 µs to unpickle it; 10k benchmark's cables).
        No term holds a line break (terms are runs of letters and digits, stems end in a space)."""
        return _analysis, (self.doc, "\n".join(self.terms), array("Q", self.postings).tobytes(), self.facets)


def _analysis(doc: int, terms: str, postings: bytes, facets: dict[str, list[str]]) -> CableAnalysis:
    packed = array("Q")
    packed.frombytes(postings)
    return CableAnalysis(doc, terms.split("\n") if terms else [], packed, facets)


def encoded_entry(term: str, df: int, postings: list[int]) -> TermEntry:
    """A term's entry from the postings it shows (packed, any order), put in doc order."""
    doc_mask = _TIE_DOC
    triples = sorted([(_TIE_DOC - ((key >> 16) & doc_mask), key & 0xFFFF, key >> 48) for key in postings])
    return term, df, len(triples), encode_postings(triples)


def term_entry(term: str, postings: list[int], cap: int, capped: CappedStore) -> TermEntry | None:
    """A term's entry from all its postings (packed, any order): its df, and its ``cap`` best
    postings encoded in doc order. A capped term's full list is kept for the next build."""
    df = len(postings)
    if df > cap:  # the best ``cap`` (packed keys sort by score, then low doc); a sort beats nlargest
        postings.sort()
        capped.put(term, array("Q", postings))
        del postings[:-cap]
    elif not df:
        return None
    return encoded_entry(term, df, postings)
