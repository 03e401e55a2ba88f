from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("community", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="share_working_well",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="profile",
            name="share_results",
            field=models.BooleanField(default=False),
        ),
    ]
