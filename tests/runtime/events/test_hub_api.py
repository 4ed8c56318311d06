from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from runtime.audit.models import AuditRecord
from runtime.auth.roles import Role
from runtime.events.apis import HUB_APIS
from runtime.tmf.contract import assert_conforms
from tests.runtime.events.support import HUB, register
from tests.runtime.support import Api

CALLBACK = "https://listener.example.net/tmf"


def assert_tmf_error(response: Any, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert_conforms("TMF622", "Error", body)
    assert body["status"] == str(status)
    if code is not None:
        assert body["code"] == code


async def test_every_api_has_a_hub_that_registers_and_unregisters(api: Api) -> None:
    for name, hub in HUB_APIS.items():
        response = await api.client.post(
            hub.hub_path, json={"callback": CALLBACK, "query": ""}, headers=api.auth(Role.product_manager)
        )
        assert response.status_code == 201, (name, response.text)
        created = response.json()
        assert_conforms(hub.tmf, "EventSubscription", created)
        assert (created["callback"], created["query"]) == (CALLBACK, "")
        assert created["secret"].startswith("sbe_")
        removed = await api.client.delete(
            f"{hub.hub_path}/{created['id']}", headers=api.auth(Role.product_manager)
        )
        assert removed.status_code == 204, (name, removed.text)


async def test_the_query_is_kept_and_a_trailing_slash_dropped_from_the_callback(api: Api) -> None:
    created = await register(api, CALLBACK + "/", "eventType=ProductOrderStateChangeEvent")
    assert created["callback"] == CALLBACK
    assert created["query"] == "eventType=ProductOrderStateChangeEvent"


async def test_a_missing_query_is_an_empty_one(api: Api) -> None:
    response = await api.client.post(HUB, json={"callback": CALLBACK}, headers=api.auth(Role.channel))
    assert response.status_code == 201 and response.json()["query"] == ""


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        (Role.oss, HUB, 403),
        (Role.oss, "/tmf-api/serviceOrdering/v4/hub", 201),
        (Role.channel, "/tmf-api/serviceOrdering/v4/hub", 201),
        (Role.admin, HUB, 201),
    ],
)
async def test_who_may_register(api: Api, role: Role, path: str, status: int) -> None:
    response = await api.client.post(path, json={"callback": CALLBACK}, headers=api.auth(role))
    assert response.status_code == status, response.text
    if status == 403:
        assert_tmf_error(response, 403, "FORBIDDEN")


async def test_registering_needs_credentials(api: Api) -> None:
    assert_tmf_error(await api.client.post(HUB, json={"callback": CALLBACK}), 401)


@pytest.mark.parametrize(
    "callback",
    [
        "ftp://listener.example.net/tmf",
        "listener.example.net/tmf",
        "/relative/path",
        "https://",
        "https://user:password@listener.example.net/tmf",
        "https://listener.example.net/tmf?token=abc",
        "https://listener.example.net/tmf#part",
        "https://listener.example.net:99999/tmf",
        "https://listener.example.net/t m f",
        "https://listener.example.net/" + "x" * 2000,
        "",
    ],
)
async def test_a_callback_that_is_not_a_plain_http_url_is_refused(api: Api, callback: str) -> None:
    response = await api.client.post(HUB, json={"callback": callback}, headers=api.auth(Role.channel))
    assert_tmf_error(response, 400, "INVALID_CALLBACK")


@pytest.mark.parametrize("body", [{}, {"callback": 42}, {"query": "x"}, ["callback"], {"callback": None}])
async def test_a_body_that_is_not_an_event_subscription_input_is_refused(api: Api, body: Any) -> None:
    response = await api.client.post(HUB, json=body, headers=api.auth(Role.channel))
    assert_tmf_error(response, 400)


async def test_a_query_naming_an_event_the_api_does_not_publish_is_refused(api: Api) -> None:
    response = await api.client.post(
        HUB,
        json={"callback": CALLBACK, "query": "eventType=ServiceOrderStateChangeEvent"},
        headers=api.auth(Role.channel),
    )
    assert_tmf_error(response, 400, "INVALID_QUERY")
    assert "ProductOrderStateChangeEvent" in response.json()["message"]


async def test_only_the_registering_key_or_an_admin_may_unregister(api: Api) -> None:
    created = await register(api, CALLBACK, role=Role.channel)
    path = f"{HUB}/{created['id']}"
    assert_tmf_error(await api.client.delete(path, headers=api.auth(Role.product_manager)), 403, "FORBIDDEN")
    assert (await api.client.delete(path, headers=api.auth(Role.admin))).status_code == 204
    again = await register(api, CALLBACK, role=Role.channel)
    assert (
        await api.client.delete(f"{HUB}/{again['id']}", headers=api.auth(Role.channel))
    ).status_code == 204


async def test_unknown_removed_or_other_api_subscriptions_are_not_found(api: Api) -> None:
    assert_tmf_error(
        await api.client.delete(f"{HUB}/no-such-id", headers=api.auth(Role.admin)), 404, "NOT_FOUND"
    )
    created = await register(api, CALLBACK)
    other_api = f"/tmf-api/productInventory/v4/hub/{created['id']}"
    assert_tmf_error(await api.client.delete(other_api, headers=api.auth(Role.channel)), 404)
    assert (
        await api.client.delete(f"{HUB}/{created['id']}", headers=api.auth(Role.channel))
    ).status_code == 204
    assert_tmf_error(await api.client.delete(f"{HUB}/{created['id']}", headers=api.auth(Role.channel)), 404)


async def test_registering_and_unregistering_are_audited_without_the_secret(api: Api) -> None:
    created = await register(api, CALLBACK, "state=completed")
    await api.client.delete(f"{HUB}/{created['id']}", headers=api.auth(Role.channel))
    async with api.database.sessions() as session:
        rows = (
            await session.scalars(
                select(AuditRecord)
                .where(AuditRecord.entity_type == "EventSubscription")
                .order_by(AuditRecord.id)
            )
        ).all()
    assert [(r.action, r.entity_id, r.actor_role) for r in rows] == [
        ("subscribe", created["id"], "channel"),
        ("unsubscribe", created["id"], "channel"),
    ]
    assert rows[0].after["callback"] == CALLBACK and rows[0].after["query"] == "state=completed"
    assert rows[1].before["id"] == created["id"] and rows[1].after is None
    assert created["secret"] not in json.dumps([r.before for r in rows] + [r.after for r in rows])
