"""One base error for the engine; the edges (CLI, API) render it."""

from __future__ import annotations


class EngineError(Exception):
    """Base of every error the engine raises on purpose; `code` is stable, `status` is the HTTP mapping."""

    code: str = "ENGINE_ERROR"
    status: int = 422

    def __init__(self, message: str, *, code: str | None = None, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.path = path

    def __str__(self) -> str:
        return f"{self.message} (at {self.path})" if self.path else self.message


class FactError(EngineError):
    """A request lacks a fact a rule needs, or carries one of the wrong type."""

    code = "INVALID_FACT"


class UnknownEntityError(EngineError):
    """A request names an offering, price or other entity the release does not have."""

    code = "UNKNOWN_ENTITY"
    status = 404


class CartError(EngineError):
    """A cart item is malformed for its offering: unknown characteristic, bad value, bad quantity."""

    code = "INVALID_CART"


class PlanError(EngineError):
    """An order plan cannot be built, e.g. the combined step graph of an order has a cycle."""

    code = "INVALID_PLAN"
