import pandas as pd
from pandas.testing import assert_frame_equal

from analysis.control import control_trajectory


def _events(rows):
    columns = ["event_id", "event_date", "location", "control_share", "control_claim_ids", "control_claimants",
               "control_alignments", "source_original", "source", "status"]
    return pd.DataFrame(rows, columns=columns)


def test_one_point_per_claim_in_date_order_with_reversal_marked():
    events = _events([
        ["E2", "2017-11-11", "Abu Kamal", 0.0, "c2", "Xinhua", "China", "Xinhua", "Xinhua", "reported"],
        ["E1", "2017-11-09", "Abu Kamal", 1.0, "c1", "Syrian forces", "Syrian government", "Syrian forces", "Xinhua", "contested"],
        ["E3", "2017-11-19", "Abu Kamal", 0.8, "c3; c4", "al-Watan; SANA", "Syrian government; Syrian government",
         "al-Watan; SANA", "Xinhua; Reuters", "corroborated"],
        ["E4", "2017-11-19", "Raqqa", 1.0, "c5", "SANA", "Syrian government", "SANA", "Reuters", "reported"],
    ])
    expected = pd.DataFrame({
        "place": ["Abu Kamal"] * 4,
        "date": ["2017-11-09", "2017-11-11", "2017-11-19", "2017-11-19"],
        "government_share": [1.0, 0.0, 0.8, 0.8],
        "claimant": ["Syrian forces", "Xinhua", "al-Watan", "SANA"],
        "claimant_alignment": ["Syrian government", "China", "Syrian government", "Syrian government"],
        "status": ["contested", "reported", "corroborated", "corroborated"],
        "event_id": ["E1", "E2", "E3", "E3"],
        "claim_id": ["c1", "c2", "c3", "c4"],
        "source": ["Xinhua", "Xinhua", "Xinhua; Reuters", "Xinhua; Reuters"],
        "reversal": [False, True, False, False],
    })
    assert_frame_equal(control_trajectory(events, "Abu Kamal"), expected)


def test_place_without_territorial_claims_gives_an_empty_trajectory():
    events = _events([["E1", "2017-11-18", "Abu Kamal", None, None, None, None, "Russian Defense Ministry", "Xinhua", "claimed"]])
    assert control_trajectory(events, "Abu Kamal").empty
