"""Tests for analysis.timexes: extents, anchoring and TIMEX3 values of temporal expressions."""
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import config
from analysis.timexes import resolve_timex, tag_timexes

GOLD = Path(__file__).resolve().parent / "seed_gold.json"
SEED = config.DEFAULT_CORPUS / "xinhua-2017-11-19-al-bukamal.txt"
SUNDAY = "2017-11-19"  # the seed's anchor, a Sunday
KEYS = {"start", "end", "text", "type", "value", "resolved", "precision"}
PRECISIONS = {"day", "week", "month", "quarter", "year", "decade", "none"}


def only(text, anchor=SUNDAY):
    """Return the single timex tagged in text (fails if there is not exactly one)."""
    found = tag_timexes(text, anchor)
    assert len(found) == 1, found
    return found[0]


def seed_body():
    """Return the seed article's body: from the dateline on, as the article reader hands it over."""
    raw = SEED.read_text(encoding="utf-8")
    return raw[re.search(r"^DAMASCUS,", raw, re.M).start():]


# ---------------------------------------------------------------- weekdays
def test_weekday_of_the_anchor_is_the_anchor_itself():
    t = only("the newspaper said Sunday.")
    assert (t["text"], t["value"], t["resolved"]) == ("Sunday", "2017-11-19", "2017-11-19")


def test_weekday_names_the_most_recent_such_day_before_the_anchor():
    assert only("Officials said Thursday that the town fell.")["value"] == "2017-11-16"


def test_weekday_with_part_of_day_is_a_time():
    t = only("Shelling resumed Thursday night.")
    assert (t["type"], t["value"], t["resolved"]) == ("TIME", "2017-11-16TNI", "2017-11-16")


def test_next_weekday_looks_ahead_of_the_anchor():
    assert only("Talks resume next Tuesday.")["value"] == "2017-11-21"


# ---------------------------------------------------------------- month-days
def test_month_day_without_year_takes_the_year_on_or_before_the_anchor():
    assert only("Fighting broke out on Dec. 20.", "2018-01-05")["value"] == "2017-12-20"


def test_month_day_after_the_anchor_in_the_same_year_goes_back_a_year():
    assert only("The town fell on Nov. 25.")["value"] == "2016-11-25"


def test_month_day_the_text_puts_ahead_keeps_the_coming_date():
    assert only("The ceasefire will take effect on Nov. 25.")["value"] == "2017-11-25"


def test_month_day_with_year_keeps_its_year():
    t = only("Signed on November 19, 2015 in Vienna.")
    assert (t["text"], t["value"]) == ("November 19, 2015", "2015-11-19")


def test_month_day_a_few_weeks_ahead_in_a_tenseless_sentence_is_the_coming_one():
    assert only("The dividend is payable Dec. 7 to holders of record.", "1989-10-30")["value"] == "1989-12-07"


def test_month_a_few_months_ahead_with_a_future_cue_is_the_coming_one():
    assert only("The closing is expected in January, the company said.", "1989-10-30")["value"] == "1990-01"


def test_month_with_a_past_tense_verb_stays_on_or_before_the_anchor():
    assert only("In January, the company brought in a new chief executive.", "1989-10-30")["value"] == "1989-01"


def test_month_day_followed_by_a_colon_keeps_its_weekday():
    t = only("The Times said in an editorial on Monday, Oct. 26: the murder", "1998-10-25")
    assert (t["text"], t["value"]) == ("Monday, Oct. 26", "1998-10-26")


def test_clock_time_before_a_month_day_is_a_time_on_that_day():
    t = only("The offer runs until 5 p.m. EST Nov. 9.", "1989-11-02")
    assert (t["text"], t["type"], t["value"]) == ("5 p.m. EST Nov. 9", "TIME", "1989-11-09T17:00")


def test_extent_excludes_leading_preposition():
    t = only("On Nov. 9, the Syrian forces declared capturing al-Bukamal.")
    assert (t["start"], t["end"], t["text"]) == (3, 9, "Nov. 9")


def test_extent_includes_modifier():
    t = only("The offensive began in late October.")
    assert (t["text"], t["value"], t["precision"]) == ("late October", "2017-10", "month")


