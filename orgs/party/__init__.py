"""The party side of orgs: organisations, members, organisation life and 双报到 (issue #9)."""
