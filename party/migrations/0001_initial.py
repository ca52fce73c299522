import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import party.models
import pgtrigger.compiler
import pgtrigger.migrations
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


# The models that moved from orgs, by name: their content types and logged labels follow them.
MOVED = [
    "InServiceMember",
    "InServiceMemberEvent",
    "Meeting",
    "MeetingAbsence",
    "MeetingEvent",
    "MeetingPhoto",
    "MemberTransfer",
    "MemberTransferEvent",
    "PartyMember",
    "PartyMemberEvent",
    "PartyOrganisation",
    "PartyOrganisationEvent",
    "ReportingUnit",
    "ReportingUnitEvent",
    "ServiceRecord",
    "ServiceRecordEvent",
    "UnitRegistration",
    "UnitRegistrationEvent",
]


def move_labels(apps, old, new):
    """What names the moved models by app label goes from `old` to `new`: their content types (so
    the permissions granted on them, the state changes and every generic relation follow) and the
    model labels of the personal-data access log ("orgs.PartyMember" → "party.PartyMember")."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    StateChange = apps.get_model("core", "StateChange")
    Access = apps.get_model("core", "PersonalDataAccess")
    User = apps.get_model("orgs", "User")
    Group = apps.get_model("auth", "Group")
    for name in MOVED:
        model = name.lower()
        kept = ContentType.objects.filter(app_label=old, model=model).first()
        fresh = ContentType.objects.filter(app_label=new, model=model).first()
        if kept is not None and fresh is not None:
            # Both exist (post_migrate made the new one in between): what points at the fresh one
            # goes to the kept one, which then takes the new label; the fresh one goes.
            StateChange.objects.filter(content_type=fresh).update(content_type=kept)
            for permission in Permission.objects.filter(content_type=fresh):
                same = Permission.objects.filter(content_type=kept, codename=permission.codename).first()
                if same is None:
                    permission.content_type = kept
                    permission.save(update_fields=["content_type"])
                    continue
                for holder_model, through in (
                    (User, User.user_permissions.through),
                    (Group, Group.permissions.through),
                ):
                    holder = holder_model._meta.model_name
                    already = set(through.objects.filter(permission=same).values_list(f"{holder}_id", flat=True))
                    through.objects.filter(permission=permission).exclude(**{f"{holder}_id__in": already}).update(
                        permission=same
                    )
            fresh.delete()
        if kept is not None:
            kept.app_label = new
            kept.save(update_fields=["app_label"])
        Access.objects.filter(model__iexact=f"{old}.{name}").update(model=f"{new}.{name}")


def forwards(apps, schema_editor):
    move_labels(apps, "orgs", "party")


def backwards(apps, schema_editor):
    move_labels(apps, "party", "orgs")


class Migration(migrations.Migration):
    """The party's models move here from orgs (issue #16) with their tables, rows and history: the
    tables keep their orgs_ names (db_table), so the models are created in state only, and orgs'
    0010 forgets them the same way. The history triggers are installed again under the party's
    names (orgs' 0010 removed them under orgs' names): same SQL, same tables. Then the content
    types and the access log's labels follow the models (and back, when undone)."""

    initial = True

    dependencies = [
        ("orgs", "0010_party_moves_to_its_own_app"),
        ("pghistory", "0007_auto_20250421_0444"),
        ("core", "0005_state_changes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Meeting",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("general_meeting", "支部党员大会"),
                                    ("committee_meeting", "支委会（党委会）"),
                                    ("group_meeting", "党小组会"),
                                    ("party_lecture", "党课"),
                                    ("party_day", "主题党日"),
                                    ("first_topic", "第一议题学习"),
                                ],
                                max_length=32,
                                verbose_name="类型",
                            ),
                        ),
                        ("held_on", models.DateField(default=django.utils.timezone.localdate, verbose_name="日期")),
                        ("place", models.CharField(blank=True, max_length=100, verbose_name="地点")),
                        ("host", models.CharField(blank=True, max_length=50, verbose_name="主持人")),
                        ("recorder", models.CharField(blank=True, max_length=50, verbose_name="记录人")),
                        ("topic", models.CharField(max_length=200, verbose_name="主题")),
                        ("minutes", models.TextField(blank=True, verbose_name="会议记录")),
                        (
                            "expected",
                            models.PositiveIntegerField(
                                default=0,
                                help_text="会议当日该组织的党员（支委会为支委会成员）人数。",
                                verbose_name="应到人数",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "组织生活",
                        "verbose_name_plural": "组织生活",
                        "db_table": "orgs_meeting",
                        "ordering": ["-held_on", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="InServiceMember",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=50, verbose_name="姓名")),
                        (
                            "gender",
                            models.CharField(
                                blank=True,
                                choices=[("male", "男"), ("female", "女")],
                                max_length=8,
                                verbose_name="性别",
                            ),
                        ),
                        (
                            "phone",
                            models.CharField(
                                blank=True,
                                max_length=20,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$", "请输入11位手机号或带区号的固定电话。"
                                    )
                                ],
                                verbose_name="联系电话",
                            ),
                        ),
                        (
                            "id_number",
                            models.CharField(
                                blank=True,
                                max_length=18,
                                validators=[party.models.id_number_validator],
                                verbose_name="身份证号",
                            ),
                        ),
                        (
                            "team",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("red", "红色教育"),
                                    ("green", "绿色文明"),
                                    ("blue", "蓝色安防"),
                                    ("white", "白色健康"),
                                    ("gold", "金色怡情"),
                                ],
                                max_length=16,
                                verbose_name="志愿服务队",
                            ),
                        ),
                        (
                            "reported_on",
                            models.DateField(default=django.utils.timezone.localdate, verbose_name="报到日期"),
                        ),
                        (
                            "community",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="orgs.area",
                                verbose_name="报到社区",
                            ),
                        ),
                        (
                            "grid",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="orgs.area",
                                verbose_name="分配网格",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "在职党员",
                        "verbose_name_plural": "在职党员",
                        "db_table": "orgs_inservicemember",
                        "ordering": ["community__code", "name", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="MeetingPhoto",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "file",
                            models.FileField(
                                max_length=255, upload_to=party.models.meeting_photo_path, verbose_name="照片"
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="文件名")),
                        ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="上传时间")),
                        (
                            "meeting",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="photos",
                                to="party.meeting",
                                verbose_name="组织生活",
                            ),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="上传人",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "会议照片",
                        "verbose_name_plural": "会议照片",
                        "db_table": "orgs_meetingphoto",
                        "ordering": ["pk"],
                    },
                ),
                migrations.CreateModel(
                    name="PartyMember",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=50, verbose_name="姓名")),
                        (
                            "gender",
                            models.CharField(
                                blank=True,
                                choices=[("male", "男"), ("female", "女")],
                                max_length=8,
                                verbose_name="性别",
                            ),
                        ),
                        ("birth_date", models.DateField(blank=True, null=True, verbose_name="出生日期")),
                        ("ethnicity", models.CharField(blank=True, default="汉族", max_length=16, verbose_name="民族")),
                        (
                            "education",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("postgraduate", "研究生"),
                                    ("bachelor", "大学本科"),
                                    ("college", "大学专科"),
                                    ("secondary", "中专/高中"),
                                    ("junior", "初中及以下"),
                                ],
                                max_length=16,
                                verbose_name="学历",
                            ),
                        ),
                        (
                            "phone",
                            models.CharField(
                                blank=True,
                                max_length=20,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$", "请输入11位手机号或带区号的固定电话。"
                                    )
                                ],
                                verbose_name="联系电话",
                            ),
                        ),
                        (
                            "id_number",
                            models.CharField(
                                blank=True,
                                max_length=18,
                                validators=[party.models.id_number_validator],
                                verbose_name="身份证号",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("full", "正式党员"), ("probationary", "预备党员")],
                                default="full",
                                max_length=16,
                                verbose_name="党员类别",
                            ),
                        ),
                        ("joined_on", models.DateField(blank=True, null=True, verbose_name="入党日期")),
                        ("full_member_on", models.DateField(blank=True, null=True, verbose_name="转正日期")),
                        ("is_flowing", models.BooleanField(default=False, verbose_name="流动党员")),
                        ("flowed_to", models.CharField(blank=True, max_length=100, verbose_name="流向")),
                        ("is_central_household", models.BooleanField(default=False, verbose_name="党员中心户")),
                        ("households_linked", models.PositiveIntegerField(default=0, verbose_name="联系户数")),
                        (
                            "residence",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="resident_party_members",
                                to="orgs.area",
                                verbose_name="居住地",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "党员",
                        "verbose_name_plural": "党员",
                        "db_table": "orgs_partymember",
                        "ordering": ["organisation__name", "name", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="MemberTransfer",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "transferred_on",
                            models.DateField(default=django.utils.timezone.localdate, verbose_name="转接日期"),
                        ),
                        ("note", models.CharField(blank=True, max_length=200, verbose_name="备注")),
                        (
                            "member",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="transfers",
                                to="party.partymember",
                                verbose_name="党员",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "组织关系转接",
                        "verbose_name_plural": "组织关系转接",
                        "db_table": "orgs_membertransfer",
                        "ordering": ["-transferred_on", "-pk"],
                    },
                ),
                migrations.AddField(
                    model_name="meeting",
                    name="attendees",
                    field=models.ManyToManyField(
                        blank=True,
                        db_table="orgs_meeting_attendees",
                        related_name="meetings",
                        to="party.partymember",
                        verbose_name="出席党员",
                    ),
                ),
                migrations.CreateModel(
                    name="PartyOrganisation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=100, unique=True, verbose_name="名称")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("street_committee", "街道党工委（大工委）"),
                                    ("community_committee", "社区党委（大党委）"),
                                    ("general_branch", "党总支"),
                                    ("branch", "党支部"),
                                    ("grid_branch", "网格党支部"),
                                    ("compound_branch", "小区党支部"),
                                    ("building_group", "楼栋党小组"),
                                    ("industry_committee", "行业党委"),
                                    ("composite", "综合党组织（商圈/楼宇/市场）"),
                                    ("alliance", "区域党建联盟"),
                                    ("non_public", "非公企业党组织"),
                                    ("social_organisation", "社会组织党组织"),
                                ],
                                max_length=32,
                                verbose_name="类型",
                            ),
                        ),
                        ("founded_on", models.DateField(blank=True, null=True, verbose_name="成立日期")),
                        ("term_started_on", models.DateField(blank=True, null=True, verbose_name="本届任期开始")),
                        ("next_election_on", models.DateField(blank=True, null=True, verbose_name="下次换届日期")),
                        ("note", models.CharField(blank=True, max_length=200, verbose_name="备注")),
                        (
                            "area",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="party_organisations",
                                to="orgs.area",
                                verbose_name="所在区划",
                            ),
                        ),
                        (
                            "committee",
                            models.ManyToManyField(
                                blank=True,
                                db_table="orgs_partyorganisation_committee",
                                help_text="本届委员；支委会（党委会）的应到人员。",
                                related_name="committees",
                                to="party.partymember",
                                verbose_name="支委会（党委会）成员",
                            ),
                        ),
                        (
                            "covered_areas",
                            models.ManyToManyField(
                                blank=True,
                                db_table="orgs_partyorganisation_covered_areas",
                                help_text="联盟、行业党委等覆盖多个区划时填写。",
                                related_name="covering_party_organisations",
                                to="orgs.area",
                                verbose_name="覆盖区划",
                            ),
                        ),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="children",
                                to="party.partyorganisation",
                                verbose_name="上级党组织",
                            ),
                        ),
                        (
                            "secretary",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="party.partymember",
                                verbose_name="书记",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "党组织",
                        "verbose_name_plural": "党组织",
                        "db_table": "orgs_partyorganisation",
                        "ordering": ["area__code", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="PartyMemberEvent",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("name", models.CharField(max_length=50, verbose_name="姓名")),
                        (
                            "gender",
                            models.CharField(
                                blank=True,
                                choices=[("male", "男"), ("female", "女")],
                                max_length=8,
                                verbose_name="性别",
                            ),
                        ),
                        ("birth_date", models.DateField(blank=True, null=True, verbose_name="出生日期")),
                        ("ethnicity", models.CharField(blank=True, default="汉族", max_length=16, verbose_name="民族")),
                        (
                            "education",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("postgraduate", "研究生"),
                                    ("bachelor", "大学本科"),
                                    ("college", "大学专科"),
                                    ("secondary", "中专/高中"),
                                    ("junior", "初中及以下"),
                                ],
                                max_length=16,
                                verbose_name="学历",
                            ),
                        ),
                        (
                            "phone",
                            models.CharField(
                                blank=True,
                                max_length=20,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$", "请输入11位手机号或带区号的固定电话。"
                                    )
                                ],
                                verbose_name="联系电话",
                            ),
                        ),
                        (
                            "id_number",
                            models.CharField(
                                blank=True,
                                max_length=18,
                                validators=[party.models.id_number_validator],
                                verbose_name="身份证号",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("full", "正式党员"), ("probationary", "预备党员")],
                                default="full",
                                max_length=16,
                                verbose_name="党员类别",
                            ),
                        ),
                        ("joined_on", models.DateField(blank=True, null=True, verbose_name="入党日期")),
                        ("full_member_on", models.DateField(blank=True, null=True, verbose_name="转正日期")),
                        ("is_flowing", models.BooleanField(default=False, verbose_name="流动党员")),
                        ("flowed_to", models.CharField(blank=True, max_length=100, verbose_name="流向")),
                        ("is_central_household", models.BooleanField(default=False, verbose_name="党员中心户")),
                        ("households_linked", models.PositiveIntegerField(default=0, verbose_name="联系户数")),
                        (
                            "pgh_context",
                            models.ForeignKey(
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="pghistory.context",
                            ),
                        ),
                        (
                            "pgh_obj",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="events",
                                to="party.partymember",
                            ),
                        ),
                        (
                            "residence",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="orgs.area",
                                verbose_name="居住地",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="party.partyorganisation",
                                verbose_name="所在党组织",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "orgs_partymemberevent",
                        "abstract": False,
                    },
                ),
                migrations.AddField(
                    model_name="partymember",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="party.partyorganisation",
                        verbose_name="所在党组织",
                    ),
                ),
                migrations.CreateModel(
                    name="MemberTransferEvent",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "transferred_on",
                            models.DateField(default=django.utils.timezone.localdate, verbose_name="转接日期"),
                        ),
                        ("note", models.CharField(blank=True, max_length=200, verbose_name="备注")),
                        (
                            "pgh_context",
                            models.ForeignKey(
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="pghistory.context",
                            ),
                        ),
                        (
                            "pgh_obj",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="events",
                                to="party.membertransfer",
                            ),
                        ),
                        (
                            "member",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="party.partymember",
                                verbose_name="党员",
                            ),
                        ),
                        (
                            "from_organisation",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="party.partyorganisation",
                                verbose_name="转出党组织",
                            ),
                        ),
                        (
                            "to_organisation",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="party.partyorganisation",
                                verbose_name="转入党组织",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "orgs_membertransferevent",
                        "abstract": False,
                    },
                ),
                migrations.AddField(
                    model_name="membertransfer",
                    name="from_organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="party.partyorganisation",
                        verbose_name="转出党组织",
                    ),
                ),
                migrations.AddField(
                    model_name="membertransfer",
                    name="to_organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="party.partyorganisation",
                        verbose_name="转入党组织",
                    ),
                ),
                migrations.CreateModel(
                    name="MeetingEvent",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("general_meeting", "支部党员大会"),
                                    ("committee_meeting", "支委会（党委会）"),
                                    ("group_meeting", "党小组会"),
                                    ("party_lecture", "党课"),
                                    ("party_day", "主题党日"),
                                    ("first_topic", "第一议题学习"),
                                ],
                                max_length=32,
                                verbose_name="类型",
                            ),
                        ),
                        ("held_on", models.DateField(default=django.utils.timezone.localdate, verbose_name="日期")),
                        ("place", models.CharField(blank=True, max_length=100, verbose_name="地点")),
                        ("host", models.CharField(blank=True, max_length=50, verbose_name="主持人")),
                        ("recorder", models.CharField(blank=True, max_length=50, verbose_name="记录人")),
                        ("topic", models.CharField(max_length=200, verbose_name="主题")),
                        ("minutes", models.TextField(blank=True, verbose_name="会议记录")),
                        (
                            "expected",
                            models.PositiveIntegerField(
                                default=0,
                                help_text="会议当日该组织的党员（支委会为支委会成员）人数。",
                                verbose_name="应到人数",
                            ),
                        ),
                        (
                            "pgh_context",
                            models.ForeignKey(
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="pghistory.context",
                            ),
                        ),
                        (
                            "pgh_obj",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="events",
                                to="party.meeting",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="party.partyorganisation",
                                verbose_name="党组织",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "orgs_meetingevent",
                        "abstract": False,
                    },
                ),
                migrations.AddField(
                    model_name="meeting",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="meetings",
                        to="party.partyorganisation",
                        verbose_name="党组织",
                    ),
                ),
                migrations.CreateModel(
                    name="PartyOrganisationEvent",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("name", models.CharField(max_length=100, verbose_name="名称")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("street_committee", "街道党工委（大工委）"),
                                    ("community_committee", "社区党委（大党委）"),
                                    ("general_branch", "党总支"),
                                    ("branch", "党支部"),
                                    ("grid_branch", "网格党支部"),
                                    ("compound_branch", "小区党支部"),
                                    ("building_group", "楼栋党小组"),
                                    ("industry_committee", "行业党委"),
                                    ("composite", "综合党组织（商圈/楼宇/市场）"),
                                    ("alliance", "区域党建联盟"),
                                    ("non_public", "非公企业党组织"),
                                    ("social_organisation", "社会组织党组织"),
                                ],
                                max_length=32,
                                verbose_name="类型",
                            ),
                        ),
                        ("founded_on", models.DateField(blank=True, null=True, verbose_name="成立日期")),
                        ("term_started_on", models.DateField(blank=True, null=True, verbose_name="本届任期开始")),
                        ("next_election_on", models.DateField(blank=True, null=True, verbose_name="下次换届日期")),
                        ("note", models.CharField(blank=True, max_length=200, verbose_name="备注")),
                        (
                            "area",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="orgs.area",
                                verbose_name="所在区划",
                            ),
                        ),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="party.partyorganisation",
                                verbose_name="上级党组织",
                            ),
                        ),
                        (
                            "pgh_context",
                            models.ForeignKey(
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="pghistory.context",
                            ),
                        ),
                        (
                            "pgh_obj",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="events",
                                to="party.partyorganisation",
                            ),
                        ),
                        (
                            "secretary",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="party.partymember",
                                verbose_name="书记",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "orgs_partyorganisationevent",
                        "abstract": False,
                    },
                ),
                migrations.CreateModel(
                    name="ReportingUnit",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=100, unique=True, verbose_name="单位名称")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("agency", "机关"),
                                    ("state_enterprise", "国有企业"),
                                    ("institution", "事业单位"),
                                    ("other", "其他"),
                                ],
                                max_length=16,
                                verbose_name="单位类型",
                            ),
                        ),
                        (
                            "party_organisation_name",
                            models.CharField(blank=True, max_length=100, verbose_name="单位党组织"),
                        ),
                        ("contact_name", models.CharField(blank=True, max_length=50, verbose_name="联系人")),
                        (
                            "contact_phone",
                            models.CharField(
                                blank=True,
                                max_length=20,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$", "请输入11位手机号或带区号的固定电话。"
                                    )
                                ],
                                verbose_name="联系电话",
                            ),
                        ),
                        (
                            "area",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reporting_units",
                                to="orgs.area",
                                verbose_name="登记区划",
                            ),
                        ),
                        (
                            "users",
                            models.ManyToManyField(
                                blank=True,
                                db_table="orgs_reportingunit_users",
                                help_text="这些账号只能查看本单位的在职党员并登记其服务。",
                                related_name="reporting_units",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="单位账号",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "报到单位",
                        "verbose_name_plural": "报到单位",
                        "db_table": "orgs_reportingunit",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="InServiceMemberEvent",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("name", models.CharField(max_length=50, verbose_name="姓名")),
                        (
                            "gender",
                            models.CharField(
                                blank=True,
                                choices=[("male", "男"), ("female", "女")],
                                max_length=8,
                                verbose_name="性别",
                            ),
                        ),
                        (
                            "phone",
                            models.CharField(
                                blank=True,
                                max_length=20,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$", "请输入11位手机号或带区号的固定电话。"
                                    )
                                ],
                                verbose_name="联系电话",
                            ),
                        ),
                        (
                            "id_number",
                            models.CharField(
                                blank=True,
                                max_length=18,
                                validators=[party.models.id_number_validator],
                                verbose_name="身份证号",
                            ),
                        ),
                        (
                            "team",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("red", "红色教育"),
                                    ("green", "绿色文明"),
                                    ("blue", "蓝色安防"),
                                    ("white", "白色健康"),
                                    ("gold", "金色怡情"),
                                ],
                                max_length=16,
                                verbose_name="志愿服务队",
                            ),
                        ),
                        (
                            "reported_on",
                            models.DateField(default=django.utils.timezone.localdate, verbose_name="报到日期"),
                        ),
                        (
                            "community",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="orgs.area",
                                verbose_name="报到社区",
                            ),
                        ),
                        (
                            "grid",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="orgs.area",
                                verbose_name="分配网格",
                            ),
                        ),
                        (
                            "pgh_context",
                            models.ForeignKey(
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="pghistory.context",
                            ),
                        ),
                        (
                            "pgh_obj",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="events",
                                to="party.inservicemember",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="party.reportingunit",
                                verbose_name="所在单位",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "orgs_inservicememberevent",
                        "abstract": False,
                    },
                ),
                migrations.AddField(
                    model_name="inservicemember",
                    name="unit",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="party.reportingunit",
                        verbose_name="所在单位",
                    ),
                ),
                migrations.CreateModel(
                    name="ReportingUnitEvent",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("name", models.CharField(max_length=100, verbose_name="单位名称")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("agency", "机关"),
                                    ("state_enterprise", "国有企业"),
                                    ("institution", "事业单位"),
                                    ("other", "其他"),
                                ],
                                max_length=16,
                                verbose_name="单位类型",
                            ),
                        ),
                        (
                            "party_organisation_name",
                            models.CharField(blank=True, max_length=100, verbose_name="单位党组织"),
                        ),
                        ("contact_name", models.CharField(blank=True, max_length=50, verbose_name="联系人")),
                        (
                            "contact_phone",
                            models.CharField(
                                blank=True,
                                max_length=20,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$", "请输入11位手机号或带区号的固定电话。"
                                    )
                                ],
                                verbose_name="联系电话",
                            ),
                        ),
                        (
                            "area",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="orgs.area",
                                verbose_name="登记区划",
                            ),
                        ),
                        (
                            "pgh_context",
                            models.ForeignKey(
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="pghistory.context",
                            ),
                        ),
                        (
                            "pgh_obj",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="events",
                                to="party.reportingunit",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "orgs_reportingunitevent",
                        "abstract": False,
                    },
                ),
                migrations.CreateModel(
                    name="ServiceRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "served_on",
                            models.DateField(default=django.utils.timezone.localdate, verbose_name="服务日期"),
                        ),
                        (
                            "hours",
                            models.DecimalField(
                                decimal_places=1,
                                default=2,
                                max_digits=5,
                                validators=[django.core.validators.MinValueValidator(Decimal("0.5"))],
                                verbose_name="时长（小时）",
                            ),
                        ),
                        ("description", models.CharField(max_length=200, verbose_name="服务内容")),
                        ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="确认时间")),
                        (
                            "confirmed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="社区确认人",
                            ),
                        ),
                        (
                            "member",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="services",
                                to="party.inservicemember",
                                verbose_name="在职党员",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "服务记录",
                        "verbose_name_plural": "服务记录",
                        "db_table": "orgs_servicerecord",
                        "ordering": ["-served_on", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="ServiceRecordEvent",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "served_on",
                            models.DateField(default=django.utils.timezone.localdate, verbose_name="服务日期"),
                        ),
                        (
                            "hours",
                            models.DecimalField(
                                decimal_places=1,
                                default=2,
                                max_digits=5,
                                validators=[django.core.validators.MinValueValidator(Decimal("0.5"))],
                                verbose_name="时长（小时）",
                            ),
                        ),
                        ("description", models.CharField(max_length=200, verbose_name="服务内容")),
                        ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="确认时间")),
                        (
                            "confirmed_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="社区确认人",
                            ),
                        ),
                        (
                            "member",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="party.inservicemember",
                                verbose_name="在职党员",
                            ),
                        ),
                        (
                            "pgh_context",
                            models.ForeignKey(
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="pghistory.context",
                            ),
                        ),
                        (
                            "pgh_obj",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="events",
                                to="party.servicerecord",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "orgs_servicerecordevent",
                        "abstract": False,
                    },
                ),
                migrations.CreateModel(
                    name="UnitRegistration",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "registered_on",
                            models.DateField(default=django.utils.timezone.localdate, verbose_name="报到日期"),
                        ),
                        ("agreement", models.CharField(blank=True, max_length=200, verbose_name="共建协议")),
                        ("resources", models.TextField(blank=True, verbose_name="提供资源")),
                        (
                            "community",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="orgs.area",
                                verbose_name="报到社区",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="registrations",
                                to="party.reportingunit",
                                verbose_name="报到单位",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "单位报到",
                        "verbose_name_plural": "单位报到",
                        "db_table": "orgs_unitregistration",
                        "ordering": ["community__code", "unit__name"],
                    },
                ),
                migrations.AddField(
                    model_name="reportingunit",
                    name="communities",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="reported_units",
                        through="party.UnitRegistration",
                        to="orgs.area",
                        verbose_name="报到社区",
                    ),
                ),
                migrations.CreateModel(
                    name="UnitRegistrationEvent",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "registered_on",
                            models.DateField(default=django.utils.timezone.localdate, verbose_name="报到日期"),
                        ),
                        ("agreement", models.CharField(blank=True, max_length=200, verbose_name="共建协议")),
                        ("resources", models.TextField(blank=True, verbose_name="提供资源")),
                        (
                            "community",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="orgs.area",
                                verbose_name="报到社区",
                            ),
                        ),
                        (
                            "pgh_context",
                            models.ForeignKey(
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="pghistory.context",
                            ),
                        ),
                        (
                            "pgh_obj",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="events",
                                to="party.unitregistration",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="party.reportingunit",
                                verbose_name="报到单位",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "orgs_unitregistrationevent",
                        "abstract": False,
                    },
                ),
                migrations.CreateModel(
                    name="MeetingAbsence",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "reason",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("work", "因公请假"),
                                    ("illness", "因病请假"),
                                    ("personal", "因事请假"),
                                    ("away", "外出（流动）"),
                                    ("none", "无故缺席"),
                                ],
                                max_length=16,
                                verbose_name="缺席原因",
                            ),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="absences",
                                to="party.meeting",
                                verbose_name="组织生活",
                            ),
                        ),
                        (
                            "member",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="absences",
                                to="party.partymember",
                                verbose_name="缺席党员",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "缺席党员",
                        "verbose_name_plural": "缺席党员",
                        "db_table": "orgs_meetingabsence",
                        "ordering": ["member__name", "pk"],
                        "constraints": [
                            models.UniqueConstraint(fields=("meeting", "member"), name="orgs_meeting_absence_unique")
                        ],
                    },
                ),
                migrations.AddIndex(
                    model_name="partymember",
                    index=models.Index(fields=["organisation", "status"], name="orgs_member_org_status"),
                ),
                migrations.AddIndex(
                    model_name="partymember",
                    index=models.Index(
                        condition=models.Q(("id_number", ""), _negated=True),
                        fields=["id_number"],
                        name="orgs_member_id_number",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="partymember",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("id_number", ""), _negated=True),
                        fields=("organisation", "id_number"),
                        name="orgs_member_org_id_unique",
                        violation_error_message="该党组织已登记此身份证号的党员。",
                    ),
                ),
                migrations.AddIndex(
                    model_name="meeting",
                    index=models.Index(fields=["organisation", "kind", "held_on"], name="orgs_meeting_org_kind_day"),
                ),
                migrations.AddConstraint(
                    model_name="unitregistration",
                    constraint=models.UniqueConstraint(
                        fields=("unit", "community"),
                        name="orgs_unit_registration_unique",
                        violation_error_message="该单位已在此社区报到。",
                    ),
                ),
            ],
            database_operations=[],
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="partyorganisation",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "orgs_partyorganisationevent" ("area_id", "founded_on", "id", "kind", "name", "next_election_on", "note", "parent_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "secretary_id", "term_started_on") VALUES (NEW."area_id", NEW."founded_on", NEW."id", NEW."kind", NEW."name", NEW."next_election_on", NEW."note", NEW."parent_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."secretary_id", NEW."term_started_on"); RETURN NULL;',
                    hash="494917695938f1e510a4f697138c98933264d7b6",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_a6efe",
                    table="orgs_partyorganisation",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="partyorganisation",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "orgs_partyorganisationevent" ("area_id", "founded_on", "id", "kind", "name", "next_election_on", "note", "parent_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "secretary_id", "term_started_on") VALUES (NEW."area_id", NEW."founded_on", NEW."id", NEW."kind", NEW."name", NEW."next_election_on", NEW."note", NEW."parent_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."secretary_id", NEW."term_started_on"); RETURN NULL;',
                    hash="5df4e107f20224d3181cb909093f368823db540d",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_52d2d",
                    table="orgs_partyorganisation",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="partymember",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='WITH _pgh_attached_context AS ( SELECT _pgh_attach_context() AS value ) INSERT INTO "orgs_partymemberevent" ("birth_date", "education", "ethnicity", "flowed_to", "full_member_on", "gender", "households_linked", "id", "id_number", "is_central_household", "is_flowing", "joined_on", "name", "organisation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "phone", "residence_id", "status") SELECT new_values."birth_date", new_values."education", new_values."ethnicity", new_values."flowed_to", new_values."full_member_on", new_values."gender", new_values."households_linked", new_values."id", new_values."id_number", new_values."is_central_household", new_values."is_flowing", new_values."joined_on", new_values."name", new_values."organisation_id", _pgh_attached_context.value, NOW(), \'insert\', new_values."id", new_values."phone", new_values."residence_id", new_values."status" FROM ( SELECT new_values.* FROM new_values  ) AS new_values, _pgh_attached_context; RETURN NULL;',
                    hash="9f85d723c051b493d46e73df5f8b192438a1ace8",
                    level="STATEMENT",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_7ee29",
                    referencing="REFERENCING NEW TABLE AS new_values ",
                    table="orgs_partymember",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="partymember",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='WITH _pgh_attached_context AS ( SELECT _pgh_attach_context() AS value ) INSERT INTO "orgs_partymemberevent" ("birth_date", "education", "ethnicity", "flowed_to", "full_member_on", "gender", "households_linked", "id", "id_number", "is_central_household", "is_flowing", "joined_on", "name", "organisation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "phone", "residence_id", "status") SELECT new_values."birth_date", new_values."education", new_values."ethnicity", new_values."flowed_to", new_values."full_member_on", new_values."gender", new_values."households_linked", new_values."id", new_values."id_number", new_values."is_central_household", new_values."is_flowing", new_values."joined_on", new_values."name", new_values."organisation_id", _pgh_attached_context.value, NOW(), \'update\', new_values."id", new_values."phone", new_values."residence_id", new_values."status" FROM ( SELECT new_values.* FROM old_values JOIN new_values ON (old_values."id") = (new_values."id") WHERE (old_values.* IS DISTINCT FROM new_values.*) ) AS new_values, _pgh_attached_context; RETURN NULL;',
                    hash="0dacd0d3e52086bba4a83e526c32cd8f4a344ad4",
                    level="STATEMENT",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_5b710",
                    referencing="REFERENCING OLD TABLE AS old_values  NEW TABLE AS new_values ",
                    table="orgs_partymember",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="membertransfer",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "orgs_membertransferevent" ("from_organisation_id", "id", "member_id", "note", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "to_organisation_id", "transferred_on") VALUES (NEW."from_organisation_id", NEW."id", NEW."member_id", NEW."note", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."to_organisation_id", NEW."transferred_on"); RETURN NULL;',
                    hash="51468ca4c5fd2a9481f995d06c0ee194ff6fcbd0",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_f710c",
                    table="orgs_membertransfer",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="membertransfer",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "orgs_membertransferevent" ("from_organisation_id", "id", "member_id", "note", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "to_organisation_id", "transferred_on") VALUES (NEW."from_organisation_id", NEW."id", NEW."member_id", NEW."note", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."to_organisation_id", NEW."transferred_on"); RETURN NULL;',
                    hash="492a8cd54b9d2904205160c8fcdb06f2d82438af",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_2decc",
                    table="orgs_membertransfer",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="meeting",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "orgs_meetingevent" ("expected", "held_on", "host", "id", "kind", "minutes", "organisation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "place", "recorder", "topic") VALUES (NEW."expected", NEW."held_on", NEW."host", NEW."id", NEW."kind", NEW."minutes", NEW."organisation_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."place", NEW."recorder", NEW."topic"); RETURN NULL;',
                    hash="98211e529831781aba7a00f7240f6a0abcc7f862",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_2c0cf",
                    table="orgs_meeting",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="meeting",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "orgs_meetingevent" ("expected", "held_on", "host", "id", "kind", "minutes", "organisation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "place", "recorder", "topic") VALUES (NEW."expected", NEW."held_on", NEW."host", NEW."id", NEW."kind", NEW."minutes", NEW."organisation_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."place", NEW."recorder", NEW."topic"); RETURN NULL;',
                    hash="f1a31540a9f40db4c1028f9c232fd5b77dfc3105",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_bf999",
                    table="orgs_meeting",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="inservicemember",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "orgs_inservicememberevent" ("community_id", "gender", "grid_id", "id", "id_number", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "phone", "reported_on", "team", "unit_id") VALUES (NEW."community_id", NEW."gender", NEW."grid_id", NEW."id", NEW."id_number", NEW."name", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."phone", NEW."reported_on", NEW."team", NEW."unit_id"); RETURN NULL;',
                    hash="fdf0ca6d132ac2cb6fc66a3a1987e982b1c5ce04",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_01faa",
                    table="orgs_inservicemember",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="inservicemember",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "orgs_inservicememberevent" ("community_id", "gender", "grid_id", "id", "id_number", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "phone", "reported_on", "team", "unit_id") VALUES (NEW."community_id", NEW."gender", NEW."grid_id", NEW."id", NEW."id_number", NEW."name", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."phone", NEW."reported_on", NEW."team", NEW."unit_id"); RETURN NULL;',
                    hash="169825da73922bf23947c4e829c87c6db5d47d20",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_6bf83",
                    table="orgs_inservicemember",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="servicerecord",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "orgs_servicerecordevent" ("confirmed_at", "confirmed_by_id", "description", "hours", "id", "member_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "served_on") VALUES (NEW."confirmed_at", NEW."confirmed_by_id", NEW."description", NEW."hours", NEW."id", NEW."member_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."served_on"); RETURN NULL;',
                    hash="92bc76388577cdb63932e271114e5bb93a465813",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_96ebe",
                    table="orgs_servicerecord",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="servicerecord",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "orgs_servicerecordevent" ("confirmed_at", "confirmed_by_id", "description", "hours", "id", "member_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "served_on") VALUES (NEW."confirmed_at", NEW."confirmed_by_id", NEW."description", NEW."hours", NEW."id", NEW."member_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."served_on"); RETURN NULL;',
                    hash="eeb1dedd370235d29f0d96c539b6ce822b0b9cf1",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_9ec81",
                    table="orgs_servicerecord",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="servicerecord",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "orgs_servicerecordevent" ("confirmed_at", "confirmed_by_id", "description", "hours", "id", "member_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "served_on") VALUES (OLD."confirmed_at", OLD."confirmed_by_id", OLD."description", OLD."hours", OLD."id", OLD."member_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."served_on"); RETURN NULL;',
                    hash="beeee53be410cb11002e77b2486696f7ded2a087",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_89b96",
                    table="orgs_servicerecord",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="unitregistration",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "orgs_unitregistrationevent" ("agreement", "community_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "registered_on", "resources", "unit_id") VALUES (NEW."agreement", NEW."community_id", NEW."id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."registered_on", NEW."resources", NEW."unit_id"); RETURN NULL;',
                    hash="dd02d2b48409918ed6d4fc5a1d2807c197741977",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_dad51",
                    table="orgs_unitregistration",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="unitregistration",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "orgs_unitregistrationevent" ("agreement", "community_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "registered_on", "resources", "unit_id") VALUES (NEW."agreement", NEW."community_id", NEW."id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."registered_on", NEW."resources", NEW."unit_id"); RETURN NULL;',
                    hash="4e66304a606b66f4001c1d2b24e638b31c904214",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_bc99a",
                    table="orgs_unitregistration",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="reportingunit",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "orgs_reportingunitevent" ("area_id", "contact_name", "contact_phone", "id", "kind", "name", "party_organisation_name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id") VALUES (NEW."area_id", NEW."contact_name", NEW."contact_phone", NEW."id", NEW."kind", NEW."name", NEW."party_organisation_name", _pgh_attach_context(), NOW(), \'insert\', NEW."id"); RETURN NULL;',
                    hash="86fecff18f3bc8a1a0f51045564682742234c058",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_fe116",
                    table="orgs_reportingunit",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="reportingunit",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "orgs_reportingunitevent" ("area_id", "contact_name", "contact_phone", "id", "kind", "name", "party_organisation_name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id") VALUES (NEW."area_id", NEW."contact_name", NEW."contact_phone", NEW."id", NEW."kind", NEW."name", NEW."party_organisation_name", _pgh_attach_context(), NOW(), \'update\', NEW."id"); RETURN NULL;',
                    hash="dad41ca91d1889ddc1f85ce6dc7db5fb4de67521",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_e5e5c",
                    table="orgs_reportingunit",
                    when="AFTER",
                ),
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
