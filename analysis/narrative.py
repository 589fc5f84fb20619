"""The report's words and tables, written from the Dataset: every sentence cites its sources.

Text from the articles is escaped before it enters Markdown, so nothing in an input can
become markup in the HTML or PDF report.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache

import pandas as pd
import yaml

from . import config
from .control import control_trajectory
from .dataset import Dataset
from .errors import UsageError
from .places import resolve_place
from .products import product_folder, report_slug

__all__ = ["focus_place", "report_title", "key_judgements", "events_table", "control_text", "claims_table",
           "corroboration_table", "corroboration_text", "method_text", "display_table", "product_folder",
           "report_slug"]

# How an alignment reads as an adjective of a source in prose.
ALIGNMENT_ADJECTIVE = {
    "Syrian government": "pro-government", "Russia": "Russian", "Iran": "Iranian", "Islamic State": "Islamic State",
    "US-led coalition": "coalition", "SDF": "SDF", "opposition": "opposition", "Turkey": "Turkish",
    "Iraqi government": "Iraqi government", "China": "Chinese state", "independent": "independent",
}


# how a sub-event type reads as a noun in a sentence
HAPPENING = {"Government regains territory": "capture", "Non-state actor overtakes territory": "capture",
             "Armed clash": "clash", "Air/drone strike": "air strike", "Shelling/artillery/missile attack": "shelling"}
TERRITORIAL = ("Government regains territory", "Non-state actor overtakes territory")


def q(text) -> str:
    """Return `text` safe inside Markdown: HTML escaped, Markdown emphasis and link marks neutralised.

    >>> q("<script>x</script> *bold*")
    '&lt;script&gt;x&lt;/script&gt; \\\\*bold\\\\*'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    escaped = html.escape(str(text), quote=False)
    return re.sub(r"([\\`*_\[\]#|])", r"\\\1", escaped)


def focus_place(ds: Dataset, place: str = "") -> str:
    """Return the place the report is about: `place` resolved, or the most-reported place.

    Raises UsageError listing the places found when `place` matches none of them.
    """
    located = ds.events.dropna(subset=["location"])
    counts = located["location"].value_counts()
    if not place:
        if counts.empty:
            return ""
        territorial = located[located["control_share"].notna()]["location"].value_counts()
        ranked = counts.add(territorial, fill_value=0).sort_values(ascending=False, kind="stable")
        return str(ranked.index[0])
    if place in counts.index:
        return place
    resolved = resolve_place(place)
    if resolved is not None and resolved.name in counts.index:
        return resolved.name
    found = ", ".join(sorted(counts.index)) or "none"
    raise UsageError(f"place '{place}' is not among the places reported in this corpus: {found}")


def report_title(ds: Dataset, title: str = "", place: str = "") -> str:
    """Return the report's title block in Markdown, e.g. '# Abu Kamal: claims and control, 9–19 Nov 2017'."""
    dates = pd.to_datetime(ds.events["event_date"].dropna())
    span = f"{dates.min():%d %b %Y} to {dates.max():%d %b %Y}" if len(dates) else "no dated events"
    heading = title or (f"{place}: claims and control" if place else "Claims and events")
    n_ok = int(ds.articles["status"].eq("ok").sum())
    outlets = ", ".join(sorted(ds.articles.loc[ds.articles["status"].eq("ok"), "outlet"].dropna().unique()))
    return (f"# {q(heading)}\n\n*Dateline brief — events {span}; {n_ok} article(s) from {q(outlets) or 'unknown outlets'}. "
            f"Every statement below names its source; claims by parties to the conflict are marked as such.*")


def _is_true(value) -> bool:
    return bool(value) if value is not None and not pd.isna(value) else False


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _cite(ds: Dataset, claims: pd.DataFrame) -> str:
    """'[Xinhua < al-Watan: A1 c001, c003]': the chains and claims a sentence rests on; A1 is the article's
    number in section 7."""
    if claims.empty:
        return ""
    numbers = article_numbers(ds)
    groups = []
    for via, group in claims.groupby("via", sort=False):
        refs = [f"A{numbers.get(a, '?')} {c.rsplit('-', 1)[-1]}" for c, a in dict.fromkeys(zip(group["claim_id"], group["article_id"]))]
        more = f" +{len(refs) - 3}" if len(refs) > 3 else ""
        groups.append(f"{q(via)}: {', '.join(refs[:3])}{more}")
    return "[" + "; ".join(groups) + "]"


