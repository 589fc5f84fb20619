"""Dateline: conflict news reports to a sourced timeline of events and claims.

    >>> import analysis
    >>> ds = analysis.extract(analysis.load_corpus("data/corpus"))
    >>> ds.events[["event_date", "location", "status"]]
"""
from .cache import extract_cached
from .control import control_trajectory
from .corpus import load_corpus
from .pipeline import Dataset, extract

__all__ = ["Dataset", "control_trajectory", "extract", "extract_cached", "load_corpus"]
