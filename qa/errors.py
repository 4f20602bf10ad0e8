"""Errors of the question side."""

from vectorstore.errors import NewsdeskError


class InvalidQuestionError(NewsdeskError, ValueError):
    """The question is empty or too long; the message says what to do."""


class EmptyStoreError(NewsdeskError):
    """Nothing is indexed yet; the message names the refresh command."""
