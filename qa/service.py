"""`ask()` and `retrieve()`: a question's plan, run through a LangChain chain, to a cited
`Answer` and the passages it was answered from."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar

from chromadb.errors import ChromaError
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough

from qa.answerer import Answerer, ExtractiveAnswerer
from qa.context import with_leads
from qa.digest import most_covered
from qa.errors import EmptyStoreError, InvalidQuestionError
from qa.followups import NEEDS_A_SUBJECT
from qa.models import Answer, Filters
from qa.plan import DigestKind, QueryPlan, plan
from qa.retriever import NewsRetriever
from qa.scoring import SCORING, ScoringConfig
from qa.settings import AnswererKind, AnswerSettings
from vectorstore import LexicalIndex, StoreSettings, embeddings_for, generation, open_vector_store
from vectorstore.sentence_vectors import SQLiteByteStore, with_sentence_vectors
from vectorstore.store import close_vector_store

logger = logging.getLogger(__name__)
T = TypeVar("T")


def build_chain(
    retriever: BaseRetriever,
    answerer: Answerer,
    lexical: LexicalIndex | None = None,
    scoring: ScoringConfig = SCORING,
) -> Runnable:
    """`{"plan": QueryPlan, "k": int | None}` → the step's passages → its answer.

    The output dict adds `passages` (what the answer was made from) and `answer`. A
    search step reads the retrieved passages, then the top articles' leads from
    `lexical`; a digest lists the newest (or most covered) articles from `lexical`.
    Either part can be swapped.
    """

    def passages(x: dict[str, Any]) -> list[Document]:
        return _passages(x["plan"], x.get("k"), retriever, lexical, scoring)

    def respond(x: dict[str, Any]) -> Answer:
        return answerer.answer(x["plan"], x["passages"])

    return RunnablePassthrough.assign(passages=RunnableLambda(passages)).assign(
        answer=RunnableLambda(respond)
    )


def _passages(
    step: QueryPlan,
    k: int | None,
    retriever: BaseRetriever,
    lexical: LexicalIndex | None,
    scoring: ScoringConfig,
) -> list[Document]:
    """The passages a step answers from."""
    if step.digest is not DigestKind.NONE and step.mentions is None:
        if lexical is None:
            return []
        top = step.digest is DigestKind.TOP
        since_ts, until_ts = step.listing_range()
        leads = lexical.newest(
            scoring.top_stories_pool if top else scoring.digest_stories,
            sources=list(step.sources),
            since_ts=since_ts,
            until_ts=until_ts,
        )
        return most_covered(leads, scoring.digest_stories, scoring) if top else leads
    found = retriever.invoke(step.search_text, **step.search_scope(k))
    if step.digest is DigestKind.NONE:
        found = with_leads(found, lexical, scoring)
    if step.mentions is not None:
        found = [doc for doc in found if step.mentions.search(doc.page_content)]
    return found


@dataclass
class _Pipeline:
    retriever: NewsRetriever
    answerer: Answerer
    chain: Runnable
    generation: str
    lexical: LexicalIndex  # the retriever's BM25 index and table of articles
    sentences: SQLiteByteStore  # the answerer's sentence vectors, read-only


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
            _close(current)
            del _pipelines[key]
        lexical = LexicalIndex(store.lexical_db)
        if not lexical.count():
            lexical.close()
            raise EmptyStoreError(
                f"Nothing is indexed in {store.data_dir} yet: index the articles first with "
                "`python -m vectorstore.refresh` (or `make refresh`)."
            )
        scoring = replace(
            SCORING,
            min_answer_score=answering.min_answer_score,
            recency_shares=answering.recency_shares,
            recency_half_life_days=answering.recency_half_life_days,
        )
        embeddings = embeddings_for(store)
        retriever = NewsRetriever(
            vector_store=open_vector_store(store, embeddings),
            lexical=lexical,
            k=answering.top_k,
            scoring=scoring,
        )
        sentences = SQLiteByteStore(store.sentence_db, read_only=True)
        answerer = _answerer(
            answering, with_sentence_vectors(embeddings, sentences, store.sentence_vectors), scoring
        )
        chain = build_chain(retriever, answerer, lexical, scoring)
        current = _Pipeline(retriever, answerer, chain, generation(store), lexical, sentences)
        _pipelines[key] = current
        return current


def _answerer(answering: AnswerSettings, embeddings: Any, scoring: ScoringConfig) -> Answerer:
    """The answerer the settings choose."""
    match answering.answerer:
        case AnswererKind.EXTRACTIVE:
            return ExtractiveAnswerer(embeddings, scoring)


def _close(pipeline: _Pipeline) -> None:
    close_vector_store(pipeline.retriever.vector_store)  # type: ignore[arg-type]
    pipeline.lexical.close()
    pipeline.sentences.close()


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
    return _ask(question, history, as_of, filters, None, store, answering)[0]


def retrieve(
    question: str,
    *,
    history: list[tuple[str, str]] | None = None,
    as_of: date | str | None = None,
    filters: Filters | None = None,
    k: int | None = None,
    store: StoreSettings | None = None,
    answering: AnswerSettings | None = None,
) -> list[Document]:
    """The passages `ask()` answers from, best first (LangChain Documents): the retrieved
    ones, then the top articles' leads; those of the plan's step that answered (or of
    its first step, when none did). With `k`, as if `k` passages were retrieved.

    Example:
        >>> [doc.metadata["source"] for doc in retrieve("what is OSA?", k=1)][:1]
        ['The Japan News']
    """
    return _ask(question, history, as_of, filters, k, store, answering)[1]


def _ask(
    question: str,
    history: list[tuple[str, str]] | None,
    as_of: date | str | None,
    filters: Filters | None,
    k: int | None,
    store: StoreSettings | None,
    answering: AnswerSettings | None,
) -> tuple[Answer, list[Document]]:
    settings = _settings_or_default(store, answering)
    question = check_question(question, settings[1])

    def run(pipeline: _Pipeline) -> tuple[Answer, list[Document]]:
        steps = plan(question, history, as_of, filters, outlets=pipeline.lexical.sources())
        return _run_plan(pipeline, steps, k)

    answer, passages = _run(settings, run)
    return answer.model_copy(update={"question": question}), passages


def _run_plan(
    pipeline: _Pipeline, first: QueryPlan, k: int | None
) -> tuple[Answer, list[Document]]:
    """Try the plan's steps in order: the first answered one gives the answer. When none
    is, the first step's refusal, saying which days were searched if nothing was found."""
    refusal: tuple[Answer, list[Document]] | None = None
    for step in first.steps():
        if step.needs_subject:
            answer, passages = Answer(text=NEEDS_A_SUBJECT, answered=False), []
        else:
            result = pipeline.chain.invoke({"plan": step, "k": k})
            answer, passages = result["answer"], result["passages"]
        if answer.answered:
            if step.note:
                answer = answer.model_copy(update={"text": step.note + answer.text})
            return answer, passages
        refusal = refusal or (answer, passages)
    assert refusal is not None  # a plan has at least one step
    answer, passages = refusal
    if not answer.related and not first.needs_subject:
        answer = answer.model_copy(update={"text": f"{answer.text} {first.searched()}"})
    return answer, passages


def warm_up(store: StoreSettings | None = None, answering: AnswerSettings | None = None) -> None:
    """Open the store, load the model and the BM25 index now, so the first reader's
    question does not wait for them (~5 s); the chat UI calls this as it starts."""
    pipeline = _run(_settings_or_default(store, answering), lambda p: p)
    pipeline.lexical.prepare()
    step = replace(plan("What is in the news?"), digest=DigestKind.NONE)
    pipeline.answerer.answer(step, pipeline.retriever.invoke(step.search_text))


def _settings_or_default(
    store: StoreSettings | None, answering: AnswerSettings | None
) -> tuple[StoreSettings, AnswerSettings]:
    """The settings given, else those of the environment (read once per process)."""
    global _defaults
    if _defaults is None:
        _defaults = (StoreSettings(), AnswerSettings())
    return store or _defaults[0], answering or _defaults[1]


_defaults: tuple[StoreSettings, AnswerSettings] | None = None
