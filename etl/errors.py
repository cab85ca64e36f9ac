"""The loader's one refusal: the whole file is refused and nothing was written."""


class FileRefused(Exception):
    """The whole file was refused (not a table, a required column missing, …); nothing was written."""
