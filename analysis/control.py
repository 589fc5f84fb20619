"""Control trajectory: the government's share of a place over time, claim by claim."""
from __future__ import annotations

import pandas as pd

TRAJECTORY_COLUMNS = ["place", "date", "government_share", "claimant", "claimant_alignment", "status",
                      "event_id", "claim_id", "source", "reversal"]


def control_trajectory(events: pd.DataFrame, place: str) -> pd.DataFrame:
    """Return one row per claim asserting the government's share of `place`, in date order.

    Each claim keeps the share it states; `reversal` is True where the share fell from the
    previous date's.

    >>> control_trajectory(events, "Abu Kamal")[["date", "government_share"]].values.tolist()
    [['2017-11-09', 1.0], ['2017-11-11', 0.0], ['2017-11-19', 0.8]]
    """
    at = events[events["location"].eq(place) & events["control_share"].notna() & events["event_date"].notna()]
    rows = []
    for event in at.sort_values("event_date").itertuples():
        ids = _split(event.control_claim_ids)
        claimants = _split(event.control_claimants) or _split(event.source_original)[:1]
        alignments = _split(event.control_alignments)
        shares = [float(v) for v in _split(getattr(event, "control_shares", None))]
        for i, claimant in enumerate(claimants):
            share = shares[i] if i < len(shares) else float(event.control_share)
            rows.append({"place": place, "date": event.event_date, "government_share": share,
                         "claimant": claimant,
                         "claimant_alignment": alignments[i] if i < len(alignments) else "unknown",
                         "status": event.status, "event_id": event.event_id,
                         "claim_id": ids[i] if i < len(ids) else None, "source": event.source})
    frame = pd.DataFrame(rows, columns=TRAJECTORY_COLUMNS[:-1])
    # a reversal is the events' share falling from one date to the next, whatever single claims say
    shares = at.sort_values("event_date").groupby("event_date", sort=True)["control_share"].first().astype(float)
    fell = shares.lt(shares.shift())
    frame["reversal"] = frame["date"].map(fell).fillna(False).astype(bool)
    return frame.reset_index(drop=True)


def _split(value) -> list[str]:
    return [] if pd.isna(value) else [v for v in str(value).split("; ") if v]
