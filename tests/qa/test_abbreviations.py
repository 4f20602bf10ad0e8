"""Abbreviation definitions (Schwartz–Hearst) and the definitions built on them."""

from __future__ import annotations

import pytest

from qa.abbreviations import abbreviations, long_form
from qa.definitions import definition, definition_subject

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("sentence", "short", "long"),
    [
        ("The Joint European Torus (JET) set a record.", "JET", "Joint European Torus"),
        (
            "It supports them with Official Security Assistance (OSA).",
            "OSA",
            "Official Security Assistance",
        ),
        ("OSA (Official Security Assistance) is new.", "OSA", "Official Security Assistance"),
        (
            "the U.S. Food and Drug Administration (FDA) approved it",
            "FDA",
            "Food and Drug Administration",
        ),
        # Mixed case and letters inside words: no list of acronyms, no capitals needed.
        ("the Near-Infrared Camera (NIRCam), its main imager", "NIRCam", "Near-Infrared Camera"),
        ("what the joint european torus (JET) produced", "JET", "joint european torus"),
        # ", or": the long form first, or the short form first.
        (
            "WHO defines a public health emergency of international concern, or PHEIC, as …",
            "PHEIC",
            "public health emergency of international concern",
        ),
        (
            "The DART mission, or the Double Asteroid Redirection Test, will hit it.",
            "DART",
            "Double Asteroid Redirection Test",
        ),
    ],
)
def test_a_long_form_is_found_beside_its_short_form(sentence: str, short: str, long: str) -> None:
    assert long_form(short, sentence) == long


@pytest.mark.parametrize(
    "sentence",
    [
        "He said (in 2019) that prices rose.",  # a year in brackets
        "The pier (4) closed.",  # too short a short form
        "The fund (PIF) opened.",  # its letters do not spell the words before it
        # ", or" without a short form in capitals, or with letters that spell nothing.
        "Food got cheaper, or so it seemed, and the NFL, or its players, said no.",
        "The league, or NFL, said no.",
    ],
)
def test_brackets_that_define_nothing(sentence: str) -> None:
    assert abbreviations(sentence) == []


def test_a_definition_keeps_a_clause_that_describes_and_drops_the_rest() -> None:
    osa = (
        "Japan supports them with Official Security Assistance (OSA), in which the Japanese "
        "government provides defense equipment free of charge."
    )
    assert definition("OSA", osa) == (
        "OSA is Official Security Assistance, in which the Japanese government provides "
        "defense equipment free of charge."
    )
    rocket = "NASA's Space Launch System (SLS) mega-rocket, which will carry Orion, waited."
    assert definition("SLS", rocket) == "SLS is Space Launch System."  # not "…, mega-rocket"


def test_a_definition_question_may_carry_the_readers_context() -> None:
    asked = "What does JET stand for, the tokamak near Oxford that set a fusion record?"
    assert definition_subject(asked) == "JET"
    assert definition_subject("What is OSA, the aid Japan gives?") == "OSA"
    assert definition_subject("What is the population of the largest city in Mongolia today?") == ""
