"""Agreements signed and sealed remotely before issue 16: their sealed file becomes the case's one
agreement document (cases.Agreement.sealed_pdf), as remote signing now records it when the seal goes on."""

from django.db import migrations


def link_sealed_files(apps, schema_editor):
    SignedAgreement = apps.get_model("online", "SignedAgreement")
    Agreement = apps.get_model("cases", "Agreement")
    for signed in SignedAgreement.objects.filter(completed_at__isnull=False).exclude(pdf="").iterator():
        Agreement.objects.filter(case_id=signed.case_id, sealed_pdf="").update(sealed_pdf=signed.pdf.name)


class Migration(migrations.Migration):
    dependencies = [
        ("online", "0002_code_purpose_rate"),
        ("cases", "0002_agreement_signatures"),
    ]

    operations = [migrations.RunPython(link_sealed_files, migrations.RunPython.noop)]
