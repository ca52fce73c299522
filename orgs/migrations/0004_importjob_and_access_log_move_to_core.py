from django.db import migrations


class Migration(migrations.Migration):
    """ImportJob and PersonalDataAccess now belong to core (its 0001 renamed their tables, rows
    and all); here orgs only forgets them. The permission to see personal data moved too."""

    dependencies = [
        ("orgs", "0003_personal_data_access_whose"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="personaldataaccess", name="user"),
                migrations.DeleteModel(name="ImportJob"),
                migrations.DeleteModel(name="PersonalDataAccess"),
            ],
            database_operations=[],
        ),
        migrations.AlterModelOptions(
            name="user",
            options={"verbose_name": "用户", "verbose_name_plural": "用户"},
        ),
    ]
