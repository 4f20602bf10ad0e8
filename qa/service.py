"""`ask()` and `retrieve()`: a question's plan, run through a LangChain chain, to a cited
`Answer` and the passages it was answered from."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar

from chromadb.errors import ChromaError
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough

from qa.answerer import Answerer, ExtractiveAnswerer, last_answer
from qa.context import with_leads
from qa.digest import most_covered
from qa.errors import EmptyStoreError, InvalidQuestionError
from qa.followups import NEEDS_A_SUBJECT
from qa.llm.answerer import LLMAnswerer
from qa.models import Answer, Filters
from qa.plan import DigestKind, QueryPlan, plan
from qa.retriever import NewsRetriever
from qa.scoring import SCORING, ScoringConfig
from qa.settings import AnswererKind, AnswerSettings
from vectorstore import LexicalIndex, StoreSettings, embeddings_for, generation, open_vector_store
from vectorstore.sentence_vectors import SQLiteByteStore, StoredSentenceVectors
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

    def respond(x: dict[str, Any]) -> Answer:
        return answerer.answer(x["plan"], x["passages"])

    return build_retrieval(retriever, lexical, scoring).assign(answer=RunnableLambda(respond))


def build_retrieval(
    retriever: BaseRetriever, lexical: LexicalIndex | None = None, scoring: ScoringConfig = SCORING
) -> Runnable:
    """The chain's first half: `{"plan": QueryPlan, "k": int | None}` → the step's
    passages, added as `passages` (what `ask_stream()` hands the answerer to stream)."""

    def passages(x: dict[str, Any]) -> list[Document]:
        return _passages(x["plan"], x.get("k"), retriever, lexical, scoring)

    return RunnablePassthrough.assign(passages=RunnableLambda(passages))


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
    retrieval: Runnable  # a step's passages (build_retrieval)
    extractive: ExtractiveAnswerer  # decides which step answers, for retrieve()
    generation: str
    settings: tuple[StoreSettings, AnswerSettings]
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
            answering, StoredSentenceVectors(embeddings, sentences, store.sentence_vectors), scoring
        )
        extractive = answerer if isinstance(answerer, ExtractiveAnswerer) else answerer.extractive
        retrieval = build_retrieval(retriever, lexical, scoring)
        current = _Pipeline(
            retriever,
            answerer,
            retrieval,
            extractive,
            generation(store),
            (store, answering),
            lexical,
            sentences,
        )
        _pipelines[key] = current
        return current


def _answerer(
    answering: AnswerSettings, embeddings: Any, scoring: ScoringConfig
) -> ExtractiveAnswerer | LLMAnswerer:
    """The answerer the settings choose."""
    match answering.answerer:
        case AnswererKind.EXTRACTIVE:
            logger.info("Answerer: extractive")
            return ExtractiveAnswerer(embeddings, scoring)
        case AnswererKind.LLM:
            logger.info("Answerer: llm (%s, %s)", answering.llm.backend, answering.llm.describe())
            return LLMAnswerer(embeddings, answering.llm, scoring)


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
        An `Answer`; `answered` is False when the coverage does not answer. With the LLM
        answerer, a model that fails gives the extractive answer and a `notice`, never
        an exception.

    Raises:
        InvalidQuestionError: The question is empty or too long.
        EmptyStoreError: Nothing is indexed yet.

    Example:
        >>> answer = ask("what is OSA?")
        >>> answer.citations[0].source
        'The Japan News'
    """
    return last_answer(
        ask_stream(
            question,
            history=history,
            as_of=as_of,
            filters=filters,
            store=store,
            answering=answering,
        )
    )


