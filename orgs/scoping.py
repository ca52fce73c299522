"""The one door to data: every query for a user's records goes through `.scoped(user, action)`.

A user's scope is the union of the subtrees of their role assignments. A subtree is every
area whose code starts with the assignment area's code (DESIGN §1), so the scope of any
model is one SQL condition on the code of its area — no recursion, no query per node.
Out-of-scope objects are simply absent from the queryset, so views answer 404 for them.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, OuterRef, Q

from .choices import Role


class Action:
    """The actions of the orgs app. Every app names its own in its permissions.py
    ("grids.change_roster", "assessment.run", …) and registers the roles that hold them."""

    VIEW = "view"  # read pages, API, exports: every role, over its subtree
    MANAGE_TREE = "orgs.manage_tree"  # create, edit, move and delete areas; import the tree
    MANAGE_ROLES = "orgs.manage_roles"  # grant and revoke role assignments; manage users (strictly below)
    READ_API_DOCS = "orgs.read_api_docs"  # the API's documentation, for the offices that integrate
    MANAGE_DEPARTMENTS = "orgs.manage_departments"  # add, edit, delete and import functional departments


SUBTREE = "subtree"  # the assignment's area and everything below it
BELOW = "below"  # strictly below the assignment's area

# action → {role: where}: filled by each app's permissions.py through `register_actions`.
ACTION_RULES = {}


def register_actions(rules):
    """Declare actions and the roles that hold them: {action: {role: SUBTREE or BELOW}}."""
    for action, roles in rules.items():
        ACTION_RULES.setdefault(action, {}).update(roles)


# action → [predicate(user)]: users who hold an action without an area (a reporting unit's own
# account logs its members' service wherever they reported); the rows they reach are the model's
# `scope_hook`'s to say.
HOLDERS_WITHOUT_AREA = {}


def register_holders_without_area(action, predicate):
    HOLDERS_WITHOUT_AREA.setdefault(action, []).append(predicate)


register_actions(
    {
        Action.VIEW: {role: SUBTREE for role in Role},
        Action.MANAGE_TREE: {Role.ORG_DEPARTMENT: BELOW, Role.STREET_CADRE: BELOW, Role.COMMUNITY_CADRE: BELOW},
        # Strictly below: a district's 组织部 grants roles over its streets, not over its own district,
        # and manages the users below it, not its peers; the same level is the level above's.
        Action.MANAGE_ROLES: {Role.ORG_DEPARTMENT: BELOW},
        Action.READ_API_DOCS: {Role.ORG_DEPARTMENT: SUBTREE},
        # A district's 组织部 keeps its own district's departments (they belong to the district).
        Action.MANAGE_DEPARTMENTS: {Role.ORG_DEPARTMENT: SUBTREE},
    }
)


def every_role_but(*roles):
    """{role: SUBTREE} for every role except `roles`: the rule of an app's own reading action
    (`view_action`) where a role does not read the app's records at all."""
    return {role: SUBTREE for role in Role if role not in roles}


def read_action(model):
    """The action that reads `model`'s rows: the model's `view_action` where not every role reads
    them (a functional department reads the tree and its own work, not the roster or the party),
    else Action.VIEW. `.scoped(user, Action.VIEW)` narrows by it, and the kit's lists, menus and
    record pages ask it."""
    return getattr(model, "view_action", Action.VIEW)


@dataclass(frozen=True)
class Scope:
    code: str
    strict: bool  # True: the area itself is excluded, only what lies below it
    # True: the area is the root of the only tree — the whole city — so that every row with an area
    # lies in it, and the condition needs no join to the areas (a city-wide list sorts its own rows).
    whole: bool = False


def user_scopes(user, action):
    """The (code, strict) pairs where `user` may perform `action`; cached on the user object."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return []
    cache = _assignments(user)
    if action not in ACTION_RULES:
        raise LookupError(f"unknown action {action!r}: declare it in the app's permissions.py")
    scopes = set()
    for role, code, *_names, parent_id, another_root in cache:
        mode = ACTION_RULES[action].get(role)
        if mode:
            strict = mode == BELOW
            scopes.add(Scope(code, strict, whole=not strict and parent_id is None and not another_root))
    return sorted((s for s in scopes if not _covered(s, scopes)), key=lambda s: s.code)


def _assignments(user):
    """The user's (role, area code, area name, department short name, department name, department id,
    the area's parent id, whether another area is a root), in one query per request: the scopes, the
    offices shown in the menu bar and the user's departments read it."""
    cache = user.__dict__.get("_jiceng_assignments")
    if cache is None:
        from .models import Area, RoleAssignment

        # Whether another area is a root too: an assignment at the root of the only tree is the
        # whole city (Scope.whole), asked in the same query.
        another_root = Exists(Area.objects.filter(parent__isnull=True).exclude(pk=OuterRef("area_id")))
        cache = list(
            RoleAssignment.objects.filter(user=user)
            .annotate(another_root=another_root)
            .order_by("area__code", "role")
            .values_list(
                "role",
                "area__code",
                "area__name",
                "department__short_name",
                "department__name",
                "department_id",
                "area__parent_id",
                "another_root",
            )
        )
        user.__dict__["_jiceng_assignments"] = cache
    return cache


