"""core.tables.YesNoColumn takes its header as its one positional argument, like every other column:
BooleanColumn's first argument is `null`, so `YesNoColumn(_("一肩挑"))` and core.declared.table_for's
yes/no columns were headed by the field's name (one_shoulder, is_flowing) instead of their label."""

import django_tables2 as tables

from core.declared import table_for
from core.tables import YesNoColumn
from party.models import PartyMember


class Row:
    def __init__(self, one_shoulder):
        self.one_shoulder = one_shoulder


class ShoulderTable(tables.Table):
    one_shoulder = YesNoColumn("一肩挑")


def test_the_positional_argument_is_the_header_and_cells_say_shi_or_fou():
    table = ShoulderTable([Row(True), Row(False)])

    assert [str(column.header) for column in table.columns] == ["一肩挑"]
    assert ["是" in row.get_cell("one_shoulder") for row in table.rows] == [True, False]
    assert [row.get_cell_value("one_shoulder") for row in table.rows] == ["是", "否"]


def test_a_declared_table_heads_its_yes_no_columns_with_the_field_label():
    table = table_for(PartyMember, ["name", "is_flowing"])([])

    assert str(table.columns["is_flowing"].header) == str(PartyMember._meta.get_field("is_flowing").verbose_name)
