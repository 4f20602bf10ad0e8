"""Writing a file so that a reader sees the old text or the new one, never half of one."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_text_atomically(path: Path, text: str, mode: int = 0o644) -> None:
    """Write `text` (UTF-8, `\\n` line ends) to `path` through a temporary file in the
    same folder, synced to disk, then renamed over `path`; the temporary file is removed
    if anything fails.

    Example:
        >>> write_text_atomically(Path("/tmp/newsdesk-example.txt"), "hello")
    """
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