def user_roles(user):
    """The roles the user holds somewhere (read with the scopes, once a request)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return set()
    return {role for role, *_rest in _assignments(user)}


def user_offices(user):
    """The offices the user acts as — 朝阳区委组织部, 前进街道党工委, 朝阳区住建局 — for the menu bar."""
    from .models import office_label

    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return []
    offices = []
    for role, _code, area_name, short_name, name, *_tree in _assignments(user):
        office = office_label(role, area_name, short_name or name or "")
        if office not in offices:
            offices.append(office)
    return offices


def _covered(scope, scopes):
    """A scope inside another one adds nothing: drop it to keep the SQL condition short."""
    for other in scopes:
        if other == scope or other.strict:
            continue
        if scope.code.startswith(other.code) and (scope.code != other.code or scope.strict):
            return True
    return False


# What ties a user to areas besides role assignments: (rows, path) pairs registered by the apps,
# `rows()` a queryset with a `user_id` and `path` the code of the area it ties the user to (a
# reporting unit's own account is tied to the unit's area).
USER_TIES = []


def register_user_tie(rows, path):
    USER_TIES.append((rows, path))


def _ties():
    from .models import RoleAssignment

    return [(RoleAssignment.objects.all(), "area__code"), *((rows(), path) for rows, path in USER_TIES)]


def visible_users(user, action=Action.MANAGE_ROLES, *, active=True):
    """The users `user` may see when granting roles: those with a role (or another tie) somewhere
    in the user's scope for `action` (a superuser: everybody). Nobody else is listed or accepted,
    and a foreign user and a missing one get the same answer. `active=None`: the deactivated too
    (user management lists them, to restore them)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    if active is not None:
        users = users.filter(is_active=active)
    if getattr(user, "is_superuser", False):
        return users
    scopes = user_scopes(user, action)
    if not scopes:
        return users.none()
    condition = Q(pk__in=[])
    for rows, path in _ties():
        condition |= Q(pk__in=rows.filter(scope_condition(path, scopes)).values("user_id"))
    return users.filter(condition)


def manageable_users(user, action=Action.MANAGE_ROLES, *, active=None):
    """The users `user` manages (new password, deactivation, new roles): every role and tie of
    theirs lies in the user's scope for `action` — strictly below the granter, never a peer nor one
    who also serves above or beside it — and they are neither a superuser nor the user."""
    users = visible_users(user, action, active=active).filter(is_superuser=False).exclude(pk=user.pk)
    if getattr(user, "is_superuser", False):
        return users
    scopes = user_scopes(user, action)
    for rows, path in _ties():
        users = users.exclude(pk__in=rows.exclude(scope_condition(path, scopes)).values("user_id"))
    return users


def forget_scopes(user):
    """Drop the cached assignments, e.g. after granting a role in the same request."""
    user.__dict__.pop("_jiceng_assignments", None)


# --- the subtree: one condition, written here only -------------------------------------------
#
# An area's subtree is every area whose code starts with its code (DESIGN §1). Every app asks
# these helpers, for the ORM and for raw SQL alike; nothing else spells the condition.


def within(path, code):
    """ORM: the area reached by `path` ("code", "area__code", …) is the area `code` or below it."""
    return Q(**{f"{path}__startswith": code})


def within_sql(column, root):
    """Raw SQL: the code `column` is the code `root` (a column or a placeholder) or below it. A
    range on the C-collated codes (':' sorts after every digit), so that the index of the code
    serves it even when `root` is a column of another table."""
    return f"({column} >= {root} AND {column} < {root} || ':')"