# ---------------------------------------------------------------- relative expressions
def test_a_day_earlier_resolves_from_the_anchor_without_a_date_in_its_sentence():
    t = only("A day earlier, the Russian Defense Ministry said in a statement that bombers struck.")
    assert (t["text"], t["type"], t["value"], t["resolved"]) == ("A day earlier", "DATE", "2017-11-18", "2017-11-18")


def test_a_day_later_resolves_from_the_date_in_its_sentence():
    found = tag_timexes("IS retook the city on Nov. 11 and the army returned a day later.", SUNDAY)
    assert [(t["text"], t["value"]) for t in found] == [("Nov. 11", "2017-11-11"), ("a day later", "2017-11-12")]


def test_last_month_is_the_month_before_the_anchor():
    t = only("Last month, the SDF captured Raqqa.")
    assert (t["value"], t["resolved"], t["precision"]) == ("2017-10", "2017-10", "month")


def test_this_month_is_the_anchor_month():
    assert only("This month, the army captured Deir al-Zour.")["value"] == "2017-11"


def test_earlier_this_month_keeps_the_modifier_in_the_extent():
    t = only("The army entered the city earlier this month.")
    assert (t["text"], t["value"]) == ("earlier this month", "2017-11")


def test_a_week_ago_is_the_week_before_the_anchor():
    t = only("The convoy left a week ago.")
    assert (t["value"], t["precision"]) == ("2017-W45", "week")


@pytest.mark.parametrize("word, value", [("yesterday", "2017-11-18"), ("today", "2017-11-19"), ("tomorrow", "2017-11-20")])
def test_yesterday_today_tomorrow_shift_the_anchor_by_days(word, value):
    assert only(f"The ministry spoke {word}.")["value"] == value


def test_this_year_is_the_anchor_year():
    t = only("More than 3,000 people were killed this year.")
    assert (t["value"], t["precision"]) == ("2017", "year")


@pytest.mark.parametrize("word", ["now", "currently", "at present"])
def test_present_words_are_present_ref_resolved_to_the_anchor(word):
    t = only(f"The forces are {word} purging the city.")
    assert (t["value"], t["resolved"], t["precision"]) == ("PRESENT_REF", "2017-11-19", "day")


def test_recently_is_past_ref_resolved_nowhere():
    t = only("The areas have recently been stormed.")
    assert (t["value"], t["resolved"], t["precision"]) == ("PAST_REF", None, "none")


def test_in_the_future_is_future_ref_without_the_preposition():
    t = only("Strikes may continue in the future.")
    assert (t["text"], t["value"]) == ("the future", "FUTURE_REF")


# ---------------------------------------------------------------- durations and sets
def test_counted_duration_is_a_period_value():
    t = only("The siege lasted four days.")
    assert (t["type"], t["value"], t["resolved"]) == ("DURATION", "P4D", None)


def test_bare_plural_duration_is_vague():
    t = only("Residents fled for weeks.")
    assert (t["text"], t["type"], t["value"]) == ("weeks", "DURATION", "PXW")


def test_age_in_years_old_is_a_duration():
    t = only("The commander, 52 years old, was killed.")
    assert (t["type"], t["value"]) == ("DURATION", "P52Y")


def test_fractional_duration_is_written_in_the_next_smaller_unit():
    assert only("They lived in camps for 2 1/2 years.")["value"] == "P2Y6M"


def test_a_couple_of_years_is_two_years():
    assert only("It will not change for a couple of years.")["value"] == "P2Y"


def test_recent_months_is_a_vague_duration_without_the_preposition():
    t = only("Lenders have pulled back in recent months.")
    assert (t["text"], t["type"], t["value"]) == ("recent months", "DURATION", "PXM")


def test_money_rate_a_year_is_not_a_timex():
    assert tag_timexes("The plan saves $500 million a year in costs.", SUNDAY) == []


def test_every_week_is_a_set():
    t = only("Convoys arrive every week.")
    assert (t["type"], t["value"]) == ("SET", "P1W")


# ---------------------------------------------------------------- calendar periods
def test_quarter_takes_the_year_on_or_before_the_anchor():
    assert only("Exports fell in the third quarter.")["value"] == "2017-Q3"


