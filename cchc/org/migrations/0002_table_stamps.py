from django.db import migrations

from cchc.core import tablestamps


class Migration(migrations.Migration):
    """The org tree's token changes at every write to its three tables (``core.tablestamps``)."""

    dependencies = [("org", "0001_initial"), ("core", "0002_tablestamp")]

    operations = [tablestamps.install(tablestamps.ORG, "org.OrgUnit", "org.OrgUnitParent", "org.UnitLineage")]