def ask_stream(
    question: str,
    *,
    history: list[tuple[str, str]] | None = None,
    as_of: date | str | None = None,
    filters: Filters | None = None,
    store: StoreSettings | None = None,
    answering: AnswerSettings | None = None,
) -> Generator[str | Answer, None, None]:
    """`ask()`, as it is written: pieces of the draft's text (str) as the answerer
    writes them, then the checked `Answer`, last. The extractive answerer yields its
    whole text once; a refusal yields only the `Answer`. The draft is unchecked: show
    the final `Answer` in its place. Closing the iterator stops the generation.

    Raises:
        InvalidQuestionError: The question is empty or too long (before anything is yielded).
        EmptyStoreError: Nothing is indexed yet.

    Example:
        >>> *pieces, answer = ask_stream("what is OSA?")
        >>> answer.citations[0].quote in answer.citations[0].quote
        True
    """
    store, answering = _settings_or_default(store, answering)
    question = check_question(question, answering)
    pipeline = _run((store, answering), lambda p: p)
    steps = plan(question, history, as_of, filters, outlets=pipeline.lexical.sources())
    for item in _answer_plan(pipeline, pipeline.answerer, steps, None):
        if isinstance(item, str):
            yield item
        else:
            yield item[0].model_copy(update={"question": question})


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
    its first step, when none did). With `k`, as if `k` passages were retrieved. No LLM
    is called: the coverage gate decides which step answers.

    Example:
        >>> [doc.metadata["source"] for doc in retrieve("what is OSA?", k=1)][:1]
        ['The Japan News']
    """
    settings = _settings_or_default(store, answering)
    question = check_question(question, settings[1])

    def run(pipeline: _Pipeline) -> list[Document]:
        steps = plan(question, history, as_of, filters, outlets=pipeline.lexical.sources())
        passages: list[Document] = []
        for item in _answer_plan(pipeline, pipeline.extractive, steps, k):
            if not isinstance(item, str):
                passages = item[1]
        return passages

    return _run(settings, run)


def _answer_plan(
    pipeline: _Pipeline, answerer: Answerer, first: QueryPlan, k: int | None
) -> Iterator[str | tuple[Answer, list[Document]]]:
    """Try the plan's steps in order: the first answered one gives the answer. When none
    is, the first step's refusal, saying which days were searched if nothing was found.
    Yields the answerer's text as it writes, then (answer, passages), last."""
    refusal: tuple[Answer, list[Document]] | None = None
    for step in first.steps():
        answer = Answer(text=NEEDS_A_SUBJECT, answered=False)
        passages: list[Document] = []
        if not step.needs_subject:
            passages = _step_passages(pipeline, step, k)
            for item in answerer.stream(step, passages):
                if isinstance(item, Answer):
                    answer = item
                else:
                    yield item
        if answer.answered:
            if step.note:
                answer = answer.model_copy(update={"text": step.note + answer.text})
            yield answer, passages
            return
        refusal = refusal or (answer, passages)
    assert refusal is not None  # a plan has at least one step
    answer, passages = refusal
    if not answer.related and not first.needs_subject:
        answer = answer.model_copy(update={"text": f"{answer.text} {first.searched()}"})
    yield answer, passages


def _step_passages(pipeline: _Pipeline, step: QueryPlan, k: int | None) -> list[Document]:
    """A step's passages; if a writer in another process changed the store under us, read
    from it reopened, once."""
    query = {"plan": step, "k": k}
    try:
        passages: list[Document] = pipeline.retrieval.invoke(query)["passages"]
    except ChromaError:
        logger.info(
            "The store changed while reading it; reopening %s", pipeline.settings[0].data_dir
        )
        _invalidate(*pipeline.settings)
        passages = _pipeline(*pipeline.settings).retrieval.invoke(query)["passages"]
    return passages


def warm_up(store: StoreSettings | None = None, answering: AnswerSettings | None = None) -> None:
    """Open the store, load the model and the BM25 index now, so the first reader's
    question does not wait for them (~5 s); the chat UI calls this as it starts."""
    pipeline = _run(_settings_or_default(store, answering), lambda p: p)
    pipeline.lexical.prepare()
    step = replace(plan("What is in the news?"), digest=DigestKind.NONE)
    pipeline.extractive.answer(step, pipeline.retriever.invoke(step.search_text))


def _settings_or_default(
    store: StoreSettings | None, answering: AnswerSettings | None
) -> tuple[StoreSettings, AnswerSettings]:
    """The settings given, else those of the environment (read once per process)."""
    global _defaults
    if _defaults is None:
        _defaults = (StoreSettings(), AnswerSettings())
    return store or _defaults[0], answering or _defaults[1]


_defaults: tuple[StoreSettings, AnswerSettings] | None = None
