"""Scorer run of the temporal tagger on a fixed sample of TempEval-3's TimeBank and AQUAINT (TBAQ).

The TBAQ data and the shared scorer live outside the repo (`../shared/data/timeml-tbaq` and
`../shared/tools/score_timeml.py` next to the repo root, or `$DATELINE_TBAQ` for the data); the
tests skip when they are absent.  Floors sit just under the value F1 measured on the sample, so a
change that costs accuracy fails here.
"""
import importlib.util
import os
from pathlib import Path

import pytest

from analysis import config
from analysis.timexes import tag_timexes

TBAQ = Path(os.environ.get("DATELINE_TBAQ") or config.ROOT.parent / "shared" / "data" / "timeml-tbaq")
SCORER = TBAQ.parent.parent / "tools" / "score_timeml.py"

# corpus, every n-th document (sorted by name), value F1 floor, relaxed extent F1 floor
SAMPLES = [("TimeBank", 4, 83.5, 96.0), ("AQUAINT", 3, 77.5, 93.0)]  # measured: 83.63 / 96.43, 77.94 / 93.36


@pytest.fixture(scope="module")
def scorer():
    """Return the shared scorer module (read_tml, score), skipping when the data or the scorer is absent."""
    if not TBAQ.is_dir():
        pytest.skip(f"TBAQ data not found at {TBAQ} (set DATELINE_TBAQ to its folder)")
    if not SCORER.is_file():
        pytest.skip(f"TimeML scorer not found at {SCORER}")
    spec = importlib.util.spec_from_file_location("score_timeml", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("corpus, every, value_floor, relaxed_floor", SAMPLES)
def test_tbaq_sample_scores_above_the_floor(scorer, corpus, every, value_floor, relaxed_floor):
    paths = sorted((TBAQ / corpus).glob("*.tml"))[::every]
    if not paths:
        pytest.skip(f"no .tml documents in {TBAQ / corpus}")
    docs = [scorer.read_tml(p) for p in paths]
    preds = {d["id"]: tag_timexes(d["text"], d["dct"]) for d in docs}
    result = scorer.score(docs, preds)
    assert result["value_f1"] >= value_floor, result
    assert result["relaxed_f1"] >= relaxed_floor, result
