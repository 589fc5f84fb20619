"""Charts return matplotlib Figures for normal and empty tables; the map reads Natural Earth offline."""
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

from analysis import basemap, charts

NA = pd.NA


@pytest.fixture
def events():
    """Four events shaped like the seed article's: a point, a contested point, a week span, a month span."""
    return pd.DataFrame({
        "event_id": ["E1", "E2", "E4", "E7", "E6"],
        "event_date": ["2017-11-19", "2017-11-09", "2017-11-15", "2017-10-15", NA],
        "date_start": [NA, NA, "2017-11-11", "2017-10-01", NA],
        "date_end": [NA, NA, "2017-11-19", "2017-10-31", "2017-11-19"],
        "time_precision": pd.array([1, 1, 2, 3, NA], dtype="Int64"),
        "event_type": ["Battles", "Battles", "Explosions/Remote violence", "Battles", "Battles"],
        "sub_event_type": ["Government regains territory", "Government regains territory",
                           "Air/drone strike", "Non-state actor overtakes territory", "Armed clash"],
        "location": ["Abu Kamal", "Abu Kamal", "Abu Kamal", "Raqqa", "Iraqi side of the border"],
        "latitude": [34.452, 34.452, 34.452, 35.953, NA],
        "longitude": [40.919, 40.919, 40.919, 39.008, NA],
        "source": ["Xinhua"] * 5,
        "status": ["reported", "contested", "claimed", "reported", NA],
    })


@pytest.fixture
def trajectory():
    """The seed's Abu Kamal trajectory: declared capture, counter-attack, 80 percent."""
    return pd.DataFrame({
        "place": ["Abu Kamal"] * 3,
        "date": pd.to_datetime(["2017-11-09", "2017-11-11", "2017-11-19"]),
        "government_share": [1.0, 0.0, 0.8],
        "claimant": ["Syrian forces", "Xinhua", "al-Watan"],
        "claimant_alignment": ["Syrian government", "China", "Syrian government"],
        "status": ["contested", "reported", "reported"],
        "event_id": ["E2", "E3", "E1"],
        "claim_id": ["C5", "U1", "C1"],
        "source": ["Xinhua"] * 3,
        "reversal": [False, True, False],
    })


@pytest.fixture
def claims():
    """Five claims by three claimants, two of them parties to the conflict."""
    return pd.DataFrame({
        "claim_id": ["C1", "C2", "C5", "C6", "U1"],
        "claimant": ["al-Watan", "al-Watan", "Syrian forces", "Russian Defense Ministry", "Xinhua"],
        "claimant_alignment": ["Syrian government", "Syrian government", "Syrian government",
                               "Russia", "China"],
        "party_to_conflict": [False, False, True, True, False],
        "attribution": ["reported", "reported", "direct", "direct", "unattributed"],
        "via": ["Xinhua < al-Watan"] * 2 + ["Xinhua < Syrian forces",
                                            "Xinhua < Russian Defense Ministry", "Xinhua"],
        "outlet": ["Xinhua"] * 5,
    })


def texts_of(fig):
    """Return every text drawn in a figure, axes texts and annotations included."""
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def test_timeline_chart_returns_a_figure(events):
    assert isinstance(charts.timeline_chart(events), Figure)


def test_timeline_chart_draws_a_bar_for_each_span(events):
    ax = charts.timeline_chart(events).axes[0]
    bars = [p for p in ax.patches if p.get_width() > 0]
    starts = sorted(round(b.get_x()) for b in bars)
    assert starts == sorted(round(mdates.date2num(pd.Timestamp(d))) for d in ["2017-11-11", "2017-10-01"])


def test_timeline_chart_says_no_dated_events_when_empty(events):
    fig = charts.timeline_chart(events.iloc[:0])
    assert isinstance(fig, Figure)
    assert "No dated events" in texts_of(fig)


def test_control_chart_returns_a_figure(trajectory):
    assert isinstance(charts.control_chart(trajectory, "Abu Kamal"), Figure)


