from __future__ import annotations

import pytest

from runtime.events.query import EventFilter, InvalidQuery

API = "productOrderingManagement"
CREATED, CHANGED = "ProductOrderCreateEvent", "ProductOrderStateChangeEvent"


def test_an_empty_query_takes_every_event() -> None:
    everything = EventFilter.parse(API, "  ")
    assert everything.matches(CREATED, {}) and everything.matches(CHANGED, {"state": "x"})


def test_event_types_are_a_comma_list_with_optional_spaces() -> None:
    wanted = EventFilter.parse(API, f"eventType = {CREATED}, {CHANGED}")
    assert wanted.matches(CREATED, {}) and wanted.matches(CHANGED, {})
    assert not wanted.matches("ProductOrderDeleteEvent", {})


def test_field_clauses_compare_top_level_fields_of_the_resource_and_all_must_hold() -> None:
    wanted = EventFilter.parse(API, f"eventType={CHANGED}&state=completed,failed&priority=1")
    assert wanted.matches(CHANGED, {"state": "failed", "priority": 1})
    assert not wanted.matches(CHANGED, {"state": "inProgress", "priority": 1})
    assert not wanted.matches(CHANGED, {"state": "failed"})
    assert not wanted.matches(CREATED, {"state": "failed", "priority": 1})


def test_booleans_are_written_as_in_json_and_structures_never_match() -> None:
    assert EventFilter.parse(API, "requestedCompletionDate=true").matches(
        CHANGED, {"requestedCompletionDate": True}
    )
    assert not EventFilter.parse(API, "note=x").matches(CHANGED, {"note": ["x"]})


def test_percent_encoded_values_are_decoded() -> None:
    assert EventFilter.parse(API, "externalId=a%26b").matches(CREATED, {"externalId": "a&b"})


@pytest.mark.parametrize(
    "query",
    [
        "eventType=ProductOrderCreatedEvent",  # not an event of this API
        "eventType=ServiceOrderStateChangeEvent",  # an event of another API
        "state",
        "state=",
        "=x",
        "productOrder.state=completed",
        "a=1&&b=2",
    ],
)
def test_a_query_that_cannot_be_honoured_is_refused(query: str) -> None:
    with pytest.raises(InvalidQuery):
        EventFilter.parse(API, query)
