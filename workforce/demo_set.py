"""The seeded indicator set with the workforce's leaves (workforce migration 0002), for seed_demo."""


def scored_copy():
    """The copy made again when missing — after the funds' copy (funds/demo_funding.py, an earlier
    filler) and before the assessment's demo, whose running quarter scores with the newest copy.
    Through the migration's own function (apps.get_model): the workforce imports nothing of the
    assessment."""
    import importlib

    from django.apps import apps

    return importlib.import_module("workforce.migrations.0002_default_set_with_workforce").forwards(apps, None)


def fill_scored_copy(size):
    """seed_demo's filler (core.registry), after the workforce's records. Returns the line printed."""
    made = scored_copy()
    return "已建立含队伍与阵地指标的考核指标体系。" if made else "含队伍与阵地指标的考核指标体系已存在。"