def article_numbers(ds: Dataset) -> dict[str, int]:
    """Return the read articles numbered 1, 2, … in table order, as citations and section 7 use them."""
    ok = ds.articles[ds.articles["status"].eq("ok")]["article_id"]
    return {a: i for i, a in enumerate(ok, start=1)}


def _sources_phrase(claims: pd.DataFrame) -> str:
    """'a single pro-government source (al-Watan, relayed by Xinhua)'."""
    origins = claims.drop_duplicates("origin")
    if len(origins) == 1:
        row = origins.iloc[0]
        adjective = ALIGNMENT_ADJECTIVE.get(row["claimant_alignment"], "")
        relay = f", relayed by {q(row['outlet'])}" if row["claimant"] != row["outlet"] else ""
        kind = "party to the conflict" if _is_true(row["party_to_conflict"]) else "source"
        return f"a single {adjective + ' ' if adjective else ''}{kind} ({q(row['claimant'])}{relay})"
    names = ", ".join(q(c) for c in origins["claimant"])
    return f"{len(origins)} independent sources ({names})"


def _claims_of(ds: Dataset, ids) -> pd.DataFrame:
    ids = [i for i in str(ids or "").split("; ") if i]
    return ds.claims[ds.claims["claim_id"].isin(ids)]


def key_judgements(ds: Dataset, place: str) -> str:
    """Return three to six bullet sentences written from the tables, each citing its sources."""
    bullets: list[str] = []
    cited: set[str] = set()
    trajectory = control_trajectory(ds.events, place) if place else pd.DataFrame()
    if len(trajectory):
        bullets.append(_latest_share(ds, place, trajectory))
    for event in ds.events[ds.events["status"].eq("contested")].itertuples():
        claims = _claims_of(ds, event.control_claim_ids or event.claim_ids)
        if not claims.empty:
            cited.update(claims["claim_id"])
            bullets.append(_contested(ds, event, claims))
    reports = _self_reports(ds)[lambda c: ~c["claim_id"].isin(cited)]
    # one per event; a party's aside tied to no event and vouching for nothing is not a judgement
    reports = reports[reports["event_ids"].notna() | reports["_absolute"]].drop_duplicates("event_ids")
    for claim in reports.head(2).itertuples():
        bullets.append(f"{q(_possessive(claim.claimant))} claim that “{q(_short(claim.content))}” is self-reported by a party "
                       f"to the conflict; no independent source confirms it {_cite(ds, _claims_of(ds, claim.claim_id))}.")
    others = ds.events[ds.events["location"].ne(place) & ds.events["location"].notna()
                       & ds.events["sub_event_type"].isin(TERRITORIAL)]
    for event in others.head(max(0, 5 - len(bullets))).itertuples():
        claims = _claims_of(ds, event.claim_ids)
        bullets.append(f"Elsewhere, {q(event.actor1)} took {q(event.location)} ({_period(event)}), "
                       f"on {_sources_phrase(claims)} {_cite(ds, claims)}.")
    if len(ds.events):
        single = int((ds.events["n_independent_sources"] < 2).sum())
        bullets.append(f"Of {len(ds.events)} events extracted, {single} rest on a single source and "
                       f"{int(ds.events['status'].eq('claimed').sum())} only on the word of a party to the conflict; "
                       f"section 5 lists the claims to corroborate.")
    if not bullets:
        return (f"No events were extracted from this corpus ({len(ds.claims)} claim(s) in "
                f"{int(ds.articles['status'].eq('ok').sum())} article(s)), so there is nothing to judge.")
    return "\n".join(f"- {b}" for b in bullets[:6])