def test_quarter_of_another_year_is_the_same_quarter_in_that_year():
    found = tag_timexes("Profit rose in the third quarter from the 1988 quarter.", "1989-10-30")
    assert [t["value"] for t in found] == ["1989-Q3", "1988-Q3"]


def test_last_half_of_a_year_is_its_second_half():
    assert only("Earnings will fall in the last half of 1989.")["value"] == "1989-H2"


def test_the_previous_weekday_counts_back_from_the_day_the_sentence_names():
    found = tag_timexes("Stocks closed lower on Oct. 27, down 4.5% from the previous Friday.", "1989-10-30")
    assert [(t["text"], t["value"]) for t in found] == [("Oct. 27", "1989-10-27"), ("the previous Friday", "1989-10-20")]


def test_the_following_month_counts_from_the_month_the_text_last_named():
    found = tag_timexes("In March, the company got an offer. The following month, it put itself up for sale.", "1989-10-27")
    assert [(t["text"], t["value"]) for t in found] == [("March", "1989-03"), ("The following month", "1989-04")]


def test_season_with_this_is_the_anchor_year():
    t = only("Fighting intensified this summer.")
    assert (t["value"], t["precision"]) == ("2017-SU", "quarter")


def test_decade_value_is_its_first_three_digits():
    t = only("The dam was built in the 1990s.")
    assert (t["text"], t["value"], t["precision"]) == ("the 1990s", "199", "decade")


def test_clock_time_with_weekday_carries_the_hour():
    t = only("The strike hit at 9 p.m. Thursday.")
    assert (t["type"], t["value"]) == ("TIME", "2017-11-16T21:00")


def test_first_two_quarters_of_a_year_are_its_first_half():
    assert only("through at least the first two quarters of 1990.", "1989-10-26")["value"] == "1990-H1"


def test_year_earlier_ordinal_quarter_is_that_quarter_a_year_before():
    t = only("In the year-earlier third quarter, the bank earned $2.8 million.", "1989-10-27")
    assert (t["text"], t["value"]) == ("the year-earlier third quarter", "1988-Q3")


def test_the_week_being_reported_on_is_an_unidentified_week_of_the_anchor_year():
    t = only("For the week, the index dropped 3.8%.", "1989-10-30")
    assert (t["text"], t["value"]) == ("the week", "1989-WXX")


def test_the_week_of_a_day_is_the_iso_week_holding_it():
    t = only("a court hearing the week of March 6, his uncle said.", "2000-02-24")
    assert (t["text"], t["value"]) == ("the week of March 6", "2000-W10")


def test_that_year_is_the_year_the_text_last_named():
    found = tag_timexes("In 1988, watch imports rose; Japan's share fell that year.", "1989-11-02")
    assert [(t["text"], t["value"]) for t in found] == [("1988", "1988"), ("that year", "1988")]


def test_month_with_spoken_year_is_one_expression():
    t = only("January nineteen ninety-seven. Atlanta again.", "1998-02-27")
    assert (t["text"], t["value"]) == ("January nineteen ninety-seven", "1997-01")


def test_season_with_spoken_year_takes_that_year():
    t = only("the level we saw in the winter of nineteen ninety-four.", "1998-02-23")
    assert (t["text"], t["value"]) == ("the winter of nineteen ninety-four", "1994-WI")


def test_each_month_name_is_a_set():
    t = only("where Orangemen march each July from their church.", "1998-03-22")
    assert (t["text"], t["type"], t["value"]) == ("each July", "SET", "XXXX-07")


def test_easter_week_holding_the_anchor_is_this_years():
    assert only("protesters prayed as Easter week began.", "2000-04-17")["value"] == "2000-W16"


# ---------------------------------------------------------------- anchoring cues
def test_weekday_written_with_a_month_day_picks_the_year_they_agree_in():
    assert only("The Times said in an editorial on Saturday, April 25: the court erred.", "1998-04-24")["value"] == "1998-04-25"


def test_last_month_name_of_the_month_just_gone_is_a_year_earlier():
    assert only("two helicopters crashed last February.", "1998-03-01")["value"] == "1997-02"


