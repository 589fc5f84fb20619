"""Dateline: conflict news reports to a sourced timeline of events and claims.

    >>> import analysis
    >>> ds = analysis.extract(analysis.load_corpus("data/corpus"))
    >>> ds.events[["event_date", "location", "status"]]

The names below are imported on first use, so `python -m analysis report` and a report on
cached tables do not load the extractor's rules.
"""
import importlib

_HOMES = {"Dataset": "dataset", "control_trajectory": "control", "extract": "pipeline",
          "extract_cached": "cache", "load_corpus": "corpus"}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value
