"""A file written whole or not at all: what the charts, the report and the derived-data cache share."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator


@contextmanager
def replaced_atomically(path: str | Path) -> Iterator[BinaryIO]:
    """Yield a binary file to write `path`'s new content to; on leaving the block it takes
    `path`'s place in one rename, readable by every user (0644), so a reader sees the old file
    or the whole new one. Should the block fail, the file is deleted and `path` left alone.

    The file is a hidden temporary one beside `path` (its folder is made if need be), named
    apart for each writer, so two processes writing the same path do not mix their bytes.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.chmod(temporary, 0o644)  # mkstemp makes its file 0600
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