def _latest_share(ds: Dataset, place: str, trajectory: pd.DataFrame) -> str:
    """The latest claimed share of the place and what it rests on."""
    last = trajectory.iloc[-1]
    event = ds.events[ds.events["event_id"].eq(last["event_id"])].iloc[0]
    backing = _claims_of(ds, event["control_claim_ids"])
    backing = backing[backing["stance"].ne("against")]
    opening = (f"The latest claim puts **{event['control_share']:.0%}** of {q(place)} under government control "
               f"on {_day(last['date'])}.")
    if event["n_independent_sources"] >= 2:
        return f"{opening} It is corroborated by {_sources_phrase(backing)} {_cite(ds, backing)}."
    return f"{opening} The figure rests on {_sources_phrase(backing)} and is not independently corroborated {_cite(ds, backing)}."


def _contested(ds: Dataset, event, claims: pd.DataFrame) -> str:
    """Why an event is contested: a reversal, a denial, or shares that disagree."""
    later = _reversal_of(ds, event)
    if later is not None:
        taken = _claims_of(ds, later.control_claim_ids or later.claim_ids)
        taken = taken[taken["stance"].ne("against")]
        return (f"The declared capture of {q(event.location)} by {q(claims.iloc[0]['claimant'])} on "
                f"{_day(event.event_date)} did not hold: it was reversed on {_day(later.event_date)}, when "
                f"{q(later.actor1)} took the town back {_cite(ds, claims)} {_cite(ds, taken)}.")
    everything = _claims_of(ds, event.claim_ids)
    reasons = []
    deniers = everything[everything["stance"].eq("against")]
    if len(deniers):
        reasons.append(f"{' and '.join(dict.fromkeys(q(c) for c in deniers['claimant']))} "
                       f"{'deny' if deniers['claimant'].nunique() > 1 else 'denies'} it")
    if isinstance(event.notes, str) and "Control shares disagree:" in event.notes:
        reasons.append("claimants put the government's share at " +
                       q(event.notes.split("Control shares disagree: ", 1)[1].split(".", 1)[0]))
    noun = HAPPENING.get(event.sub_event_type, str(event.sub_event_type).lower())
    what = f"{q(event.actor1)}'s {noun}" if isinstance(event.actor1, str) else f"The {noun}"
    return (f"{what} at {q(event.location)} on {_day(event.event_date)} is contested"
            f"{': ' + '; '.join(reasons) if reasons else ''} {_cite(ds, everything)}.")


def _reversal_of(ds: Dataset, event):
    later = ds.events[ds.events["location"].eq(event.location) & ds.events["control_share"].notna()
                      & (ds.events["event_date"] > event.event_date)
                      & (ds.events["control_share"] < event.control_share)]
    return next(later.sort_values("event_date").itertuples(), None) if len(later) else None


@lru_cache(maxsize=1)
def _absolutes() -> re.Pattern:
    data = yaml.safe_load((config.DATA_DIR / "attribution.yaml").read_text(encoding="utf-8"))
    return re.compile(r"\b(?:" + "|".join(map(re.escape, data["absolutes"])) + r")\b", re.I)


def _self_reports(ds: Dataset) -> pd.DataFrame:
    """Claims by parties to the conflict about their own action, absolute wording first."""
    party = ds.claims[ds.claims["party_to_conflict"].fillna(False).astype(bool) & ds.claims["attribution"].ne("unattributed")]
    if party.empty:
        return party.assign(_absolute=pd.Series(dtype=bool))
    absolute = party["content"].str.contains(_absolutes(), regex=True).astype(bool)
    return party.assign(_absolute=absolute).sort_values(["_absolute", "claim_id"], ascending=[False, True])


def _day(value) -> str:
    return f"{pd.Timestamp(value):%-d %b %Y}" if value is not None and not pd.isna(value) else "an unknown date"


