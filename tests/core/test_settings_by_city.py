"""A setting kept per city (core.citywise): the default, then each configured code the area's code
starts with, the longest last — laid over a base (funds' minimums, venue standards) or chosen whole
(a ladder, a staffing standard)."""

from core.citywise import chosen_for, entries_for, merged_for

SETTING = {"2201": {"b": 2}, "default": {"a": 1, "b": 1}, "220104": {"b": 3}, "4201": {"b": 9}}


def test_the_entries_that_apply_run_from_the_default_to_the_longest_prefix():
    assert entries_for(SETTING, "220104001") == [{"a": 1, "b": 1}, {"b": 2}, {"b": 3}]
    assert entries_for(SETTING, "5202") == [{"a": 1, "b": 1}]
    assert entries_for({"2201": 1}, "") == []


def test_merged_keeps_what_the_city_leaves_out():
    assert merged_for({"a": 0, "c": 5}, SETTING, "220104001") == {"a": 1, "b": 3, "c": 5}
    assert merged_for({"c": 5}, {}, "2201") == {"c": 5}


def test_chosen_is_the_longest_prefix_else_the_default_else_the_fallback():
    assert chosen_for(SETTING, "2201001", None) == {"b": 2}
    assert chosen_for({"2201": 10}, "4201", 18) == 18
    assert chosen_for({"default": 12, "2201": 10}, "4201", 18) == 12
