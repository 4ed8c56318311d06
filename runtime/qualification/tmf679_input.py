"""A TMF679 `ProductOfferingQualification_Create` body read into the engine's cart, context and subject.

The body is checked against the official definition closed to unknown attributes (a typo is a 400), plus
two documented Switchboard extensions: `effectiveQualificationDate` (the moment to qualify at, default now)
and `switchboardFacts` (a prospect's facts). Attributes Switchboard would not act on are refused rather
than silently ignored: `category` (qualifying a whole category), and on an item anything but its id,
action, offering, characteristics, relationships and notes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from runtime.api.errors import Unprocessable
from runtime.customers.body import BadBody
from runtime.customers.strict import META, properties, require_conforming, require_only
from runtime.qualification.evaluation import FACT_SECTIONS, Subject, refuse_nul

API = "TMF679"
EXTENSIONS = ("effectiveQualificationDate", "switchboardFacts")
ACCEPTED_TYPES = frozenset({"ProductOfferingQualification", "SwitchboardProductOfferingQualification"})
TOP_LEVEL = (properties(API, "ProductOfferingQualification_Create") - {"category"}) | set(EXTENSIONS)
ITEM_FIELDS = frozenset(
    {"id", "action", "productOffering", "product", "qualificationItemRelationship", "note", *META}
)
PRODUCT_FIELDS = frozenset({"productCharacteristic", *META})
# On a bundle item, `bundles` names a component item; on a component item, `bundledBy` names its bundle.
BUNDLES, BUNDLED_BY = "bundles", "bundledBy"
CUSTOMER_ROLE = "customer"
ITEMS = "productOfferingQualificationItem"
FACTS = "switchboardFacts"


class InvalidQualification(Unprocessable):
    code = "INVALID_QUALIFICATION"


@dataclass(frozen=True, slots=True)
class QualificationInput:
    body: dict[str, Any]  # as sent
    channel: str
    subject: Subject
    at: datetime | None  # None: now
    cart: tuple[dict[str, Any], ...]  # engine.facts.parse_request cart items, in the body's item order

    def relocate(self, path: str) -> str:
        """An engine error path (`$.cart[2].characteristic.x`) in this body's terms."""
        found = _CART_PATH.match(path)
        if found is not None:
            index, rest = found.groups()
            for engine_name, tmf_name in _ITEM_PATHS:
                if rest.startswith(engine_name):
                    rest = tmf_name + rest[len(engine_name) :]
                    break
            return f"$.{ITEMS}[{index}]{rest}"
        if path in _CONTEXT_PATHS:
            return _CONTEXT_PATHS[path]
        section = path.removeprefix("$.").split(".", 1)[0].split("[", 1)[0]
        if self.subject.facts and section in FACT_SECTIONS:
            return f"$.{FACTS}.{path.removeprefix('$.')}"
        return path


_CONTEXT_PATHS = {"$.context.channel": "$.channel.id", "$.context.date": "$.effectiveQualificationDate"}
_CART_PATH = re.compile(r"^\$\.cart\[(\d+)\](.*)$")
_ITEM_PATHS = (
    (".productOffering", ".productOffering.id"),
    (".characteristic.", ".product.productCharacteristic.name="),
    (".parentItemId", ".qualificationItemRelationship"),
)


