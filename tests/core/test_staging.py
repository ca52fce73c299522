"""core.staging: the stage's planner guard (`hash_joins`) leaves the session as it found it."""

import pytest
from django.db import transaction

from core.staging import fetch, hash_joins

pytestmark = pytest.mark.django_db


def nestloop():
    return fetch("SELECT current_setting('enable_nestloop')")[0][0]


def test_hash_joins_turns_nested_loops_off_inside_and_restores_the_setting_after():
    with transaction.atomic():
        assert nestloop() == "on"
        with hash_joins():
            assert nestloop() == "off"
        assert nestloop() == "on"


def test_hash_joins_keeps_a_setting_the_session_chose():
    with transaction.atomic():
        fetch("SELECT set_config('enable_nestloop', 'off', true)")
        with hash_joins():
            assert nestloop() == "off"
        assert nestloop() == "off"


@pytest.mark.django_db(transaction=True)
def test_hash_joins_holds_for_its_statements_outside_a_transaction_too():
    # A preview plans in autocommit: each statement would be a transaction of its own, and a
    # transaction-local setting would be gone by the next one.
    with hash_joins():
        assert nestloop() == "off"
        assert nestloop() == "off"
    assert nestloop() == "on"
