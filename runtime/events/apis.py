"""The APIs that offer a TMF hub, who may subscribe to each, and the event types each publishes.

Event types and their payload keys come from the official swagger files (each `/listener/<event>` path and
its `<Event>Payload` definition), so a typo in a publisher or a subscription query fails loudly, and a key
such as `ServiceOrderMilestoneStateChangeEvent` → `serviceOrder` needs no hand-kept rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from runtime.auth.roles import Role
from runtime.tmf.contract import swagger

# Channels and product managers build on every API's events; the OSS also follows the service orders it
# fulfils. Admin is always admitted by the guard.
SUBSCRIBERS = (Role.channel, Role.product_manager)


@dataclass(frozen=True, slots=True)
class HubApi:
    name: str  # the base path segment: /tmf-api/<name>/v4
    tmf: str  # the key of its swagger file in runtime.tmf.contract.FILES
    subscribers: tuple[Role, ...] = SUBSCRIBERS

    @property
    def hub_path(self) -> str:
        return f"/tmf-api/{self.name}/v4/hub"


HUB_APIS: dict[str, HubApi] = {
    api.name: api
    for api in (
        HubApi("productCatalogManagement", "TMF620"),
        HubApi("productOfferingQualification", "TMF679"),
        HubApi("productOrderingManagement", "TMF622"),
        HubApi("productInventory", "TMF637"),
        HubApi("customerManagement", "TMF629"),
        HubApi("party", "TMF632"),
        HubApi("accountManagement", "TMF666"),
        HubApi("serviceOrdering", "TMF641", (*SUBSCRIBERS, Role.oss)),
    )
}


def hub_api(name: str) -> HubApi:
    try:
        return HUB_APIS[name]
    except KeyError:
        raise ValueError(f"no hub for API {name!r}; known: {', '.join(sorted(HUB_APIS))}") from None


@cache
def event_types(api: str) -> dict[str, str]:
    """Each event type of the API (`ProductOrderStateChangeEvent`) → its resource key (`productOrder`)."""
    definitions = swagger(hub_api(api).tmf)["definitions"]
    types: dict[str, str] = {}
    for path in swagger(hub_api(api).tmf)["paths"]:
        if not path.startswith("/listener/"):
            continue
        event_type = listener_name(path.removeprefix("/listener/"), upper=True)
        (key,) = definitions[f"{event_type}Payload"]["properties"]
        types[event_type] = key
    return types


def resource_key(api: str, event_type: str) -> str:
    try:
        return event_types(api)[event_type]
    except KeyError:
        raise ValueError(f"{api} publishes no {event_type!r}; known: {', '.join(event_types(api))}") from None


def listener_name(event_type: str, *, upper: bool = False) -> str:
    """`ProductOrderStateChangeEvent` ↔ `productOrderStateChangeEvent`, the listener path segment."""
    first = event_type[:1].upper() if upper else event_type[:1].lower()
    return first + event_type[1:]
