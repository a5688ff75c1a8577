"""Measure the shape of real cables, to fit the parameters of generator/synth.py.

Reads a cables.csv (by default the shared 1,045-cable sample), parses every row with the
project's own parser (generator.sources.read_sources -> generator.parse.parse_cable) and prints
the distributions that generator/synth.py hard-codes as constants: body length (log-normal
fit), numbered paragraphs per cable, portion markings per classification, TAGS counts and the
split between subject codes and country codes, REF counts, the share of cables with a
summary, a comment, an E.O. line or a Classified By line, subject lengths, years and posts.

Run: python bench/fit_sample.py [../shared/corpus/cablegate-sample.csv]
Nothing of the cables' text is printed or stored, only counts.
"""

from __future__ import annotations

import math
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

from generator.model import RawCable
from generator.parse import parse_cable
from generator.sources import read_sources
from generator.synth import POSTS

DEFAULT_SAMPLE = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "cablegate-sample.csv"
_COUNTRY_TAG = re.compile(r"^[A-Z]{2}$")
SYNTH_POSTS = len(POSTS)  # posts the synthetic generator spreads cables over


def lognormal_fit(values: list[float]) -> tuple[float, float]:
    logs = [math.log(v) for v in values if v > 0]
    return statistics.fmean(logs), statistics.pstdev(logs)


def zipf_mandelbrot_fit(counts: list[int], posts: int) -> tuple[float, float]:
    """Maximum-likelihood (s, q) of p(rank) ~ (rank + q)^-s over ``posts`` ranks, by grid search.

    ``counts`` are the observed per-post counts, largest first (rank 1 = the busiest post).
    """
    total = sum(counts)
    best: tuple[float, float, float] | None = None
    for offset in (0, 1, 2, 3, 5, 8, 10, 15, 20, 30, 40, 60, 80):
        for exponent in (e / 20 for e in range(10, 160)):
            norm = sum((rank + offset) ** -exponent for rank in range(1, posts + 1))
            loglik = -exponent * sum(c * math.log(rank + offset) for rank, c in enumerate(counts, 1))
            loglik -= total * math.log(norm)
            if best is None or loglik > best[0]:
                best = (loglik, exponent, offset)
    assert best is not None
    return best[1], best[2]


def quantiles(values: list[float]) -> str:
    q = statistics.quantiles(values, n=10)
    return ", ".join(f"{v:.0f}" for v in q)


def share(counter: Counter, total: int) -> str:
    return ", ".join(f"{k}: {v / total:.3f}" for k, v in counter.most_common())


def main(path: Path) -> None:
    body_chars: list[float] = []
    para_counts: list[float] = []
    para_chars: list[float] = []
    marks_by_class: dict[str, Counter] = {}
    classes: Counter = Counter()
    tag_counts: Counter = Counter()
    country_tag_counts: Counter = Counter()
    ref_counts: Counter = Counter()
    years: Counter = Counter()
    posts: Counter = Counter()
    subject_words: list[float] = []
    flags: Counter = Counter()
    unmarked = 0
    total = 0
    for item in read_sources([path]):
        if not isinstance(item, RawCable):
            continue
        cable = parse_cable(item)
        total += 1
        body_chars.append(len(item.text))
        numbered = [p for p in cable.paragraphs if p.number is not None]
        para_counts.append(len(numbered))
        para_chars.extend(len(p.text) for p in numbered)
        cls = cable.classification or "?"
        classes[cls] += 1
        marks = marks_by_class.setdefault(cls, Counter())
        for p in numbered:
            marks[p.classification or "none"] += 1
        unmarked += all(p.classification is None for p in numbered) and bool(numbered)
        countries = [t for t in cable.tags if _COUNTRY_TAG.match(t)]
        tag_counts[len(cable.tags) - len(countries)] += 1
        country_tag_counts[len(countries)] += 1
        ref_counts[len(cable.references)] += 1
        years[cable.date.year if cable.date else 0] += 1
        posts[cable.origin or "?"] += 1
        if cable.subject:
            subject_words.append(len(cable.subject.split()))
        text_upper = item.text.upper()
        flags["summary"] += cable.summary is not None
        flags["comment"] += "END COMMENT" in text_upper
        flags["eo"] += bool(re.search(r"^\s*E\.?\s?O\.?\s*1\d{4}", item.text, re.M))
        flags["classified_by"] += cable.classified_by is not None
        flags["sipdis"] += "SIPDIS" in cable.handling
        flags["headings"] += any(p.kind == "heading" for p in cable.paragraphs)
    print(f"cables: {total}")
    mu, sigma = lognormal_fit(body_chars)
    print(f"body chars: median {statistics.median(body_chars):.0f}, log-normal mu {mu:.3f} sigma {sigma:.3f}; "
          f"deciles {quantiles(body_chars)}")
    mu, sigma = lognormal_fit([c for c in para_counts if c])
    print(f"numbered paragraphs: median {statistics.median(para_counts):.0f}, zero in "
          f"{sum(1 for c in para_counts if not c) / total:.3f}; log-normal mu {mu:.3f} sigma {sigma:.3f}; "
          f"deciles {quantiles(para_counts)}")
    mu, sigma = lognormal_fit(para_chars)
    print(f"paragraph chars: median {statistics.median(para_chars):.0f}, log-normal mu {mu:.3f} sigma {sigma:.3f}")
    print(f"classifications: {share(classes, total)}")
    for cls, marks in sorted(marks_by_class.items()):
        print(f"  markings in {cls}: {share(marks, sum(marks.values()))}")
    print(f"cables with numbered paragraphs but no marking: {unmarked / total:.3f}")
    print(f"subject-code TAGS per cable: {share(tag_counts, total)}")
    print(f"country-code TAGS per cable: {share(country_tag_counts, total)}")
    print(f"REF entries per cable: {share(ref_counts, total)}")
    mu, sigma = lognormal_fit(subject_words)
    print(f"subject words: median {statistics.median(subject_words):.0f}, log-normal mu {mu:.3f} sigma {sigma:.3f}; "
          f"deciles {quantiles(subject_words)}")
    print("shares: " + ", ".join(f"{k} {v / total:.3f}" for k, v in flags.items()))
    print(f"years: {sorted(years.items())}")
    counts = sorted(posts.values(), reverse=True)
    print(f"posts: {len(posts)}; top-10 counts {counts[:10]}; singletons {sum(1 for c in counts if c == 1)}")
    exponent, offset = zipf_mandelbrot_fit(counts, SYNTH_POSTS)
    print(f"posts Zipf-Mandelbrot over {SYNTH_POSTS} posts: exponent s {exponent:.2f}, offset q {offset:.0f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SAMPLE)
