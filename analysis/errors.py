"""The project's own error types: a user mistake is one clear line, never a traceback."""


class DatelineError(Exception):
    """Base of every error Dateline raises on purpose."""

    exit_code = 1


class UsageError(DatelineError):
    """Bad command-line usage or parameters (exit code 2)."""

    exit_code = 2


class InputError(DatelineError):
    """Input that cannot be read at all (exit code 2 under --strict)."""

    exit_code = 2
