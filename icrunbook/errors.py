"""Errors that stop a command: shown as one line on stderr, exit code 2, never a traceback."""


class IcrunError(Exception):
    """The command could not do its job (bad usage, bad config, unreadable file, ...).

    The message is complete on its own: what went wrong, where, and how to fix it.
    """