def test_month_named_again_without_tense_repeats_the_year_named_before():
    found = tag_timexes("The three are expected to join in April. They can attend the summit in April.", "1998-12-05")
    assert [t["value"] for t in found] == ["1999-04", "1999-04"]


def test_future_modal_a_few_words_before_a_weekday_looks_ahead():
    t = only("Craig said the father would be traveling to the United States Thursday with his wife.", "2000-04-05")
    assert t["value"] == "2000-04-06"


def test_were_planning_to_is_a_plan_not_a_past_event():
    t = only("Protesters were planning to drive around Miami International Airport on Monday.", "2000-01-07")
    assert t["value"] == "2000-01-10"


def test_until_a_weekday_before_a_past_perfect_is_behind_the_anchor():
    assert only("Until Thursday, they had not called Kopp a suspect.", "1999-05-07")["value"] == "1999-05-06"


def test_next_to_is_a_place_not_a_cue_ahead():
    t = only("a bomb ripped through a building next to the U.S. embassy in Nairobi, Kenya Friday morning.", "1998-08-08")
    assert t["value"] == "1998-08-07TMO"


def test_tense_reads_past_an_abbreviation_to_the_verb():
    t = only("In January, after the Roe vs. Wade anniversary, a bombing in Birmingham, Ala., killed a guard.", "1998-10-25")
    assert t["value"] == "1998-01"


def test_present_perfect_participle_before_an_adverb_is_a_past_cue():
    t = only("Police have gathered enough evidence in the October slaying of the doctor to begin a case.", "1999-04-19")
    assert t["value"] == "1998-10"


# ---------------------------------------------------------------- not temporal expressions
@pytest.mark.parametrize("text", [
    "six Tu-22M3 long-range bombers struck",
    "escorted by Sukhoi Su-30SM fighters",
    "captured 80 percent of the city",
    "F-16 jets and 2000 troops",
    "the fall of Raqqa",
])
def test_designations_counts_and_percentages_are_not_timexes(text):
    assert tag_timexes(text, SUNDAY) == []


@pytest.mark.parametrize("text", ["It ended Nov. 31.", "on Feb. 30, 2017", "the year 99999", "13/45/2017"])
def test_impossible_dates_give_no_invalid_value(text):
    for t in tag_timexes(text, SUNDAY):
        if re.fullmatch(r"\d{4}-\d\d-\d\d", t["value"]):
            dt.date.fromisoformat(t["value"])


def test_without_anchor_relative_values_stay_unresolved():
    t = only("The paper said Sunday.", None)
    assert (t["value"], t["resolved"], t["precision"]) == ("XXXX-WXX-7", None, "none")


def test_resolve_timex_normalises_a_whole_phrase():
    assert resolve_timex("last month", dt.date(2017, 11, 19))["value"] == "2017-10"


# ---------------------------------------------------------------- offsets and robustness
def test_offsets_index_the_given_text():
    text = "DAMASCUS, Nov. 19 (Xinhua) -- Two days ago, on Friday, and\n\nagain last week."
    found = tag_timexes(text, SUNDAY)
    assert [t["text"] for t in found] == ["Nov. 19", "Two days ago", "Friday", "last week"]
    assert all(text[t["start"]:t["end"]] == t["text"] for t in found)


WORDS = st.sampled_from(["Nov.", "19", "2017", "Sunday", "a", "day", "earlier", "last", "month", "now", "the",
                         "1990s", "every", "week", "Tu-22M3", "on", "31", "quarter", "third", "ago", "9", "p.m.",
                         ",", ".", "\n", "  ", "year", "old", "52", "-", "May", "99999", "Q3", "night"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(WORDS, max_size=25).map(" ".join)),
       st.one_of(st.none(), st.dates(), st.text(max_size=12)))
def test_any_text_returns_well_formed_timexes(text, anchor):
    found = tag_timexes(text, anchor)
    assert isinstance(found, list)
    last = -1
    for t in found:
        assert set(t) == KEYS
        assert 0 <= t["start"] < t["end"] <= len(text) and t["start"] >= last
        assert text[t["start"]:t["end"]] == t["text"]
        assert t["type"] in {"DATE", "TIME", "DURATION", "SET"}
        assert isinstance(t["value"], str) and t["value"]
        assert t["precision"] in PRECISIONS
        last = t["end"]


