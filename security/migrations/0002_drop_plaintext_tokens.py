from django.db import migrations


class Migration(migrations.Migration):
    """DRF's ``authtoken`` app is gone (tokens are knox's, hashed): its table of plaintext keys goes too."""

    dependencies = [("security", "0001_initial")]

    operations = [migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop)]
