"""Reading a file the user named, without hanging on a FIFO or filling memory from /dev/zero."""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_BYTES = 10 * 1024 * 1024  # far above any home, intent or state file

_KINDS = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}


class NotAFileError(OSError):
    """The path is something other than a regular file; the message says what ("a FIFO")."""


class TooLargeError(OSError):
    """The file is larger than the reader's limit; the message says the limit."""


def read_bytes(path: Path | str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file at `path`: NotAFileError for a directory, FIFO or device
    (opened without blocking, never read), TooLargeError past `limit`; OSError as open() raises it."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFileError(_KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file"))
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise TooLargeError(f"more than {limit // (1024 * 1024)} MB")
        return b"".join(chunks)
    finally:
        os.close(fd)
