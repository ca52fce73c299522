def test_the_cast_tree_is_a_valid_tree(areas):
    from orgs import tree

    report = tree.check()
    assert report.ok, report.problems
    assert report.areas == 12
