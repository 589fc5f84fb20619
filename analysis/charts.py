"""Charts for the brief: timeline, control of a place, claims by claimant, events map.

Every function returns a `matplotlib.figure.Figure` built with the object API (no pyplot
state, safe headless and in papermill), sized for an A4 portrait page (7.5 in wide) and
readable in greyscale: status is a marker shape, party claims are hatched.
"""
from __future__ import annotations

import math
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
from matplotlib import patheffects
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.transforms import Bbox, ScaledTranslation
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from analysis import basemap
from analysis.files import replaced_atomically

PAGE_WIDTH = 7.5  # inches: A4 portrait minus margins
FONT = "DejaVu Sans"
DPI = 150

# Paul Tol's colour-blind-safe palettes; lightness differs so greyscale keeps most contrast.
ALIGNMENT_COLOURS: dict[str, str] = {
    "Syrian government": "#CC3311",
    "Russia": "#882255",
    "Iran": "#117733",
    "Islamic State": "#222222",
    "US-led coalition": "#0077BB",
    "SDF": "#EE7733",
    "opposition": "#44AA99",
    "Turkey": "#AA4499",
    "Iraqi government": "#DDAA33",
    "China": "#EE3377",
    "independent": "#33BBEE",
    "unknown": "#BBBBBB",
}
FALLBACK_COLOUR = "#777777"

EVENT_TYPE_COLOURS: dict[str, str] = {
    "Battles": "#CC3311",
    "Explosions/Remote violence": "#EE7733",
    "Violence against civilians": "#882255",
    "Protests": "#0077BB",
    "Riots": "#DDAA33",
    "Strategic developments": "#009988",
}

# Marker shape by ACLED-style corroboration status; contested is drawn hollow.
STATUS_MARKERS: dict[str, str] = {
    "corroborated": "s",
    "reported": "o",
    "claimed": "^",
    "contested": "X",
}
UNKNOWN_STATUS = "status not set"

# A thin grey line from a moved label back to its marker.
_LEADER = dict(arrowstyle="-", color="#999999", linewidth=0.5, shrinkA=0, shrinkB=3)
STATUS_MARKERS_ALL = {**STATUS_MARKERS, UNKNOWN_STATUS: "d"}

_RC = {
    "font.family": FONT,
    "font.size": 8,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 8,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "legend.fontsize": 7.5,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
}


def alignment_colour(alignment) -> str:
    """Return the chart colour of a claimant alignment, FALLBACK_COLOUR when unlisted.

    Example: ``alignment_colour("Russia")`` -> ``'#882255'``.
    """
    if _is_missing(alignment):
        return ALIGNMENT_COLOURS["unknown"]
    return ALIGNMENT_COLOURS.get(str(alignment), FALLBACK_COLOUR)


def event_type_colour(event_type) -> str:
    """Return the chart colour of an ACLED event type, FALLBACK_COLOUR when unlisted.

    Example: ``event_type_colour("Battles")`` -> ``'#CC3311'``.
    """
    if _is_missing(event_type):
        return FALLBACK_COLOUR
    return EVENT_TYPE_COLOURS.get(str(event_type), FALLBACK_COLOUR)


# ---------------------------------------------------------------- timeline


def timeline_chart(events: pd.DataFrame) -> Figure:
    """Return a Figure of events over time: one lane per location, coloured by event_type.

    Day-precision events are markers; week/month/span events (time_precision 2-3) are bars
    from date_start to date_end with the marker at event_date. Marker shape is the status
    (contested hollow). Each event is labelled with its sub_event_type.
    Example: ``timeline_chart(dataset.events).savefig("timeline.png")``.
    """
    with matplotlib.rc_context(_RC):
        rows = _timeline_rows(events)
        if rows.empty:
            return _message_figure("Timeline", "No dated events", height=2.0)
        return _draw_timeline(rows, n_undated=len(events) - len(rows), sources=_sources(events))


