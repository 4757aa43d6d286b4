from datetime import datetime
from zoneinfo import ZoneInfo

from claimcheck.values import (
    extract,
    interval,
    moment,
    quantities_conflict,
    weekday_matches,
)


def one(text, kind="quantity", base=None):
    return next(v for v in extract(text, 0, base) if v.kind == kind)


def test_counts_know_what_they_count():
    assert one("There were no reports of any casualties in the attack.").value == 0
    assert one("resulting in the death of 80 people").unit == "casualties:dead"
    assert one("sirens and two explosions were heard").unit == "explosion"
    assert one("Three passengers were taken to hospital").unit == "casualties:injured"


def test_a_number_word_in_a_name_is_not_a_count():
    counts = [v for v in extract("Wales won the Six Nations title with Three Lions fans "
                                 "watching, and six nations sent teams.", 0)
              if v.kind == "quantity"]
    assert [v.value for v in counts] == [6]  # only the lower-case count is one
    assert one("Six nations sent teams.").value == 6  # a sentence opener still counts


def test_vague_counts_are_intervals():
    dozen = one("firing more than a dozen missiles at two installations")
    multiple = one("Iran had fired multiple missiles at Iraq airbases")
    fourteen = one("The council said 14 missiles were found")
    assert quantities_conflict(dozen, multiple) is False
    assert quantities_conflict(dozen, fourteen) is False
    assert quantities_conflict(one("about 300 patients"), one("312 patients")) is False
    assert quantities_conflict(one("240 homes"), one("420 homes")) is True
    assert interval(one("up to 40 schools")).high == 40


def test_zero_casualties_conflict_with_deaths_but_injuries_differ_from_deaths():
    none = one("There were no reports of any casualties in the attack.")
    dead = one("resulting in the death of 80 people")
    assert quantities_conflict(none, dead) is True
    assert quantities_conflict(one("five people were injured"), one("two people were killed")) \
        is None


def test_a_time_in_two_zones_is_one_moment():
    local = extract("Rockets impacted near Baghdad's zone, Jan. 8 at 11:45 p.m (local time).",
                    0, "2020-01-09")
    instant = moment(local, ["Baghdad"])
    assert instant == datetime(2020, 1, 8, 23, 45, tzinfo=ZoneInfo("Asia/Baghdad"))
    thursday = one("The rockets were fired early Thursday (Indian time).", "weekday")
    assert weekday_matches(thursday, instant, ["Baghdad"]) is True
    friday = one("The rockets were fired early Friday (Indian time).", "weekday")
    assert weekday_matches(friday, instant, ["Baghdad"]) is False


def test_roles_places_and_years():
    role = one("Speaking in Manchester, Health minister Clara Holt said", "role")
    assert (role.value, role.unit) == ("health minister", "Holt")  # known by surname
    for text, expected in [
            ("the board's medical director, Dr Sunita Rao, warned", ("medical director", "Rao")),
            ("Dr Rao, who became the board's chief executive in 2022, said",
             ("chief executive", "Rao")),
            ("Ms Marsh, who is representing Mr Pell, told the jury", ("defence", "Marsh")),
            ("Chancellor Brown said the budget was fair", ("chancellor", "Brown"))]:
        role = one(text, "role")
        assert (role.value, role.unit) == expected
    assert not [v for v in extract("The former minister, Tony Blair, said") if v.kind == "role"]
    assert not [v for v in extract("Dr Rao, who was the trust's medical director before "
                                   "taking the top job, said") if v.kind == "role"]
    assert one("Dr Rao, who was appointed medical director in May, said", "role").value == (
        "medical director")
    assert not [v for v in extract("However, the director said") if v.kind == "role"]
    assert not [v for v in extract("said the club's manager, Rovers") if v.kind == "role"]
    verdicts = [one(t, "outcome") for t in ("He was acquitted.", "found not guilty",
                                            "was found guilty")]
    assert [(v.unit, v.value) for v in verdicts] == [("convicted", -1), ("convicted", -1),
                                                     ("convicted", 1)]
    trends = [one(t, "direction") for t in ("Prices didn't rise.", "Prices did not fall.",
                                            "Prices rose.")]
    assert [v.value for v in trends] == [-1, 1, 1]
    assert one("The bridge opened in 1998 and carries traffic", "date").value == "1998"
    assert one("The rockets landed near the Green Zone in Baghdad.", "place").value == "Green Zone"


def test_values_in_every_shape_keep_offsets_and_finite_numbers():
    from tests.fuzzing import run_property

    run_property("values", max_examples=150)


def test_a_number_past_a_float_is_not_a_count():
    found = [v for v in extract("Officials said " + "9" * 400 + " people were hurt.")
             if v.kind == "quantity"]
    assert all(v.value is None or v.value < 1e300 for v in found)


def test_offsets_hold_after_letters_that_lower_to_two_characters():
    text = "İİ İstanbul prices rose and then fell."
    for v in extract(text, 5):
        assert ("x" * 5 + text)[v.start:v.end] == v.text
    assert {v.text for v in extract(text) if v.kind == "direction"} == {"rose", "fell"}


def test_a_bare_year_and_a_zoned_time_are_no_moment():
    values = extract("The rockets were fired in 1900 at 0:00 (Indian time).", 0, "2020-01-09")
    assert moment(values, []) is None


def test_a_time_before_an_unclosed_bracket_keeps_its_own_span():
    text = "The blast came at 0:00 (local and shook the town."
    time_ = next(v for v in extract(text) if v.kind == "time")
    assert text[time_.start:time_.end] == time_.text == "0:00"


def test_a_persons_age_is_keyed_by_surname_with_the_first_name_kept():
    age = one("presented to director Nadia Ferrante, 38, at the closing ceremony", "age")
    assert (age.unit, age.value) == ("Ferrante", ("Nadia", 38))
    assert one("Ferrante, who turned 45 this spring, spent a decade", "age").value == ("", 45)
    assert one("Ms Ferrante, who celebrated her 60th birthday in March", "age").value == (
        "", 60)
    for text in ("John Smith, 45 minutes late, ran in", "Smith, who was 45 at the time"):
        assert not [v for v in extract(text) if v.kind == "age"]
