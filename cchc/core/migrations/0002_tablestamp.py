from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="TableStamp",
            fields=[
                (
                    "name",
                    models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name="nhóm bảng"),
                ),
                ("token", models.CharField(max_length=40, verbose_name="dấu")),
            ],
            options={"verbose_name": "dấu bảng", "verbose_name_plural": "dấu bảng"},
        ),
    ]
