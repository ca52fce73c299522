"""A community cadre adds the compounds of its own community: the add form has its code filled in
already; a street cadre, who has several communities, types one; an edit keeps the compound's own."""

from django.urls import reverse

from property.forms import CompoundForm
from property.permissions import CHANGE_PROPERTY

from .conftest import COMMUNITY_A1


def test_a_community_cadres_add_form_names_its_community(community_a1, client_for):
    assert CompoundForm(user=community_a1, action=CHANGE_PROPERTY)["community"].value() == COMMUNITY_A1
    page = client_for(community_a1).get(reverse("property:compound_add")).content.decode()
    assert f'value="{COMMUNITY_A1}"' in page


def test_a_street_cadre_types_the_community(street_a):
    assert not CompoundForm(user=street_a, action=CHANGE_PROPERTY)["community"].value()


def test_an_edit_keeps_the_compounds_community(estate, community_a1):
    compound = estate["compound_b"]  # of street B: not the cadre's, but the form shows what it is
    form = CompoundForm(instance=compound, user=community_a1, action=CHANGE_PROPERTY)
    assert form["community"].value() == compound.community.code
