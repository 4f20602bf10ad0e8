"""`ask()` end to end on the seed store: real Chroma, real model."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from qa import InvalidQuestionError, ask
from tests.conftest import ROOT, SEED_FILE
from vectorstore import StoreSettings, iter_articles

pytestmark = pytest.mark.integration

SEED_TEXT = next(iter(iter_articles(SEED_FILE, SEED_FILE.parent))).text  # type: ignore[union-attr]


def test_what_is_osa(seed_settings: StoreSettings) -> None:
    answer = ask("what is OSA?", store=seed_settings)
    assert answer.answered
    assert "Official Security Assistance" in answer.text
    assert "defense equipment and support free of charge" in answer.text
    assert "[1]" in answer.text
    citation = answer.citations[0]
    assert citation.number == 1
    assert "Official Security Assistance" in citation.quote
    assert citation.source == "The Japan News"
    assert citation.title.startswith("Japan, Mongolia to Reach Basic Agreement")
    assert citation.published_at == "2024-08-05T17:04:00+09:00"
    assert citation.article_id == "000_28c4a3eef7881f30.txt"


def test_every_quote_is_verbatim_article_text(seed_settings: StoreSettings) -> None:
    for question in (
        "what is OSA?",
        "Who will Kishida meet in Mongolia?",
        "Why does Mongolia want to reduce its reliance on China and Russia?",
    ):
        answer = ask(question, store=seed_settings)
        assert answer.answered, question
        for citation in answer.citations:
            assert citation.quote in SEED_TEXT
            assert (
                SEED_TEXT[citation.offset : citation.offset + len(citation.quote)] == citation.quote
            )
            assert f"[{citation.number}]" in answer.text


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        # The article's words for what is asked are other forms, or other words.
        ("Is Mongolia reliant on China?", "avoid overreliance on the two countries"),
        ("Will Japan sell weapons to Mongolia?", "which defense items will be exported"),
    ],
)
def test_what_is_asked_in_other_words_is_answered(
    seed_settings: StoreSettings, question: str, quoted: str
) -> None:
    answer = ask(question, store=seed_settings)
    assert answer.answered
    assert quoted in answer.citations[0].quote


def test_a_season_answers_when(seed_settings: StoreSettings) -> None:
    answer = ask("When will the agreement be signed?", store=seed_settings)
    assert answer.answered
    assert answer.text.startswith("It is assumed that the agreement will be officially signed")
    assert "in autumn or later" in answer.citations[0].quote


def test_acronym_spelled_out(seed_settings: StoreSettings) -> None:
    answer = ask("What does OSA stand for?", store=seed_settings)
    assert answer.answered and "Official Security Assistance" in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of Peru?",
        # Only the page's headline lists, which are not the article, could answer these.
        "Why will Japan charge foreigners more for residence permits?",
        "How much did Japan's GDP fall in July-September?",
        "What is the Takaichi cabinet's approval rating?",
        # Near the story, about a place it never mentions.
        "When will Kishida visit Kazakhstan?",
        "What did Japan give the Philippines?",
        # About the story, but it counts no troops, sums no aid and dates no OSA.
        "How many troops does Mongolia have?",
        "How much aid did Japan give Mongolia?",
        "When was OSA created?",
        # Names the story's places, asks what it never says about them.
        "What is the population of Mongolia?",
        "What is the weather in Tokyo?",
        "When did Mongolia become independent?",
    ],
)
def test_questions_the_coverage_does_not_answer(
    seed_settings: StoreSettings, question: str
) -> None:
    answer = ask(question, store=seed_settings)
    assert answer.answered is False
    assert answer.citations == []
    assert "does not answer" in answer.text


def test_the_photo_caption_is_searched_and_quoted(seed_settings: StoreSettings) -> None:
    # Only the seed's photo caption says where the two leaders shook hands.
    answer = ask("Where did Kishida and Khurelsukh shake hands?", store=seed_settings)
    assert answer.answered
    assert "shake hands at the Prime Minister’s Office in Tokyo" in answer.text
    assert answer.citations[0].quote.startswith("Prime Minister Fumio Kishida, right, and")


def test_follow_up_resolves_they_from_history(seed_settings: StoreSettings) -> None:
    first = ask("Who will Kishida meet in Mongolia?", store=seed_settings)
    assert "Khurelsukh" in first.text
    answer = ask(
        "When did they last meet?", history=[(first.question, first.text)], store=seed_settings
    )
    assert answer.answered
    assert "November 2022" in answer.text and "Tokyo" in answer.text


def test_a_follow_up_with_no_subject_of_its_own_asks_about_the_last_one(
    seed_settings: StoreSettings,
) -> None:
    # "What's" once counted as a content word ("what"), which no passage matched near
    # the answer, so "What's new?" after "What is OSA?" was refused.
    history = [("What is OSA?", "OSA is Official Security Assistance [1].")]
    answer = ask("What's new?", history=history, as_of="2024-08-10", store=seed_settings)
    assert answer.answered
    assert "Official Security Assistance (OSA)" in answer.text
    assert answer.citations[0].source == "The Japan News"


@pytest.mark.parametrize("question", ["Tell me more", "Why?", "What else?", "Who is he?"])
def test_a_follow_up_with_nothing_to_follow_asks_for_a_subject(
    seed_settings: StoreSettings, question: str
) -> None:
    alone = ask(question, store=seed_settings)
    assert not alone.answered and alone.citations == [] and alone.related == []
    assert alone.text.startswith("What would you like to know about?")
    history = [("What is OSA?", "OSA is Official Security Assistance [1].")]
    followed = ask(question, history=history, as_of="2024-08-10", store=seed_settings)
    assert not followed.text.startswith("What would you like to know about?")
    assert followed.question == question


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "Please type a question"),
        ("   \n ", "Please type a question"),
        ("why " * 300, "please keep it under 500"),
    ],
)
def test_empty_or_long_questions_get_a_polite_error(
    seed_settings: StoreSettings, question: str, message: str
) -> None:
    with pytest.raises(InvalidQuestionError, match=message):
        ask(question, store=seed_settings)


def test_cli_prints_answer_and_sources(seed_settings: StoreSettings) -> None:
    env = {
        "NEWSDESK_DATA_DIR": str(seed_settings.data_dir),
        "NEWSDESK_ARTICLES_DIR": str(seed_settings.articles_dir),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-m", "qa", "what", "is", "OSA?"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "Official Security Assistance" in done.stdout.splitlines()[0]
    assert "Sources:" in done.stdout
    assert "[1] The Japan News, “Japan, Mongolia to Reach Basic Agreement" in done.stdout
    assert "2024-08-05" in done.stdout

    done = subprocess.run(
        [sys.executable, "-m", "qa", "What is the capital of Peru?"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 1 and "does not answer" in done.stdout

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "qa", "what is OSA?", *args]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)

    assert cli("--as-of", "2024-08-10", "--source", "The Japan News").returncode == 0
    assert cli("--as-of", "2024-07-01").returncode == 1  # the article was not out yet
    assert cli("--source", "CNN").returncode == 1
    assert cli("--since", "2024-09-01").returncode == 1
    assert cli("--until", "2024-08-31").returncode == 0
    bad = cli("--as-of", "last tuesday")
    assert bad.returncode == 2 and "--as-of" in bad.stderr
    swapped = cli("--since", "2024-09-01", "--until", "2024-08-01")
    assert swapped.returncode == 2 and "is after the last (2024-08-01)" in swapped.stderr


def test_an_empty_store_is_a_clear_error_naming_the_refresh(settings: StoreSettings) -> None:
    from qa import EmptyStoreError
    from vectorstore import refresh

    with pytest.raises(EmptyStoreError, match="python -m vectorstore.refresh"):
        ask("what is OSA?", store=settings)
    assert not (settings.data_dir / "generation").exists()  # no refresh ran behind its back
    refresh(settings)
    answer = ask("what is OSA?", store=settings)
    assert answer.answered and "Official Security Assistance" in answer.text


def test_warm_up_opens_everything_the_first_question_needs(settings: StoreSettings) -> None:
    from qa import AnswerSettings, service, warm_up
    from vectorstore import refresh

    refresh(settings)
    warm_up(settings)
    key = service._key(settings, AnswerSettings())
    pipeline = service._pipelines[key]
    assert pipeline.retriever.lexical is not None
    assert pipeline.retriever.lexical._searcher is not None  # BM25 loaded, not on first search
    assert pipeline.answerer.embeddings.underlying_embeddings.loaded  # the model is loaded
    answer = ask("what is OSA?", store=settings)
    assert answer.answered and "Official Security Assistance" in answer.text
    assert service._pipelines[key] is pipeline  # not rebuilt


def test_a_refresh_elsewhere_reopens_the_store_and_closes_the_old_files(
    settings: StoreSettings, articles_dir: Path
) -> None:
    from qa import AnswerSettings, service
    from tests.conftest import write_article
    from vectorstore import refresh

    refresh(settings)
    assert ask("what is OSA?", store=settings).answered
    key = service._key(settings, AnswerSettings())
    old = service._pipelines[key]
    assert old.sentences._db is not None  # the answer read its sentences' vectors
    write_article(articles_dir, "pier.txt", "Pier closes", "The Harbour Board closed pier 4.")
    refresh(settings)  # as the refresh script would, from another process

    answer = ask("Which pier did the Harbour Board close?", store=settings)
    assert answer.answered and "closed pier 4" in answer.text
    new = service._pipelines[key]
    assert new is not old
    assert old.sentences._db is None  # closed, not left to the garbage collector
    with pytest.raises(sqlite3.ProgrammingError):
        old.lexical.count()  # closed too


@pytest.mark.parametrize(
    "question",
    ["What is OSA?", "When will the agreement be signed?", "What did Japan and Mongolia agree?"],
)
def test_retrieve_gives_the_passages_ask_answers_from(
    seed_settings: StoreSettings, question: str
) -> None:
    from qa import retrieve

    answer = ask(question, store=seed_settings)
    passages = retrieve(question, store=seed_settings)
    assert answer.answered and passages
    for citation in answer.citations:
        for quote in citation.quotes:
            assert any(quote in doc.page_content for doc in passages), quote
    assert retrieve("Tell me more", store=seed_settings) == []  # nothing to search for


def test_one_number_per_article_with_each_quoted_sentence(seed_settings: StoreSettings) -> None:
    answer = ask("What did Japan and Mongolia agree?", store=seed_settings)
    assert answer.answered
    numbers = re.findall(r"\[(\d+)\]", answer.text)
    assert len(numbers) >= 2 and set(numbers) == {"1"}  # two sentences, one article
    (citation,) = answer.citations
    assert len(citation.quotes) == 2 and citation.quotes[0] == citation.quote
    for quote, offset in zip(citation.quotes, citation.offsets, strict=True):
        assert SEED_TEXT[offset : offset + len(quote)] == quote


@pytest.mark.parametrize(
    "request_text",
    [
        "Summarize the article about Mongolia",
        "Tell me about the Japan–Mongolia deal",
        "Could you give me a quick overview of Japan's defense cooperation with Mongolia?",
    ],
)
def test_a_request_for_a_summary_gets_the_story_lead_first(
    seed_settings: StoreSettings, request_text: str
) -> None:
    answer = ask(request_text, as_of="2024-08-06", store=seed_settings)
    assert answer.answered and answer.question == request_text
    assert answer.text.startswith("The Japanese and Mongolian governments have entered the final")
    (citation,) = answer.citations
    assert len(citation.quotes) >= 2 and answer.text.count("[1]") == len(citation.quotes)
    for quote, offset in zip(citation.quotes, citation.offsets, strict=True):
        assert SEED_TEXT[offset : offset + len(quote)] == quote
    olympics = ask(
        "Summarize the article about the Olympics", as_of="2024-08-06", store=seed_settings
    )
    assert not olympics.answered  # nothing the coverage says is about it
