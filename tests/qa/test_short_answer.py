"""The short answer inside a quoted sentence: the span each kind of question asks for."""

from __future__ import annotations

import pytest

from qa.definitions import definition
from qa.short_answer import short_answer

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("question", "sentence", "subject", "span"),
    [
        (
            "What does OSA stand for?",
            "Official Security Assistance (OSA) is a framework.",
            "OSA",
            "Official Security Assistance",
        ),
        (
            "What is OSA?",
            "OSA (Official Security Assistance) is a framework.",
            "OSA",
            "Official Security Assistance",
        ),
        (
            "What is JET?",
            "The Joint European Torus (JET), in which plasma is heated, set a record.",
            "JET",
            "Joint European Torus",
        ),
        # The sentence itself defines X: what it says X is, up to a comma.
        (
            "What is NATO?",
            "NATO is a military alliance of 30 countries, founded in 1949.",
            "NATO",
            "a military alliance of 30 countries",
        ),
        # "X, otherwise known as Y", "X, or Y": the other name.
        (
            "What is prosopagnosia, the condition he has?",
            "He may have prosopagnosia, otherwise known as face blindness, a rare condition.",
            "prosopagnosia",
            "face blindness",
        ),
        (
            "What does TIGRR stand for?",
            "It is the Thylacine Integrated Genetic Restoration Research, or TIGRR, Lab.",
            "TIGRR",
            "Thylacine Integrated Genetic Restoration Research",
        ),
    ],
)
def test_a_definition_gives_the_long_form(
    question: str, sentence: str, subject: str, span: str
) -> None:
    defined = definition(subject, sentence)
    assert defined
    assert short_answer(question, sentence, defined) == span


@pytest.mark.parametrize(
    ("question", "sentence", "span"),
    [
        ("When will the store reopen?", "The store will reopen on June 5, 2022.", "June 5, 2022"),
        ("When did the talks start?", "Talks began Aug. 9 in Geneva.", "Aug. 9"),
        ("When does it go on sale?", "It goes on sale on Oct. 24, the Mint said.", "Oct. 24"),
        ("When did the strike end?", "The strike ended Sept. 5, 2022.", "Sept. 5, 2022"),
        ("What day is the vote?", "The vote will be held Tuesday, officials said.", "Tuesday"),
        ("What year did it go public?", "The company went public in 1999.", "1999"),
        ("When is the vote?", "The vote is expected later this month.", "later this month"),
        ("When did the war begin?", "The war began two years ago.", "two years ago"),
        # A date the question already gives is passed over for one it lacks.
        (
            "When did it rain, other than June 1, 2020?",
            "It rained on June 1, 2020, and on July 4.",
            "July 4",
        ),
    ],
)
def test_when_gives_the_date(question: str, sentence: str, span: str) -> None:
    assert short_answer(question, sentence) == span


@pytest.mark.parametrize(
    ("question", "sentence", "span"),
    [
        (
            "How many workers is Redfin laying off?",
            "Redfin is laying off 862 employees, or 13% of its staff.",
            "862 employees",
        ),
        (
            "How many nominations did the show get?",
            "The show received 14 Emmy nominations on Tuesday.",
            "14 Emmy nominations",
        ),
        (
            "How many picks do the Jets have?",
            "In 2023, the Jets hold three first-round picks.",
            "three first-round picks",
        ),
        ("How many seats did Labour win?", "Labour won 411 of 650 seats.", "411 of 650 seats"),
        # The question's own figure is not the answer.
        (
            "How many people died in the 2023 quake?",
            "The 2023 quake killed more than 50,000 people.",
            "more than 50,000 people",
        ),
        # No noun after the figure: the figure alone.
        ("How many were hurt?", "Officials said 12 were hurt.", "12"),
    ],
)
def test_how_many_gives_the_figure_with_what_it_counts(
    question: str, sentence: str, span: str
) -> None:
    assert short_answer(question, sentence) == span


@pytest.mark.parametrize(
    ("question", "sentence", "span"),
    [
        (
            "What does Netflix's standard plan cost per month?",
            "The standard plan now costs $15.49 a month.",
            "$15.49 a month",
        ),
        ("How much did the deal cost?", "The deal, worth £25m, closed in 2021.", "£25m"),
        (
            "How much did the company raise?",
            "The company raised $1.337 billion from investors.",
            "$1.337 billion",
        ),
        ("What is the interest rate?", "The bank raised its rate to 1.25% on Thursday.", "1.25%"),
        (
            "Up to what hourly minimum wage can the council set?",
            "The council can raise the minimum wage to as much as $22 an hour next year.",
            "$22 an hour",
        ),
        (
            "What was Freddie Mac's average rate on a 30-year mortgage?",
            "The 30-year mortgage averaged 6.29% in the week, up from 6.02%, Freddie Mac said.",
            "6.29%",
        ),
        ("By how much did sales fall?", "Sales fell 60 percent to $2 million.", "60 percent"),
        # The question's figure is passed over.
        (
            "How much is the rent now, up from $1,700?",
            "The average rent is $1,879 a month, up from $1,700.",
            "$1,879 a month",
        ),
        (
            "What is the population of Mongolia?",
            "Mongolia has 3.3 million people.",
            "3.3 million people",
        ),
    ],
)
def test_how_much_gives_the_amount_with_its_unit(question: str, sentence: str, span: str) -> None:
    assert short_answer(question, sentence) == span


