"""The `switchboard` command line: one parser, one handler per command, engine errors rendered here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from engine.errors import EngineError
from runtime import cli_catalog, cli_designer, cli_keys, cli_listen, cli_oss, cli_quote, cli_up
from runtime.temporal import cli_worker


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="switchboard", description="Switchboard telecom BSS core")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    cli_catalog.register(commands)
    cli_quote.register(commands)
    cli_up.register(commands)
    cli_keys.register(commands)
    cli_designer.register(commands)
    cli_oss.register(commands)
    cli_worker.register(commands)
    cli_listen.register(commands)
    demo = commands.add_parser("demo", help="validate the sample catalog, diff its releases, price a bundle")
    demo.set_defaults(handler=cli_quote.demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except EngineError as error:
        print(f"switchboard: {error.code}: {error}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    raise SystemExit(main())
