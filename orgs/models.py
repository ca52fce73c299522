import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.db.models.signals import class_prepared
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet

from .choices import AreaLevel, Role
from .scoping import ScopedManager, ScopedQuerySet

code_validator = RegexValidator(r"^\d{2,32}$", _("区划代码只能由2至32位数字组成。"))
phone_validator = RegexValidator(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", _("请输入11位手机号或带区号的固定电话。"))


class User(AbstractUser):
    """A portal user (用户): a cadre, a grid worker, an official of an organisation department."""

    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])

    personal_data_fields = {"phone": "phone"}

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.get_full_name() or self.username

    @classmethod
    def personal_data_queryset(cls, user):
        """Whose phone a user may reveal: the users the user may see when granting roles."""
        from .scoping import visible_users

        return visible_users(user)

    def get_full_name(self):
        # Chinese names are family name first, without a space.
        return f"{self.last_name}{self.first_name}".strip()


class AreaQuerySet(TreeQuerySet, ScopedQuerySet):
    pass


class AreaManager(TreeManager.from_queryset(AreaQuerySet)):
    def get_queryset(self, *args, **kwargs):
        # Not mptt's order by (tree_id, lft), which has no index here (see Area): Meta.ordering
        # orders by code, the preorder, and stays out of GROUP BY in aggregations.
        return AreaQuerySet(self.model, using=self._db)


@pghistory.track(
    # Inserts and deletes at statement level: a bulk load fires one trigger, not one per row.
    # Updates stay at row level: a column list (UPDATE OF) cannot have transition tables,
    # and the column list is what keeps the lft/rght shift of an insert out of the history.
    pghistory.InsertEvent(level=pghistory.Statement),
    pghistory.UpdateEvent(operation=pgtrigger.UpdateOf("code", "name", "level", "parent_id")),
    pghistory.DeleteEvent(level=pghistory.Statement),
    fields=["code", "name", "level", "parent"],
    model_name="AreaEvent",
    # The home page's latest changes (core.history.latest): the newest events by time, or a
    # street's by the code each event keeps.
    meta={
        "indexes": [
            models.Index(fields=["pgh_created_at", "pgh_id"], name="orgs_areaevent_created"),
            models.Index(fields=["code", "pgh_created_at", "pgh_id"], name="orgs_areaevent_code"),
        ]
    },
)
class Area(MPTTModel):
    """区划/治理单元: a node of the area tree — city, district, street, community, grid, building, unit.

    The code (区划代码) is the natural key and a child's code extends its parent's, so a
    subtree is every area whose code starts with its code, and codes sort in preorder.

    Tree writes go through orgs/tree.py only (one locked path): `save()` of a new area and
    `delete()` are routed there, and a plain `save()` of an existing area never writes the
    tree columns. lft/rght deliberately carry no index and the table keeps free space in its
    pages (fillfactor), so the shift of an insert is a run of heap-only updates (DESIGN §1).
    """

    code = models.CharField(_("区划代码"), max_length=32, unique=True, db_collation="C", validators=[code_validator])
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=AreaLevel.choices)
    parent = TreeForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True, related_name="children", on_delete=models.PROTECT
    )
    lft = models.PositiveIntegerField(editable=False, default=0)
    rght = models.PositiveIntegerField(editable=False, default=0)
    tree_id = models.PositiveIntegerField(editable=False, default=0, db_index=True)
    depth = models.PositiveIntegerField(editable=False, default=0)

    objects = AreaManager()
    scope_path = "code"

    TREE_FIELDS = ("code", "parent", "lft", "rght", "tree_id", "depth")

    class MPTTMeta:
        level_attr = "depth"

    class Meta:
        verbose_name = _("区划")
        verbose_name_plural = _("区划")
        ordering = ["code"]
        indexes = [
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="orgs_area_name_trgm"),
            # the areas of a level (each_subtree_sql's roots, a level's list): 440 communities of a
            # city's 165,368 areas read through it instead of a scan of every area (30 ms)
            models.Index(fields=["level", "code"], name="orgs_area_level_code"),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def get_absolute_url(self):
        return reverse("orgs:area_detail", kwargs={"code": self.code})

    def ancestor_codes(self):
        return [self.code[:n] for n in range(2, len(self.code))]

    def breadcrumb(self):
        """Ancestors from the root down, then the area itself: one indexed query on code."""
        ancestors = list(Area.objects.filter(code__in=self.ancestor_codes()).order_by("code"))
        return [*ancestors, self]

    def save(self, *args, **kwargs):
        from . import tree

        if self._state.adding:
            tree.insert_area(self)
            return
        # The tree columns are written by orgs/tree.py only; an instance may hold stale ones.
        update_fields = kwargs.pop("update_fields", None)
        editable = [f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in self.TREE_FIELDS]
        fields = [f for f in (update_fields or editable) if f not in self.TREE_FIELDS]
        models.Model.save(self, *args, update_fields=fields, **kwargs)

    def delete(self, *args, **kwargs):
        from . import tree

        return tree.delete_area(self)


# django-mptt adds an index on (tree_id, lft) to every tree model; an index on lft would make
# every shifted row of an insert rewrite its index entries (~1.3 s instead of ~0.2 s on a
# 165k-node tree, DESIGN §1). Subtrees are found by code prefix, so drop it.
Area._meta.indexes = [i for i in Area._meta.indexes if tuple(i.fields) != ("tree_id", "lft")]