def _timeline_rows(events: pd.DataFrame) -> pd.DataFrame:
    """Return one row per dated event with x, start, end, lane, label, colour, status."""
    if events is None or events.empty:
        return pd.DataFrame(columns=["x", "start", "end", "lane", "label", "event_type", "status"])
    frame = pd.DataFrame(index=events.index)
    date = _dates(events, "event_date")
    start = _dates(events, "date_start")
    end = _dates(events, "date_end")
    # ACLED codes a span at its middle; use that when event_date itself is missing.
    frame["x"] = date.fillna(start + (end - start) / 2)
    frame["start"] = start.where(start.notna() & end.notna())
    frame["end"] = end.where(start.notna() & end.notna())
    precision = pd.to_numeric(_column(events, "time_precision"), errors="coerce")
    is_span = (precision >= 2) | precision.isna()
    frame.loc[~is_span | (frame["end"] <= frame["start"]), ["start", "end"]] = pd.NaT
    frame["lane"] = _column(events, "location").astype("object").where(
        _column(events, "location").notna(), "location unknown"
    )
    frame["event_type"] = _column(events, "event_type").astype("object")
    sub = _column(events, "sub_event_type").astype("object")
    frame["label"] = sub.where(sub.notna(), frame["event_type"]).where(
        lambda s: s.notna(), "event"
    )
    frame["status"] = _statuses(events)
    return frame[frame["x"].notna()].sort_values("x", kind="stable")


def _draw_timeline(rows: pd.DataFrame, n_undated: int, sources: list[str]) -> Figure:
    """Return the drawn timeline for prepared rows (see _timeline_rows)."""
    label_size = 6.5
    lanes = list(dict.fromkeys(rows.sort_values("x", kind="stable")["lane"]))
    lo = min(rows["x"].min(), rows["start"].min() if rows["start"].notna().any() else rows["x"].min())
    hi = max(rows["x"].max(), rows["end"].max() if rows["end"].notna().any() else rows["x"].max())
    if hi - lo < pd.Timedelta(days=14):  # a fortnight at least, so ticks stay whole days
        mid = lo + (hi - lo) / 2
        lo, hi = mid - pd.Timedelta(days=7), mid + pd.Timedelta(days=7)
    span_days = (hi - lo) / pd.Timedelta(days=1)
    axes_width_in = PAGE_WIDTH - 1.7  # minus the lane names on the left
    # Leave room right of the last event for its label (about 40% of the data span).
    x_max = hi + pd.Timedelta(days=span_days * 0.45)
    x_min = lo - pd.Timedelta(days=span_days * 0.04)
    total_days = (x_max - x_min) / pd.Timedelta(days=1)
    days_per_char = label_size * 0.62 / 72 / axes_width_in * total_days

    # Pack each lane into sub-rows so that bars and labels never overlap.
    slot = {}
    lane_heights = []
    for lane in lanes:
        free_from: list[pd.Timestamp] = []
        for idx, row in rows[rows["lane"] == lane].iterrows():
            begin = row["start"] if pd.notna(row["start"]) else row["x"]
            begin = begin - pd.Timedelta(days=days_per_char * 1.2)
            finish = max(row["x"], row["end"] if pd.notna(row["end"]) else row["x"])
            finish = finish + pd.Timedelta(days=days_per_char * (len(row["label"]) + 2))
            for i, free in enumerate(free_from):
                if free <= begin:
                    free_from[i] = finish
                    slot[idx] = (lane, i)
                    break
            else:
                free_from.append(finish)
                slot[idx] = (lane, len(free_from) - 1)
        lane_heights.append(len(free_from))

    # y positions: lanes top to bottom in order of first event, sub-rows 0.55 apart.
    lane_top, y_at, ticks = {}, 0.0, []
    for lane, height in zip(lanes, lane_heights):
        lane_top[lane] = y_at
        ticks.append(y_at + 0.55 * (height - 1) / 2)
        y_at += 0.55 * height + 0.5
    rows = rows.assign(y=[lane_top[slot[i][0]] + 0.55 * slot[i][1] for i in rows.index])

    n_sub_rows = sum(lane_heights)
    height = min(max(1.6 + 0.26 * n_sub_rows + 0.25 * len(lanes), 3.5), 9.0)
    fig = _new_figure(height)
    ax = fig.add_subplot()
    ax.set_title("Events over time")

    for _, row in rows.iterrows():
        colour = event_type_colour(row["event_type"])
        if pd.notna(row["start"]):
            ax.barh(
                row["y"], mdates.date2num(row["end"]) - mdates.date2num(row["start"]),
                left=mdates.date2num(row["start"]), height=0.32, color=colour, alpha=0.3,
                edgecolor=colour, linewidth=0.6,
            )
        label_x = max(row["x"], row["end"] if pd.notna(row["end"]) else row["x"])
        ax.annotate(
            _short(row["label"], 40), (mdates.date2num(label_x), row["y"]),
            xytext=(5, 0), textcoords="offset points", va="center", fontsize=label_size,
            color="#333333",
        )
    for (etype, status), group in rows.groupby(["event_type", "status"], dropna=False, sort=False):
        colour = event_type_colour(etype)
        hollow = status == "contested"
        ax.scatter(
            mdates.date2num(group["x"]), group["y"], marker=STATUS_MARKERS_ALL[status], s=42,
            facecolors="none" if hollow else colour, edgecolors=colour if hollow else "white",
            linewidths=1.3 if hollow else 0.6, zorder=3,
        )

    ax.set_yticks(ticks, [_short(lane, 24) for lane in lanes])
    ax.set_ylim(y_at - 0.5 + 0.1, -0.6)
    for lane, height in zip(lanes[1:], lane_heights[1:]):
        ax.axhline(lane_top[lane] - 0.25 - 0.05, color="#dddddd", linewidth=0.6, zorder=0)
    ax.set_xlim(mdates.date2num(x_min), mdates.date2num(x_max))
    _date_axis(ax, maxticks=7)
    ax.grid(axis="x", color="#eeeeee", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)

    handles = [
        Line2D([], [], marker="o", linestyle="", markerfacecolor=event_type_colour(t),
               markeredgecolor="white", markersize=7, label=str(t))
        for t in _present(rows["event_type"], EVENT_TYPE_COLOURS)
    ]
    handles += [
        Line2D([], [], marker=STATUS_MARKERS_ALL[s], linestyle="", markersize=6.5,
               markerfacecolor="none" if s == "contested" else "#555555",
               markeredgecolor="#555555", label=s)
        for s in _present(rows["status"], STATUS_MARKERS_ALL)
    ]
    if rows["start"].notna().any():
        handles.append(Patch(facecolor="#999999", alpha=0.35, edgecolor="#777777",
                             label="date range (week/month)"))
    _legend_below(ax, handles, ncols=4)
    note = _plural(len(rows), "event")
    if n_undated:
        note += f"; {n_undated} without a usable date not shown"
    _caption(fig, note, sources)
    return fig


