"""Utilities on top of ember's public API: ``from ember.utils import data``."""

from . import data

__all__ = ["data"]
