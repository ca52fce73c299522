import pghistory
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from orgs.models import Area, phone_validator
from orgs.scoping import ScopedManager, ScopedQuerySet

from .choices import HEAD_POSTS, Employment, Gender, PoliticalStatus, Post


# Statement-level triggers: one trigger call per COPY or UPDATE, not one per row (bulk imports).
@pghistory.track(model_name="PersonEvent", level=pghistory.Statement)
class Person(models.Model):
    """人员: somebody who holds or held a post of the roster (网格长, 楼栋长, 单元长, 网格员, 十联户长).

    Recognised across rows and sheets by the ID number (身份证号), or by name and phone when
    the ID number is missing. Phone and ID number are stored whole and shown masked.
    """

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[phone_validator])
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=16, choices=PoliticalStatus.choices, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()
    # A person is in scope where one of their posts is.
    scope_path = "posts__area__code"
    scope_distinct = True
    personal_data_fields = {"phone": "phone", "id_number": "id_number"}

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["id_number"], condition=~Q(id_number=""), name="grids_person_id_unique"),
        ]
        indexes = [models.Index(fields=["name", "phone"], name="grids_person_name_phone")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grids:person_detail", kwargs={"pk": self.pk})

    @property
    def is_party_member(self):
        return self.political_status in (PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY)


class HeadAssignmentQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(end_date__isnull=True)


@pghistory.track(model_name="HeadAssignmentEvent", level=pghistory.Statement)
class HeadAssignment(models.Model):
    """任职: a person holds a post on an area from a start date until an end date (when replaced).

    The three heads (网格长 on a grid, 楼栋长 on a building, 单元长 on a unit) have one current
    holder per area; grid workers and ten-household heads may be several per grid.
    """

    person = models.ForeignKey(Person, verbose_name=_("人员"), related_name="posts", on_delete=models.PROTECT)
    area = models.ForeignKey(Area, verbose_name=_("区划"), related_name="head_assignments", on_delete=models.PROTECT)
    post = models.CharField(_("职务"), max_length=24, choices=Post.choices)
    employment = models.CharField(_("专兼职"), max_length=16, choices=Employment.choices, blank=True)
    start_date = models.DateField(_("任职日期"))
    end_date = models.DateField(_("离任日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = models.Manager.from_queryset(HeadAssignmentQuerySet)()
    scope_path = "area__code"
    personal_data_fields = {"phone": "person.phone", "id_number": "person.id_number"}

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["area__code", "post", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "post"],
                condition=Q(end_date__isnull=True, post__in=list(HEAD_POSTS)),
                name="grids_one_current_head_per_area",
            ),
            models.UniqueConstraint(
                fields=["area", "post", "person"],
                condition=Q(end_date__isnull=True),
                name="grids_one_current_post_per_person",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="grids_post_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["area", "post"], condition=Q(end_date__isnull=True), name="grids_current")]

    def __str__(self):
        return f"{self.person} · {self.get_post_display()} · {self.area.name}"

    @property
    def is_current(self):
        return self.end_date is None
