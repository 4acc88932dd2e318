"""What every server the tests start has in common: `with Server(...) as server:`."""
from __future__ import annotations

from types import TracebackType
from typing import Self


class Service:
    """A server with start() and stop(); `with` starts it and always stops it."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