def test_control_chart_has_one_marker_per_claim(trajectory):
    ax = charts.control_chart(trajectory, "Abu Kamal").axes[0]
    markers = [c for c in ax.collections if isinstance(c, PathCollection)]
    offsets = np.concatenate([c.get_offsets() for c in markers])
    assert sorted(offsets[:, 1].tolist()) == [0.0, 80.0, 100.0]


def test_control_chart_draws_contested_claims_hollow(trajectory):
    ax = charts.control_chart(trajectory, "Abu Kamal").axes[0]
    hollow = [c for c in ax.collections
              if isinstance(c, PathCollection) and tuple(c.get_facecolor()[0]) == (1, 1, 1, 1)]
    assert [c.get_offsets()[:, 1].tolist() for c in hollow] == [[100.0]]


def test_control_chart_marks_the_reversal(trajectory):
    assert "▼ reversal" in texts_of(charts.control_chart(trajectory, "Abu Kamal"))


def test_control_chart_accepts_iso_string_dates(trajectory):
    as_text = trajectory.assign(date=trajectory["date"].dt.strftime("%Y-%m-%d"))
    ax = charts.control_chart(as_text, "Abu Kamal").axes[0]
    assert sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection)) == 3


def test_control_chart_says_no_claims_when_empty(trajectory):
    fig = charts.control_chart(trajectory.iloc[:0], "Raqqa")
    assert "No territorial claims for Raqqa" in texts_of(fig)


def test_claims_chart_sorts_claimants_by_number_of_claims(claims):
    ax = charts.claims_chart(claims).axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "al-Watan"  # barh draws bottom-up: the top bar is the last tick


def test_claims_chart_hatches_parties_to_the_conflict(claims):
    ax = charts.claims_chart(claims).axes[0]
    hatched = {label.get_text() for label, bar in zip(ax.get_yticklabels(), ax.patches)
               if bar.get_hatch()}
    assert hatched == {"Syrian forces", "Russian Defense Ministry"}


def test_claims_chart_says_so_when_empty(claims):
    fig = charts.claims_chart(claims.iloc[:0])
    assert isinstance(fig, Figure)
    assert "No attributed claims" in texts_of(fig)


def test_basemap_reads_syria_from_the_shipped_natural_earth_file():
    syria = basemap.country_named("Syria")
    assert syria.iso_a3 == "SYR"
    assert 35 < syria.label_point[0] < 43 and 32 < syria.label_point[1] < 38


def test_events_map_draws_syria_and_labels_it(events):
    fig = charts.events_map(events)
    assert "SYRIA" in texts_of(fig)
    assert basemap.BORDERS_CREDIT in texts_of(fig)


def test_events_map_skips_events_without_coordinates(events):
    labels = texts_of(charts.events_map(events))
    assert "Abu Kamal (3)" in labels
    assert not any("Iraqi side" in t for t in labels)


def test_events_map_shows_syria_and_neighbours_when_empty(events):
    fig = charts.events_map(events.iloc[:0])
    assert {"SYRIA", "IRAQ", "TURKEY"} <= set(texts_of(fig))
    assert "No events with coordinates" in texts_of(fig)


def test_alignment_colours_cover_the_spec_alignments():
    expected = {"Syrian government", "Russia", "Iran", "Islamic State", "US-led coalition", "SDF",
                "opposition", "Turkey", "Iraqi government", "China", "independent", "unknown"}
    assert expected <= set(charts.ALIGNMENT_COLOURS)
    assert charts.alignment_colour("Hezbollah") == charts.FALLBACK_COLOUR


def test_save_figure_writes_a_png_into_a_new_folder(tmp_path, trajectory):
    path = charts.save_figure(charts.control_chart(trajectory, "Abu Kamal"), tmp_path / "figs", "control")
    assert path == tmp_path / "figs" / "control.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in path.parent.iterdir()] == ["control.png"]