def read_qualification(body: dict[str, Any]) -> QualificationInput:
    """The input of one qualification; a 400 for a body TMF679 refuses, a 422 for one Switchboard cannot
    evaluate."""
    refuse_nul(body)
    standard = {key: value for key, value in body.items() if key not in EXTENSIONS}
    require_conforming(API, "ProductOfferingQualification_Create", standard)
    require_only(body, TOP_LEVEL, "these attributes are not supported on a qualification request")
    declared = body.get("@type", "ProductOfferingQualification")
    if declared not in ACCEPTED_TYPES:
        raise BadBody(f"@type must be one of {', '.join(sorted(ACCEPTED_TYPES))}, got {declared!r}")
    channel = body.get("channel")
    if channel is None:
        raise InvalidQualification("channel is required: the qualification depends on the sales channel")
    items = body.get(ITEMS) or []
    if not items:
        raise InvalidQualification(f"{ITEMS} must name at least one product offering")
    facts = body.get(FACTS, {})
    if not isinstance(facts, dict):
        raise BadBody(f"{FACTS} must be an object of fact sections ({', '.join(FACT_SECTIONS)})")
    subject = Subject(_customer_id(body.get("relatedParty", [])), facts, f"$.{FACTS}")
    return QualificationInput(
        body=body,
        channel=channel["id"],
        subject=subject,
        at=_moment(body.get("effectiveQualificationDate")),
        cart=_cart(items),
    )


def _customer_id(parties: Sequence[Mapping[str, Any]]) -> str | None:
    customers = [p for p in parties if str(p.get("role", "")).lower() == CUSTOMER_ROLE]
    if len(customers) > 1:
        raise InvalidQualification("relatedParty names more than one party with the role Customer")
    if not customers:
        return None
    if customers[0]["@referredType"] != "Customer":
        raise InvalidQualification("the Customer related party must have @referredType Customer")
    customer_id: str = customers[0]["id"]
    return customer_id


def _moment(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadBody("effectiveQualificationDate must be an ISO 8601 date-time string")
    try:
        if len(value) == len("YYYY-MM-DD"):
            day = date.fromisoformat(value)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadBody(f"effectiveQualificationDate {value!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise BadBody("effectiveQualificationDate needs a UTC offset (e.g. 2026-07-15T10:00:00Z)")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise BadBody(f"effectiveQualificationDate {value!r} is out of range") from None


def _cart(items: Sequence[Mapping[str, Any]]) -> tuple[dict[str, Any], ...]:
    parents = _parents(items)
    cart: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        path = f"$.{ITEMS}[{index}]"
        require_only(dict(item), ITEM_FIELDS, f"{path}: these item attributes are not supported")
        require_only(
            dict(item.get("product", {})),
            PRODUCT_FIELDS,
            f"{path}.product: only productCharacteristic is read; not supported",
        )
        offering = item.get("productOffering")
        if offering is None:
            raise InvalidQualification(f"{path}.productOffering is required")
        entry: dict[str, Any] = {
            "id": item["id"],
            "productOffering": offering["id"],
            "action": item.get("action", "add"),
            "characteristic": _characteristics(item.get("product", {}), path),
        }
        if item["id"] in parents:
            entry["parentItemId"] = parents[item["id"]]
        cart.append(entry)
    return tuple(cart)


def _characteristics(product: Mapping[str, Any], path: str) -> dict[str, Any]:
    chosen: dict[str, Any] = {}
    for characteristic in product.get("productCharacteristic", []):
        name = characteristic["name"]
        if name in chosen:
            raise InvalidQualification(f"{path}.product.productCharacteristic names {name!r} twice")
        chosen[name] = characteristic["value"]
    return chosen


def _parents(items: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Component item id → its bundle item id, from either side's relationship."""
    parents: dict[str, str] = {}
    for index, item in enumerate(items):
        for relation in item.get("qualificationItemRelationship", []):
            kind, other = relation.get("relationshipType"), relation.get("id")
            where = f"$.{ITEMS}[{index}].qualificationItemRelationship"
            if kind not in (BUNDLES, BUNDLED_BY) or not other:
                raise InvalidQualification(
                    f"{where}: only relationshipType {BUNDLES!r} (bundle item → component) and "
                    f"{BUNDLED_BY!r} (component → bundle item), each with an item id, are supported"
                )
            child, parent = (other, item["id"]) if kind == BUNDLES else (item["id"], other)
            if parents.get(child, parent) != parent:
                raise InvalidQualification(f"{where}: item {child!r} is given two bundle items")
            parents[child] = parent
    return parents
