"""The operator's page sums the files under MEDIA_ROOT and reads the free space of its disk."""

from core.operations import media_usage


def test_it_sums_the_files_of_every_folder(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one").write_bytes(b"1" * 100)
    (tmp_path / "a" / "b" / "two").write_bytes(b"2" * 50)

    usage = media_usage(tmp_path)

    assert (usage.used, usage.files, usage.complete) == (150, 2, True)
    assert usage.total > usage.free > 0


def test_a_missing_folder_takes_nothing_and_has_no_disk_figures(tmp_path):
    usage = media_usage(tmp_path / "missing")

    assert (usage.used, usage.files, usage.free) == (0, 0, None)
