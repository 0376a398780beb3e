from django.db import migrations

from cchc.core import tablestamps


class Migration(migrations.Migration):
    """The indicator catalogue's token changes at every write to its table (``core.tablestamps``)."""

    dependencies = [("indicators", "0004_data_versions"), ("core", "0002_tablestamp")]

    operations = [tablestamps.install(tablestamps.CATALOGUE, "indicators.Indicator")]