@pytest.mark.parametrize(
    ("question", "sentence", "span"),
    [
        (
            "How much is the deal worth?",
            "The deal is worth nearly $25 billion.",
            "nearly $25 billion",
        ),
        ("How many people died?", "At least 32 people died in the storm.", "At least 32 people"),
        ("How many staff?", "It had more than 87,000 employees.", "more than 87,000 employees"),
        # The question asks for a rough figure itself.
        ("About how many acres?", "It protects approximately 225,000 acres.", "225,000 acres"),
        ("Up to what wage can it set?", "It can set as much as $22 an hour.", "$22 an hour"),
        # A word ending in a qualifier is none.
        ("How many were sold?", "A handsome 40 were sold.", "40"),
    ],
)
def test_a_figure_keeps_the_word_that_qualifies_it(question: str, sentence: str, span: str) -> None:
    assert short_answer(question, sentence) == span


@pytest.mark.parametrize(
    ("question", "sentence", "span"),
    [
        (
            "Who did police arrest?",
            "Police arrested Tetsuya Yamagami at the scene.",
            "Tetsuya Yamagami",
        ),
        # The question's words are trimmed from the name's edges.
        (
            "Who is the CEO of Redfin?",
            "Redfin CEO Glenn Kelman said the cuts were painful.",
            "Glenn Kelman",
        ),
        (
            "Which team won the Super Bowl?",
            "On Sunday, the Kansas City Chiefs won the Super Bowl.",
            "Kansas City Chiefs",
        ),
        ("Who resigned?", "Theresa May resigned on Friday.", "Theresa May"),
        ("What is the name of the ship?", "The ship, named Ever Given, ran aground.", "Ever Given"),
        # Words joined by "of" stay in the name, the question's too.
        (
            "Which university did she attend?",
            "She studied at the University of Texas at Austin.",
            "University of Texas",
        ),
    ],
)
def test_who_and_which_give_the_name(question: str, sentence: str, span: str) -> None:
    assert short_answer(question, sentence) == span


def test_where_gives_the_place() -> None:
    answer = short_answer(
        "Where is Texas Pete made?", "The sauce is made in Winston-Salem, North Carolina."
    )
    assert answer is not None and answer.startswith("Winston-Salem")
    assert (
        short_answer("Where did the quake strike?", "The quake struck near Antakya, Turkey.")
        == "Antakya"
    )
    # A name after a preposition of place, before any other.
    assert (
        short_answer(
            "In which town was the missing nurse found?",
            "The Metropolitan Police said the nurse was found in Basingstoke on Monday.",
        )
        == "Basingstoke"
    )


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("Why is Redfin laying off workers?", "Redfin is laying off 862 employees."),
        ("How did the fire start?", "The fire started in a kitchen on Tuesday."),
        ("Did Redfin cut jobs?", "Redfin is laying off 862 employees."),
        ("What did Biden say?", "Biden said the plan would work."),
        # The kind has a span, the sentence none.
        ("How many troops are in Ukraine?", "Officials said the troops were moving."),
        ("When will the store reopen?", "The store will reopen, its owner said."),
        ("How much does the plan cost?", "The plan costs more than before."),
        ("Who did police arrest?", "Police arrested a man at the scene."),
    ],
)
def test_no_span(question: str, sentence: str) -> None:
    assert short_answer(question, sentence) is None


def test_a_definition_not_in_the_sentence_gives_nothing() -> None:
    sentence = "The framework grew."
    assert short_answer("What is OSA?", sentence, "OSA is Official Security Assistance.") is None


def test_the_span_is_verbatim() -> None:
    sentence = "Talks  began  Aug.  9 in Geneva, said  Jean-Luc Picard’s  aide."
    for question in ("When did talks begin?", "Who spoke?"):
        answer = short_answer(question, sentence)
        assert answer is not None and answer in sentence


@pytest.mark.parametrize(
    ("question", "short"),
    [
        # The question's subject is named first; the answer is the other name.
        ("Who will Kishida meet in Mongolia?", "Mongolian President Ukhnaa Khurelsukh"),
        # The name beside the role asked about, without the title it is asked by.
        ("Who is the president of Mongolia?", "Ukhnaa Khurelsukh"),
    ],
)
def test_the_name_asked_for_is_not_the_question_subject(question: str, short: str) -> None:
    sentence = (
        "Prime Minister Fumio Kishida will likely confirm the deal with Mongolian President "
        "Ukhnaa Khurelsukh when Kishida visits Mongolia later this month."
    )
    assert short_answer(question, sentence) == short


@pytest.mark.parametrize(
    ("question", "sentence", "short"),
    [
        # The title the question asks by is not part of the name.
        (
            "Which justice wrote the majority opinion?",
            "Associate Justice Neil Gorsuch wrote the 6-3 majority opinion.",
            "Neil Gorsuch",
        ),
        # A person is named without the place after "of"; a bank keeps it.
        (
            "Who is the Michigan woman who won?",
            "The winner is Laura Spears of Oakland County, Michigan.",
            "Laura Spears",
        ),
        ("Which bank raised rates?", "The Bank of England raised rates.", "Bank of England"),
    ],
)
def test_a_name_without_its_title_or_home(question: str, sentence: str, short: str) -> None:
    assert short_answer(question, sentence) == short
