"""Writing an inspection: only roles that edit the plan, once, with who did it in history."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from g2g.inspections.models import Finding, Inspection
from g2g.inspections.parser import InspectionReport
from g2g.inspections.services import InspectionExistsError, write_inspection
from g2g.tenancy.access import access_for
from g2g.tenancy.models import Role

pytestmark = pytest.mark.django_db


def report() -> InspectionReport:
    return InspectionReport(
        type=Inspection.Type.ILACS,
        framework="ILACS standard",
        authority="Northshire",
        start=date(2025, 3, 3),
        end=date(2025, 3, 14),
        lead_inspector="A Inspector",
        overall="Requires improvement to be good",
        recommendations=["Improve the quality of plans for children in need."],
    )


def test_an_improvement_lead_writes_an_inspection_once(world):
    lead = access_for(world.users[Role.IMPROVEMENT_LEAD], world.authority.slug)
    inspection = write_inspection(lead, report(), source_name="report.pdf")
    assert inspection.authority == world.authority
    assert inspection.history.get().history_user == lead.user
    finding = inspection.findings.get()
    assert finding.history.get().history_user == lead.user
    with pytest.raises(InspectionExistsError):
        write_inspection(lead, report(), source_name="report.pdf")
    assert Inspection.objects.filter(authority=world.authority).count() == 2  # and the world's


@pytest.mark.parametrize("role", [Role.ACTION_LEAD, Role.VIEWER, Role.REGIONAL_VIEWER])
def test_only_roles_that_edit_the_plan_write_an_inspection(world, role):
    findings = Finding.objects.count()
    with pytest.raises(PermissionDenied):
        write_inspection(access_for(world.users[role], world.authority.slug), report())
    assert Inspection.objects.filter(authority=world.authority).count() == 1  # the world's
    assert Finding.objects.count() == findings
