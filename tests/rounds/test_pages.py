"""The round pages through the real views: who may do what, evidence files, optimistic
concurrency on the update form, and query counts that do not grow with the actions."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2g.core.dates import add_months, add_working_days, current_period, is_working_day, today
from g2g.plans.models import EvidenceFile, ProgressUpdate
from g2g.rounds.models import Round
from g2g.tenancy.models import Role
from tests.factories import ActionFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

ALL_ROLES = [role.value for role in Role]


def update_url(world, action, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/{world.authority.slug}/actions/{action.pk}/update/" + (f"?{query}" if query else "")


def written(**changes):
    data = {
        "period": current_period().isoformat(),
        "narrative": "Audit of 20 cases completed.",
        "action_rating": "green",
        "evidence_text": "Audit report.",
        "version": "0",
        "intent": "submit",
    }
    return data | changes


def next_working_day():
    day = today()
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


# ---- permissions -------------------------------------------------------------------------

# (role, may submit on the action they lead, on another action, may sign off)
EXPECTED = {
    Role.ADMINISTRATOR: (True, True, True),
    Role.IMPROVEMENT_LEAD: (True, True, True),
    Role.ACTION_LEAD: (True, False, False),
    Role.VIEWER: (False, False, False),
    Role.REGIONAL_VIEWER: (False, False, False),
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_submit(client, world, role):
    client.force_login(world.users[role])
    ProgressUpdate.objects.all().delete()
    own, other, _ = EXPECTED[role]
    for action, allowed in ((world.led_action, own), (world.other_action, other)):
        response = client.post(update_url(world, action), written())
        assert response.status_code == (302 if allowed else 403)
        assert action.updates.filter(status="submitted").exists() is allowed


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_sign_off_and_return(client, world, role):
    writer = world.users[Role.ACTION_LEAD]
    client.force_login(writer)
    ProgressUpdate.objects.all().delete()
    client.post(update_url(world, world.led_action), written())
    update = world.led_action.updates.get()
    client.force_login(world.users[role])
    url = f"/{world.authority.slug}/rounds/updates/{update.pk}/"
    allowed = EXPECTED[role][2]
    assert client.get(url).status_code == (200 if allowed else 403)
    queue = client.get(f"/{world.authority.slug}/rounds/{world.round.pk}/sign-off/")
    assert queue.status_code == (200 if allowed else 403)
    response = client.post(url, {"intent": "sign_off", "version": update.version})
    assert response.status_code == (302 if allowed else 403)
    update.refresh_from_db()
    assert (update.status == "signed_off") is allowed
    if allowed:
        assert update.signed_off_by == world.users[role]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_everyone_with_a_role_reads_the_round_pages(client, world, role):
    client.force_login(world.users[role])
    slug, pk = world.authority.slug, world.round.pk
    for url in (f"/{slug}/rounds/", f"/{slug}/rounds/{pk}/", f"/{slug}/rounds/{pk}/mine/"):
        assert client.get(url).status_code == 200, url
    download = client.get(f"/{slug}/rounds/evidence/{world.evidence.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"Audit of 20 cases"


@pytest.mark.parametrize("role", ALL_ROLES)
def test_nothing_crosses_authorities(client, world, foreign_world, role):
    client.force_login(world.users[role])
    slug = world.authority.slug
    for url in (
        f"/{slug}/rounds/{foreign_world.round.pk}/",
        f"/{slug}/rounds/{foreign_world.round.pk}/mine/",
        f"/{slug}/rounds/evidence/{foreign_world.evidence.pk}/",
        update_url(world, foreign_world.led_action),
    ):
        assert client.get(url).status_code in (403, 404), url
    response = client.post(
        f"/{slug}/rounds/updates/{foreign_world.update.pk}/",
        {"intent": "return", "comment": "x", "version": foreign_world.update.version},
    )
    assert response.status_code in (403, 404)
    foreign_world.update.refresh_from_db()
    assert foreign_world.update.status == "signed_off"


# ---- opening a round --------------------------------------------------------------------


def test_an_improvement_lead_opens_a_round_and_the_leads_are_mailed(client, world):
    world.round.delete()
    world.update.delete()  # the led action has nothing for this month yet
    lead = world.users[Role.ACTION_LEAD]
    lead.email = "lead@example.gov.uk"
    lead.save()
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    deadline = add_working_days(next_working_day(), 3)
    response = client.post(
        f"/{world.authority.slug}/rounds/open/",
        {"period": current_period().isoformat(), "deadline": deadline.isoformat()},
        follow=True,
    )
    round_ = Round.objects.get(plan=world.plan)
    assert round_.tasks.count() == 2
    assert round_.opened_by == world.users[Role.IMPROVEMENT_LEAD]
    assert "round is open: 2 actions are due" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["lead@example.gov.uk"]]


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        ("2000-01-03", "The deadline must be today or later"),
        ("not-a-date", "Deadline must be a real date"),
        ("", "Enter the deadline"),
    ],
    ids=["past", "garbage", "missing"],
)
def test_bad_round_input_is_explained(client, world, deadline, message):
    world.round.delete()
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    response = client.post(
        f"/{world.authority.slug}/rounds/open/",
        {"period": current_period().isoformat(), "deadline": deadline},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Round.objects.exists()


def test_a_weekend_deadline_and_a_second_round_are_refused(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    saturday = today() + timedelta(days=(5 - today().weekday()) % 7)
    response = client.post(
        f"/{world.authority.slug}/rounds/open/",
        {"period": current_period().isoformat(), "deadline": saturday.isoformat()},
    )
    assert "weekend or a bank holiday" in response.content.decode()
    response = client.post(
        f"/{world.authority.slug}/rounds/open/",
        {"period": current_period().isoformat(), "deadline": next_working_day().isoformat()},
    )
    assert "is already open" in response.content.decode()
    assert Round.objects.filter(plan=world.plan).count() == 1


# ---- the update form: evidence and concurrency ---------------------------------------------


def office_file(main_type: str, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="/main.xml" ContentType="{main_type}"/></Types>',
        )
        archive.writestr("main.xml", "<x/>")
    return SimpleUploadedFile(name, buffer.getvalue())


PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
DOCM = "application/vnd.ms-word.document.macroEnabled.main+xml"


@pytest.mark.parametrize(
    ("upload", "problem"),
    [
        (SimpleUploadedFile("audit.pdf", b"%PDF-1.7 audit"), None),
        (SimpleUploadedFile("chart.png", b"\x89PNG\r\n\x1a\nrest"), None),
        (SimpleUploadedFile("figures.csv", b"month,value\n2025-03,31.4\n"), None),
        (office_file(PPTX, "board.pptx"), None),
        (SimpleUploadedFile("chart.pdf", b"\x89PNG\r\n\x1a\nrest"), "its content is PNG"),
        (SimpleUploadedFile("run.exe", b"MZ\x90\x00"), "not a kind of file that can be"),
        (SimpleUploadedFile("notes.txt", b"a\x00b"), "binary data"),
        (SimpleUploadedFile("empty.pdf", b""), "is empty"),
        (office_file(DOCM, "plan.docx"), "macro-enabled"),
        (SimpleUploadedFile("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1xx"), "old Office"),
        (SimpleUploadedFile("../../etc/passwd.txt", b"root"), None),
    ],
    ids=[
        "pdf",
        "png",
        "csv",
        "pptx",
        "png-named-pdf",
        "exe",
        "nul",
        "empty",
        "macro",
        "ole",
        "traversal-name",
    ],
)
def test_evidence_files_are_checked_by_content(client, world, upload, problem):
    client.force_login(world.users[Role.ACTION_LEAD])
    ProgressUpdate.objects.all().delete()
    data = written(evidence_files=upload, intent="draft")
    response = client.post(update_url(world, world.led_action), data)
    if problem is None:
        assert response.status_code == 302
        evidence = EvidenceFile.objects.get()
        assert "/" not in evidence.name
        assert ".." not in evidence.name
        assert evidence.file.name.startswith(f"evidence/{world.authority.pk}/")
    else:
        assert response.status_code == 200
        assert problem in response.content.decode()
        assert not EvidenceFile.objects.exists()
        assert not ProgressUpdate.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, world, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024
    client.force_login(world.users[Role.ACTION_LEAD])
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 2000)
    response = client.post(
        update_url(world, world.led_action, period="2020-01-01"),
        written(evidence_files=upload, intent="draft"),
    )
    assert "is larger than" in response.content.decode()


def test_two_people_editing_the_same_update(client, world):
    """The second save is refused with a clear message, their text is kept in the form and
    the first person's update is untouched; saving again then replaces it knowingly."""
    url = update_url(world, world.other_action)
    first = written(narrative="First person text", intent="draft")
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    assert client.post(url, first).status_code == 302  # version 0 → 1
    page = client.get(url).content.decode()
    assert 'name="version" value="1"' in page
    # Both now have version 1 open. The administrator saves first.
    client.force_login(world.users[Role.ADMINISTRATOR])
    assert client.post(url, first | {"narrative": "Admin text", "version": "1"}).status_code == 302
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    response = client.post(url, first | {"narrative": "Lead text", "version": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "after you opened it, so your changes were not saved" in page
    assert "Lead text" in page  # kept in the form
    assert "Admin text" in page  # the saved version shown beside it
    assert 'name="version" value="2"' in page
    assert world.other_action.updates.get().narrative == "Admin text"
    assert client.post(url, first | {"narrative": "Lead text", "version": "2"}).status_code == 302
    assert world.other_action.updates.get().narrative == "Lead text"


def test_a_returned_update_shows_the_comment_to_its_writer(client, world):
    client.force_login(world.users[Role.ACTION_LEAD])
    ProgressUpdate.objects.all().delete()
    client.post(update_url(world, world.led_action), written())
    update = world.led_action.updates.get()
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    client.post(
        f"/{world.authority.slug}/rounds/updates/{update.pk}/",
        {"intent": "return", "comment": "Add the audit figures.", "version": update.version},
    )
    client.force_login(world.users[Role.ACTION_LEAD])
    mine = client.get(f"/{world.authority.slug}/rounds/{world.round.pk}/mine/").content.decode()
    assert "Returned" in mine
    assert "Add the audit figures." in mine
    form = client.get(update_url(world, world.led_action)).content.decode()
    assert "Add the audit figures." in form


def test_the_action_page_shows_complete_awaiting_sign_off(client, world):
    client.force_login(world.users[Role.ACTION_LEAD])
    ProgressUpdate.objects.all().delete()
    client.post(update_url(world, world.led_action), written(action_rating="blue"))
    page = client.get(f"/{world.authority.slug}/actions/{world.led_action.pk}/").content.decode()
    assert "Complete – awaiting sign-off" in page
    assert "Submitted by" in page


# ---- the update form (issue 16) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("draft", "Draft – not submitted"),
        ("submitted", "Submitted – awaiting sign-off"),
        ("returned", "Returned"),
    ],
    ids=["draft", "submitted", "returned"],
)
def test_the_update_form_shows_the_true_status(client, world, status, words):
    ProgressUpdate.objects.all().delete()
    lead = world.users[Role.IMPROVEMENT_LEAD]
    ProgressUpdateFactory(
        action=world.other_action, period=current_period(), status=status, returned_by=lead
    )
    client.force_login(lead)
    page = client.get(update_url(world, world.other_action)).content.decode()
    assert f">{words}</strong>" in page
    assert "Not started" not in page


