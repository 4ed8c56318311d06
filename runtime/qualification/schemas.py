"""The TMF679 ProductOfferingQualification projection of an evaluation.

The overall outcome is the TMF `qualificationResult` (qualified, unqualified, alternate); each item carries
its `qualificationItemResult`, `eligibilityUnavailabilityReason` and `alternateProductOfferingProposal`.
Switchboard's additions use TMF's extension pattern (a `Switchboard…` `@type` over the TMF `@baseType`):
each item's `eligibilityTrace` (every rule evaluated and its outcome), each reason's `ruleId` and
`source`, and the `catalogRelease` evaluated against.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engine.eligibility import ItemQualification
from engine.spec.common import Kind
from runtime.catalog.tmf620_common import View, href, ref, timestamp
from runtime.customers.resources import CUSTOMER_PATH
from runtime.qualification.evaluation import Evaluation
from runtime.qualification.tmf679_input import ITEMS, QualificationInput

BASE_PATH = "/tmf-api/productOfferingQualification/v4"
QUALIFICATION_PATH = f"{BASE_PATH}/productOfferingQualification"
# Returned as sent: what the requester said, which the answer does not change.
ECHOED = (
    "description",
    "channel",
    "place",
    "note",
    "provideAlternative",
    "provideOnlyAvailable",
    "provideUnavailabilityReason",
    "requestedPOQCompletionDate",
)
ITEM_ECHOED = ("product", "qualificationItemRelationship", "note")
DONE = "done"  # TaskStateType: every qualification is evaluated synchronously


def render(
    qualification_id: str, submitted: datetime, sent: QualificationInput, evaluation: Evaluation
) -> dict[str, Any]:
    view = View(evaluation.release, evaluation.at)
    body: dict[str, Any] = {
        "id": qualification_id,
        "href": f"{QUALIFICATION_PATH}/{qualification_id}",
        "@type": "SwitchboardProductOfferingQualification",
        "@baseType": "ProductOfferingQualification",
        "state": DONE,
        "instantSyncQualification": True,
        "productOfferingQualificationDate": timestamp(submitted),
        "effectiveQualificationDate": timestamp(evaluation.at),
        "qualificationResult": evaluation.qualification.qualificationResult.value,
    }
    body |= {key: sent.body[key] for key in ECHOED if key in sent.body}
    if "relatedParty" in sent.body:
        body["relatedParty"] = [_party(party) for party in sent.body["relatedParty"]]
    body[ITEMS] = [
        _item(item, result, view)
        for item, result in zip(sent.body[ITEMS], evaluation.qualification.items, strict=True)
    ]
    release = evaluation.info
    body["catalogRelease"] = {
        "id": release.id,
        "href": href(Kind.CatalogRelease, release.id),
        "name": release.name,
        "contentHash": release.contentHash,
    }
    return body


def _party(party: dict[str, Any]) -> dict[str, Any]:
    if party.get("@referredType") == "Customer" and "href" not in party:
        return {**party, "href": f"{CUSTOMER_PATH}/{party['id']}"}
    return party


def _item(sent: dict[str, Any], result: ItemQualification, view: View) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": sent["id"],
        "@type": "SwitchboardProductOfferingQualificationItem",
        "@baseType": "ProductOfferingQualificationItem",
        "action": sent.get("action", "add"),
        "state": DONE,
        "productOffering": ref(Kind.ProductOffering, result.productOffering, view),
        "qualificationItemResult": result.qualificationItemResult.value,
        "eligibilityUnavailabilityReason": [
            {
                "@type": "SwitchboardEligibilityUnavailabilityReason",
                "@baseType": "EligibilityUnavailabilityReason",
                "code": reason.code,
                "label": reason.label,
                "ruleId": reason.ruleId,
                "source": reason.source,
            }
            for reason in result.eligibilityUnavailabilityReason
        ],
        "alternateProductOfferingProposal": [
            {"id": str(number), "alternateProductOffering": ref(Kind.ProductOffering, offering, view)}
            for number, offering in enumerate(result.alternates, start=1)
        ],
        "eligibilityTrace": list(result.trace),
    }
    return item | {key: sent[key] for key in ITEM_ECHOED if key in sent}
