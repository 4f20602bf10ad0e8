"""`ask()`: question in, cited `Answer` out, through a LangChain runnable chain."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from chromadb.errors import ChromaError
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough

from qa.answerer import DIGEST_STORIES, ExtractiveAnswerer
from qa.context import with_leads
from qa.digest import asks_for_digest, asks_for_top_stories, most_covered
from qa.errors import EmptyStoreError, InvalidQuestionError
from qa.followups import NEEDS_A_SUBJECT, contextualize, names_no_subject
from qa.models import Answer, Filters
from qa.outlets import NamedOutlet, named_outlet
from qa.retriever import NewsRetriever
from qa.settings import AnswerSettings
from qa.timeframe import exact_window, period_mentions, time_window, without_time
from vectorstore import (
    LexicalIndex,
    StoreSettings,
    embeddings_for,
    generation,
    open_vector_store,
)
from vectorstore.sentence_vectors import SQLiteByteStore, with_sentence_vectors
from vectorstore.store import close_vector_store

logger = logging.getLogger(__name__)
T = TypeVar("T")
# "What are the top stories?" weighs this many of the period's newest articles: a week of
# a busy corpus (the RealTime QA one publishes ~100 a week), and no more than a moment's work.
TOP_STORIES_POOL = 300


@dataclass
class _Pipeline:
    retriever: NewsRetriever
    answerer: ExtractiveAnswerer
    chain: Runnable
    generation: str
    lexical: LexicalIndex  # the retriever's BM25 index and table of articles
    sentences: SQLiteByteStore  # the answerer's sentence vectors, read-only


def build_chain(
    retriever: BaseRetriever, answerer: ExtractiveAnswerer, lexical: LexicalIndex | None = None
) -> Runnable:
    """`{"question", "query", "scope"?, "mentions"?}` → retrieve passages → answer; either
    part can be swapped. With `lexical`, the answerer also reads the top articles' leads
    from it.

    `scope` holds per-call retriever fields (outlets, date range, k); `mentions`, a
    pattern the passages and the answer's sentences must match.
    """

    def passages(x: dict[str, Any]) -> list[Any]:
        found = with_leads(retriever.invoke(x["query"], **(x.get("scope") or {})), lexical)
        mentions = x.get("mentions")
        return [d for d in found if mentions.search(d.page_content)] if mentions else found

    retrieve: Runnable = RunnableLambda(passages)
    respond: Runnable = RunnableLambda(
        lambda x: answerer.answer(x["question"], x["documents"], x.get("mentions"))
    )
    return RunnablePassthrough.assign(documents=retrieve) | respond


_pipelines: dict[str, _Pipeline] = {}
_lock = threading.Lock()


def _key(store: StoreSettings, answering: AnswerSettings) -> str:
    return store.model_dump_json() + answering.model_dump_json()


def _pipeline(store: StoreSettings, answering: AnswerSettings) -> _Pipeline:
    """One pipeline per settings, reopened when a refresh elsewhere changed the store."""
    key = _key(store, answering)
    with _lock:
        current = _pipelines.get(key)
        if current and current.generation == generation(store):
            return current
        if current:
            # Another process (or the refresh button) changed the store: read it afresh.
            close_vector_store(current.retriever.vector_store)  # type: ignore[arg-type]
            current.lexical.close()
            current.sentences.close()
            del _pipelines[key]
        lexical = LexicalIndex(store.lexical_db)
        if not lexical.count():
            lexical.close()
            raise EmptyStoreError(
                f"Nothing is indexed in {store.data_dir} yet: index the articles first with "
                "`python -m vectorstore.refresh` (or `make refresh`)."
            )
        embeddings = embeddings_for(store)
        retriever = NewsRetriever(
            vector_store=open_vector_store(store, embeddings),
            lexical=lexical,
            k=answering.top_k,
            recency_shares=answering.recency_shares,
            recency_half_life_days=answering.recency_half_life_days,
        )
        sentences = SQLiteByteStore(store.sentence_db, read_only=True)
        answerer = ExtractiveAnswerer(
            with_sentence_vectors(embeddings, sentences), min_score=answering.min_answer_score
        )
        chain = build_chain(retriever, answerer, lexical)
        current = _Pipeline(retriever, answerer, chain, generation(store), lexical, sentences)
        _pipelines[key] = current
        return current


def _invalidate(store: StoreSettings, answering: AnswerSettings) -> None:
    with _lock:
        current = _pipelines.get(_key(store, answering))
        if current:
            current.generation = "stale"


def _run(settings: tuple[StoreSettings, AnswerSettings], call: Callable[[_Pipeline], T]) -> T:
    """Run against the store; if a writer in another process changed it under us, reopen once."""
    try:
        return call(_pipeline(*settings))
    except ChromaError:
        logger.info("The store changed while reading it; reopening %s", settings[0].data_dir)
        _invalidate(*settings)
        return call(_pipeline(*settings))


def check_question(question: object, settings: AnswerSettings) -> str:
    """The question, stripped; a polite `InvalidQuestionError` when empty or too long."""
    if not isinstance(question, str) or not question.strip():
        raise InvalidQuestionError("Please type a question about the news.")
    question = " ".join(question.split())
    if len(question) > settings.max_question_chars:
        raise InvalidQuestionError(
            f"That question is {len(question)} characters long; please keep it under "
            f"{settings.max_question_chars}."
        )
    return question


def _day_ts(day: date, *, end: bool = False) -> int:
    moment = datetime.combine(day, time.max if end else time.min, tzinfo=UTC)
    return int(moment.timestamp())


def _as_date(value: date | str | None) -> date:
    if value is None:
        return date.today()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _days(
    question: str, now: date, filters: Filters, *, exact: bool = False
) -> tuple[date | None, date]:
    """The first and last publication days a question may draw on (first: None, any);
    `exact`, "yesterday" is that day alone (exact_window)."""
    since, until = (exact_window if exact else time_window)(question, now)
    if filters.since and (since is None or filters.since > since):
        since = filters.since
    if filters.until and filters.until < until:
        until = filters.until
    return since, until


def scope_for(question: str, as_of: date | str | None, filters: Filters | None) -> dict[str, Any]:
    """The retriever fields for a question: outlets, and the dates it may draw on.

    Nothing published after `as_of` ("now") is used; "this week", "in August 2024"
    and the like narrow the range further; `filters` narrow it again.
    """
    now = _as_date(as_of)
    filters = filters or Filters()
    since, until = _days(question, now, filters)
    scope: dict[str, Any] = {
        "until_ts": _day_ts(until + timedelta(days=1), end=True),
        "now_ts": _day_ts(now, end=True),
    }
    if since is not None:
        scope["since_ts"] = _day_ts(since - timedelta(days=1))
    if filters.sources:
        scope["sources"] = list(filters.sources)
    return scope


def retrieve(
    question: str,
    *,
    history: list[tuple[str, str]] | None = None,
    as_of: date | str | None = None,
    filters: Filters | None = None,
    k: int | None = None,
    store: StoreSettings | None = None,
    answering: AnswerSettings | None = None,
) -> list[Any]:
    """The passages `ask()` would answer from, best first (LangChain Documents)."""
    settings = _settings_or_default(store, answering)
    question = check_question(question, settings[1])
    named, within = _named_source(question, filters, settings)
    if named is not None:  # "What did USA Today report about …?": that outlet's passages
        question, filters = named.question, within
    scope = scope_for(question, as_of, filters) | ({"k": k} if k else {})
    query = contextualize(question, history)
    found: list[Any] = _run(settings, lambda p: p.retriever.invoke(query, **scope))
    later = None if found else _later_scope(question, as_of, filters)
    if later is None:
        return found
    # Nothing was published in the period named: the later coverage that names it.
    wider, mentions = later
    wider |= {"k": k} if k else {}
    found = _run(settings, lambda p: p.retriever.invoke(query, **wider))
    return [doc for doc in found if mentions.search(doc.page_content)]


def ask(
    question: str,
    *,
    history: list[tuple[str, str]] | None = None,
    as_of: date | str | None = None,
    filters: Filters | None = None,
    store: StoreSettings | None = None,
    answering: AnswerSettings | None = None,
) -> Answer:
    """Answer a question from the indexed coverage, with citations.

    Args:
        question: What the reader asks, e.g. "what is OSA?".
        history: Earlier (question, answer text) turns, oldest first, for follow-ups.
        as_of: "Now" for the question (default today): later articles are not used, and
            "this week" or "the latest" count back from it.
        filters: Outlets and a date range to restrict the answer to.
        store: Where the index is; defaults to `StoreSettings()` (the `NEWSDESK_*`
            environment).
        answering: How to search and answer; defaults to `AnswerSettings()` (the same
            environment).

    Returns:
        An `Answer`; `answered` is False when the coverage does not answer.

    Raises:
        InvalidQuestionError: The question is empty or too long.
        EmptyStoreError: Nothing is indexed yet.

    Example:
        >>> answer = ask("what is OSA?")
        >>> answer.citations[0].source
        'The Japan News'
    """
    settings = _settings_or_default(store, answering)
    question = check_question(question, settings[1])
    named, within = _named_source(question, filters, settings)
    if named is None:
        answer = _answer(question, history, as_of, filters, settings)
    else:
        answer = _answer(named.question, history, as_of, within, settings)
        if not answer.answered:
            # "What did the CDC say about monkeypox?" names a newsmaker that is also an
            # indexed outlet: what other coverage reports is said to come from elsewhere.
            elsewhere = _answer(question, history, as_of, filters, settings)
            if elsewhere.answered:
                note = f"Nothing from {', '.join(named.sources)} answers that; other coverage: "
                answer = elsewhere.model_copy(update={"text": note + elsewhere.text})
    return answer.model_copy(update={"question": question})


def _named_source(
    question: str, filters: Filters | None, settings: tuple[StoreSettings, AnswerSettings]
) -> tuple[NamedOutlet | None, Filters | None]:
    """The indexed outlet the question names as its source ("What did USA Today report
    about …?", "…, according to CNN?"), and the filters narrowed to it, as if it were
    chosen there (it replaces the filters' outlets)."""
    named = named_outlet(question, _run(settings, lambda p: p.lexical.sources()))
    if named is None:
        return None, filters
    return named, (filters or Filters()).model_copy(update={"sources": named.sources})


def _answer(
    question: str,
    history: list[tuple[str, str]] | None,
    as_of: date | str | None,
    filters: Filters | None,
    settings: tuple[StoreSettings, AnswerSettings],
) -> Answer:
    """`ask()` for a question as searched: a digest, a search, later coverage that names
    the period asked about, or a refusal that says what was searched."""
    query = contextualize(question, history)
    scope = scope_for(question, as_of, filters)
    digest = asks_for_digest(query)
    if not digest and names_no_subject(without_time(query)):
        return Answer(text=NEEDS_A_SUBJECT, answered=False)
    answer: Answer = _run(
        settings,
        lambda p: (
            _newest_coverage(p, question, as_of, filters or Filters())
            if digest
            else p.chain.invoke({"question": query, "query": query, "scope": scope})
        ),
    )
    if not answer.answered:
        later = _from_later_coverage(question, query, as_of, filters, settings, digest=digest)
        answer = later or answer
    if not answer.answered and not answer.related:
        # Nothing at all was found: say which days (and outlets) were searched.
        since, until = _days(question, _as_date(as_of), filters or Filters(), exact=digest)
        searched = f"between {since} and {until}" if since else f"by {until}"
        outlets = f" from {', '.join(filters.sources)}" if filters and filters.sources else ""
        text = f"{answer.text} Nothing I have indexed{outlets} was published {searched}."
        answer = answer.model_copy(update={"text": text})
    return answer


def _newest_coverage(
    pipeline: _Pipeline, question: str, as_of: date | str | None, filters: Filters
) -> Answer:
    """For "What happened this week?": the leads of the articles published last in the
    question's period and the reader's filters, newest first; for "What are the top
    stories?", of the stories most covered among the TOP_STORIES_POOL newest articles. The days are exact here
    (a search allows a day either side for time zones, and "yesterday" means since
    then): "yesterday" lists no story of today, "in July" none of August 1."""
    since, until = _days(question, _as_date(as_of), filters, exact=True)
    top = asks_for_top_stories(question)
    leads = pipeline.lexical.newest(
        TOP_STORIES_POOL if top else DIGEST_STORIES,
        sources=filters.sources,
        since_ts=_day_ts(since) if since else None,
        until_ts=_day_ts(until, end=True),
    )
    if top:  # "What are the top stories?": the most covered, among the newest articles
        leads = most_covered(leads, DIGEST_STORIES)
    return pipeline.answerer.digest(question, leads)


def _from_later_coverage(
    question: str,
    query: str,
    as_of: date | str | None,
    filters: Filters | None,
    settings: tuple[StoreSettings, AnswerSettings],
    *,
    digest: bool = False,
) -> Answer | None:
    """A month or year the question names is first the time of publication; when nothing
    then answers, coverage published since that reports what happened in it: "What did
    the two leaders agree in 2022?" from an article of 2024 that says "in November 2022".
    Only a sentence that names the period answers; the reader's own date filters stand.
    With `digest`, the first such sentence of each of the best-matching articles."""
    later = _later_scope(question, as_of, filters)
    if later is None:
        return None
    scope, mentions = later

    def reported(p: _Pipeline) -> Answer:
        if not digest:
            return p.chain.invoke(  # type: ignore[no-any-return]
                {"question": query, "query": query, "scope": scope, "mentions": mentions}
            )
        found = p.retriever.invoke(query, **scope)
        return p.answerer.digest(
            query, [d for d in found if mentions.search(d.page_content)], mentions
        )

    answer: Answer = _run(settings, reported)
    return answer if answer.answered else None


def _later_scope(
    question: str, as_of: date | str | None, filters: Filters | None
) -> tuple[dict[str, Any], re.Pattern[str]] | None:
    """The retriever fields for coverage published since the month or year the question
    names, and how that coverage writes it; None when it names none, or the reader set
    dates of their own."""
    mentions = period_mentions(question)
    if mentions is None or (filters and (filters.since or filters.until)):
        return None
    since, _ = time_window(question, _as_date(as_of))
    later = Filters(sources=filters.sources if filters else [], since=since)
    return scope_for("", as_of, later), mentions


def warm_up(store: StoreSettings | None = None, answering: AnswerSettings | None = None) -> None:
    """Open the store, load the model and the BM25 index now, so the first reader's
    question does not wait for them (~5 s); the chat UI calls this as it starts."""
    pipeline = _run(_settings_or_default(store, answering), lambda p: p)
    pipeline.lexical.prepare()
    pipeline.answerer.answer(
        "What is in the news?", pipeline.retriever.invoke("What is in the news?")
    )


def _settings_or_default(
    store: StoreSettings | None, answering: AnswerSettings | None
) -> tuple[StoreSettings, AnswerSettings]:
    """The settings given, else those of the environment (read once per process)."""
    global _defaults
    if _defaults is None:
        _defaults = (StoreSettings(), AnswerSettings())
    return store or _defaults[0], answering or _defaults[1]


_defaults: tuple[StoreSettings, AnswerSettings] | None = None
