"""The API fuzzed from its schema as the cast's grid worker (test_api_under_schemathesis.py says
how): a module of its own, so that it runs beside the community cadre's on the other test worker."""

import pytest

from tests.grids.conftest import cast_roster, holder, id_number  # noqa: F401  (fixtures: the roster)
from tests.party.conftest import community_a1, party, unit_user  # noqa: F401  (fixtures: the party side)
from tests.test_api_under_schemathesis import fuzz, phones_on_record  # noqa: F401  (the fuzzing, a fixture)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.usefixtures("party", "cast_roster", "phones_on_record")
def test_every_operation_answers_as_its_schema_says_to_a_grid_worker(grid_a1):
    failures = fuzz(grid_a1)

    assert failures == [], "\n".join(failures)
