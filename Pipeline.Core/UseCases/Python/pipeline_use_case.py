"""What a Python use case sees: the transaction, the context, and helpers for settings and messages.

A use case is one .py file with module-level declarations and two functions:

    NAME = "DuplicateChargePy"          # its name in feedback and metrics; its key is the kebab form (duplicate-charge-py)
    VARIANT = "A"                       # optional: "A" (default) or "B" (a B variant of a use case of the same NAME)
    TARGET_BEHAVIOUR = "duplicate-charge"   # optional: the generator behaviour it targets, or None

    def read_settings(settings: dict) -> object:   # optional: check and convert the HOCON block once, at start
    def initial_state() -> object:                  # the state of a customer not seen yet
    def evaluate(state, transaction: Transaction, settings, context: Context) -> tuple[object, str | None]

evaluate must be pure (no I/O, clock or randomness): the service rebuilds a customer's state by evaluating the
customer's history window again, and that must give the state a long-running evaluation has. It must not change the
state it is given; it returns the new one (any picklable value) and the message for the customer, or None.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import NamedTuple, Optional

__all__ = ["Transaction", "Customer", "Context", "duration", "format_money", "transaction"]


class Transaction(NamedTuple):
    """One card transaction: money in integer minor units (cents) of currency, the tip apart from the amount."""
    transaction_id: str
    customer_id: str
    merchant: str
    category: str
    amount_minor: int
    tip_minor: int
    currency: str
    timestamp: datetime
    """Timezone-aware, UTC."""


class Customer(NamedTuple):
    """What the customer chose for themselves; None where they chose nothing and the use case's default applies."""
    customer_id: str
    large_purchase_threshold_minor: Optional[int]


@dataclass(frozen=True)
class Context:
    """What a use case knows besides its state and settings."""
    customer: Customer
    history_start: datetime
    """The oldest instant of this transaction's history window (pipeline.use-cases.history back); drop older entries."""


_UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=_UTC)


def from_unix_micros(micros: int) -> datetime:
    """A timezone-aware UTC datetime from microseconds since the Unix epoch (exact, unlike fromtimestamp)."""
    return _EPOCH + timedelta(microseconds=micros)


def transaction(transaction_id="t-1", customer_id="c-1", merchant="Shop", category="groceries", amount_minor=1000,
                tip_minor=0, currency="EUR", timestamp="2026-11-24T10:00:00Z") -> Transaction:
    """A transaction for tests; timestamp as an ISO 8601 string or a datetime."""
    if isinstance(timestamp, str):
        timestamp = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return Transaction(transaction_id, customer_id, merchant, category, amount_minor, tip_minor, currency,
                       timestamp.astimezone(_UTC))


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$")
_UNITS = {"ms": "milliseconds", "s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def duration(text: str) -> timedelta:
    """A HOCON duration such as 500ms, 10s, 5m, 24h or 60d as a timedelta."""
    match = _DURATION.match(str(text))
    if not match:
        raise ValueError(f"'{text}' is not a duration such as 500ms, 10s, 5m, 24h or 60d")
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


def format_money(minor: int, currency: str) -> str:
    """E.g. 129900 and "EUR" as "1,299.00 EUR" (the same text as the C# use cases write)."""
    return f"{Decimal(minor) / 100:,.2f} {currency}"