# ---------------------------------------------------------------- the seed article
def test_seed_gold_timexes_come_out_with_their_values():
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    anchor = gold["article"]["anchor_date"]
    got = {t["text"]: t for t in tag_timexes(seed_body(), anchor)}
    for g in gold["timexes"]:
        t = got.get(g["text"])
        if t is None and g.get("optional"):
            continue
        assert t is not None, g["text"]
        assert (t["type"], t["value"], t["resolved"]) == (g["type"], g["value"], g["resolved"]), g["text"]
        if "precision" in g:
            assert t["precision"] == g["precision"], g["text"]


def test_seed_not_timexes_are_not_tagged():
    texts = [t["text"] for t in tag_timexes(seed_body(), SUNDAY)]
    assert not any(re.search(r"Tu-22M3|Su-30SM|percent", x) for x in texts)
    assert len(texts) == 9


@pytest.mark.parametrize("text", ['Baker said on ABC News\' "This Week," that', "Gonzalez said on CBS's ''60 Minutes.''",
                                  "A second group of directors agreed.", "For Poland, high noon has come."])
def test_titles_ordinals_and_figures_of_speech_are_not_timexes(text):
    assert tag_timexes(text, "1999-03-12") == []


# ---------------------------------------------------------------- phrases added in round 3
THURSDAY = "1989-10-26"  # a Thursday


def test_n_more_units_is_a_duration():
    t = only("He will remain there for at least two more weeks.")
    assert (t["text"], t["type"], t["value"]) == ("at least two more weeks", "DURATION", "P2W")


def test_an_additional_year_is_a_duration():
    t = only("The loan may be extended for an additional year.")
    assert (t["text"], t["value"]) == ("an additional year", "P1Y")


def test_trading_days_count_as_days():
    t = only("Eight trading days after the crash, the index recovered.")
    assert (t["text"], t["value"]) == ("Eight trading days", "P8D")


def test_the_next_couple_of_years_is_two_years():
    t = only("Over the next couple of years we expect growth.")
    assert (t["text"], t["value"]) == ("the next couple of years", "P2Y")


def test_possessive_month_names_the_month():
    t = only("The ministry revised December's figures.", "1998-02-06")
    assert (t["text"], t["value"]) == ("December", "1997-12")


def test_spelled_out_decade():
    t = only("Numbers kept dropping through the nineties.", "1998-03-03")
    assert (t["text"], t["value"]) == ("the nineties", "199")


def test_mid_afternoon_is_that_part_of_the_anchor_day():
    t = only("By mid afternoon, officials were speaking of dozens dead.")
    assert (t["text"], t["type"], t["value"]) == ("mid afternoon", "TIME", "2017-11-19TAF")


def test_the_weeks_ahead_is_a_vague_duration():
    t = only("Funds may sell bonds in the weeks ahead.")
    assert (t["text"], t["type"], t["value"]) == ("the weeks ahead", "DURATION", "PXW")


def test_later_in_the_day_is_the_day_of_the_sentence():
    t = only("He arrived in Philadelphia later in the day.")
    assert (t["text"], t["value"]) == ("later in the day", "2017-11-19")


def test_over_the_years_is_a_vague_duration_without_the_preposition():
    t = only("Over the years many more patients were saved.")
    assert (t["text"], t["type"], t["value"]) == ("the years", "DURATION", "PXY")


def test_until_then_points_at_the_date_just_named():
    found = tag_timexes("The rights will terminate on Nov. 30. Until then, the stock remains convertible.", THURSDAY)
    assert [(t["text"], t["value"]) for t in found] == [("Nov. 30", "1989-11-30"), ("then", "1989-11-30")]


def test_near_and_short_term_are_future_references():
    t = only("We don't minimize the challenges of the near term.")
    assert (t["text"], t["value"]) == ("the near term", "FUTURE_REF")
    assert tag_timexes("The short-term rates fell.", SUNDAY) == []


def test_a_later_date_is_a_future_reference():
    t = only("The plant will be financed at a later date.")
    assert (t["text"], t["value"]) == ("a later date", "FUTURE_REF")


