"""API tokens get scopes (read only or read and change; per area) and a lifetime of at most a
year. Tokens made before keep working as they did: read and change, in every area; but a
token that never expired, or expired later than a year from now, now expires a year from now."""

from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone

# The API's areas when this migration was written (apps/accounts/api_tokens.py AREAS).
AREAS_THEN = ["reviews", "improvement", "support", "training", "schools", "partnerships",
              "frameworks", "resources"]


def keep_existing_tokens_working(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    latest = timezone.now() + timedelta(days=365)
    for token in ApiToken.objects.all():
        token.access = "write"
        token.areas = AREAS_THEN
        if token.expires_at is None or token.expires_at > latest:
            token.expires_at = latest
        token.save(update_fields=["access", "areas", "expires_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="access",
            field=models.CharField(choices=[("read", "Read only"), ("write", "Read and change")],
                                   default="read", max_length=5),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="areas",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(keep_existing_tokens_working, migrations.RunPython.noop),
    ]
