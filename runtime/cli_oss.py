"""`switchboard oss-simulator`: the simulated OSS that takes TMF641 service orders and calls the API back."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

import uvicorn

from runtime.oss_simulator.app import create_app
from runtime.oss_simulator.config import (
    Behaviour,
    InvalidConfig,
    SimulatorConfig,
    behaviour_from_env,
    parse_delay,
)


def register(commands: Any) -> None:
    oss = commands.add_parser(
        "oss-simulator",
        help="serve the simulated OSS (TMF641 service orders, signed callbacks) on 127.0.0.1",
        description="Flags win over the SWITCHBOARD_OSS_* environment variables (see docs/oss-simulator.md). "
        "The API key comes from SWITCHBOARD_OSS_API_KEY or --oss-key-file, never from a flag.",
    )
    oss.add_argument("--host", help="default 127.0.0.1 or SWITCHBOARD_OSS_HOST")
    oss.add_argument("--port", type=int, help="default 8090 or SWITCHBOARD_OSS_PORT")
    oss.add_argument("--callback-url", help="the API's base URL; default http://127.0.0.1:8080")
    oss.add_argument(
        "--oss-key-file",
        type=Path,
        help="a file with a key of role oss, bare or as `switchboard up`'s api-keys.env "
        "(default: SWITCHBOARD_OSS_KEY_FILE, else $SWITCHBOARD_DATA_DIR/api-keys.env)",
    )
    oss.add_argument("--delay", help="seconds before each callback: SECONDS or MIN:MAX (default 0.5:2)")
    oss.add_argument("--failure-rate", type=float, help="0..1: share of service orders that fail")
    oss.add_argument("--duplicate-rate", type=float, help="0..1: share of callbacks sent twice")
    oss.add_argument("--out-of-order-rate", type=float, help="0..1: share with a stale inProgress last")
    oss.add_argument("--no-attribute-events", action="store_true", help="no ServiceOrderAttributeValueChange")
    oss.add_argument("--seed", type=int, help="RNG seed, for a reproducible run")
    oss.add_argument("--down", action="store_true", help="start down: the TMF641 API answers 503")
    oss.set_defaults(handler=run_oss_simulator)


def config_from(args: argparse.Namespace, env: dict[str, str]) -> SimulatorConfig:
    patch: dict[str, Any] = {}
    if args.delay is not None:
        patch["delayMinSeconds"], patch["delayMaxSeconds"] = parse_delay(args.delay)
    for name, value in (
        ("failureRate", args.failure_rate),
        ("duplicateRate", args.duplicate_rate),
        ("outOfOrderRate", args.out_of_order_rate),
    ):
        if value is not None:
            patch[name] = value
    if args.no_attribute_events:
        patch["attributeEvents"] = False
    if args.down:
        patch["down"] = True
    behaviour: Behaviour = behaviour_from_env(env).changed(patch)
    return SimulatorConfig.from_env(
        env,
        host=args.host,
        port=args.port,
        callback_url=args.callback_url,
        api_key_file=args.oss_key_file,
        seed=args.seed,
        behaviour=behaviour,
    )


def _banner(config: SimulatorConfig) -> str:
    behaviour = config.behaviour
    key = "from SWITCHBOARD_OSS_API_KEY" if config.api_key else f"read from {config.api_key_file}"
    return "\n".join(
        [
            "Switchboard OSS simulator is starting",
            f"  TMF641       http://{config.host}:{config.port}/tmf-api/serviceOrdering/v4/serviceOrder",
            f"  control      http://{config.host}:{config.port}/simulator/stats and /simulator/config",
            f"  callbacks    {config.callback_url} (API key {key})",
            f"  behaviour    delays {behaviour.delayMinSeconds}..{behaviour.delayMaxSeconds} s, "
            f"failure {behaviour.failureRate}, duplicates {behaviour.duplicateRate}, "
            f"out of order {behaviour.outOfOrderRate}, down {behaviour.down}",
        ]
    )


def run_oss_simulator(args: argparse.Namespace) -> int:
    try:
        config = config_from(args, dict(os.environ))
    except InvalidConfig as error:
        print(f"switchboard oss-simulator: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    print(_banner(config), flush=True)
    if config.oss_key() is None:
        print(f"  note: no oss API key yet in {config.api_key_file}; callbacks wait until it appears")
    uvicorn.run(
        create_app(config),
        host=config.host,
        port=config.port,
        log_level="info",
        access_log=False,  # the control API's query strings are harmless, but keep one policy with the API
    )
    return 0
