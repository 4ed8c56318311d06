"""The requests of the HTTP benchmark: random customers and carts (engine_bench's generator, as the plain
JSON facts of `engine.facts.parse_request`), wrapped in the bodies of the qualification and quote APIs.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.api_load import Call
from benchmarks.engine_bench import CHANNELS, SEGMENTS

Facts = dict[str, Any]
FACT_SECTIONS = ("customer", "account", "address", "inventory")  # the rest is the cart and context
SELLABLE = frozenset({"active", "launched"})


def offerings(release: Path) -> tuple[list[str], list[str]]:
    """Every offering id of a generated release folder, and the sellable ones (active or launched)."""
    every: set[str] = set()
    sellable: set[str] = set()
    for file in release.glob("*-ProductOffering-*.json"):
        document = json.loads(file.read_text(encoding="utf-8"))
        every.add(document["metadata"]["id"])
        if document["spec"].get("lifecycleStatus") in SELLABLE:
            sellable.add(document["metadata"]["id"])
    return sorted(every), sorted(sellable)


def random_facts(rng: random.Random, sellable: Sequence[str], day: date) -> Facts:
    """One random customer with a cart of 1-5 items, as `engine_bench._random_request` draws them."""
    cart = [{"id": str(i + 1), "productOffering": rng.choice(sellable)} for i in range(rng.randint(1, 5))]
    return {
        "context": {
            "channel": rng.choice(CHANNELS),
            "date": (day + timedelta(days=rng.randint(0, 30))).isoformat(),
        },
        "customer": {
            "id": f"c{rng.randint(1, 10**6)}",
            "segment": rng.choice(SEGMENTS),
            "creditClass": rng.choice("ABCD"),
            "ageYears": rng.randint(16, 90),
        },
        "account": {
            "status": rng.choice(("active", "active", "active", "suspended")),
            "outstandingBalance": rng.choice(("0.00", "0.00", "0.00", "25.00", "250.00")),
            "tenureMonths": rng.randint(0, 120),
        },
        "address": {
            "country": "NL",
            "region": rng.choice(("NL-NH", "NL-ZH", "NL-UT")),
            "fibreAvailable": rng.random() < 0.7,
            "maxDownloadMbps": rng.choice((100, 500, 1000, 4000)),
            "fiveGCoverage": rng.random() < 0.8,
        },
        "cart": cart,
        "inventory": [{"productOffering": rng.choice(sellable)} for _ in range(rng.randint(0, 2))],
    }


def _json(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


def qualification_call(facts: Facts) -> Call:
    """A TMF679 create for a prospect: the cart as items, the facts inline (`switchboardFacts`)."""
    body = {
        "@type": "SwitchboardProductOfferingQualification",
        "channel": {"id": facts["context"]["channel"]},
        "effectiveQualificationDate": facts["context"]["date"],
        "productOfferingQualificationItem": [
            {"id": item["id"], "productOffering": {"id": item["productOffering"]}} for item in facts["cart"]
        ],
        "switchboardFacts": {section: facts[section] for section in FACT_SECTIONS},
    }
    return Call("POST", QUALIFICATION_PATH, _json(body))


def quote_call(facts: Facts) -> Call:
    return Call("POST", QUOTE_PATH, _json(facts))


QUALIFICATION_PATH = "/tmf-api/productOfferingQualification/v4/productOfferingQualification"
QUOTE_PATH = "/api/v1/quote"
