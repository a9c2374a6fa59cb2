"""Plain pytest tests of the Python duplicate-charge use case: no Kafka, no service, just the rule."""
from datetime import timedelta

import duplicate_charge_py as use_case
from pipeline_use_case import Context, Customer, transaction

SETTINGS = use_case.read_settings({"window": "24h"})


def run(*transactions):
    """Evaluates the transactions of one customer in order; returns each message (or None)."""
    state = use_case.initial_state()
    messages = []
    for t in transactions:
        context = Context(Customer(t.customer_id, None), t.timestamp - timedelta(days=60))
        state, message = use_case.evaluate(state, t, SETTINGS, context)
        messages.append(message)
    return messages


def test_a_first_charge_is_never_a_duplicate():
    assert run(transaction()) == [None]


def test_the_same_merchant_and_amount_within_the_window_is_reported_with_the_gap():
    messages = run(transaction("t-1", amount_minor=129900, timestamp="2026-11-24T10:00:00Z"),
                   transaction("t-2", amount_minor=129900, timestamp="2026-11-24T12:05:00Z"))
    assert messages == [None, "Possible duplicate charge: Shop charged 1,299.00 EUR twice within 2 h 5 min."]


def test_a_charge_exactly_one_window_later_still_counts_and_one_later_does_not():
    assert run(transaction("t-1", timestamp="2026-11-24T10:00:00Z"),
               transaction("t-2", timestamp="2026-11-25T10:00:00Z"))[1].endswith("twice within 24 h 0 min.")
    assert run(transaction("t-1", timestamp="2026-11-24T10:00:00Z"),
               transaction("t-2", timestamp="2026-11-25T10:00:01Z")) == [None, None]


def test_another_amount_merchant_or_currency_is_not_a_duplicate():
    first = transaction("t-1")
    assert run(first, transaction("t-2", amount_minor=1001)) == [None, None]
    assert run(first, transaction("t-2", merchant="Other")) == [None, None]
    assert run(first, transaction("t-2", currency="USD")) == [None, None]


def test_seconds_apart_reads_as_one_minute():
    assert run(transaction("t-1", timestamp="2026-11-24T10:00:00Z"),
               transaction("t-2", timestamp="2026-11-24T10:00:20Z"))[1].endswith("twice within 1 min.")


def test_evaluate_leaves_the_state_it_was_given_unchanged():
    state = use_case.initial_state()
    t = transaction()
    context = Context(Customer(t.customer_id, None), t.timestamp - timedelta(days=60))
    use_case.evaluate(state, t, SETTINGS, context)
    assert state == use_case.initial_state()