def test_a_new_update_says_not_started(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    page = client.get(update_url(world, world.other_action)).content.decode()
    assert ">Not started</strong>" in page


def test_the_update_form_shows_the_action_beside_it(client, world):
    action = world.other_action
    action.end, action.evidence_of_success = (
        date(2025, 3, 31),
        "Audits show\r\n\r\n- fewer re-referrals",
    )
    action.save()
    ProgressUpdateFactory(
        action=action, period=add_months(current_period(), -1), narrative="Last month's words"
    )
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    page = client.get(update_url(world, action)).content.decode()
    beside = page[page.index('aria-labelledby="about-the-action"') :]
    assert "31 March 2025" in beside
    assert '<ul class="govuk-list govuk-list--bullet"><li>fewer re-referrals</li></ul>' in beside
    assert "Last update: " + f"{add_months(current_period(), -1):%B %Y}" in beside
    assert "Last month&#x27;s words" in beside
    assert '<details class="govuk-details" open>' in page  # the rating key, open
    assert 'data-module="govuk-character-count" data-maxlength="10000"' in page
    assert 'class="govuk-textarea govuk-js-character-count' in page


def test_next_steps_risks_and_support_are_written_and_shown_again(client, world):
    url = update_url(world, world.other_action)
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    extra = {
        "next_steps": "Re-audit in May",
        "risks": "- Agency staff\r\n- <b>Costs</b>",
        "support_needed": "Funding for two posts",
        "intent": "draft",
    }
    assert client.post(url, written(**extra)).status_code == 302
    update = world.other_action.updates.get()
    assert (update.next_steps, update.risks, update.support_needed) == (
        "Re-audit in May",
        "- Agency staff\r\n- <b>Costs</b>",
        "Funding for two posts",
    )
    form = client.get(url).content.decode()
    assert "Re-audit in May</textarea>" in form
    action_page = client.get(f"/{world.authority.slug}/actions/{world.other_action.pk}/")
    shown = action_page.content.decode()
    assert "<li>Agency staff</li><li>&lt;b&gt;Costs&lt;/b&gt;</li>" in shown
    assert "Funding for two posts" in shown


@pytest.mark.parametrize(
    ("intent", "offered", "not_offered"),
    [
        ("submit", "Change the submitted update", "Write this month's update"),
        ("draft", "Continue this month's draft update", "Write this month's update"),
        (None, "Write this month's update", "Change the submitted update"),
    ],
    ids=["submitted", "draft", "none"],
)
def test_the_action_page_offers_what_is_left_to_do_this_month(
    client, world, intent, offered, not_offered
):
    client.force_login(world.users[Role.ACTION_LEAD])
    ProgressUpdate.objects.all().delete()
    if intent:
        response = client.post(update_url(world, world.led_action), written(intent=intent))
        assert response.status_code == 302
    page = client.get(f"/{world.authority.slug}/actions/{world.led_action.pk}/").content.decode()
    assert offered in page
    assert not_offered not in page


def test_every_bad_link_is_shown_on_the_form(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    links = "nonsense\r\nhttps://ok.example\r\nftp://x.example"
    page = client.post(update_url(world, world.other_action), written(evidence_links=links))
    assert "Links 1 and 3 are not web addresses" in page.content.decode()


# ---- query counts -------------------------------------------------------------------------


def grow(world, count):
    post = world.led_action.leads.get()
    for _ in range(count):
        action = ActionFactory(priority=world.led_action.priority, leads=[post])
        world.round.tasks.create(action=action)
        ProgressUpdateFactory(action=action, status="submitted", author=world.users["viewer"])


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["", "{pk}/", "{pk}/mine/", "{pk}/sign-off/"])
def test_round_pages_do_not_grow_with_actions(client, world, page):
    client.force_login(
        world.users[Role.ACTION_LEAD] if "mine" in page else world.users["administrator"]
    )
    url = f"/{world.authority.slug}/rounds/" + page.format(pk=world.round.pk)
    grow(world, 3)
    small = queries_for(client, url)
    grow(world, 60)
    assert queries_for(client, url) == small