# ---------------------------------------------------------------- control of a place


def control_chart(trajectory: pd.DataFrame, place: str) -> Figure:
    """Return a step chart of the government's claimed share of `place` over time.

    One marker per claim, coloured by claimant_alignment and annotated with the claimant;
    reversals (share fell from the previous point) get a dashed line, contested claims
    are hollow. Example: ``control_chart(control_trajectory(events, "Abu Kamal"), "Abu Kamal")``.
    """
    with matplotlib.rc_context(_RC):
        points = _trajectory_points(trajectory, place)
        title = f"Control of {place}"
        if points.empty:
            return _message_figure(title, f"No territorial claims for {place}", height=2.0)
        return _draw_control(points, title, _sources(trajectory))


def _trajectory_points(trajectory: pd.DataFrame, place: str) -> pd.DataFrame:
    """Return the trajectory's dated points for `place`, sorted, with reversal filled in."""
    if trajectory is None or trajectory.empty:
        return pd.DataFrame()
    points = trajectory.copy()
    # Filter only a multi-place table: a single-place table may spell the place differently.
    if "place" in points and points["place"].nunique(dropna=True) > 1:
        points = points[points["place"].astype("string").str.casefold() == str(place).casefold()]
    points["date"] = _dates(points, "date")
    points["government_share"] = pd.to_numeric(_column(points, "government_share"), errors="coerce")
    points = points[points["date"].notna() & points["government_share"].notna()]
    points = points.sort_values("date", kind="stable").reset_index(drop=True)
    if "reversal" in points:
        points["reversal"] = points["reversal"].astype("boolean").fillna(False).astype(bool)
    else:
        points["reversal"] = points["government_share"].diff().lt(0).to_numpy()
    points["status"] = _statuses(points).to_numpy()
    points["claimant"] = _column(points, "claimant").astype("object").where(
        _column(points, "claimant").notna(), "unnamed source"
    )
    alignment = _column(points, "claimant_alignment").astype("object")
    points["claimant_alignment"] = alignment.where(alignment.notna(), "unknown")
    return points