def each_subtree_sql(figures, tables, where="TRUE"):
    """Raw SQL: one row per area `r` of the levels `%(levels)s` (`as_levels`) that has rows under it: its id, then
    `figures` (aggregates) over `tables` (which name the area table `a`) and `where`, counting the
    rows of `a` and of every area below it. An area's code begins with its ancestors' codes, so a
    row's ancestor of each level is found by equality on a prefix of its code — a hash join,
    whatever the number of areas — for each length the codes of those levels have (one a level).
    A range join (`within_sql`) of every area of a level with every row took the city's 4,839
    grids × 150,000 heads a minute; this takes a fraction of a second."""
    from .models import Area

    table = Area._meta.db_table
    return f"""
    SELECT r.id, {figures}
      FROM {tables}
      JOIN (SELECT DISTINCT length(code) FROM {table} WHERE level = ANY(%(levels)s)) AS k(len)
        ON length(a.code) >= k.len
      JOIN {table} r ON r.code = left(a.code, k.len) AND r.level = ANY(%(levels)s)
     WHERE {where}
     GROUP BY r.id
    """


def as_levels(level):
    """The `levels` parameter of `each_subtree_sql`: one level, or several (all in one query)."""
    return [str(level)] if isinstance(level, str) else [str(each) for each in level]


def below_sql(column, root):
    """Raw SQL: the code `column` lies strictly below the code `root`."""
    return f"({column} > {root} AND {column} < {root} || ':')"


def scope_condition(path, scopes):
    """A Q object: the area reached by `path` (a code field path) lies in one of `scopes`."""
    condition = Q(pk__in=[])
    for scope in scopes:
        if scope.whole:  # the whole city: every row with an area (no join to the areas)
            condition |= Q(**{f"{path.removesuffix('__code')}__isnull": False})
            continue
        part = within(path, scope.code)
        if scope.strict:
            part &= ~Q(**{path: scope.code})
        condition |= part
    return condition


def scope_sql(column, scopes):
    """The raw-SQL twin of `scope_condition`: (sql, params) for a code column, e.g. "a.code"."""
    parts, params = [], []
    for scope in scopes:
        if scope.whole:
            parts.append(f"({column} IS NOT NULL)")
            continue
        parts.append((below_sql if scope.strict else within_sql)(column, "%s"))
        params += [scope.code, scope.code]
    return ("(" + " OR ".join(parts) + ")" if parts else "FALSE"), params


def scoped_area(request, code, action=Action.VIEW):
    """The area of `code` if the request's user may `action` on it; else 404, as for a missing one,
    so that an answer never tells an area outside the scope exists."""
    from django.shortcuts import get_object_or_404

    from .models import Area

    return get_object_or_404(Area.objects.scoped(request.user, action), code=code)


def can(user, action, obj):
    """Whether `user` may perform `action` on `obj`: an Area, an area code, or a record of a scoped
    model (then one query: is it in `.scoped(user, action)`?)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if isinstance(obj, str):
        code = obj
    elif getattr(type(obj), "scope_path", None) == "code":
        code = obj.code
    else:
        return type(obj)._default_manager.scoped(user, action).filter(pk=obj.pk).exists()
    return in_scopes(code, user_scopes(user, action))


def can_anywhere(user, action):
    """Whether `user` may perform `action` somewhere (for menus and buttons); superusers may."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or user_scopes(user, action):
        return True
    return any(holds(user) for holds in HOLDERS_WITHOUT_AREA.get(action, ()))


def holders(action, area):
    """The ids of the active users who hold `action` at `area` (an Area or its code), the nearest
    ones: of the role assignments that give the action there (on the area or above it, and strictly
    above for a rule of BELOW), those on the deepest area. A returned community's cadres are told,
    not also its street's, who hold the same action over it; a community's submission goes to its
    street, whose cadres return it, before the district. Two queries at most, whatever the tree."""
    from .models import RoleAssignment

    code = area if isinstance(area, str) else area.code
    rules = ACTION_RULES.get(action)
    if rules is None:
        raise LookupError(f"unknown action {action!r}: declare it in the app's permissions.py")
    ancestors = [code[:n] for n in range(2, len(code) + 1)]
    found = [
        (user_id, assignment_code)
        for user_id, role, assignment_code in RoleAssignment.objects.filter(
            role__in=list(rules), area__code__in=ancestors, user__is_active=True
        ).values_list("user_id", "role", "area__code")
        if not (rules[role] == BELOW and assignment_code == code)
    ]
    if not found:
        return []
    nearest = max(len(assignment_code) for _user, assignment_code in found)
    return sorted({user_id for user_id, assignment_code in found if len(assignment_code) == nearest})


def in_scopes(code, scopes):
    return any(code.startswith(s.code) and not (s.strict and code == s.code) for s in scopes)


