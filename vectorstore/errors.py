"""The few errors Newsdesk raises; the CLIs and the app turn them into messages."""


class NewsdeskError(Exception):
    """Base class of every Newsdesk error."""


class ModelError(NewsdeskError):
    """The packaged embedding model is missing or altered."""


class StoreBusyError(NewsdeskError):
    """Another process is refreshing the same store."""


class ArticleError(NewsdeskError):
    """An article file cannot be read; it is skipped and reported."""


class SourcesError(NewsdeskError):
    """The sources file cannot be read, or a source in it is not valid."""