def _draw_control(points: pd.DataFrame, title: str, sources: list[str]) -> Figure:
    """Return the drawn control step chart for prepared points."""
    fig = _new_figure(3.8)
    ax = fig.add_subplot()
    ax.set_title(title)
    x = mdates.date2num(points["date"])
    share = points["government_share"].to_numpy() * 100

    ax.step(x, share, where="post", color="#444444", linewidth=1.6, zorder=2)
    for xi, reversed_here in zip(x, points["reversal"]):
        if reversed_here:
            ax.axvline(xi, color="#B2182B", linestyle="--", linewidth=0.9, zorder=1)
            ax.annotate("▼ reversal", (xi, 1.0), xycoords=("data", "axes fraction"),
                        xytext=(3, -2), textcoords="offset points", va="top", ha="left",
                        fontsize=7, color="#B2182B")

    # One scatter per (alignment, hollow) so the legend and the claim count stay exact.
    contested = points["status"] == "contested"
    for (alignment, hollow), group in points.groupby(
        [points["claimant_alignment"], contested], sort=False
    ):
        colour = alignment_colour(alignment)
        ax.scatter(
            mdates.date2num(group["date"]), group["government_share"] * 100, s=58, zorder=4,
            marker="o", facecolors="white" if hollow else colour, edgecolors=colour,
            linewidths=1.8 if hollow else 0.8,
        )

    labels = []
    # claims at the same date and share get one label naming each claimant once
    spots: dict[tuple, list] = {}
    for xi, yi, claimant, is_contested in zip(x, share, points["claimant"], contested):
        spots.setdefault((xi, yi), []).append((claimant, is_contested))
    for (xi, yi), claims in spots.items():
        names = list(dict.fromkeys(_short(c, 26) for c, _ in claims))
        text = "\n".join(names[:3]) + (f"\n+{len(names) - 3} more" if len(names) > 3 else "")
        if len(claims) > len(names):
            text += f" ({len(claims)} claims)"
        if any(flag for _, flag in claims):
            text += " (contested)"
        # Put the name on the side away from the nearest axis edge, left of late points.
        dy = -12 if yi >= 50 else 10
        late = xi > x.min() + 0.8 * (x.max() - x.min()) and x.max() > x.min()
        labels.append(ax.annotate(
            text, (xi, yi), xytext=(-7 if late else 7, dy), textcoords="offset points",
            fontsize=7, va="center", ha="right" if late else "left", color="#222222", zorder=5,
            bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none", alpha=0.85),
            arrowprops=_LEADER))

    pad = max((x.max() - x.min()) * 0.08, 1.5)
    ax.set_xlim(x.min() - pad, x.max() + pad * 2)
    ax.set_ylim(-8, 112)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.yaxis.set_major_formatter(PercentFormatter(100))
    ax.set_ylabel("Government's claimed share")
    _date_axis(ax, maxticks=8)
    ax.grid(axis="y", color="#eeeeee", linewidth=0.6)
    ax.set_axisbelow(True)
    _separate_labels(fig, ax, labels, points=list(zip(x, share)), radius=4.5)

    handles = [
        Line2D([], [], marker="o", linestyle="", markersize=7, markerfacecolor=alignment_colour(a),
               markeredgecolor=alignment_colour(a), label=str(a))
        for a in dict.fromkeys(points["claimant_alignment"])
    ]
    if contested.any():
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=7, markerfacecolor="white",
                              markeredgecolor="#555555", markeredgewidth=1.6, label="contested claim"))
    if points["reversal"].any():
        handles.append(Line2D([], [], color="#B2182B", linestyle="--", linewidth=0.9,
                              label="reversal (share fell)"))
    _legend_below(ax, handles, ncols=5)
    note = f"{_plural(len(points), 'claim')}; each marker is one claim of the share held by government forces"
    if contested.any():
        note += ". Contested: a later or independent claim contradicts it"
    _caption(fig, note, sources)
    return fig


# ---------------------------------------------------------------- claims


def claims_chart(claims: pd.DataFrame, top: int = 15) -> Figure:
    """Return horizontal bars of the number of claims per claimant, coloured by alignment.

    Bars are sorted (most claims on top) and hatched when the claimant is a party to the
    conflict; at most `top` claimants are shown.
    Example: ``claims_chart(dataset.claims).savefig("claims.png")``.
    """
    with matplotlib.rc_context(_RC):
        if claims is None or claims.empty:
            return _message_figure("Who claims what", "No attributed claims", height=2.0)
        return _draw_claims(claims, top)


