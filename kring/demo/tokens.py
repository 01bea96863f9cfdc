"""Stored link hashes for personal links (date poll, professional invitation), many at a time.

Kring stores only the SHA-256 of a link's token (``kring/lib/tokens.py``), and the demo hands
out no links, so each row gets the hash of a link nobody received: 32 random bytes as 64 hex
characters, indistinguishable from a real hash and matching no token anyone holds. They come
from the system in large blocks (a demo with a hundred thousand participants asks once per
4096), not from the demo's seeded generator: the same seed gives the same people, and still
no link that can be reconstructed.
"""

from __future__ import annotations

import os

_BYTES = 32
_BLOCK = 4096


class Tokens:
    def __init__(self) -> None:
        self._buffer: list[str] = []

    def __next__(self) -> str:
        if not self._buffer:
            block = os.urandom(_BYTES * _BLOCK).hex()
            size = _BYTES * 2
            self._buffer = [block[i : i + size] for i in range(0, len(block), size)]
        return self._buffer.pop()

    def __iter__(self) -> Tokens:
        return self