def _period(event) -> str:
    if pd.isna(event.time_precision) or pd.isna(event.event_date):
        end = getattr(event, "date_end", None)
        return f"on or before {_day(end)}" if end is not None and not pd.isna(end) else "date unknown"
    if event.time_precision == 3:
        return f"{pd.Timestamp(event.event_date):%B %Y}"
    if event.time_precision == 2:
        return f"between {_day(event.date_start)} and {_day(event.date_end)}"
    return _day(event.event_date)


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def events_table(ds: Dataset) -> pd.DataFrame:
    """Return the events as the report shows them: date, place, what, who, share, sources, status."""
    e = ds.events
    return pd.DataFrame({
        "Date": [_period(r) for r in e.itertuples()],
        "Place": e["location"], "Event": e["sub_event_type"],
        "Actor 1": e["actor1"], "Actor 2": e["actor2"],
        "Gov. share": e["control_share"].map(lambda v: f"{v:.0%}" if pd.notna(v) else ""),
        "Claimants": e["source_original"], "Indep. sources": e["n_independent_sources"],
        "Status": e["status"], "ID": e["event_id"],
    })


def control_text(ds: Dataset, place: str, trajectory: pd.DataFrame | None = None) -> str:
    """Return the paragraph under the control chart: per date, each claimed share and who claims it."""
    trajectory = control_trajectory(ds.events, place) if trajectory is None else trajectory
    if not place or trajectory.empty:
        return f"No claim in this corpus states who controls {q(place) or 'any place'}."
    stance = ds.claims.set_index("claim_id")["stance"] if len(ds.claims) else pd.Series(dtype="string")
    lines = []
    for day, points in trajectory.groupby("date", sort=True):
        parts = []
        for share, group in points.groupby("government_share", sort=False):
            who = []
            for (claimant, alignment), claims in group.groupby(["claimant", "claimant_alignment"], sort=False):
                denial = any(stance.get(c) == "against" for c in claims["claim_id"])
                count = f", {len(claims)} claims" if len(claims) > 1 else ""
                who.append(f"{q(claimant)} ({q(alignment)}{count}{'; by denying the opposite' if denial else ''})")
            parts.append(f"{share:.0%} per {', '.join(who)}")
        status = " (contested)" if points["status"].eq("contested").any() else ""
        mark = " — **reversal**" if points["reversal"].any() else ""
        lines.append(f"- {_day(day)}{mark}{status}: " + "; ".join(parts) + ".")
    return (f"The government's share of {q(place)}, as each claimant put it (step chart above; one marker per claim):\n\n"
            + "\n".join(lines))


def claims_table(ds: Dataset) -> pd.DataFrame:
    """Return claims grouped by claimant: type, alignment, party, how many, and the attribution chains."""
    c = ds.claims
    if c.empty:
        return pd.DataFrame(columns=["Claimant", "Type", "Alignment", "Party to conflict", "Claims", "Chains", "Dates"])
    grouped = c.groupby("claimant", sort=False).agg(
        Type=("claimant_type", "first"), Alignment=("claimant_alignment", "first"),
        Party=("party_to_conflict", "first"), Claims=("claim_id", "count"),
        Chains=("via", lambda v: "; ".join(dict.fromkeys(v))),
        Dates=("statement_date", lambda v: ", ".join(sorted(set(v.dropna())))),
    ).reset_index().sort_values("Claims", ascending=False, kind="stable")
    grouped["Party"] = grouped["Party"].map({True: "yes", False: "no"}).fillna("unknown")
    return grouped.rename(columns={"claimant": "Claimant", "Party": "Party to conflict"})