def _draw_claims(claims: pd.DataFrame, top: int) -> Figure:
    """Return the drawn claims chart."""
    frame = pd.DataFrame({
        "claimant": _column(claims, "claimant").astype("object").where(
            _column(claims, "claimant").notna(), "unnamed source"),
        "alignment": _column(claims, "claimant_alignment").astype("object").where(
            _column(claims, "claimant_alignment").notna(), "unknown"),
        "party": _column(claims, "party_to_conflict").astype("boolean").fillna(False).astype(bool),
    })
    per_claimant = frame.groupby("claimant", sort=False).agg(
        n=("claimant", "size"),
        alignment=("alignment", lambda s: s.mode().iloc[0]),
        party=("party", "any"),
    ).sort_values("n", ascending=False, kind="stable")
    n_claimants = len(per_claimant)
    shown = per_claimant.head(top).iloc[::-1]  # barh draws bottom-up; largest on top

    height = min(max(1.5 + 0.3 * len(shown), 3.0), 6.5)
    fig = _new_figure(height)
    ax = fig.add_subplot()
    ax.set_title("Claims by claimant")
    y = np.arange(len(shown))
    bars = ax.barh(
        y, shown["n"], height=0.62,
        color=[alignment_colour(a) for a in shown["alignment"]],
        hatch=["///" if p else "" for p in shown["party"]],
        edgecolor="white", linewidth=0.5,
    )
    for bar, n, party in zip(bars, shown["n"], shown["party"]):
        ax.annotate(f"{n}" + ("  party to the conflict" if party else ""),
                    (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    xytext=(4, 0), textcoords="offset points", va="center", fontsize=7)
    ax.set_yticks(y, [_short(c, 30) for c in shown.index])
    ax.set_xlim(0, shown["n"].max() * 1.45 + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Claims")
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#eeeeee", linewidth=0.6)
    ax.set_axisbelow(True)

    handles = [Patch(facecolor=alignment_colour(a), label=str(a))
               for a in _present(shown["alignment"], ALIGNMENT_COLOURS)]
    if shown["party"].any():
        handles.append(Patch(facecolor="#bbbbbb", hatch="///", edgecolor="white",
                             label="party to the conflict"))
    fig.legend(handles=handles, loc="outside right upper", title="Claimant alignment",
               title_fontsize=7.5)
    note = f"{_plural(len(frame), 'claim')} by {_plural(n_claimants, 'claimant')}"
    if n_claimants > len(shown):
        note += f"; top {len(shown)} shown"
    _caption(fig, note, _sources(claims, column="outlet"))
    return fig


# ---------------------------------------------------------------- map


def events_map(events: pd.DataFrame) -> Figure:
    """Return a map of events with coordinates over Natural Earth country borders.

    Markers are coloured by event_type and sized by the number of events at a location;
    the view is the events' bounding box padded to at least 4 degrees (Syria and its
    neighbours when no event has coordinates). Drawn offline.
    Example: ``events_map(dataset.events).savefig("map.png")``.
    """
    with matplotlib.rc_context(_RC):
        placed = _placed_events(events)
        return _draw_map(placed, n_unplaced=0 if events is None else len(events) - len(placed),
                         sources=_sources(events))


def _placed_events(events: pd.DataFrame) -> pd.DataFrame:
    """Return events with numeric latitude/longitude, one row each, NA rows dropped."""
    if events is None or events.empty:
        return pd.DataFrame(columns=["latitude", "longitude", "location", "event_type"])
    frame = pd.DataFrame({
        "latitude": pd.to_numeric(_column(events, "latitude"), errors="coerce"),
        "longitude": pd.to_numeric(_column(events, "longitude"), errors="coerce"),
        "location": _column(events, "location").astype("object"),
        "event_type": _column(events, "event_type").astype("object"),
    })
    frame = frame[frame["latitude"].between(-90, 90) & frame["longitude"].between(-180, 180)]
    frame["location"] = frame["location"].where(frame["location"].notna(),
                                                frame["latitude"].round(2).astype(str) + ", "
                                                + frame["longitude"].round(2).astype(str))
    return frame


def _map_view(placed: pd.DataFrame, aspect: float) -> tuple[float, float, float, float]:
    """Return (min_lon, min_lat, max_lon, max_lat) around the events, shaped to `aspect` (w/h)."""
    if placed.empty:
        x0, y0, x1, y1 = basemap.SYRIA_AND_NEIGHBOURS
    else:
        x0, x1 = placed["longitude"].min(), placed["longitude"].max()
        y0, y1 = placed["latitude"].min(), placed["latitude"].max()
        pad_x, pad_y = max((x1 - x0) * 0.2, 0.8), max((y1 - y0) * 0.2, 0.8)
        x0, x1, y0, y1 = x0 - pad_x, x1 + pad_x, y0 - pad_y, y1 + pad_y
        for lo, hi, axis in ((x0, x1, "x"), (y0, y1, "y")):
            if hi - lo < 4.0:  # at least 4 degrees so borders give context
                mid = (lo + hi) / 2
                if axis == "x":
                    x0, x1 = mid - 2.0, mid + 2.0
                else:
                    y0, y1 = mid - 2.0, mid + 2.0
    # Equirectangular with a cos(latitude) stretch; widen the short side to fill the axes.
    stretch = math.cos(math.radians((y0 + y1) / 2))
    width, height = (x1 - x0) * stretch, y1 - y0
    if width / height < aspect:
        extra = (height * aspect / stretch - (x1 - x0)) / 2
        x0, x1 = x0 - extra, x1 + extra
    else:
        extra = ((x1 - x0) * stretch / aspect - height) / 2
        y0, y1 = y0 - extra, y1 + extra
    return (x0, max(y0, -89.0), x1, min(y1, 89.0))


def _draw_map(placed: pd.DataFrame, n_unplaced: int, sources: list[str]) -> Figure:
    """Return the drawn events map."""
    fig = _new_figure(5.2)
    ax = fig.add_subplot()
    ax.set_title("Where the events happened" if not placed.empty else "Map")
    view = _map_view(placed, aspect=1.45)
    x0, y0, x1, y1 = view
    ax.set_facecolor("#e6eef4")  # sea and lakes; land is drawn over it

    countries, patches = [], []
    for country in basemap.countries_in_view(view):
        path = country.path_in_view(view)
        if path is not None:
            countries.append((country, path))
            patches.append(PathPatch(path))
    ax.add_collection(PatchCollection(patches, facecolor="#f7f5f0", edgecolor="#8a8a8a",
                                      linewidth=0.7, zorder=1))
    for name, (lon, lat) in _country_label_points(countries, view):
        ax.text(lon, lat, name.upper(), ha="center", va="center", fontsize=7.5, color="#9a9a9a",
                fontstyle="italic", zorder=2, clip_on=True,
                path_effects=[patheffects.withStroke(linewidth=2.5, foreground="#f7f5f0")])

    labels = []
    if not placed.empty:
        counts = placed.groupby(["location", "event_type"], sort=False, dropna=False).agg(
            latitude=("latitude", "mean"), longitude=("longitude", "mean"),
            n=("latitude", "size")).reset_index()
        # Several types at one place: biggest first, smaller ones nudged on top so all show.
        counts = counts.sort_values("n", ascending=False, kind="stable")
        offsets = {}
        for location, group in counts.groupby("location", sort=False):
            for j, idx in enumerate(group.index):
                angle = math.pi / 4 + 2 * math.pi * (j - 1) / max(len(group) - 1, 1)
                offsets[idx] = (0.0, 0.0) if j == 0 else (3.5 * math.cos(angle), 3.5 * math.sin(angle))
        for idx, row in counts.iterrows():
            dx, dy = offsets[idx]
            ax.plot(row["longitude"], row["latitude"], marker="o", linestyle="",
                    markersize=5 + 2.5 * math.sqrt(row["n"]),
                    markerfacecolor=event_type_colour(row["event_type"]),
                    markeredgecolor="white", markeredgewidth=0.8, zorder=4,
                    transform=_offset(ax, fig, dx, dy))
        for location, group in counts.groupby("location", sort=False):
            n = int(group["n"].sum())
            text = _short(location, 28) + (f" ({n})" if n > 1 else "")
            labels.append(ax.annotate(
                text, (group["longitude"].mean(), group["latitude"].mean()),
                xytext=(9, 7), textcoords="offset points", fontsize=7.5, fontweight="bold",
                color="#222222", zorder=5, annotation_clip=False, arrowprops=_LEADER,
                bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none",
                          alpha=0.75)))
        handles = [
            Line2D([], [], marker="o", linestyle="", markersize=7, markeredgecolor="white",
                   markerfacecolor=event_type_colour(t), label=str(t))
            for t in _present(counts["event_type"], EVENT_TYPE_COLOURS)
        ]
        marker_points = list(zip(counts["longitude"], counts["latitude"]))
    else:
        ax.text(0.5, 0.5, "No events with coordinates", transform=ax.transAxes, ha="center",
                va="center", fontsize=10, color="#444444",
                bbox=dict(facecolor="white", edgecolor="#cccccc", alpha=0.9))

    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)), adjustable="box")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):.0f}°{'E' if v >= 0 else 'W'}"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):.0f}°{'N' if v >= 0 else 'S'}"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    ax.tick_params(labelsize=7, length=2)
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color("#999999")
    _scale_bar(ax, view)
    ax.text(0.995, 0.005, basemap.BORDERS_CREDIT, transform=ax.transAxes, ha="right", va="bottom",
            fontsize=6.5, color="#555555", zorder=6,
            bbox=dict(facecolor="white", edgecolor="none", alpha=0.7, pad=1.5))
    if labels:
        _separate_labels(fig, ax, labels, points=marker_points, radius=5)
        _legend_below(ax, handles, ncols=3)

    note = f"{_plural(len(placed), 'event')} placed"
    if n_unplaced:
        note += f" ({n_unplaced} without coordinates not shown)"
    if not placed.empty:
        note += "; marker size: number of events"
    _caption(fig, note, sources)
    return fig


