"""党群服务阵地 (service venues, issue 21) and 示范点 (demonstration sites, 1+1+N).

A venue is a street's 党群服务中心, a community's 党群服务站 or a grid's (or a compound building's)
驿站: its floor area in m², its opening hours, its photos and the 五有 (统一标识, 固定场所, 服务设施,
管理制度, 服务队伍). It complies with the standard when its floor area is at least the city's figure
for its level (settings WORKFORCE_VENUE_STANDARDS, by city code over "default", as funds'
FUNDS_MINIMUMS) and it has all five; `lacks()` says in Chinese what it is short of, and the flag
`compliant` is stored on save (and by `recheck_compliance()` after bulk writes or a change of the
standards) so that lists, tiles and the assessment's figure filter on one column.

The meetings held at a venue are the party's own records (party.models.Meeting, `place`), never
typed twice: the meetings of the organisations of the venue's subtree whose place is its name.

A demonstration site is an area, a party organisation or a venue named a 示范点 at a level (国家级
to 区级) with its theme, year and the document (文号, and optionally the file) that named it. Its
`area` is the subject's own area (an organisation's or a venue's), which scopes it."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.citywise import merged_for
from orgs.choices import AreaLevel
from orgs.models import Area, AreaRecord
from orgs.scoping import within
from party.models import Meeting, PartyOrganisation

from .permissions import READ_VENUES


class VenueLevel(models.TextChoices):
    CENTRE = "centre", _("街道党群服务中心")
    STATION = "station", _("社区党群服务站")
    POST = "post", _("网格（小区）驿站")


# The area levels a venue of each level stands at: a street's centre, a community's station, a
# grid's or a compound building's post.
AREA_LEVELS = {
    VenueLevel.CENTRE: (AreaLevel.STREET,),
    VenueLevel.STATION: (AreaLevel.COMMUNITY,),
    VenueLevel.POST: (AreaLevel.GRID, AreaLevel.BUILDING),
}

# The smallest compliant floor area (m²) of each level, unless a city sets its own: a street centre
# 500 m² (seed 000, Changchun), a community station 200 m² (seed 001, Liupanshui), a grid or
# compound post 30 m² (no seed gives a figure: one room for a 驿站's desk and a few chairs).
DEFAULT_STANDARDS = {VenueLevel.CENTRE: 500, VenueLevel.STATION: 200, VenueLevel.POST: 30}
# Above this a floor area is taken for a typing error (m² typed as cm², a street's whole area).
MAX_FLOOR_AREA = Decimal("20000")

# The 五有: (field, what a venue without it lacks).
FIVE_HAVES = (
    ("has_sign", _("统一标识")),
    ("has_fixed_site", _("固定场所")),
    ("has_facilities", _("服务设施")),
    ("has_rules", _("管理制度")),
    ("has_team", _("服务队伍")),
)


def standards(code=""):
    """{venue level: Decimal m²} for a venue of area `code`: settings.WORKFORCE_VENUE_STANDARDS =
    {"default": {...}, "<city code>": {...}} — the longest configured prefix of `code` wins over
    shorter ones and the default; a level missing there keeps the figure above."""
    chosen = merged_for(DEFAULT_STANDARDS, getattr(settings, "WORKFORCE_VENUE_STANDARDS", {}), code)
    return {VenueLevel(level): Decimal(str(value)) for level, value in chosen.items()}


def area_refusal(value):
    """The Chinese reason a floor area is refused (zero, negative or absurd), or ""."""
    if value is None:
        return ""
    if value <= 0:
        return _("建筑面积须大于零（填写的是 {value}）。").format(value=value)
    if value > MAX_FLOOR_AREA:
        return _("建筑面积 {value} 平方米超出合理范围（不超过 {most:,} 平方米），请核对单位。").format(
            value=value, most=int(MAX_FLOOR_AREA)
        )
    return ""


def venue_photo_path(photo, filename):
    return f"workforce/venues/{photo.venue.area.code}/{photo.venue_id}/{filename}"


class Venue(AreaRecord):
    """党群服务阵地: a street's 党群服务中心, a community's 党群服务站 or a grid's (compound's) 驿站."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="workforce_venue_set",
        related_query_name="workforce_venue",
    )
    level = models.CharField(_("阵地层级"), max_length=16, choices=VenueLevel.choices)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    floor_area = models.DecimalField(_("建筑面积（平方米）"), max_digits=9, decimal_places=2)
    opening_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    has_sign = models.BooleanField(_("统一标识"), default=False)
    has_fixed_site = models.BooleanField(_("固定场所"), default=False)
    has_facilities = models.BooleanField(_("服务设施"), default=False)
    has_rules = models.BooleanField(_("管理制度"), default=False)
    has_team = models.BooleanField(_("服务队伍"), default=False)
    compliant = models.BooleanField(_("规范化达标"), default=False, editable=False)

    view_action = READ_VENUES
    pick_search_fields = ("name", "area__name", "area__code")

    class Meta:
        verbose_name = _("党群服务阵地")
        verbose_name_plural = _("党群服务阵地")
        ordering = ["area__code", "level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="workforce_venue_unique_name",
                violation_error_message=_("该区划已有同名阵地，请修改原记录。"),
            ),
        ]
        indexes = [models.Index(fields=["compliant", "level"], name="workforce_venue_compliant")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        refusal = area_refusal(self.floor_area)
        if refusal:
            errors["floor_area"] = refusal
        if self.area_id and self.level in AREA_LEVELS and self.area.level not in AREA_LEVELS[self.level]:
            errors["level"] = _("{level}应设在{levels}，而“{area}”是{area_level}。").format(
                level=VenueLevel(self.level).label,
                levels="或".join(str(AreaLevel(each).label) for each in AREA_LEVELS[self.level]),
                area=self.area.name,
                area_level=self.area.get_level_display(),
            )
        if errors:
            raise ValidationError(errors)

    def standard(self):
        """The smallest compliant floor area (m²) for this venue's level in its city."""
        return standards(self.area.code if self.area_id else "").get(self.level)

    def lacks(self):
        """What the venue is short of, as Chinese reasons: the floor area below the standard and
        each of the 五有 it has not; empty when it complies."""
        reasons = []
        floor = self.standard()
        if floor is not None and self.floor_area is not None and self.floor_area < floor:
            reasons.append(
                _("建筑面积 {area} 平方米，低于{level}标准 {floor} 平方米").format(
                    area=f"{self.floor_area.normalize():f}", level=self.get_level_display(), floor=f"{floor:f}"
                )
            )
        reasons += [_("缺{what}").format(what=label) for name, label in FIVE_HAVES if not getattr(self, name)]
        return reasons

    def save(self, *args, **kwargs):
        self.compliant = not self.lacks()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "compliant"}
        super().save(*args, **kwargs)

    def meetings(self):
        """The party's meetings held here: those of the organisations of the venue's subtree whose
        place is the venue's name (typed once, in the meeting's record)."""
        return Meeting.objects.filter(within("organisation__area__code", self.area.code), place=self.name)

    def breadcrumb(self):
        return self.area.breadcrumb()


