"""`switchboard listen`: register a hub listener on one or more APIs and print each event it receives.

What a channel developer wants first when building against the hubs: see the events an order produces,
with their signatures checked, without writing a listener. It serves on 127.0.0.1, registers one TMF hub
subscription per API (so each has its own signing secret), prints one line per event (or the whole body
with --json), and removes the subscriptions on exit.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

import httpx
import uvicorn

from runtime.events.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify

DEFAULT_APIS = ("productOrderingManagement", "productInventory")


@dataclass
class Listener:
    """The ASGI app that receives callbacks; `secrets` maps the path prefix of each subscription."""

    out: TextIO
    as_json: bool = False
    secrets: dict[str, str] = field(default_factory=dict)  # api name -> subscription secret
    seen: set[str] = field(default_factory=set)
    on_event: Callable[[str, dict[str, Any]], None] | None = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        status = self.handle(scope["path"], dict(_headers(scope)), body)
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> int:
        # Paths are /<api>/listener/<eventType>: the api segment says which subscription's secret signs it.
        api = path.strip("/").split("/", 1)[0]
        secret = self.secrets.get(api)
        if secret is None:
            return 404
        timestamp = headers.get(TIMESTAMP_HEADER.lower())
        if not verify(secret, timestamp, body, headers.get(SIGNATURE_HEADER.lower())):
            print(f"! refused a callback on {path}: bad or missing signature", file=self.out, flush=True)
            return 401
        event = json.loads(body)
        if event.get("eventId") in self.seen:
            return 204  # at-least-once delivery: a redelivered event is acknowledged, not shown twice
        self.seen.add(event.get("eventId", ""))
        print(self.render(api, event), file=self.out, flush=True)
        if self.on_event is not None:
            self.on_event(api, event)
        return 204

    def render(self, api: str, event: dict[str, Any]) -> str:
        if self.as_json:
            return json.dumps(event, sort_keys=True)
        resource: dict[str, Any] = next(iter(event.get("event", {}).values()), {})
        state = resource.get("state") or resource.get("status") or ""
        return f"{event.get('eventTime', '')} {api} {event.get('eventType')} {resource.get('id', '')} {state}"


def _headers(scope: dict[str, Any]) -> list[tuple[str, str]]:
    return [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope.get("headers", [])]


async def _subscribe(client: httpx.AsyncClient, api: str, callback: str, query: str) -> tuple[str, str]:
    response = await client.post(f"/tmf-api/{api}/v4/hub", json={"callback": callback, "query": query})
    if response.status_code != 201:
        raise SystemExit(f"switchboard listen: {api} hub refused the listener: {response.text}")
    body = response.json()
    return body["id"], body["secret"]


async def _listen(args: argparse.Namespace, key: str) -> int:
    listener = Listener(out=sys.stdout, as_json=args.json)
    server = uvicorn.Server(
        uvicorn.Config(listener, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)
    )
    serving = asyncio.create_task(server.serve())
    headers = {"Authorization": f"Bearer {key}"}
    subscriptions: list[tuple[str, str]] = []
    async with httpx.AsyncClient(base_url=args.api_url, headers=headers, timeout=10) as client:
        try:
            for api in args.api or DEFAULT_APIS:
                callback = f"http://127.0.0.1:{args.port}/{api}"
                subscription_id, secret = await _subscribe(client, api, callback, args.query)
                listener.secrets[api] = secret
                subscriptions.append((api, subscription_id))
                print(f"listening to {api} events (subscription {subscription_id})", flush=True)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            await stop.wait()
        finally:
            for api, subscription_id in subscriptions:
                await client.delete(f"/tmf-api/{api}/v4/hub/{subscription_id}")
            server.should_exit = True
            await serving
    return 0


def run_listen(args: argparse.Namespace) -> int:
    key = os.environ.get("SWITCHBOARD_API_KEY") or os.environ.get("SB_CHANNEL_KEY")
    if not key:
        print("switchboard listen: set SWITCHBOARD_API_KEY (or source data/api-keys.env)", file=sys.stderr)
        return 2
    return asyncio.run(_listen(args, key))


def register(commands: Any) -> None:
    listen = commands.add_parser("listen", help="print the hub events of an API as they happen")
    listen.add_argument("--api-url", default="http://127.0.0.1:8080")
    listen.add_argument("--port", type=int, default=9000, help="where the listener serves (127.0.0.1)")
    listen.add_argument("--api", action="append", help=f"API to follow (repeatable); default {DEFAULT_APIS}")
    listen.add_argument(
        "--query", default="", help="a hub query, e.g. eventType=ProductOrderStateChangeEvent"
    )
    listen.add_argument("--json", action="store_true", help="print each event's whole body")
    listen.set_defaults(handler=run_listen)
