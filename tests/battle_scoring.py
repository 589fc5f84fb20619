"""Scores extracted claims, events and the control trajectory against the battle fixture's gold.

    .venv/bin/python -m tests.battle_scoring      # prints the figures

A gold claim is found when an extracted claim of the same article contains every one of its
`content_contains` snippets; claimant, statement date and chain are then compared, with the
gold's acceptable alternatives and aliases.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

import analysis

FIXTURE = Path(__file__).parent / "fixtures" / "battle"
GOLD = json.loads((FIXTURE / "gold.json").read_text(encoding="utf-8"))


def extract_fixture() -> analysis.Dataset:
    return analysis.extract(analysis.load_corpus(FIXTURE / "articles"))


def _names(gold: dict, key: str, alternatives: str) -> set[str]:
    aliases = GOLD["conventions"]["claimant_aliases"]
    names = {gold[key], *gold.get(alternatives, [])}
    return names | {a for n in list(names) for a in aliases.get(n, [])}


def match_claims(ds: analysis.Dataset) -> pd.DataFrame:
    """Return one row per gold claim: whether it was found and whether each field agrees."""
    rows = []
    for article in GOLD["articles"]:
        mine = ds.claims[ds.claims["article_id"].eq(article["id"])]
        for gold in article["claims"]:
            hits = mine[mine["content"].map(lambda c: all(s.lower() in c.lower() for s in gold["content_contains"]))]
            row = {"article": article["id"], "claim": gold["id"], "required": gold["required"], "found": len(hits) > 0}
            if len(hits):
                claim = hits.iloc[0]
                row.update(
                    claimant_ok=claim["claimant"] in _names(gold, "claimant", "acceptable_claimants"),
                    date_ok=gold["statement_date"] is None
                    or claim["statement_date"] in {gold["statement_date"], *gold.get("acceptable_statement_dates", [])},
                    via_ok=claim["via"] in {gold["via"], *gold.get("acceptable_via", [])},
                    got_claimant=claim["claimant"], got_date=claim["statement_date"], got_via=claim["via"])
            rows.append(row)
    return pd.DataFrame(rows)


def claim_scores(matches: pd.DataFrame) -> dict[str, float]:
    """Claimant recall (required claims found with the right claimant), accuracy (of those found), dates."""
    required = matches[matches["required"]]
    found = required[required["found"]]
    return {
        "required_claims": len(required),
        "found": len(found),
        "claimant_recall": round(100 * found["claimant_ok"].sum() / len(required), 1),
        "claimant_accuracy": round(100 * found["claimant_ok"].mean(), 1) if len(found) else 0.0,
        "statement_date_accuracy": round(100 * found["date_ok"].mean(), 1) if len(found) else 0.0,
        "via_accuracy": round(100 * found["via_ok"].mean(), 1) if len(found) else 0.0,
    }


def battle_shape(ds: analysis.Dataset) -> list[dict]:
    """Return, per step of the gold battle shape, the extracted trajectory's agreement."""
    shape = GOLD["battle_shape"]
    trajectory = analysis.control_trajectory(ds.events, shape["place"])
    events = ds.events.set_index("event_id")
    out = []
    for step in shape["sequence"]:
        points = trajectory[trajectory["date"].eq(step["date"])]
        ok_share = points["government_share"].round(2).eq(round(step["government_share"], 2)).any()
        status_ok = "status" not in step or points["status"].eq(step["status"]).any()
        sources = max((events.loc[e, "n_independent_sources"] for e in points["event_id"]), default=0)
        sources_ok = sources >= step.get("min_independent_sources", 0)
        out.append({"date": step["date"], "what": step["what"], "share_ok": bool(ok_share), "status_ok": bool(status_ok),
                    "independent_ok": bool(sources_ok), "points": len(points)})
    return out


if __name__ == "__main__":
    pd.set_option("display.width", 250)
    pd.set_option("display.max_colwidth", 60)
    ds = extract_fixture()
    matches = match_claims(ds)
    print(json.dumps(claim_scores(matches)))
    bad = matches[matches["required"] & (~matches["found"] | ~matches["claimant_ok"].fillna(False).astype(bool)
                                         | ~matches["date_ok"].fillna(False).astype(bool))]
    print(bad.to_string())
    print(pd.DataFrame(battle_shape(ds)).to_string())
    print(analysis.control_trajectory(ds.events, "Abu Kamal").to_string())
