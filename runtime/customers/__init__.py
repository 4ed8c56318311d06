"""Customers (TMF629), parties (TMF632 individual and organization) and billing accounts (TMF666).

Who may do what: a shop onboards its customers, so `channel` (and admin) may read, create and patch
customers, parties and billing accounts; deleting one (erasure) is for `admin` only. `product_manager`
and `oss` have no access (403). Bodies are validated against the official TMF definitions, closed to
unknown attributes; merge patches (`application/merge-patch+json` or `application/json`) are applied to
the stored resource and the result validated again.

Where the eligibility facts live (read by `facts.facts_for_customer`):
- customer.segment, customer.creditClass: customer `characteristic`s named `segment` and `creditClass`.
  (TMF's `creditProfile.creditRiskRating` is an integer on an operator-specific scale, not a class, so
  it is stored but not read.)
- customer.ageYears: the engaged Individual's `birthDate`; absent for an Organization.
- address.country / region: the customer's `postalAddress` contact medium (`contactType` installation
  preferred), `country` and `stateOrProvince` (an ISO 3166-2 code).
- address.fibreAvailable / maxDownloadMbps / fiveGCoverage: customer characteristics of those names.
- account.status / outstandingBalance / tenureMonths: the first billing account in the customer's
  `account` list: its `state`, its `outstandingBalance`-type balances valid today (none recorded: 0), and
  the months since the account was created.

Lists run filters on indexed columns (names, status/state, engaged party) and paging in SQL; a filter on
any other attribute loads the rows those column filters leave and filters and pages them in memory.

Every write is audited and published to the API's hub (`runtime.events.service.publish_event`): a
`…CreateEvent`, a `…StateChangeEvent` when status/state moved, a `…AttributeValueChangeEvent` when
anything else did, a `…DeleteEvent`.
"""
