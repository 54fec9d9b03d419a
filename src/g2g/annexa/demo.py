"""Demo Annex A returns: a synthetic workbook per demo authority, checked through the same code
as an upload and added to the scorecard, labelled synthetic (source "synthetic", and the note
and the return say so)."""

from __future__ import annotations

import io

from django.db import transaction

from g2g.core.dates import today
from g2g.tenancy.models import Authority

from .analysis import analyse
from .generator import generate, write_xlsx
from .models import AnnexAReturn
from .services import record_return, write_measure_values

DEMO_CHILDREN = {"Oldham": 3000, "Tameside": 2500}


@transaction.atomic
def load_annexa_demo(log=print) -> None:
    for name, children in DEMO_CHILDREN.items():
        authority = Authority.objects.filter(name=name).first()
        if authority is None:
            continue
        record = AnnexAReturn.objects.in_authority(authority).filter(synthetic=True).first()
        if record is None:
            generated = generate(name, children, seed=len(name), snapshot=today())
            buffer = io.BytesIO()
            write_xlsx(generated, buffer)
            file_name = f"synthetic-annex-a-{authority.slug}.xlsx"
            analysis = analyse(buffer.getvalue(), file_name, generated.snapshot)
            record = record_return(authority, analysis, synthetic=True)
        written = write_measure_values(authority, record)
        record.status, record.published_at = AnnexAReturn.Status.PUBLISHED, record.uploaded_at
        record.save(update_fields=["status", "published_at"])
        log(f"{name}: synthetic Annex A return, {written} measure values (labelled synthetic)")
