"""Items with character offsets (timexes, actor and place mentions) looked up by offset.

Each claim of an article looks at the items of its own few hundred characters; a bisection
over the items' starts finds them without walking the article's whole list every time.
"""
from __future__ import annotations

from bisect import bisect_left


class Spans:
    """Dicts with "start" and "end" offsets, non-empty and in text order (sorted by start).

    >>> spans = Spans([{"start": 0, "end": 4}, {"start": 6, "end": 9}, {"start": 12, "end": 20}])
    >>> [s["start"] for s in spans.inside(5, 15)], [s["start"] for s in spans.ending_by(9)]
    ([6], [0, 6])
    """

    def __init__(self, items: list[dict], starts: list[int] | None = None):
        self.items = items
        self.starts = [item["start"] for item in items] if starts is None else starts

    def starting(self, lo: int, hi: int) -> list[dict]:
        """The items that start within [lo, hi)."""
        return self.items[bisect_left(self.starts, lo): bisect_left(self.starts, hi)]

    def window(self, lo: int, hi: int) -> "Spans":
        """The items that start within [lo, hi), as Spans of their own (the starts sliced, not read again)."""
        i, j = bisect_left(self.starts, lo), bisect_left(self.starts, hi)
        return Spans(self.items[i:j], self.starts[i:j])

    def inside(self, lo: int, hi: int) -> list[dict]:
        """The items wholly inside [lo, hi)."""
        return [item for item in self.starting(lo, hi) if item["end"] <= hi]

    def ending_by(self, offset: int) -> list[dict]:
        """The items that end at or before `offset`."""
        return [item for item in self.items[: bisect_left(self.starts, offset)] if item["end"] <= offset]

    def starting_from(self, offset: int) -> list[dict]:
        """The items that start at or after `offset`."""
        return self.items[bisect_left(self.starts, offset):]