class DepartmentKind(models.Model):
    """职能部门类别: 住建, 城管执法, 公安 … — a short list an office edits in the admin (seeded by a
    data migration), so that a city with a 城市管理委员会 or a 数据局 adds its kind without a release."""

    name = models.CharField(_("类别名称"), max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("职能部门类别")
        verbose_name_plural = _("职能部门类别")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


# A functional department belongs to a city or a district (朝阳区住房和城乡建设局, 市住建局).
DEPARTMENT_LEVELS = (AreaLevel.CITY, AreaLevel.DISTRICT)


@pghistory.track(model_name="DepartmentEvent")
class Department(models.Model):
    """职能部门: a functional department of a city or a district (DESIGN §2); a department role
    (`Role.DEPARTMENT`) names one."""

    name = models.CharField(_("部门名称"), max_length=100)
    short_name = models.CharField(
        _("简称"), max_length=40, blank=True, help_text=_("如“朝阳区住建局”，用作其用户的身份名称；留空时用全称。")
    )
    kind = models.ForeignKey(
        DepartmentKind, verbose_name=_("部门类别"), related_name="departments", on_delete=models.PROTECT
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("所属区划"),
        related_name="departments",
        on_delete=models.PROTECT,
        limit_choices_to={"level__in": DEPARTMENT_LEVELS},
        help_text=_("部门所属的市或区/县。"),
    )

    objects = ScopedManager()
    scope_path = "area__code"

    class Meta:
        verbose_name = _("职能部门")
        verbose_name_plural = _("职能部门")
        ordering = ["area__code", "kind__order", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="orgs_department_unique")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("orgs:department_detail", args=[self.pk])

    @property
    def label(self):
        """The name its users go by: the short name, else the full one."""
        return self.short_name or self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.area_id and self.area.level not in DEPARTMENT_LEVELS:
            raise ValidationError(
                {
                    "area": _("职能部门只能属于市或区/县，“{name}”是{level}。").format(
                        name=self.area.name, level=self.area.get_level_display()
                    )
                }
            )


@pghistory.track(model_name="RoleAssignmentEvent")
class RoleAssignment(models.Model):
    """角色授权: a user holds a role over an area's subtree (DESIGN §2)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), related_name="role_assignments", on_delete=models.CASCADE
    )
    area = models.ForeignKey(Area, verbose_name=_("区划"), related_name="role_assignments", on_delete=models.PROTECT)
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    # The department a department role (职能部门) serves in; none for every other role. Empty on a
    # department role granted before departments were records: shown as 未指定部门 until regranted.
    department = models.ForeignKey(
        Department,
        verbose_name=_("职能部门"),
        null=True,
        blank=True,
        related_name="role_assignments",
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_path = "area__code"
    personal_data_fields = {"phone": "user.phone"}

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        ordering = ["area__code", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "area", "role"], name="orgs_roleassignment_unique"),
            models.CheckConstraint(
                condition=models.Q(role=Role.DEPARTMENT) | models.Q(department__isnull=True),
                name="orgs_roleassignment_department_only_for_department_role",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.office}"

    @property
    def office(self):
        """The role as the office a cadre knows: 朝阳区委组织部, 前进街道党工委, 朝阳区住建局."""
        return office_label(self.role, self.area.name, self.department.label if self.department_id else "")


def office_label(role, area_name, department_label=""):
    """The office that holds `role` over the area named `area_name` (a department role: its
    department's short name, else a notice that none was named yet)."""
    from django.utils.translation import gettext

    if role == Role.DEPARTMENT:
        if department_label:
            return department_label
        return gettext("{area}职能部门（未指定部门）").format(area=area_name)
    pattern = {
        Role.ORG_DEPARTMENT: gettext("{area}委组织部"),
        Role.STREET_CADRE: gettext("{area}党工委"),
        Role.COMMUNITY_CADRE: gettext("{area}党委"),
        Role.GRID_WORKER: gettext("{area}网格员"),
    }[role]
    return pattern.format(area=area_name)


def department_error(role, area, department):
    """Why a role over `area` cannot name `department` (None when it can), in Chinese: a department
    role needs a department of the area or of a city or district above it; other roles name none."""
    from django.utils.translation import gettext

    if role != Role.DEPARTMENT:
        if department is not None:
            return gettext("只有“职能部门”角色需要选择部门；“{role}”不属于任何职能部门。").format(role=Role(role).label)
        return None
    if department is None:
        return gettext("请选择该用户所在的职能部门。")
    if area is not None and not area.code.startswith(department.area.code):
        return gettext("“{department}”属于{owner}，不能在“{area}”授权。").format(
            department=department.name, owner=department.area.name, area=area.name
        )
    return None


class AreaRecord(models.Model):
    """A record kept under one area (服务点, 报修, a property compound …): what an app's model
    subclasses instead of saying it again each time — its area (区划, typed by code in the API
    and the import, shown by code in the table: all from `scope_path`), the scoped manager
    (`.scoped(user, action)`), its page's address (ModelPages' "<app>:<model>_detail") and its
    history (a pghistory event model "<Model>Event", made for each concrete subclass; set
    `track_history = False` to go without).

        class ServicePoint(AreaRecord):
            name = models.CharField("名称", max_length=100)
            phone = PhoneField("联系电话")
    """

    area = models.ForeignKey(
        Area,
        verbose_name=_("区划"),
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
        related_query_name="%(app_label)s_%(class)s",
    )

    objects = ScopedManager()
    scope_path = "area__code"
    track_history = True

    class Meta:
        abstract = True
        ordering = ["area__code", "pk"]

    def get_absolute_url(self):
        return reverse(f"{self._meta.app_label}:{self._meta.model_name}_detail", args=[self.pk])


def track_area_record(sender, **kwargs):
    """Each concrete AreaRecord gets its history, as `@pghistory.track()` would give it."""
    if issubclass(sender, AreaRecord) and not sender._meta.abstract and sender.track_history:
        pghistory.track(model_name=f"{sender.__name__}Event")(sender)


class_prepared.connect(track_area_record)
