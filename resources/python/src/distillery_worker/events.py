"""JSON-lines event stream on the real stdout; everything else goes to stderr.

:func:`capture_stdout` duplicates file descriptor 1 for events and points fd 1 (and
``sys.stdout``) at stderr, so that prints from libraries (Trainer's printer, C extensions)
can never corrupt the stream.
"""

from __future__ import annotations

import json
import math
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, Any

Emitter = Callable[[dict[str, Any]], None]

_lock = threading.Lock()


def _clean(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


class EventWriter:
    """Writes one JSON object per line to ``stream`` (flushes every line)."""

    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.events: list[dict[str, Any]] = []

    def __call__(self, event: dict[str, Any]) -> None:
        event = _clean(dict(event))
        event.setdefault("time", round(time.time(), 3))
        line = json.dumps(event, ensure_ascii=False)
        with _lock:
            self.events.append(event)
            self.stream.write(line + "\n")
            self.stream.flush()


def capture_stdout() -> EventWriter:
    """Reserve the process's stdout for events; route fd 1 and ``sys.stdout`` to stderr."""
    sys.stdout.flush()
    events_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    stream = os.fdopen(events_fd, "w", buffering=1, encoding="utf-8")
    return EventWriter(stream)


def run_command(what: str, work: Callable[[Emitter], object]) -> int:
    """The frame of an export-like worker command: models stay local (no Hub), stdout carries only events, and any
    failure ends as one ``error`` event (its sentence names ``what``, e.g. "The ONNX export") and exit code 1."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    emit = capture_stdout()
    try:
        work(emit)
        return 0
    except Exception as e:  # noqa: BLE001
        import traceback

        from distillery_worker.errors import classify_error

        traceback.print_exc()
        err = classify_error(e, what=what)
        emit({"event": "error", "cause": err.cause, "message": err.message})
        return 1


class ListEmitter:
    """Collects events in memory (tests, in-process runs)."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def __call__(self, event: dict[str, Any]) -> None:
        self.events.append(_clean(dict(event)))

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e.get("event") == kind]
