"""The scoping gate, as the kit sees it.

The gate itself — who may do which action where — belongs to `orgs` (areas, role assignments,
`.scoped(user, action)`), which installs it here from its AppConfig.ready(); the kit's views,
forms, API and menus ask through these two functions and never import an app.
"""

_gate = None


def install(gate):
    """`gate` offers can(user, action, obj), can_anywhere(user, action), read_action(model), within(path,
    code) and holders(action, area)."""
    global _gate
    _gate = gate


def can(user, action, obj):
    """Whether `user` may do `action` on `obj` (an area, an area code or a scoped record)."""
    return _gate.can(user, action, obj)


def can_anywhere(user, action):
    """Whether `user` may do `action` somewhere (superusers: always): for menus and buttons."""
    return _gate.can_anywhere(user, action)


def read_action(model):
    """The action that reads records of `model`: "view", or its app's own where a role does not
    read them (a functional department reads the tree and its own work, not the roster)."""
    return _gate.read_action(model)


def reads_elsewhere_only(user, model):
    """Whether `model`'s pages are not there for `user` (404, as for an outsider): a user who holds
    roles, none of which reads it; or a user without a role (an account of a record, such as a
    reporting unit's) where the model does not declare `reached_by_accounts` — its scope hook then
    says what such a user reaches."""
    if getattr(user, "is_superuser", False):
        return False
    if not _gate.can_anywhere(user, "view"):
        return not getattr(model, "reached_by_accounts", False)
    return not _gate.can_anywhere(user, read_action(model))


def within(path, code):
    """The ORM condition "the area reached by `path` is the area `code` or below it": the subtree,
    whose one spelling is the gate's (orgs.scoping.within)."""
    return _gate.within(path, code)


def holders(action, area):
    """The ids of the active users who hold `action` at `area` (an area or its code), the nearest
    ones: those whose role gives it on the deepest area at or above it (a community's cadres rather
    than its street's). Whom a notice tells (core/notices.py)."""
    return _gate.holders(action, area)