def corroboration_table(ds: Dataset) -> pd.DataFrame:
    """Return the claims an analyst should check, ranked: contested, self-reported by a party, single source."""
    events = ds.events.set_index("event_id")
    rows = []
    for claim in ds.claims.itertuples():
        ids = [i for i in str(claim.event_ids or "").split("; ") if i and i in events.index]
        if not ids and not _is_true(claim.party_to_conflict):
            continue
        reasons, rank = [], 3
        statuses = {events.loc[i, "status"] for i in ids}
        if "contested" in statuses:
            reasons.append("contradicted by a later report")
            rank = 0
        if _is_true(claim.party_to_conflict):
            reasons.append("self-reported by a party to the conflict")
            rank = min(rank, 1)
        if ids and all(events.loc[i, "n_independent_sources"] < 2 for i in ids):
            reasons.append("single source")
            rank = min(rank, 2)
        if claim.hedged:
            reasons.append("hedged in the text")
        if not reasons:
            continue
        rows.append({"rank": rank, "Date": claim.statement_date, "Claimant": claim.claimant,
                     "Alignment": claim.claimant_alignment, "Via": claim.via, "Claim": _short(claim.content, 200),
                     "Why check": "; ".join(reasons), "Events": claim.event_ids or "", "ID": claim.claim_id})
    table = pd.DataFrame(rows, columns=["rank", "Date", "Claimant", "Alignment", "Via", "Claim", "Why check", "Events", "ID"])
    table = table.sort_values(["rank", "Date", "ID"], kind="stable").drop(columns="rank").reset_index(drop=True)
    if ds.articles["status"].eq("ok").sum() == 1:  # one article: its id adds nothing to each row
        table["ID"] = table["ID"].str.rsplit("-", n=1).str[-1]
    return table


def corroboration_text(ds: Dataset) -> str:
    """Return the lead paragraph of section 5: how many claims need checking and why."""
    table = corroboration_table(ds)
    if table.empty:
        return "Every claim tied to an event is backed by two or more independent sources."
    why = table["Why check"]
    return (f"{len(table)} claim(s) need corroboration: {int(why.str.contains('contradicted').sum())} contradicted by a later "
            f"report, {int(why.str.contains('party').sum())} self-reported by a party to the conflict, "
            f"{int(why.str.contains('single').sum())} resting on a single source. Ranked most doubtful first.")


def method_text(ds: Dataset) -> str:
    """Return section 7: the corpus, counts, what was skipped and why, and the limits of the method."""
    a = ds.articles
    ok = a[a["status"].eq("ok")]
    skipped = a[a["status"].eq("skipped")]
    lines = [f"**Corpus.** {len(a)} input(s): {len(ok)} read, {len(skipped)} skipped."]
    for number, row in enumerate(ok.itertuples(), start=1):
        lines.append(f"- **A{number}** {q(row.outlet)}, “{q(row.title)}”, published {q(row.published)}, anchor date {q(row.anchor_date)}"
                     f" ({int(row.n_claims or 0)} claims, {int(row.n_events or 0)} events)"
                     + (f"; note: {q(row.problem)}" if isinstance(row.problem, str) else "") + ".")
    for row in skipped.itertuples():
        lines.append(f"- Skipped {q(row.path)}: {q(row.problem)}.")
    lines.append(f"\n**Extracted.** {len(ds.timexes)} temporal expressions, {len(ds.claims)} claims "
                 f"({int(ds.claims['attribution'].eq('unattributed').sum())} in the outlets' own voice), {len(ds.events)} events.")
    lines.append(
        "\n**Method.** Rule-based extraction, no statistical model: sentences by spaCy's rule-based sentencizer; dates "
        "by Dateline's TimeML tagger, anchored to the dateline date (else the publication date); places from GeoNames "
        "(CC BY 4.0) plus a project supplement; actors and outlets from the project's dictionaries; events coded with "
        "ACLED's types. Sources count as independent only when their attribution chains share no origin.")
    lines.append(
        "\n**Limits.** Attribution frames outside the patterns Dateline knows are read as the outlet's own narrative; "
        "unknown claimants keep their own words with type and alignment 'unknown'; an event's date is the statement "
        "date when the text gives no other; control shares are taken only from explicit figures or whole-town captures. "
        "Check every claim in section 5 against other reporting before use.")
    return "\n".join(lines)


def display_table(frame: pd.DataFrame):
    """Return a table rendered as escaped HTML without the index, for the report."""
    from IPython.display import HTML

    if frame.empty:
        return HTML("<p><em>None.</em></p>")
    return HTML(frame.to_html(index=False, escape=True, na_rep="", classes="dateline-table", border=0))
