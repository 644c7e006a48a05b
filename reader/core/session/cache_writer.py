"""Writing the archive cache without stalling the interface."""

from __future__ import annotations

import os

from reader.core.articles.sanitize import sanitize_line
from reader.core.session.library import Library
from reader.core.store.cache import ArchiveCache


def save_cache_aside(cache: ArchiveCache, library: Library) -> list[str]:
    """Write the archive cache without stalling the interface.

    Serialising a large library is one long call that holds the interpreter
    (12 s at 100k articles), so where the platform can fork, a child process
    writes it from a copy-on-write snapshot while the app keeps answering
    keys. The library's lock is held across the fork so the snapshot is
    consistent. Returns the one-line warnings.
    """
    if not hasattr(os, "fork"):
        return cache.save(library)
    read_end, write_end = os.pipe()
    with library._lock:
        pid = os.fork()
        if pid == 0:  # the child: write, report, leave without cleanup
            os.close(read_end)
            try:
                message = "\n".join(cache.save(library))
            except BaseException as exc:
                message = f"cache: not written ({exc.__class__.__name__})"
            os.write(write_end, message.encode("utf-8", "replace"))
            os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    text = b"".join(chunks).decode("utf-8", "replace")
    return [sanitize_line(line) for line in text.splitlines() if line.strip()]
