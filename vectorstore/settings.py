"""The store's and the fetcher's settings, read from `NEWSDESK_*` environment variables.

The answering's settings live in `qa.settings`, the chat UI's in `app.py`: each part
reads its own, from the same environment.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_USER_AGENT = "Newsdesk/0.1 (+https://github.com/newsdesk; news QA)"

Precision = Literal["auto", "float32", "bfloat16"]
Runtime = Literal["auto", "onnx", "torch"]
SentenceVectorMode = Literal["pooled", "separate"]


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/newsdesk`, else `~/.cache/newsdesk`."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsdesk"


class StoreSettings(BaseSettings):
    """Where the articles and the index live, and how articles are cut and embedded.

    Each field reads the environment variable of the same name, upper-cased
    and prefixed with `NEWSDESK_` (for example `NEWSDESK_ARTICLES_DIR`); `sources_file`
    reads `NEWSDESK_SOURCES`.

    Example:
        >>> settings = StoreSettings(articles_dir="my-articles", data_dir="/tmp/nd")
        >>> settings.chroma_dir.name
        'chroma'
    """

    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", extra="ignore", populate_by_name=True)

    articles_dir: Path = Field(PROJECT_ROOT / "seeds", description="Folder of article files.")
    sources_file: Path | None = Field(
        None,
        validation_alias="NEWSDESK_SOURCES",
        description="Feeds and pages to fetch (TOML); unset: sources.toml beside the articles "
        "folder (see `sources_path`).",
    )
    data_dir: Path = Field(
        PROJECT_ROOT / ".newsdesk", description="Chroma store, record manager and lexical index."
    )
    chroma_url: str = Field(
        "", description="A Chroma server (http://host:port); empty for the embedded store."
    )
    collection: str = Field("newsdesk", description="Chroma collection name.")
    embedding_precision: Precision = "auto"
    embedding_runtime: Runtime = Field(
        "auto",
        description="What runs the model: onnxruntime (auto, at float32) or torch (auto, at "
        "bfloat16).",
    )
    model_cache_dir: Path = Field(
        default_factory=default_cache_dir,
        description="Where the model's one-time ONNX export is kept.",
    )
    embed_batch_size: int = Field(16, ge=1, le=1024)
    chunk_tokens: int = Field(
        200, ge=32, le=250, description="Passage size in MiniLM word pieces (the model reads 256)."
    )
    chunk_overlap_tokens: int = Field(24, ge=0, le=128)
    embed_sentences: bool = Field(
        True,
        description="Embed the answerer's candidate sentences at refresh time (answers "
        "~100 ms faster on a float32 CPU).",
    )
    sentence_vectors: SentenceVectorMode = Field(
        "pooled",
        description="How the refresh gets the answer sentences' vectors: `pooled` from "
        "their passage's forward pass (no second pass; the answerer embeds its few "
        "finalists alone, docs/SCALING.md), or each sentence `separate`ly encoded (a "
        "second pass, ~1.7x the refresh's time). Each mode has its own keys in the "
        "table; the next refresh after a change fills it again.",
    )
    index_batch_articles: int = Field(
        64, ge=1, description="Articles written per indexing step (a crash loses at most one)."
    )

    @field_validator("sources_file", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # An empty NEWSDESK_SOURCES would otherwise mean the current folder.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("chroma_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith(("http://", "https://")):
            raise ValueError(
                f"NEWSDESK_CHROMA_URL must look like http://127.0.0.1:8000, got {value!r}"
            )
        return value

    @model_validator(mode="after")
    def _check_runtime(self) -> StoreSettings:
        if self.embedding_runtime == "onnx" and self.embedding_precision == "bfloat16":
            raise ValueError(
                "NEWSDESK_EMBEDDING_RUNTIME=onnx embeds at float32: set "
                "NEWSDESK_EMBEDDING_PRECISION to auto or float32, or the runtime to torch"
            )
        return self

    @property
    def sources_path(self) -> Path:
        """The sources file: `NEWSDESK_SOURCES`, else `sources.toml` beside the articles folder."""
        if self.sources_file is not None:
            return self.sources_file
        # abspath, so that an articles folder given as "." still has a parent to sit in.
        return Path(os.path.abspath(self.articles_dir)).parent / "sources.toml"

    @property
    def chroma_dir(self) -> Path:
        """Where the embedded Chroma store lives."""
        return self.data_dir / "chroma"

    @property
    def record_db(self) -> Path:
        """The SQLite file of LangChain's record manager."""
        return self.data_dir / "records.sqlite"

    @property
    def manifest_db(self) -> Path:
        """The SQLite file of indexed articles' fingerprints (see `vectorstore.manifest`)."""
        return self.data_dir / "articles.sqlite"

    @property
    def sentence_db(self) -> Path:
        """The SQLite file of the answerer's sentence vectors (see `vectorstore.sentence_vectors`)."""
        return self.data_dir / "sentences.sqlite"

    @property
    def lexical_db(self) -> Path:
        """The SQLite FTS5 file of the BM25 index."""
        return self.data_dir / "lexical.sqlite"


class FetchSettings(BaseSettings):
    """How politely and how far feeds and pages are fetched.

    Each field reads `NEWSDESK_FETCH_` and its name upper-cased (for example
    `NEWSDESK_FETCH_DELAY`).

    Example:
        >>> FetchSettings(delay=2.0, contact="desk@example.org").user_agent
        'Newsdesk/0.1 (+https://github.com/newsdesk; news QA; desk@example.org)'
    """

    model_config = SettingsConfigDict(env_prefix="NEWSDESK_FETCH_", extra="ignore", frozen=True)

    contact: str = Field(
        "",
        description="An email address or URL added to the User-Agent, so a site can reach "
        "whoever runs this Newsdesk.",
    )
    timeout: float = Field(10.0, gt=0, description="Seconds to wait for a response, or a body.")
    delay: float = Field(
        1.0, ge=0, description="Seconds between two requests to one host (or its Crawl-delay)."
    )
    max_redirects: int = Field(5, ge=0, description="Redirects followed for one URL.")
    max_bytes: int = Field(10 * 1024 * 1024, ge=1, description="The largest response read.")
    retries: int = Field(3, ge=0, description="Retries after a timeout, a 429 or a 5xx.")
    backoff: float = Field(0.5, ge=0, description="Seconds before the first retry, then doubled.")
    max_retry_after: float = Field(
        60.0, ge=0, description="A longer Retry-After (or Crawl-delay) gives up on the URL."
    )
    allow_private: bool = Field(
        False,
        description="Fetch from any loopback and private (intranet) address, not only "
        "from the hosts the sources file names.",
    )
    allow_link_local: bool = Field(
        False,
        description="Fetch from link-local and cloud metadata addresses too (169.254.169.254).",
    )

    @field_validator("contact")
    @classmethod
    def _check_contact(cls, value: str) -> str:
        value = value.strip()
        if any(not (" " <= c <= "~") or c in "()" for c in value):
            raise ValueError(
                "NEWSDESK_FETCH_CONTACT is one line of printable ASCII without parentheses, "
                f"such as desk@example.org; got {value!r}"
            )
        return value

    @property
    def user_agent(self) -> str:
        """The one User-Agent sent: Newsdesk's, with the contact when set."""
        if not self.contact:
            return DEFAULT_USER_AGENT
        return DEFAULT_USER_AGENT.removesuffix(")") + f"; {self.contact})"

    @property
    def robots_token(self) -> str:
        """The product token robots.txt rules are matched against ("Newsdesk")."""
        return self.user_agent.split("/", 1)[0].strip()
