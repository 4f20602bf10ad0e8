"""Errors of the question side."""

from vectorstore.errors import NewsdeskError


class InvalidQuestionError(NewsdeskError, ValueError):
    """The question is empty or too long; the message says what to do."""


class InvalidFiltersError(NewsdeskError, ValueError):
    """A filter a reader typed is not a day, or the days are in the wrong order."""


class EmptyStoreError(NewsdeskError):
    """Nothing is indexed yet; the message names the refresh command."""
