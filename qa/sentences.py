"""Moved: sentence splitting is `vectorstore.sentences`, word matching `qa.words`."""

from vectorstore.sentences import split_sentences as split_sentences
