"""Errors shared across stages, kept in a module of their own so that any stage can raise them
without importing another stage (the parser's posts table raises ConfigError as the enrich
tables do, and enrich/config.py loads that table: one module for the error keeps that acyclic)."""

from __future__ import annotations


class ConfigError(ValueError):
    """A table in site_config/ that cannot be used as it stands."""
