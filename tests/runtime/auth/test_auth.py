from __future__ import annotations

from runtime.auth.keys import revoke_key
from runtime.auth.roles import Role
from tests.runtime.support import Api


def _key_id(secret: str) -> str:
    return secret.split("_")[1]


async def test_a_request_without_credentials_is_refused_with_a_tmf_error(api: Api) -> None:
    response = await api.client.get("/health")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "UNAUTHORIZED" and body["status"] == "401" and body["reason"]
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_an_unknown_key_is_refused(api: Api) -> None:
    response = await api.client.get("/health", headers={"Authorization": "Bearer sbk_nothere_xyz"})
    assert response.status_code == 401


async def test_each_role_key_authenticates_as_its_role(api: Api) -> None:
    for role in Role:
        response = await api.client.get("/health", headers=api.auth(role))
        assert response.status_code == 200
        assert response.json()["role"] == role.value


async def test_the_x_api_key_header_works_too(api: Api) -> None:
    response = await api.client.get("/health", headers={"X-API-Key": api.keys[Role.channel]})
    assert response.status_code == 200


async def test_client_credentials_give_a_bearer_token_that_authenticates(api: Api) -> None:
    secret = api.keys[Role.product_manager]
    response = await api.client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": _key_id(secret), "client_secret": secret},
    )
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    health = await api.client.get("/health", headers={"Authorization": f"Bearer {token}"})
    assert health.json()["role"] == "product_manager"


async def test_wrong_client_secret_gets_no_token(api: Api) -> None:
    secret = api.keys[Role.channel]
    response = await api.client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": _key_id(secret),
            "client_secret": secret + "x",
        },
    )
    assert response.status_code == 401
    assert response.json()["code"] == "INVALID_CLIENT"


async def test_a_revoked_key_and_its_tokens_are_refused(api: Api) -> None:
    secret = api.keys[Role.channel]
    token = (
        await api.client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "client_id": _key_id(secret), "client_secret": secret},
        )
    ).json()["access_token"]
    async with api.database.unit_of_work() as session:
        assert await revoke_key(session, _key_id(secret))
    assert (await api.client.get("/health", headers=api.auth(Role.channel))).status_code == 401
    assert (await api.client.get("/health", headers={"Authorization": f"Bearer {token}"})).status_code == 401


async def test_an_unknown_route_is_a_tmf_404(api: Api) -> None:
    response = await api.client.get("/nowhere", headers=api.auth(Role.admin))
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"