def restrict(queryset, user, action, path):
    """`queryset` narrowed to the rows whose area (reached by `path`, a code field path) lies in
    the user's scope for `action`: everything for a superuser, nothing for an inactive user or
    one without a scope. ScopedQuerySet.scoped uses it with the model's `scope_path`; a queryset of
    another model (history events of a scoped model) uses it with its own path."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset.all()
    scopes = user_scopes(user, read_action(queryset.model) if action == Action.VIEW else action)
    if not scopes:
        return queryset.none()
    return queryset.filter(model_scope_condition(queryset.model, path, scopes))


def model_scope_condition(model, path, scopes):
    """`scope_condition` for rows of `model`, reaching the area through a foreign key of the row's
    own as `key IN (SELECT id FROM <owner> WHERE …)` ("organisation__area__code": the meetings
    whose organisation_id is one of the scope's organisations), when the rows are listed in an
    order of their own (a meeting's day). The planner then counts the owners in scope: a
    community's few are read first and their rows sorted, while a city's list walks the index of
    its order; a join of owner and area made it guess, and a community's newest meetings took a
    walk through half the table. Rows listed in their owner's order (members by organisation name)
    keep the join: in that order one place's rows lie together, and a walk would cross the city."""
    first, _, rest = path.partition("__")
    ordering = model._meta.ordering or ["pk"]
    own_order = "__" not in str(ordering[0]).lstrip("-")
    if "__" in rest and own_order:
        field = model._meta.get_field(first)
        if field.many_to_one or (field.one_to_one and field.concrete):
            owner = field.related_model
            owners = owner._base_manager.filter(model_scope_condition(owner, rest, scopes)).values("pk")
            return Q(**{f"{first}__in": owners})
    return scope_condition(path, scopes)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to a user's scope.

    A model whose rows not every role reads declares `view_action` (the app's reading action):
    `.scoped(user, Action.VIEW)` then reads over that action's scopes (see `read_action`).

    Models declare `scope_path`: the lookup path to the code of the area that owns a row
    ("code" for Area itself, "area__code" for a model with an `area` foreign key), and
    `scope_distinct = True` when that path crosses a to-many relation. A record that belongs to
    several areas or to a department declares instead `scope_hook(user, action, scopes)`, a
    classmethod returning the Q of the rows the user reaches (e.g. any of its areas in scope,
    or addressed to the user's department), and `scope_hook_flat = True` when that Q never
    multiplies rows (it crosses no to-many relation), to spare the `id IN (…)` around it.
    """

    def scoped(self, user, action=Action.VIEW):
        hook = getattr(self.model, "scope_hook", None)
        distinct = getattr(self.model, "scope_distinct", False)
        if hook is None and not distinct:
            return restrict(self, user, action, self.model.scope_path)
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        # Reading is the model's own action where it has one; the hook is still asked for VIEW.
        scopes = user_scopes(user, read_action(self.model) if action == Action.VIEW else action)
        if hook is not None:
            # A record of several areas, or of a department: the model says which rows the user
            # reaches (a Q over its own relations), given the user's scopes for the action.
            condition = hook(user, action, scopes)
            if getattr(self.model, "scope_hook_flat", False):
                # The hook's Q crosses no to-many relation (`id IN (…)` subqueries): applied as it
                # is, so that the planner may start from the query's own narrower conditions.
                return self.filter(condition)
        else:
            # The path crosses a to-many relation: filter by a subquery, so rows stay unique.
            condition = scope_condition(self.model.scope_path, scopes)
        return self.filter(pk__in=self.model._base_manager.filter(condition).values("pk"))


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def user_departments(user):
    """The ids of the functional departments `user` serves in (their department roles'), read with
    the scopes (one query a request)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return []
    return sorted(
        {department for role, *_names, department, _parent, _root in _assignments(user) if role == Role.DEPARTMENT}
        - {None}
    )


def addressed_to_department(path, *, areas=None, actions=(Action.VIEW,)):
    """The ready scope hook for records addressed to a functional department (a whistle, a
    property evaluation handed to 住建): a user reaches a row when it is addressed to a department
    the user serves in (`path`, the lookup of its department), for `actions` only (reading, by
    default) — and, when `areas` names the lookup of the row's area code(s), from any of its areas
    in the user's scope like any record:

        class Whistle(models.Model):
            area = models.ForeignKey(Area, …)
            department = models.ForeignKey(Department, …)
            objects = ScopedManager()
            scope_hook = addressed_to_department("department", areas="area__code")
    """

    def hook(cls, user, action, scopes):
        condition = scope_condition(areas, scopes) if areas else Q(pk__in=[])
        if action in actions:
            departments = user_departments(user)
            if departments:
                condition |= Q(**{f"{path}__in": departments})
        return condition

    return classmethod(hook)
