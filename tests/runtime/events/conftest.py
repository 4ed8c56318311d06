"""Delivery tests drive their own dispatcher with tiny backoffs; the app's background one stays off."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from runtime.config import Settings
from runtime.events.dispatcher import Dispatcher
from tests.runtime.events.listener import Listener
from tests.runtime.events.support import FAST
from tests.runtime.support import Api


@pytest.fixture(autouse=True)
def no_background_dispatch(monkeypatch: pytest.MonkeyPatch) -> None:
    # Autouse runs before the `api` and `services` fixtures build their Services from the environment.
    monkeypatch.setenv("SWITCHBOARD_EVENT_DISPATCH", "0")


@pytest.fixture
def listeners() -> Iterator[Callable[..., Listener]]:
    started: list[Listener] = []

    def start(**options: Any) -> Listener:
        started.append(Listener(**options))
        return started[-1]

    yield start
    for listener in started:
        listener.close()


@pytest.fixture
async def dispatcher(api: Api, settings: Settings) -> AsyncIterator[Dispatcher]:
    built = Dispatcher(api.database, settings.signing_secret, FAST)
    yield built
    await built.stop()
