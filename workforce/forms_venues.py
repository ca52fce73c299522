"""党群服务阵地's and 示范点's forms: every choice narrowed to the user's scope (ScopedModelForm), the
area typed by its code; a venue's photos and a site's naming document checked as every upload is
(core.files); the floor area's and the level's refusals are the model's (one rule for the form,
the API and the import)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import files
from core.forms import ScopedModelForm
from core.widgets import FileInput

from .models_venues import DemonstrationSite, Venue, VenuePhoto
from .permissions import KEEP_VENUES, MARK_SITES

MAX_PHOTOS = 9
PHOTO_KINDS = (files.IMAGE,)
DOCUMENT_KINDS = (files.PDF, files.IMAGE)
MAX_BYTES = 10 * 1024 * 1024


class PhotosInput(FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input, each an image by its name and its content (core.files)."""

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if len(uploads) > MAX_PHOTOS:
            raise ValidationError(_("一次最多上传 {n} 张照片。").format(n=MAX_PHOTOS))
        return [
            files.check_upload(super(PhotosField, self).clean(upload), kinds=PHOTO_KINDS, max_bytes=MAX_BYTES)
            for upload in uploads
        ]


def check_document(upload):
    """A naming document: PDF or image, at most 10 MB; refused in Chinese otherwise."""
    if upload and hasattr(upload, "size"):
        files.check_upload(upload, kinds=DOCUMENT_KINDS, max_bytes=MAX_BYTES)
    return upload


class VenueForm(ScopedModelForm):
    action = KEEP_VENUES
    typed_keys = {"area": "code"}
    photos = PhotosField(
        label=_("阵地照片"),
        required=False,
        widget=PhotosInput(attrs={"accept": files.accept_attribute(PHOTO_KINDS), "multiple": True}),
        help_text=_("可一次选择多张 JPG/PNG 照片，每张不超过 10 MB，最多 9 张。"),
    )

    class Meta:
        model = Venue
        fields = [
            "area",
            "level",
            "name",
            "address",
            "floor_area",
            "opening_hours",
            "has_sign",
            "has_fixed_site",
            "has_facilities",
            "has_rules",
            "has_team",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].help_text = _("区划代码：街道中心填街道，社区服务站填社区，驿站填网格或楼栋。")
        self.fields["name"].help_text = _("与组织生活记录的“地点”一致，会议即计入本阵地。")
        self.fields["floor_area"].widget.attrs.update({"inputmode": "decimal", "min": "0.01", "step": "0.01"})
        self.fields["opening_hours"].widget.attrs["placeholder"] = _("如：周一至周五 8:30-17:30，周末轮值")

    def save(self, commit=True):
        venue = super().save(commit=commit)
        if commit:
            for upload in self.cleaned_data.get("photos") or []:
                VenuePhoto.objects.create(venue=venue, file=upload, name=upload.name[:200], uploaded_by=self.user)
        return venue


class DemonstrationSiteForm(ScopedModelForm):
    """Exactly one of an area (typed by its code), a party organisation or a venue."""

    action = MARK_SITES
    typed_keys = {"area": "code"}

    class Meta:
        model = DemonstrationSite
        fields = ["area", "organisation", "venue", "level", "theme", "year", "document_number", "document"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].required = False
        self.fields["area"].help_text = _("区划代码（社区、街道等作为示范点时填写）。")
        self.fields["organisation"].help_text = _("党组织作为示范点时选择。")
        self.fields["venue"].help_text = _("党群服务阵地作为示范点时选择。")
        self.fields["document"].widget = FileInput(attrs={"accept": files.accept_attribute(DOCUMENT_KINDS)})
        self.fields["document"].help_text = _("命名文件：PDF、JPG 或 PNG，不超过 10 MB（可不传）。")
        if self.instance.pk and self.instance.kind != "area" and "area" not in self.data:
            self.initial["area"] = ""

    def clean_document(self):
        try:
            upload = check_document(self.cleaned_data.get("document"))
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        if upload and hasattr(upload, "size"):
            self.instance.document_name = upload.name.rsplit("/", 1)[-1][:200]
        return upload

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in ("area", "organisation", "venue") if cleaned.get(name)]
        if len(chosen) != 1 and not self.errors.get("area"):
            raise ValidationError(_("请在区划、党组织、党群服务阵地中选择且只选择一项作为示范点。"))
        return cleaned

    def _post_clean(self):
        # The record's area is the subject's: an organisation's or a venue's own.
        organisation, venue = self.cleaned_data.get("organisation"), self.cleaned_data.get("venue")
        if organisation is not None:
            self.cleaned_data["area"] = organisation.area
        elif venue is not None:
            self.cleaned_data["area"] = venue.area
        super()._post_clean()
