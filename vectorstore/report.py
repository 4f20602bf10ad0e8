"""What a refresh did, as a typed result."""

from __future__ import annotations

from pydantic import BaseModel, Field


class FailedFile(BaseModel):
    """A file (or feed line) that was skipped, and why."""

    path: str
    reason: str


class RefreshReport(BaseModel):
    """Counts of a refresh. `added`/`updated`/`skipped`/`deleted` count articles.

    Example:
        >>> RefreshReport(added=1).summary()
        '1 added, 0 updated, 0 skipped (unchanged), 0 deleted; 0 chunks embedded, 0 removed'
    """

    added: int = 0
    updated: int = 0
    skipped: int = 0
    deleted: int = 0
    duplicates: int = Field(
        0, description="Articles left out because their URL or body repeats another's."
    )
    chunks_added: int = 0
    chunks_deleted: int = 0
    chunks_total: int = 0
    sentences_embedded: int = Field(
        0, description="Answer sentences given a vector ahead for the answerer (new passages')."
    )
    sentences_pooled: int = Field(
        0, description="Of those, the vectors pooled from their passage's forward pass."
    )
    passages_recleaned: int = Field(
        0,
        description="Passages indexed before the current cleaning rules, flagged in place "
        "(metadata only: nothing embedded).",
    )
    failed: list[FailedFile] = Field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0
    model_seconds: float = Field(
        0.0, description="Of `seconds`, those in the embedding model's calls (not its loading)."
    )

    @property
    def changed(self) -> bool:
        """Whether the store was (or, in a dry run, would be) changed."""
        return bool(self.added or self.updated or self.deleted or self.passages_recleaned)

    def summary(self) -> str:
        """One line for people."""
        text = (
            f"{self.added} added, {self.updated} updated, {self.skipped} skipped (unchanged), "
            f"{self.deleted} deleted; {self.chunks_added} chunks embedded, "
            f"{self.chunks_deleted} removed"
        )
        if self.passages_recleaned:
            text += f"; {self.passages_recleaned} passages re-flagged for the cleaning rules"
        if self.sentences_embedded:
            text += f"; {self.sentences_embedded} answer sentences embedded"
        if self.duplicates:
            text += f"; {self.duplicates} duplicates left out"
        if self.failed:
            text += f"; {len(self.failed)} unreadable, skipped"
        return text + (" (dry run: nothing written)" if self.dry_run else "")
