"""Errors a quote can end in besides the cart and lookup errors shared with the rest of the engine."""

from __future__ import annotations

from enum import StrEnum

from engine.errors import EngineError


class PricingErrorCode(StrEnum):
    # No tax rate for a category in the customer's region or country: refused rather than taxed at zero.
    taxRateMissing = "TAX_RATE_MISSING"
    # A price in another currency than the release's; a quote never adds two currencies.
    currencyMismatch = "CURRENCY_MISMATCH"
    # A price the validator should have refused (a discount with neither percentage nor amount, ...).
    malformedPrice = "MALFORMED_PRICE"


class PricingError(EngineError):
    """A quote cannot be computed from this release for this request."""

    code = "PRICING_ERROR"

    def __init__(self, message: str, *, code: PricingErrorCode, path: str | None = None) -> None:
        super().__init__(message, code=code.value, path=path)
