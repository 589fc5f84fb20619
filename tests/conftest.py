import json
from pathlib import Path

import pytest

import analysis


@pytest.fixture
def corpus_of(tmp_path):
    """Write JSONL articles and return the extracted Dataset: corpus_of({"text": ..., "published": ...}, ...)."""
    def build(*records):
        path = tmp_path / "articles.jsonl"
        lines = [json.dumps({"id": f"a{i}", "outlet": "Xinhua", "published": "2017-11-19", **r})
                 for i, r in enumerate(records, start=1)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return analysis.extract(analysis.load_corpus(path))
    return build
