"""`switchboard apikey create | revoke`: API keys per role. The secret is printed once and stored hashed."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from runtime.auth.keys import create_key, revoke_key
from runtime.auth.roles import Role
from runtime.bootstrap import build_services
from runtime.config import Settings


def register(commands: Any) -> None:
    apikey = commands.add_parser("apikey", help="create or revoke API keys")
    sub = apikey.add_subparsers(dest="apikey_command", required=True, metavar="ACTION")
    create = sub.add_parser("create", help="create a key for a role and print its secret once")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--name", required=True, help="who or what uses it, e.g. 'web shop'")
    create.set_defaults(handler=run_create)
    revoke = sub.add_parser("revoke", help="revoke a key by its id (the part after sbk_ and before _)")
    revoke.add_argument("key_id")
    revoke.set_defaults(handler=run_revoke)


def run_create(args: argparse.Namespace) -> int:
    async def main() -> str:
        services = build_services(Settings.from_env())
        await services.database.migrate()
        try:
            async with services.database.unit_of_work() as session:
                return (await create_key(session, args.name, Role(args.role))).secret
        finally:
            await services.database.dispose()

    print(asyncio.run(main()))
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    async def main() -> bool:
        services = build_services(Settings.from_env())
        await services.database.migrate()
        try:
            async with services.database.unit_of_work() as session:
                return await revoke_key(session, args.key_id)
        finally:
            await services.database.dispose()

    if asyncio.run(main()):
        print(f"revoked {args.key_id}")
        return 0
    print(f"no active key {args.key_id}")
    return 1
