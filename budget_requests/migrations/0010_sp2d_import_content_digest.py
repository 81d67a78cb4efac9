from django.db import migrations, models


class Migration(migrations.Migration):
    """An SP2D import is identified by the digest of the rows read, not of the file's bytes (an xlsx saved again
    carries new timestamps in its metadata)."""

    dependencies = [
        ("budget_requests", "0009_complaint_clocks"),
    ]

    operations = [
        migrations.RenameField(model_name="sp2dimport", old_name="file_sha256", new_name="content_sha256"),
        migrations.AlterField(
            model_name="sp2dimport", name="content_sha256",
            field=models.CharField(max_length=64, unique=True, verbose_name="SHA-256 isi berkas"),
        ),
    ]
