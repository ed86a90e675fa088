"""The pure rules: which questions are asked, cleaning answers, and when a PCN is divided."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from gpvoice.engagement import answers, spread


@dataclass
class Q:
    pk: int
    kind: str
    text: str = "Q"
    choices: Any = field(default_factory=list)
    required: bool = True
    scale_min: int = 1
    scale_max: int = 5
    shown_if_id: Any = None
    shown_values: Any = field(default_factory=list)


YESNO = [["y", "Yes"], ["n", "No"]]


def test_a_conditional_question_is_asked_only_after_the_answer_that_shows_it():
    qs = [
        Q(1, "single", choices=YESNO),
        Q(2, "long", shown_if_id=1, shown_values=["y"]),
        Q(3, "short", shown_if_id=2),
    ]
    assert [q.pk for q in answers.asked(qs, {"1": "y"})] == [1, 2]
    assert [q.pk for q in answers.asked(qs, {"1": "n"})] == [1]


def test_a_hidden_questions_answer_is_dropped_and_not_required():
    qs = [Q(1, "single", choices=YESNO), Q(2, "long", shown_if_id=1, shown_values=["y"])]
    cleaned, errors = answers.clean(qs, {"1": "n", "2": "sneaked in"})
    assert cleaned == {"1": "n"} and errors == {}
    cleaned, errors = answers.clean(qs, {"1": "y", "2": ""})
    assert errors == {"2": "Answer: Q"}


@pytest.mark.parametrize(
    ("q", "raw", "error"),
    [
        (Q(1, "single", choices=YESNO), "maybe", "Choose from the answers offered."),
        (Q(1, "single", choices=YESNO), ["y", "n"], "Choose one answer."),
        (Q(1, "multiple", choices=YESNO), ["y", "x"], "Choose from the answers offered."),
        (Q(1, "scale", scale_min=0, scale_max=10), "11", "Choose from the answers offered."),
        (Q(1, "scale", scale_min=0, scale_max=10), "-1", "Choose from the answers offered."),
        (Q(1, "short"), "a\x00b", "Remove the NUL character from your answer."),
        (Q(1, "short"), "x" * 301, "Keep your answer to 300 characters or fewer."),
        (Q(1, "long"), "x" * 5001, "Keep your answer to 5,000 characters or fewer."),
        (Q(1, "short"), "   ", "Answer: Q"),
    ],
)
def test_bad_answers_are_refused_with_a_message(q, raw, error):
    assert answers.clean([q], {"1": raw})[1] == {"1": error}


@pytest.mark.parametrize(
    ("q", "raw", "kept"),
    [
        (Q(1, "scale", scale_min=0, scale_max=10), "0", "0"),
        (Q(1, "scale", scale_min=0, scale_max=10), "10", "10"),
        (Q(1, "short"), "x" * 300, "x" * 300),
        (Q(1, "long"), " <b>x</b> ", "<b>x</b>"),
        (Q(1, "multiple", choices=YESNO), ["n", "y", "n"], ["y", "n"]),
    ],
)
def test_answers_at_the_edges_are_kept(q, raw, kept):
    assert answers.clean([q], {"1": raw}) == ({"1": kept}, {})


def test_counted_values():
    assert answers.counted("multiple", ["a", "b"]) == ["a", "b"]
    assert answers.counted("long", "words") == [""]
    assert answers.counted("single", None) == []


@pytest.mark.parametrize(
    ("counts", "divided"),
    [
        ({"friends": 1, "rivals": 1}, True),  # exactly two steps apart: divided
        ({"allies": 1, "neighbours": 1}, True),
        ({"allies": 3, "enemies": 1}, True),
        ({"friends": 2, "neighbours": 3}, False),  # one step apart: ordinary disagreement
        ({"rivals": 4}, False),  # all agree
        ({"allies": 1}, False),  # one answer cannot be divided
        ({"allies": 1, "enemies": 0}, False),  # a zero count is no answer
        ({}, False),
    ],
)
def test_a_pcn_is_divided_when_two_answers_lie_two_or_more_steps_apart(counts, divided):
    assert spread.is_divided(counts) is divided


def test_spread_text_follows_the_spectrum():
    assert spread.spread_text({"rivals": 1, "allies": 2}) == "2 allies, 1 rivals"
