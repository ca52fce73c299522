"""Placeholder, filled in step 6."""


def fill_demo_projects(size):
    return ""
