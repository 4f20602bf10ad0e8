"""The answering's settings, read from `NEWSDESK_*` environment variables."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from qa.llm.settings import LLMSettings


class AnswererKind(StrEnum):
    """Which answerer writes the answers."""

    EXTRACTIVE = "extractive"  # sentences of the articles themselves (no LLM)
    LLM = "llm"  # written by an LLM (qa.llm.settings), every citation checked


class AnswerSettings(BaseSettings):
    """How a question is searched and answered.

    Each field reads the environment variable of the same name, upper-cased and
    prefixed with `NEWSDESK_` (for example `NEWSDESK_TOP_K`).

    Example:
        >>> AnswerSettings(top_k=4).answerer
        <AnswererKind.EXTRACTIVE: 'extractive'>
    """

    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", extra="ignore")

    answerer: AnswererKind = Field(
        AnswererKind.EXTRACTIVE, description="What writes the answer from the passages."
    )
    llm: LLMSettings = Field(
        default_factory=LLMSettings, description="With answerer=llm: the model (NEWSDESK_LLM_*)."
    )
    top_k: int = Field(8, ge=1, le=50, description="Passages retrieved per question.")
    max_question_chars: int = Field(500, ge=10)
    min_answer_score: float = Field(
        0.35,
        description="Below this evidence score the answer says the coverage does not say "
        "(calibrated on dev: docs/EVALUATION.md).",
    )
    recency_shares: float = Field(
        2.5,
        ge=0,
        description="How much coverage from just before 'now' outranks older coverage, in "
        "first search ranks (0: dates do not rank, only filter).",
    )
    recency_half_life_days: float = Field(
        14.0, gt=0, description="The recency prior halves every this many days."
    )
