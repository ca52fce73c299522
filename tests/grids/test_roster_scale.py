"""A community's whole roster — thousands of unit heads in buildings that are not in the tree
yet — creates every building and unit, keeps the tree valid, and importing it again changes
nothing. (Its speed is measured by bench/import_roster.py, not asserted here.)"""

import pytest

from orgs import tree
from orgs.models import Area

from .sheets import GRID_A1, counts, csv_bytes, import_sheet, line

UNITS = 4000


def unit_heads():
    """80 new buildings of 50 units each, a unit head in every unit."""
    return csv_bytes(
        [
            line(
                GRID_A1, "单元长", f"住户{n}", building=f"{10 + n // 50}号楼", unit=f"{n % 50 + 1}", phone=f"139{n:08d}"
            )
            for n in range(UNITS)
        ]
    )


@pytest.mark.slow
def test_thousands_of_new_units_create_their_buildings_and_reimport_unchanged(street_a, areas):
    plan = import_sheet(street_a, unit_heads())

    assert counts(plan) == {"rows": UNITS, "new": UNITS, "changed": 0, "unchanged": 0, "skipped": 0}
    assert Area.objects.filter(code__startswith=GRID_A1).count() == 1 + 1 + 1 + 80 + UNITS
    report = tree.check()
    assert report.ok, report.problems

    plan = import_sheet(street_a, unit_heads())

    assert counts(plan)["unchanged"] == UNITS
