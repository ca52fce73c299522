"""A party member's and an in-service member's phone and ID number are declared once, as
core.fields.PhoneField / IdNumberField: the model's personal data, the form's cleaning (typed
as written: no maxlength in the page), the API's cleaning and masking follow from the field; the
roster's person keeps the paths it reads its personal data through."""

import re

import pytest
from django.urls import reverse

from core.fields import IdNumberField, PhoneField
from grids.models import Person
from party.api import InServiceMemberSerializer, PartyMemberSerializer
from party.models import InServiceMember, PartyMember


@pytest.mark.parametrize("model", [PartyMember, InServiceMember])
def test_the_fields_declare_the_personal_data(model):
    assert isinstance(model._meta.get_field("phone"), PhoneField)
    assert isinstance(model._meta.get_field("id_number"), IdNumberField)
    assert model.personal_data_fields == {"phone": "phone", "id_number": "id_number"}


def test_the_serializers_mask_what_the_fields_declare():
    assert PartyMemberSerializer.Meta.personal_fields == ("phone", "id_number")
    assert InServiceMemberSerializer.Meta.personal_fields == ("phone", "id_number")


def test_a_declared_path_to_the_personal_data_is_kept():
    assert isinstance(Person._meta.get_field("phone"), PhoneField)
    assert Person.personal_data_fields == {"phone": "holder.phone", "id_number": "holder.id_number"}


@pytest.mark.parametrize("page", ["party:partymember_add", "party:inservicemember_add"])
def test_a_number_may_be_typed_as_written_spaces_and_all(page, party, street_a, client_for):
    html = client_for(street_a).get(reverse(page)).content.decode()

    for name in ("phone", "id_number"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert "maxlength" not in tag, tag