def _country_label_points(countries, view) -> list[tuple[str, tuple[float, float]]]:
    """Return (name, lon/lat) for each country with enough land in view to carry a label."""
    x0, y0, x1, y1 = view
    # A coarse grid of the view; a country is labelled at the middle of its grid points.
    gx, gy = np.meshgrid(np.linspace(x0, x1, 48), np.linspace(y0, y1, 36))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    inset = np.array([(x1 - x0) * 0.06, (y1 - y0) * 0.05])
    out = []
    for country, path in countries:
        inside = grid[path.contains_points(grid)]
        if len(inside) < 25:  # too little land in view for a readable name
            continue
        lx, ly = country.label_point
        if x0 + inset[0] < lx < x1 - inset[0] and y0 + inset[1] < ly < y1 - inset[1]:
            out.append((country.name, (lx, ly)))
            continue
        centre = inside.mean(axis=0)
        nearest = inside[np.argmin(((inside - centre) ** 2).sum(axis=1))]
        out.append((country.name, (float(nearest[0]), float(nearest[1]))))
    return out


def _scale_bar(ax, view) -> None:
    """Draw a round-number kilometre scale bar in the lower right corner of a lon/lat map."""
    x0, y0, x1, y1 = view
    lat = (y0 + y1) / 2
    km_per_degree = 111.32 * math.cos(math.radians(lat))
    target = (x1 - x0) * km_per_degree / 5
    length = max(v for v in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000) if v <= max(target, 10))
    degrees = length / km_per_degree
    bx, by = x1 - (x1 - x0) * 0.04 - degrees, y0 + (y1 - y0) * 0.07
    ax.plot([bx, bx + degrees], [by, by], color="#333333", linewidth=2.2, solid_capstyle="butt",
            zorder=6)
    ax.text(bx + degrees / 2, by + (y1 - y0) * 0.012, f"{length} km", ha="center", va="bottom",
            fontsize=7, color="#333333", zorder=6)