def test_these_days_is_the_present():
    t = only("They hurt market makers more painfully these days.")
    assert (t["text"], t["value"]) == ("these days", "PRESENT_REF")


def test_for_a_while_is_a_duration_of_unstated_length():
    t = only("They will have to live without it for a while.")
    assert (t["text"], t["type"], t["value"]) == ("a while", "DURATION", "PXX")


def test_post_year_names_the_year():
    t = only("The post-1959 politics split families.", "2000-02-24")
    assert (t["text"], t["value"]) == ("post-1959", "1959")


def test_election_day_is_the_tuesday_after_the_first_monday_of_november():
    t = only("Abortion will be a theme of our campaign until Election Day.", "1998-10-26")
    assert (t["text"], t["value"]) == ("Election Day", "1998-11-03")


def test_second_day_of_a_month_day_pair_takes_the_first_ones_month():
    found = tag_timexes("The summit will be held on April 24 and 25.", "1999-02-10")
    assert [(t["text"], t["value"]) for t in found] == [("April 24", "1999-04-24"), ("25", "1999-04-25")]


def test_the_day_before_a_weekday_is_one_day_earlier():
    t = only("The day before last Tuesday's hearing, the family met.", "2000-02-24")
    assert (t["text"], t["value"]) == ("The day before last Tuesday", "2000-02-21")


def test_the_day_before_as_an_appositive_restates_the_date():
    found = tag_timexes("Eight days after Oct. 12, the day before the plunge, the index fell.", "1989-10-30")
    assert [(t["text"], t["value"]) for t in found][-1] == ("the day", "1989-10-12")


def test_today_is_the_nth_day_of_names_the_anchor():
    t = only("It's the second day of an offensive by the security forces.")
    assert (t["text"], t["value"]) == ("the second day", "2017-11-19")


def test_the_march_before_a_noun_is_the_month():
    t = only("The March accession will enable the three to attend.", "1999-02-10")
    assert (t["text"], t["value"]) == ("March", "1999-03")


def test_will_one_day_is_a_future_reference():
    t = only("Islam will one day be the second largest religion.")
    assert (t["text"], t["value"]) == ("one day", "FUTURE_REF")


def test_a_deadline_in_the_past_perfect_is_behind_the_anchor():
    t = only("The bid had been due to expire Friday evening.", "1989-10-30")
    assert (t["text"], t["value"]) == ("Friday evening", "1989-10-27TEV")


def test_the_previous_weekday_counts_back_from_the_day_just_reported():
    found = tag_timexes("Stocks fell on Friday, Oct. 27. The index closed down 4.5% from the previous Friday.", "1989-10-30")
    assert (found[-1]["text"], found[-1]["value"]) == ("the previous Friday", "1989-10-20")


def test_the_corresponding_period_last_year_is_the_year_earlier_quarter():
    t = only("Net was $1.8 million for the corresponding period last year.", "1989-11-01")
    assert (t["text"], t["value"]) == ("the corresponding period last year", "1988-Q3")


def test_the_year_earlier_nine_months_is_a_duration():
    t = only("Net for the year-earlier nine months included a gain.", THURSDAY)
    assert (t["text"], t["type"], t["value"]) == ("the year-earlier nine months", "DURATION", "P9M")


def test_a_quarter_still_ahead_is_not_the_one_reported_on():
    found = tag_timexes("Losses may continue through the third quarter of 1990. In the year-ago period, it earned $101 million.", THURSDAY)
    assert [t["value"] for t in found] == ["1990-Q3", "1988-Q3"]


# The candidate scan takes shortcuts that must find exactly what scanning every window with every
# kind finds: the lowered scan of a plain text for the trigger words, the _KIND_WORDS window filter.
_SCAN_PHRASES = ["the week of Nov. 9", "The day before last Sunday", "later in the day", "this morning", "pre-2003",
                 "post-1990", "over the years", "the 1990s", "'90s", "mid-1970s", "90’s", "Q3 2016", "10:30 am, Nov. 9",
                 "two days ago", "the next day", "Monday, Nov. 9", "19 November 2017", "2017-11-19", "a year later",
                 "the past three months", "the third straight day of", "the end of the month", "x" * 70, "said", "\n"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_SCAN_PHRASES), max_size=25), st.lists(st.sampled_from([" ", ", ", "  ", "-", ""]), min_size=25, max_size=25))
