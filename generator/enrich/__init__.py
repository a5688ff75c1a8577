"""Enrich: what a cable means in the archive (countries, topics). Runs on one cable at a time;
links that need the whole archive are in ``enrich.links``."""

from __future__ import annotations

from ..model import Cable


def enrich_cable(cable: Cable) -> Cable:
    """Fill in countries and topics. (Country and topic detection arrive with the browse issue.)"""
    return cable