def _offset(ax, fig, dx_points: float, dy_points: float):
    """Return the data transform shifted by (dx, dy) points, to fan out co-located markers."""
    return ax.transData + ScaledTranslation(dx_points / 72, dy_points / 72, fig.dpi_scale_trans)


# ---------------------------------------------------------------- saving


def save_figure(fig: Figure, folder, name: str) -> Path:
    """Write `fig` as a PNG (150 dpi) to `folder/name.png`, creating the folder; return the path.

    Written to a temporary name first and renamed, so a crash leaves no half-written file.
    Example: ``save_figure(timeline_chart(events), "reports/seed", "timeline")`` ->
    ``Path('reports/seed/timeline.png')``.
    """
    target = Path(folder) / (name if name.endswith(".png") else f"{name}.png")
    with replaced_atomically(target) as handle:
        fig.savefig(handle, format="png", dpi=DPI, facecolor="white")
    return target


# ---------------------------------------------------------------- shared helpers


def _new_figure(height: float) -> Figure:
    """Return a page-wide constrained-layout Figure on an Agg canvas (no pyplot, no display)."""
    fig = Figure(figsize=(PAGE_WIDTH, height), layout="constrained")
    FigureCanvasAgg(fig)  # a real renderer, needed to measure labels before saving
    return fig


def _message_figure(title: str, message: str, height: float = 2.0) -> Figure:
    """Return a small figure with a title and a centred message, for empty inputs."""
    fig = _new_figure(height)
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center",
            fontsize=10, color="#444444")
    ax.set_axis_off()
    return fig


