"""Secret tokens for personal links (date poll, professional invitation), many at a time.

``secrets.token_urlsafe`` asks the system for a few random bytes per call; a demo with a
hundred thousand participants asks for them in large blocks instead. Each token is 24 random
bytes (192 bits) as 32 URL-safe characters. The tokens are secret, so they do not come from
the demo's seeded generator: the same seed gives the same people with different links.
"""

from __future__ import annotations

import base64
import os

_BYTES = 24  # 32 characters, no padding
_BLOCK = 4096


class Tokens:
    def __init__(self) -> None:
        self._buffer: list[str] = []

    def __next__(self) -> str:
        if not self._buffer:
            text = base64.urlsafe_b64encode(os.urandom(_BYTES * _BLOCK)).decode()
            size = _BYTES * 4 // 3
            self._buffer = [text[i : i + size] for i in range(0, len(text), size)]
        return self._buffer.pop()

    def __iter__(self) -> Tokens:
        return self
