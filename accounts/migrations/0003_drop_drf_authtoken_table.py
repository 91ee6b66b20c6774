from django.db import migrations


class Migration(migrations.Migration):
    """API tokens moved from DRF's authtoken (one plain key per person, never expiring) to knox's
    hashed, expiring tokens. The old app is no longer installed: drop its table, so no plain keys stay
    in the database. Every old token stops working; people get a new one (staff with their code)."""

    dependencies = [("accounts", "0002_staff_role_groups")]
    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
    ]