def recheck_compliance(venues=None):
    """Store `compliant` again for `venues` (default: all) after a bulk write or a change of the
    standards; returns how many changed."""
    rows = list((venues if venues is not None else Venue.objects.all()).select_related("area"))
    changed = []
    for venue in rows:
        now = not venue.lacks()
        if venue.compliant != now:
            venue.compliant = now
            changed.append(venue)
    Venue.objects.bulk_update(changed, ["compliant"], batch_size=2000)
    return len(changed)


class VenuePhoto(models.Model):
    """A venue's photo (阵地照片), checked as every upload is (core.files) and served only to who may
    see the venue."""

    venue = models.ForeignKey(Venue, verbose_name=_("党群服务阵地"), related_name="photos", on_delete=models.CASCADE)
    file = models.FileField(_("照片"), upload_to=venue_photo_path, max_length=255)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), related_name="+", null=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("阵地照片")
        verbose_name_plural = _("阵地照片")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class SiteLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")


class SiteKind(models.TextChoices):
    AREA = "area", _("区划")
    ORGANISATION = "organisation", _("党组织")
    VENUE = "venue", _("党群服务阵地")


def site_document_path(site, filename):
    return f"workforce/sites/{site.year}/{site.area.code}/{filename}"


class DemonstrationSite(AreaRecord):
    """示范点 (1+1+N): an area, a party organisation or a venue named a demonstration site at a level,
    with its theme, the year and the document (文号) that named it. Exactly one subject: the
    organisation, else the venue, else the area itself; the record's area is the subject's."""

    area = models.ForeignKey(
        Area,
        verbose_name=_("区划"),
        on_delete=models.PROTECT,
        related_name="workforce_demonstrationsite_set",
        related_query_name="workforce_demonstrationsite",
    )
    organisation = models.ForeignKey(
        PartyOrganisation,
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="demonstration_sites",
        null=True,
        blank=True,
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("党群服务阵地"),
        on_delete=models.PROTECT,
        related_name="demonstration_sites",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("示范对象"), max_length=16, choices=SiteKind.choices, editable=False)
    level = models.CharField(_("示范级别"), max_length=16, choices=SiteLevel.choices)
    theme = models.CharField(_("示范主题"), max_length=100)
    year = models.PositiveSmallIntegerField(
        _("命名年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    document_number = models.CharField(_("命名文号"), max_length=100)
    document = models.FileField(_("命名文件"), upload_to=site_document_path, max_length=255, blank=True)
    document_name = models.CharField(_("命名文件名"), max_length=200, blank=True, editable=False)

    view_action = READ_VENUES

    class Meta:
        verbose_name = _("示范点")
        verbose_name_plural = _("示范点")
        ordering = ["-year", "area__code", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(organisation__isnull=False, venue__isnull=False),
                name="workforce_site_one_subject",
                violation_error_message=_("示范点只能是一个区划、一个党组织或一个阵地，不能同时选择党组织和阵地。"),
            ),
        ]
        indexes = [models.Index(fields=["level", "year"], name="workforce_site_level_year")]

    def __str__(self):
        return _("{subject}（{level}{theme}示范点）").format(
            subject=self.subject_name(), level=self.get_level_display(), theme=self.theme
        )

    def subject_name(self):
        if self.organisation_id:
            return self.organisation.name
        if self.venue_id:
            return self.venue.name
        return self.area.name if self.area_id else ""

    def take_subject(self):
        """The record's area and kind from its subject (an organisation's area, a venue's)."""
        if self.organisation_id:
            self.area_id, self.kind = self.organisation.area_id, SiteKind.ORGANISATION
        elif self.venue_id:
            self.area_id, self.kind = self.venue.area_id, SiteKind.VENUE
        else:
            self.kind = SiteKind.AREA

    def clean(self):
        super().clean()
        if self.organisation_id and self.venue_id:
            raise ValidationError(_("示范点只能是一个区划、一个党组织或一个阵地，不能同时选择党组织和阵地。"))
        self.take_subject()

    def save(self, *args, **kwargs):
        self.take_subject()
        if self.document and not self.document_name:
            self.document_name = self.document.name.rsplit("/", 1)[-1][:200]
        super().save(*args, **kwargs)

    def breadcrumb(self):
        return self.area.breadcrumb()
