import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):
    """The party's models moved to the party app (issue #16) with their tables, rows and history:
    here orgs forgets them (state only: no table is dropped). Their history triggers go too, and
    the party app's 0001 installs them again under the names of the party's models (pgtrigger
    names a trigger after its model's app, so each gets a new name; the SQL is the same).
    Undone, the triggers come back under orgs' names."""

    dependencies = [
        ("orgs", "0009_department_kinds_seeded"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(model_name="partyorganisation", name="insert_insert"),
        pgtrigger.migrations.RemoveTrigger(model_name="partyorganisation", name="update_update"),
        pgtrigger.migrations.RemoveTrigger(model_name="partymember", name="insert_insert"),
        pgtrigger.migrations.RemoveTrigger(model_name="partymember", name="update_update"),
        pgtrigger.migrations.RemoveTrigger(model_name="membertransfer", name="insert_insert"),
        pgtrigger.migrations.RemoveTrigger(model_name="membertransfer", name="update_update"),
        pgtrigger.migrations.RemoveTrigger(model_name="meeting", name="insert_insert"),
        pgtrigger.migrations.RemoveTrigger(model_name="meeting", name="update_update"),
        pgtrigger.migrations.RemoveTrigger(model_name="inservicemember", name="insert_insert"),
        pgtrigger.migrations.RemoveTrigger(model_name="inservicemember", name="update_update"),
        pgtrigger.migrations.RemoveTrigger(model_name="servicerecord", name="insert_insert"),
        pgtrigger.migrations.RemoveTrigger(model_name="servicerecord", name="update_update"),
        pgtrigger.migrations.RemoveTrigger(model_name="servicerecord", name="delete_delete"),
        pgtrigger.migrations.RemoveTrigger(model_name="unitregistration", name="insert_insert"),
        pgtrigger.migrations.RemoveTrigger(model_name="unitregistration", name="update_update"),
        pgtrigger.migrations.RemoveTrigger(model_name="reportingunit", name="insert_insert"),
        pgtrigger.migrations.RemoveTrigger(model_name="reportingunit", name="update_update"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="inservicememberevent",
                    name="pgh_obj",
                ),
                migrations.RemoveField(
                    model_name="servicerecord",
                    name="member",
                ),
                migrations.RemoveField(
                    model_name="servicerecordevent",
                    name="member",
                ),
                migrations.RemoveField(
                    model_name="inservicememberevent",
                    name="community",
                ),
                migrations.RemoveField(
                    model_name="inservicememberevent",
                    name="grid",
                ),
                migrations.RemoveField(
                    model_name="inservicememberevent",
                    name="pgh_context",
                ),
                migrations.RemoveField(
                    model_name="inservicememberevent",
                    name="unit",
                ),
                migrations.RemoveField(
                    model_name="meeting",
                    name="attendees",
                ),
                migrations.RemoveField(
                    model_name="meeting",
                    name="organisation",
                ),
                migrations.RemoveField(
                    model_name="meetingphoto",
                    name="meeting",
                ),
                migrations.RemoveField(
                    model_name="meetingevent",
                    name="pgh_obj",
                ),
                migrations.RemoveField(
                    model_name="meetingabsence",
                    name="meeting",
                ),
                migrations.RemoveField(
                    model_name="meetingabsence",
                    name="member",
                ),
                migrations.RemoveField(
                    model_name="meetingevent",
                    name="organisation",
                ),
                migrations.RemoveField(
                    model_name="meetingevent",
                    name="pgh_context",
                ),
                migrations.RemoveField(
                    model_name="meetingphoto",
                    name="uploaded_by",
                ),
                migrations.RemoveField(
                    model_name="membertransfer",
                    name="from_organisation",
                ),
                migrations.RemoveField(
                    model_name="membertransfer",
                    name="member",
                ),
                migrations.RemoveField(
                    model_name="membertransfer",
                    name="to_organisation",
                ),
                migrations.RemoveField(
                    model_name="membertransferevent",
                    name="pgh_obj",
                ),
                migrations.RemoveField(
                    model_name="membertransferevent",
                    name="from_organisation",
                ),
                migrations.RemoveField(
                    model_name="membertransferevent",
                    name="member",
                ),
                migrations.RemoveField(
                    model_name="membertransferevent",
                    name="pgh_context",
                ),
                migrations.RemoveField(
                    model_name="membertransferevent",
                    name="to_organisation",
                ),
                migrations.RemoveField(
                    model_name="partymember",
                    name="organisation",
                ),
                migrations.RemoveField(
                    model_name="partymember",
                    name="residence",
                ),
                migrations.RemoveField(
                    model_name="partymemberevent",
                    name="pgh_obj",
                ),
                migrations.RemoveField(
                    model_name="partyorganisation",
                    name="committee",
                ),
                migrations.RemoveField(
                    model_name="partyorganisation",
                    name="secretary",
                ),
                migrations.RemoveField(
                    model_name="partyorganisationevent",
                    name="secretary",
                ),
                migrations.RemoveField(
                    model_name="partymemberevent",
                    name="organisation",
                ),
                migrations.RemoveField(
                    model_name="partymemberevent",
                    name="pgh_context",
                ),
                migrations.RemoveField(
                    model_name="partymemberevent",
                    name="residence",
                ),
                migrations.RemoveField(
                    model_name="partyorganisation",
                    name="area",
                ),
                migrations.RemoveField(
                    model_name="partyorganisation",
                    name="covered_areas",
                ),
                migrations.RemoveField(
                    model_name="partyorganisation",
                    name="parent",
                ),
                migrations.RemoveField(
                    model_name="partyorganisationevent",
                    name="pgh_obj",
                ),
                migrations.RemoveField(
                    model_name="partyorganisationevent",
                    name="parent",
                ),
                migrations.RemoveField(
                    model_name="partyorganisationevent",
                    name="area",
                ),
                migrations.RemoveField(
                    model_name="partyorganisationevent",
                    name="pgh_context",
                ),
                migrations.RemoveField(
                    model_name="reportingunit",
                    name="area",
                ),
                migrations.RemoveField(
                    model_name="reportingunit",
                    name="communities",
                ),
                migrations.RemoveField(
                    model_name="reportingunit",
                    name="users",
                ),
                migrations.RemoveField(
                    model_name="unitregistrationevent",
                    name="unit",
                ),
                migrations.RemoveField(
                    model_name="unitregistration",
                    name="unit",
                ),
                migrations.RemoveField(
                    model_name="reportingunitevent",
                    name="pgh_obj",
                ),
                migrations.RemoveField(
                    model_name="reportingunitevent",
                    name="area",
                ),
                migrations.RemoveField(
                    model_name="reportingunitevent",
                    name="pgh_context",
                ),
                migrations.RemoveField(
                    model_name="servicerecord",
                    name="confirmed_by",
                ),
                migrations.RemoveField(
                    model_name="servicerecordevent",
                    name="pgh_obj",
                ),
                migrations.RemoveField(
                    model_name="servicerecordevent",
                    name="confirmed_by",
                ),
                migrations.RemoveField(
                    model_name="servicerecordevent",
                    name="pgh_context",
                ),
                migrations.RemoveField(
                    model_name="unitregistration",
                    name="community",
                ),
                migrations.RemoveField(
                    model_name="unitregistrationevent",
                    name="pgh_obj",
                ),
                migrations.RemoveField(
                    model_name="unitregistrationevent",
                    name="community",
                ),
                migrations.RemoveField(
                    model_name="unitregistrationevent",
                    name="pgh_context",
                ),
                migrations.DeleteModel(
                    name="InServiceMember",
                ),
                migrations.DeleteModel(
                    name="InServiceMemberEvent",
                ),
                migrations.DeleteModel(
                    name="Meeting",
                ),
                migrations.DeleteModel(
                    name="MeetingAbsence",
                ),
                migrations.DeleteModel(
                    name="MeetingEvent",
                ),
                migrations.DeleteModel(
                    name="MeetingPhoto",
                ),
                migrations.DeleteModel(
                    name="MemberTransfer",
                ),
                migrations.DeleteModel(
                    name="MemberTransferEvent",
                ),
                migrations.DeleteModel(
                    name="PartyMember",
                ),
                migrations.DeleteModel(
                    name="PartyMemberEvent",
                ),
                migrations.DeleteModel(
                    name="PartyOrganisation",
                ),
                migrations.DeleteModel(
                    name="PartyOrganisationEvent",
                ),
                migrations.DeleteModel(
                    name="ReportingUnit",
                ),
                migrations.DeleteModel(
                    name="ReportingUnitEvent",
                ),
                migrations.DeleteModel(
                    name="ServiceRecord",
                ),
                migrations.DeleteModel(
                    name="ServiceRecordEvent",
                ),
                migrations.DeleteModel(
                    name="UnitRegistration",
                ),
                migrations.DeleteModel(
                    name="UnitRegistrationEvent",
                ),
            ],
            database_operations=[],
        ),
    ]