def _date_axis(ax, maxticks: int) -> None:
    """Format the x axis as concise dates with the year alone as the offset label."""
    locator = mdates.AutoDateLocator(minticks=3, maxticks=maxticks)
    ax.xaxis.set_major_locator(locator)
    # The default offset ("2017-Dec") names the axis end's month, which misleads.
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(
        locator, formats=["%Y", "%b", "%d %b", "%H:%M", "%H:%M", "%S.%f"],
        offset_formats=["", "%Y", "%Y", "%Y", "%Y", "%Y"]))


def _legend_below(ax, handles, ncols: int) -> None:
    """Place a frameless legend under the axes' date ticks (constrained layout makes room)."""
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0), borderaxespad=3.2,
              ncols=min(len(handles), ncols), handletextpad=0.3, columnspacing=1.4, frameon=False)


def _caption(fig: Figure, note: str, sources: list[str]) -> None:
    """Add a one-line caption under the figure: what is shown, then the sources."""
    text = note
    if sources:
        listed = ", ".join(sources[:6]) + (f" and {len(sources) - 6} more" if len(sources) > 6 else "")
        text += f". Sources: {listed}"
    fig.supxlabel(_short(text, 150), x=0.01, ha="left", fontsize=6.5, color="#555555")


def _separate_labels(fig: Figure, ax, labels, points=(), radius: float = 6.0) -> None:
    """Move annotation labels vertically so none overlaps another label, a marker or the axes edge.

    `points` are data (x, y) of markers to keep clear, `radius` their size in points.
    Each label tries its own offset first, then steps of one line above and below.
    """
    if not labels:
        return
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    axes_box = ax.get_window_extent(renderer)
    r = radius * fig.dpi / 72
    markers = [Bbox.from_extents(x - r, y - r, x + r, y + r)
               for x, y in (ax.transData.transform(p) for p in points)]
    placed = []
    for label in labels:
        dx, dy = label.xyann
        step = label.get_window_extent(renderer).height / fig.dpi * 72 + 2
        first = 1 if dy >= 0 else -1
        best = None
        for k in (0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5):
            label.xyann = (dx, dy + first * k * step)
            box = label.get_window_extent(renderer)
            inside = axes_box.y0 <= box.y0 and box.y1 <= axes_box.y1
            clashes = sum(box.overlaps(other) for other in placed + markers)
            if inside and best is None:
                best = (clashes, k)
            if inside and clashes < best[0]:
                best = (clashes, k)
            if inside and clashes == 0:
                break
        label.xyann = (dx, dy + first * (best[1] if best else 0) * step)
        placed.append(label.get_window_extent(renderer))


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """Return frame[name], or an all-NA column when the table lacks it."""
    if name in frame:
        return frame[name]
    return pd.Series(pd.NA, index=frame.index, dtype="object")


def _dates(frame: pd.DataFrame, name: str) -> pd.Series:
    """Return frame[name] as naive datetimes (ISO strings or datetimes in; NaT for NA)."""
    values = pd.to_datetime(_column(frame, name), errors="coerce", format="mixed")
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)
    return values.astype("datetime64[ns]")


def _statuses(frame: pd.DataFrame) -> pd.Series:
    """Return the status column with unknown or missing values as UNKNOWN_STATUS."""
    status = _column(frame, "status").astype("object")
    return status.where(status.isin(list(STATUS_MARKERS)), UNKNOWN_STATUS)


def _sources(frame: pd.DataFrame, column: str = "source") -> list[str]:
    """Return the distinct outlets named in `column` (comma/semicolon lists split), in order."""
    if frame is None or column not in frame:
        return []
    names = []
    for value in frame[column].dropna():
        for part in str(value).replace(";", ",").split(","):
            if part.strip():
                names.append(part.strip())
    return list(dict.fromkeys(names))


def _present(values: pd.Series, order: dict) -> list:
    """Return the distinct values present, in `order`'s order first, then the rest."""
    seen = set(values.dropna())
    return [k for k in order if k in seen] + sorted(str(v) for v in seen if v not in order)


def _plural(n: int, noun: str) -> str:
    """Return "1 event" / "3 events"."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _short(text, limit: int) -> str:
    """Return text cut to `limit` characters with an ellipsis."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_missing(value) -> bool:
    """Return True for None, NA and NaN."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
