"""Reports a charge with the same merchant, amount and currency as another charge of the customer within the window
(24 h by default; a charge exactly one window later still counts). The Python port of DuplicateChargeUseCase."""
from pipeline_use_case import Context, Transaction, duration, format_money

NAME = "DuplicateChargePy"
TARGET_BEHAVIOUR = "duplicate-charge"


def read_settings(settings):
    return {"window": duration(settings["window"])}


def initial_state():
    # The customer's charges inside the window, oldest first: (merchant, amount_minor, currency, timestamp).
    return ()


def evaluate(state, transaction: Transaction, settings, context: Context):
    # Only charges inside the window can be duplicated, so that is all the state keeps.
    window_start = transaction.timestamp - settings["window"]
    recent = tuple(charge for charge in state if charge[3] >= window_start)
    charge = (transaction.merchant, transaction.amount_minor, transaction.currency, transaction.timestamp)
    earlier = next((c for c in recent if c[:3] == charge[:3]), None)
    next_state = recent + (charge,)
    if earlier is None:
        return next_state, None
    gap = transaction.timestamp - earlier[3]
    return next_state, (f"Possible duplicate charge: {transaction.merchant} charged "
                        f"{format_money(transaction.amount_minor, transaction.currency)} twice within {describe(gap)}.")


def describe(gap):
    minutes = int(gap.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{max(1, minutes)} min"
