"""offsets.Spans finds the same items as walking the whole list would."""
import random

from analysis.offsets import Spans


def _items(rng: random.Random) -> list[dict]:
    items, at = [], 0
    for _ in range(rng.randint(0, 30)):
        at += rng.randint(0, 5)  # items may touch and overlap; starts never go down
        items.append({"start": at, "end": at + rng.randint(1, 12)})
    return items


def test_look_ups_match_a_scan_of_every_item():
    rng = random.Random(7)
    for _ in range(300):
        items = _items(rng)
        spans = Spans(items)
        lo = rng.randint(0, 80)
        hi = lo + rng.randint(0, 40)
        assert spans.starting(lo, hi) == [i for i in items if lo <= i["start"] < hi]
        assert spans.inside(lo, hi) == [i for i in items if lo <= i["start"] and i["end"] <= hi]
        assert spans.ending_by(lo) == [i for i in items if i["end"] <= lo]
        assert spans.starting_from(lo) == [i for i in items if i["start"] >= lo]
        window = spans.window(lo, hi)
        assert window.items == spans.starting(lo, hi) and window.starts == [i["start"] for i in window.items]


def test_an_empty_list_has_nothing_anywhere():
    spans = Spans([])
    assert spans.inside(0, 10) == spans.ending_by(5) == spans.starting_from(0) == []
