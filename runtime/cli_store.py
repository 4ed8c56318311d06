"""`switchboard catalog publish | export | releases`: the catalog store from the command line.

They run against the database of the environment (`Settings.from_env()`: SWITCHBOARD_DATABASE_URL, or
SQLite under SWITCHBOARD_DATA_DIR), migrated first. Writes are audited as the operator at the keyboard:
a principal `cli` named after the OS user, with the admin role the shell already has over the database.
A refused release prints each error as `file:line:col: path: message [CODE]` and exits 1.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from engine.spec.loader import read_folder
from engine.spec.parse_common import to_datetime
from runtime.api.errors import ApiError
from runtime.auth.roles import Principal, Role
from runtime.bootstrap import Services, build_services
from runtime.catalog.export import write_release
from runtime.catalog.publishing import ReleaseRefused
from runtime.config import Settings


def register(sub: Any) -> None:
    publish = sub.add_parser("publish", help="validate a release folder and store it as an immutable release")
    publish.add_argument("path", type=Path, metavar="PATH")
    publish.add_argument(
        "--effective-date",
        type=_moment,
        metavar="ISO",
        help="when the release takes effect (default: the manifest's effectiveDate), e.g. 2026-07-01T00:00:00Z",
    )
    publish.set_defaults(handler=run_publish)

    export = sub.add_parser("export", help="write a stored release back as spec files (canonical JSON)")
    export.add_argument("release", metavar="RELEASE")
    export.add_argument("directory", type=Path, metavar="DIR", help="an empty or new folder")
    export.set_defaults(handler=run_export)

    releases = sub.add_parser("releases", help="list stored releases: effective dates and content hashes")
    releases.set_defaults(handler=run_releases)


def _moment(text: str) -> datetime:
    try:
        return to_datetime(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def operator() -> Principal:
    return Principal("cli", f"cli:{getpass.getuser()}", Role.admin)


def _run(work: Callable[[Services], Awaitable[int]]) -> int:
    async def main() -> int:
        services = build_services(Settings.from_env())
        await services.start()
        try:
            return await work(services)
        except ReleaseRefused as refused:
            for error in refused.report:
                print(error, file=sys.stderr)
            count = len(refused.report.errors)
            print(f"refused: {count} error{'s' if count != 1 else ''}; nothing was stored", file=sys.stderr)
            return 1
        except ApiError as error:
            print(f"switchboard: {error.code}: {error.message}", file=sys.stderr)
            return 1
        finally:
            await services.stop()

    return asyncio.run(main())


def run_publish(args: argparse.Namespace) -> int:
    async def publish(services: Services) -> int:
        sources, unreadable = read_folder(args.path)
        if unreadable:
            for error in unreadable:
                print(error, file=sys.stderr)
            return 1
        async with services.database.unit_of_work() as session:
            info = await services.catalog.publish(
                session, operator(), sources, origin=str(args.path), effective_date=args.effective_date
            )
        print(
            f"published release {info.id}: {info.entityCount} entity versions, contentHash {info.contentHash}"
        )
        print(f"effective {info.effectiveDate.isoformat()}")
        return 0

    return _run(publish)


def run_export(args: argparse.Namespace) -> int:
    async def export(services: Services) -> int:
        async with services.database.sessions() as session:
            files = await services.catalog.export(session, args.release)
        write_release(files, args.directory)
        print(f"wrote {len(files)} files of release {args.release} to {args.directory}")
        return 0

    return _run(export)


def run_releases(args: argparse.Namespace) -> int:
    async def releases(services: Services) -> int:
        async with services.database.sessions() as session:
            infos = await services.catalog.releases(session)
            statuses = await services.catalog.statuses(session)
        for info in infos:
            print(
                f"{info.id}\t{info.effectiveDate.isoformat()}\t{info.contentHash}\t{statuses[info.id]}\t"
                f"{info.entityCount} entity versions\t{info.name}"
            )
        if not infos:
            print("no releases", file=sys.stderr)
        return 0

    return _run(releases)
