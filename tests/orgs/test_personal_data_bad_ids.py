"""The reveal endpoint takes an object id from the URL: an id that cannot be one (not a number,
past the range of a bigint, negative) is an object that does not exist — 404, nothing logged."""

import pytest
from django.contrib.auth.models import Permission

from core.models import PersonalDataAccess

BAD_IDS = ["abc", "1abc", "1.5", "-1", "%20", "99999999999999999999", str(2**63), "٣"]


@pytest.fixture
def revealer(city_org, client_for):
    """The city organisation department with the personal-data permission: the view gets as
    far as looking the object up."""
    city_org.user_permissions.add(Permission.objects.get(content_type__app_label="core", codename="view_personal_data"))
    return client_for(city_org)


@pytest.mark.parametrize("bad_id", BAD_IDS)
@pytest.mark.parametrize("model", ["grids.person", "orgs.roleassignment"])
def test_it_answers_404_for_an_id_that_cannot_be_one(bad_id, model, revealer):
    response = revealer.post(f"/personal-data/{model}/{bad_id}/phone/")

    assert response.status_code == 404
    assert PersonalDataAccess.objects.count() == 0


def test_it_answers_404_for_the_largest_bigint_that_matches_nothing(revealer):
    response = revealer.post(f"/personal-data/grids.person/{2**63 - 1}/phone/")

    assert response.status_code == 404
    assert PersonalDataAccess.objects.count() == 0
