"""Topics: TAGS subject and organisation codes, and the keyword taxonomy for untagged cables."""

from __future__ import annotations

from generator.enrich import enrich_cable, load_tables
from generator.model import Cable, Paragraph, SourceLocation
from generator.parse import parse_cable
from generator.sources import read_sources


def _cable(*texts: str, tags: list[str] | None = None, subject: str | None = None) -> Cable:
    paragraphs = [Paragraph(n, f"par{n}", text) for n, text in enumerate(texts, start=1)]
    return Cable(id="TEST1", location=SourceLocation("test"), tags=tags or [], subject=subject,
                 paragraphs=paragraphs)


def test_untagged_seed_gets_its_topics_from_keywords(seed_file):
    cable = enrich_cable(parse_cable(next(iter(read_sources([seed_file])))))
    assert cable.tags == []
    assert cable.topics[:3] == ["Missile defense", "NATO–Russia relations", "Arms control"]


def test_tags_subject_and_organisation_codes_become_named_topics():
    cable = enrich_cable(_cable("Nothing to see.", tags=["PREL", "PGOV", "NATO", "EUN", "TU"]))
    assert cable.topics == ["External Political Relations", "Internal Governmental Affairs", "NATO", "European Union"]


def test_a_taxonomy_topic_claims_its_tags_codes():
    # PARM belongs to "Arms control" in topics.yml, so there is no separate "Arms Controls and Disarmament" topic
    assert enrich_cable(_cable("Nothing to see.", tags=["PARM"])).topics == ["Arms control"]
    assert load_tables().tag_topic("PARM") == "Arms control"
    assert load_tables().tag_topic("XF") is None  # a region code is not a topic


def test_one_passing_keyword_is_not_a_topic():
    assert "Missile defense" not in enrich_cable(_cable("He mentioned missile defense once.")).topics
    twice = enrich_cable(_cable("Missile defense was discussed.", "The BMD plan, again: missile\ndefense."))
    assert "Missile defense" in twice.topics  # line breaks inside a phrase do not hide it


def test_acronym_keywords_match_only_in_capitals():
    lower = enrich_cable(_cable("We start now.", "A fresh start for the talks."))
    assert "Arms control" not in lower.topics
    upper = enrich_cable(_cable("The START talks resume.", "START follow-on negotiations went on."))
    assert "Arms control" in upper.topics


def test_every_taxonomy_topic_has_keywords_or_tags():
    for rule in load_tables().topic_rules:
        assert rule.keywords or rule.tags, rule.name
        assert rule.min_hits >= 1
