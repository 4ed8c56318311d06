"""Pricing: `quote(release, request)` prices a cart against a release, with totals, tax and a trace.

The rules of the calculation are declared once, in docs/spec-language.md ("Rules of the price calculation").
"""

from engine.pricing.errors import PricingError, PricingErrorCode
from engine.pricing.model import ChargeTotal, PriceAlteration, Quote, QuoteItem, QuoteLine, RateCard, Totals
from engine.pricing.quote import quote
from engine.pricing.trace import TraceEntry, TraceStep

__all__ = [
    "ChargeTotal",
    "PriceAlteration",
    "PricingError",
    "PricingErrorCode",
    "Quote",
    "QuoteItem",
    "QuoteLine",
    "RateCard",
    "Totals",
    "TraceEntry",
    "TraceStep",
    "quote",
]
