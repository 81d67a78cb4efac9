"""The Permendagri 80/2015 clocks are counted in working days on the reading that its Pasal 1 defines "Hari"
as a working day. That definition was read only in secondary transcriptions (the official text in a JDIH has
not been matched here), and one transcription of Pasal 102 ayat (1) writes "hari" in lower case. A rule whose
counting rests on an unmatched reading says so: these rules are marked "perlu dikonfirmasi" until Bagian
Hukum matches the official text. The counting itself does not change.
"""
from django.db import migrations

CODES = ("fasilitasi", "evaluasi-penyempurnaan", "noreg-penyampaian", "noreg-penerbitan")
CONFIRM_NOTE = (
    'Perlu dikonfirmasi: definisi "Hari adalah hari kerja" dalam Pasal 1 Permendagri 80/2015 baru dibaca dari '
    "transkripsi sekunder; cocokkan dengan naskah resmi di JDIH sebelum tenggat ini dipakai sebagai dasar "
    "keputusan."
)


def mark(apps, schema_editor):
    LegalDeadline = apps.get_model("workflows", "LegalDeadline")
    for rule in LegalDeadline.objects.filter(code__in=CODES):
        rule.to_confirm = True
        if CONFIRM_NOTE not in rule.note:
            rule.note = f"{rule.note} {CONFIRM_NOTE}".strip()
        rule.save(update_fields=["to_confirm", "note"])


class Migration(migrations.Migration):

    dependencies = [
        ("workflows", "0014_signing"),
    ]

    operations = [
        migrations.RunPython(mark, migrations.RunPython.noop),
    ]