def test_the_candidate_scan_shortcuts_find_what_a_full_scan_finds(phrases, seps):
    from analysis import timex_patterns as P
    text = "".join(p + s for p, s in zip(phrases, seps))
    fast = [(s, e, k, [i[:3] for i in inner]) for s, e, k, m, inner in P.candidates(text)]
    triggers = [{c: v for c, v in P._hits(text, lowered).items() if not c.startswith("+")}
                for lowered in (text.lower(), None)]
    assert triggers[0] == triggers[1]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(P, "_KIND_NEEDS_ALSO", set())
        assert [(s, e, k, [i[:3] for i in inner]) for s, e, k, m, inner in P.candidates(text)] == fast


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_SCAN_PHRASES + ["9 p.m. EST Nov. 9", "q3 2016", "Every Monday"]),
                          st.sampled_from([str.lower, str.upper, str.title, str])), max_size=12))
def test_the_lowercased_patterns_find_on_the_lowered_text_what_the_patterns_find_on_the_text(phrases):
    from analysis import timex_patterns as P
    text = " ".join(case(p) for p, case in phrases)
    for kind, rx in P._COMPILED:
        lowered = [(m.span(), m.groupdict()) for m in P._LOWERCASED[kind].finditer(text.lower())]
        assert [(m.span(), {g: v and v.lower() for g, v in m.groupdict().items()}) for m in rx.finditer(text)] == lowered


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(_SCAN_PHRASES + ["9 p.m. EST Nov. 9", "and 10", "-2 days", "$5 a year", "x,Nov. 9"]), max_size=12),
       st.integers(0, 40), st.integers(0, 40))
def test_the_starts_found_after_a_gap_are_the_starts_of_the_lowercased_scan(phrases, cut_lo, cut_hi):
    from analysis import timex_patterns as P
    lowered = " ".join(phrases).lower()
    lo, hi = min(cut_lo, len(lowered)), max(len(lowered) - cut_hi, 0)
    for kind, _ in P._COMPILED:
        assert P._plain_starts(kind, lowered, [[lo, hi]]) == [(m.start(), hi) for m in P._LOWERCASED[kind].finditer(lowered, lo, hi)]


def test_the_openings_of_a_regex_are_the_characters_every_match_begins_with():
    from analysis.timex_patterns import _openings, re_parser

    def openings(source):
        return _openings(list(re_parser.parse(source)), 3)

    assert openings(r"(?<!\w)(?:the\s+)?day") == {("t", "h", "e"), ("d", "a", "y")}
    assert openings(r"[12]\d|q[1-4]") == {("1", r"\d"), ("2", r"\d"), ("q", "1"), ("q", "2"), ("q", "3"), ("q", "4")}
    assert openings(r"a[\s-]+b") == {("a", r"[\s\-]")}  # cut short after a repeat
    assert openings(r"x*y") == {("x",), ("y",)}
    assert () in openings(r"(?:a|.b)") and () in openings(r"(?i:a)b") and () in openings(r"b?")


def test_trigger_words_spelled_with_letters_re_folds_to_ascii_do_not_break_the_tagger():
    # re.I matches the long s, dotless i, dotted capital I and the Kelvin sign to ASCII letters
    found = tag_timexes("Two \u017feconds ago, on \u017funday, the \u0130-day was 2 days later (\u212aenya).", "2017-11-19")
    assert [t["text"] for t in found][-1] == "2 days later"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=".!?\n \t\"')]([“‘”’Aa0", max_size=30), st.integers(0, 30), st.integers(0, 30))
def test_the_sentence_breaks_are_full_stops_before_a_capital_or_blank_lines(text, lo, hi):
    from analysis.timex_anchoring import _SENT_END
    plain = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n")  # the same, written plainly
    assert [m.span() for m in _SENT_END.finditer(text, lo, hi)] == [m.span() for m in plain.finditer(text, lo, hi)]
