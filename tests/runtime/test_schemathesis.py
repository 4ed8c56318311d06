"""Schemathesis fuzzes the app's own OpenAPI document: no server error, no answer that breaks the document.

The app runs in process with the sample catalog published (2026.1 and 2026.2, clock in August 2026) and the
sample customers seeded, on SQLite and on PostgreSQL (the `database_url` fixture). Every operation of the
document is fuzzed, none excluded: as admin (every operation reachable) with generated valid data and with
generated invalid data (wrong types, missing or unknown fields, bad parameters), and as channel (most writes
answer 403, which must be a declared TMF Error too). Findings are collected over all operations and the
test fails listing every one. Derandomized and bounded, so CI sees the same examples on every run.

`/oauth/token` takes a form body; it is fuzzed like the others (its answers are 200 or a TMF Error 401/400).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.python.asgi import get_client, shutdown_lifespans
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from engine.spec.loader import read_folder
from runtime.api.app import create_app
from runtime.api.routes import ROUTES
from runtime.auth.keys import create_key
from runtime.auth.roles import Principal, Role
from runtime.bootstrap import build_services
from runtime.catalog.service import CatalogService
from runtime.config import Settings
from runtime.customers.sample import seed_sample_customers
from runtime.db.session import Database
from runtime.events.dispatcher import Dispatcher
from runtime.events.policy import DeliveryPolicy
from tests.runtime.catalog.test_tmf620_support import AUGUST_2026, SAMPLE_CATALOG

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
# (role, generation mode, examples per operation): the budget keeps both databases under ~3 minutes.
PASSES = [
    (Role.admin, GenerationMode.POSITIVE, 25),
    (Role.admin, GenerationMode.NEGATIVE, 25),
    (Role.channel, GenerationMode.POSITIVE, 10),
]


@dataclass
class Tally:
    operations: int = 0
    examples: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    findings: list[str] = field(default_factory=list)


async def _seed(url: str) -> dict[Role, str]:
    database = Database(url)
    store = CatalogService()
    actor = Principal("fixture", "fixture", Role.admin)
    try:
        async with database.unit_of_work() as session:
            keys = {role: (await create_key(session, f"fuzz {role}", role)).secret for role in Role}
            await seed_sample_customers(session)
        for release_id in ("2026.1", "2026.2"):
            documents, unreadable = read_folder(SAMPLE_CATALOG / release_id)
            assert not unreadable
            async with database.unit_of_work() as session:
                await store.publish(session, actor, documents, origin=release_id)
        return keys
    finally:
        store.close()
        await database.dispose()


@pytest.fixture
def seeded_app(settings: Settings) -> Iterator[tuple[Litestar, dict[Role, str]]]:
    services = build_services(settings)
    # Fuzzed hub registrations must not make the app call out to generated callback URLs.
    services.dispatcher = Dispatcher(
        services.database, settings.signing_secret, DeliveryPolicy(dispatch=False)
    )
    services.catalog.clock = lambda: AUGUST_2026
    keys = asyncio.run(_seed(settings.database_url))
    app = create_app(services, ROUTES)
    try:
        yield app, keys
    finally:
        # Schemathesis keeps an app's lifespan running for the process; stop it (services.stop) here.
        shutdown_lifespans()


def _known_ids(
    app: Litestar, operations: list[Any], headers: dict[str, str]
) -> dict[str, tuple[str, list[str]]]:
    """Real ids for item paths (`.../{id}` under a list path), so fuzzing reaches past the 404."""
    known: dict[str, tuple[str, list[str]]] = {}
    with get_client(app) as client:
        for operation in operations:
            parent, _, last = operation.path.rpartition("/")
            if not (last.startswith("{") and last.endswith("}")) or "{" in parent:
                continue
            response = client.get(parent, headers=headers, params={"limit": "4"})
            items = response.json() if response.status_code == 200 else []
            ids = [item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]
            if ids:
                known[operation.path] = (last[1:-1], ids)
    return known


def _strategy(operation: Any, mode: GenerationMode, known: dict[str, tuple[str, list[str]]]) -> Any:
    generated = operation.as_strategy(generation_mode=mode)
    if operation.path not in known:
        return generated
    name, ids = known[operation.path]
    real = st.sampled_from(ids).flatmap(
        lambda value: operation.as_strategy(generation_mode=mode, path_parameters={name: value})
    )
    return st.one_of(generated, real)


def _fuzz(strategy: Any, examples: int, headers: dict[str, str], tally: Tally) -> None:
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # findings are collected, not raised: nothing to shrink
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        tally.examples += 1
        response = case.call(headers=headers)
        tally.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (FailureGroup, AssertionError) as failure:  # a group of every failed check
            request = response.request
            tally.findings.append(
                f"{request.method} {request.url} -> {response.status_code}\n"
                f"  body sent: {request.body!r:.300}\n  answer: {response.text[:300]}\n  {failure}"
            )

    run()


def test_the_openapi_document_holds_under_fuzzing(seeded_app: tuple[Litestar, dict[Role, str]]) -> None:
    app, keys = seeded_app
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
    # Deletions last, so the other operations still find the sample resources.
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()), key=lambda o: o.method == "delete"
    )
    known = _known_ids(app, operations, {"Authorization": f"Bearer {keys[Role.admin]}"})
    assert len(known) >= 10, f"too few item paths with real ids: {sorted(known)}"
    assert len(operations) > 70, "the document lost operations"
    tally = Tally(operations=len(operations))
    started = time.perf_counter()
    for role, mode, examples in PASSES:
        headers = {"Authorization": f"Bearer {keys[role]}"}
        for operation in operations:
            _fuzz(_strategy(operation, mode, known), examples, headers, tally)
    elapsed = time.perf_counter() - started
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(tally.statuses.items()))
    print(f"fuzzed {tally.operations} operations, {tally.examples} examples in {elapsed:.1f} s ({statuses})")
    assert tally.examples >= tally.operations * 20, "schemathesis generated too few examples"
    assert not tally.findings, f"{len(tally.findings)} findings:\n" + "\n".join(tally.findings[:40])
