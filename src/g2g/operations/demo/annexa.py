"""Demo Annex A returns: a synthetic workbook per demo authority, checked through the same code
as an upload and added to the scorecard, labelled synthetic (source "synthetic", and the note
and the return say so)."""

from __future__ import annotations

import io

from django.db import transaction

from g2g.annexa.analysis import analyse
from g2g.annexa.generator import generate, write_xlsx
from g2g.annexa.models import AnnexAReturn
from g2g.annexa.services import record_return, write_measure_values
from g2g.core.dates import today
from g2g.core.history import save_with_history
from g2g.tenancy.access import operator_access
from g2g.tenancy.models import Authority

DEMO_CHILDREN = {"Oldham": 3000, "Tameside": 2500}


@transaction.atomic
def load_annexa_demo(log=print) -> None:
    for name, children in DEMO_CHILDREN.items():
        authority = Authority.objects.filter(name=name).first()
        if authority is None:
            continue
        access = operator_access(authority)
        record = access.scope(AnnexAReturn.objects.filter(synthetic=True)).first()
        if record is None:
            generated = generate(name, children, seed=len(name), snapshot=today())
            buffer = io.BytesIO()
            write_xlsx(generated, buffer)
            file_name = f"synthetic-annex-a-{authority.slug}.xlsx"
            analysis = analyse(buffer.getvalue(), file_name, generated.snapshot)
            record = record_return(access, analysis, synthetic=True)
        written = write_measure_values(access, record)
        record.status, record.published_at = AnnexAReturn.Status.PUBLISHED, record.uploaded_at
        save_with_history(record, access.user, update_fields=["status", "published_at"])
        log(f"{name}: synthetic Annex A return, {written} measure values (labelled synthetic)")
