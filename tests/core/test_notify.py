"""Mail through GOV.UK Notify, against a local stub of Notify's API that checks each request's
token the way Notify does: a JWT signed (HS256) with the API key's secret, issued by its
service id."""

import json
import threading
import uuid
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from django.core import mail
from django.core.mail import EmailMessage, get_connection

from g2g.core.checks import check_notify_settings
from g2g.core.notify import NotifyError, plain_text
from g2g.rounds.models import Reminder
from g2g.rounds.reminders import send_reminders
from g2g.tenancy.models import Role
from tests.factories import ActionFactory, RoundFactory

pytestmark = pytest.mark.django_db

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"g2g_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
REPLY_TO_ID = "9d751d4e-6a2d-4a86-8d2c-7e4e9b2c1a55"


class NotifyStub(ThreadingHTTPServer):
    """Answers POST /v2/notifications/email as Notify does; `refuse` makes it answer an error."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), StubHandler)
        self.sent: list[dict] = []  # the JSON bodies of the notifications accepted
        self.refuse: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class StubHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        try:
            claims = jwt.decode(token, SECRET, algorithms=["HS256"])
            authorised = scheme == "Bearer" and claims["iss"] == SERVICE_ID and "iat" in claims
        except jwt.InvalidTokenError:
            authorised = False
        if not authorised:
            return self._answer(403, _errors(403, "AuthError", "Invalid token: signature"))
        if self.path != "/v2/notifications/email":
            return self._answer(404, _errors(404, "BadRequestError", "Not found"))
        if self.server.refuse:
            return self._answer(self.server.refuse, _errors(self.server.refuse, "Error", "No"))
        self.server.sent.append(body)
        notification = str(uuid.uuid4())
        self._answer(
            201,
            {
                "id": notification,
                "reference": body.get("reference"),
                "content": {
                    "subject": body["personalisation"]["subject"],
                    "body": body["personalisation"]["body"],
                    "from_email": "g2g@notifications.service.gov.uk",
                },
                "uri": f"{self.server.url}/v2/notifications/{notification}",
                "template": {
                    "id": body["template_id"],
                    "version": 1,
                    "uri": f"{self.server.url}/v2/template/{body['template_id']}",
                },
                "scheduled_for": None,
                "one_click_unsubscribe_url": None,
            },
        )

    def _answer(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def _errors(status: int, error: str, message: str) -> dict:
    return {"status_code": status, "errors": [{"error": error, "message": message}]}


@pytest.fixture
def notify(settings):
    stub = NotifyStub()
    thread = threading.Thread(target=stub.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "g2g.core.notify.NotifyEmailBackend"
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_TEMPLATE_ID = TEMPLATE_ID
    settings.NOTIFY_REPLY_TO_ID = ""
    settings.NOTIFY_BASE_URL = stub.url
    yield stub
    stub.shutdown()
    stub.server_close()
    thread.join()


@pytest.fixture
def round_(world):
    """The world's action lead leads three actions in a March 2025 round; nothing submitted."""
    lead = world.users[Role.ACTION_LEAD]
    lead.email = "lead@example.gov.uk"
    lead.save()
    post = world.led_action.leads.get()
    ActionFactory(
        priority=world.led_action.priority,
        leads=[post],
        title="[Sign in again](https://elsewhere.example/login) to keep your account",
    )
    world.update.delete()
    world.round.delete()
    return RoundFactory(plan=world.plan, period=date(2025, 3, 1), deadline=date(2025, 3, 28))


def test_reminder_digests_go_out_through_notify(settings, notify, world, round_):
    settings.SITE_URL = "https://g2g.example.gov.uk"
    run = send_reminders(date(2025, 3, 17), rounds=[round_])

    assert run.sent == 1
    assert mail.outbox == []  # not Django's test outbox: the stub had it
    [sent] = notify.sent
    assert sent["email_address"] == "lead@example.gov.uk"
    assert sent["template_id"] == TEMPLATE_ID
    assert "email_reply_to_id" not in sent  # none set: Notify uses the service's default
    subject, body = sent["personalisation"]["subject"], sent["personalisation"]["body"]
    assert subject == "Monthly round open: progress updates due by 28 March 2025 for 2 actions"
    assert world.led_action.ref in body
    link = f"https://g2g.example.gov.uk/{world.authority.slug}/rounds/{round_.pk}/mine/"
    assert f"Your actions due this round: {link}\n" in body  # a bare address: Notify links it
    # An action's title cannot make a link whose words hide where it goes.
    assert "\\[Sign in again\\](https://elsewhere.example/login)" in body
    assert Reminder.objects.filter(round=round_, email="lead@example.gov.uk").count() == 1


def test_a_refused_reminder_is_given_back_for_the_next_run(notify, world, round_):
    notify.refuse = 400
    run = send_reminders(date(2025, 3, 17), rounds=[round_])
    assert (run.sent, run.failed) == (0, ["lead@example.gov.uk"])
    assert not Reminder.objects.exists()  # the claim is given back: tomorrow's run retries

    notify.refuse = None
    assert send_reminders(date(2025, 3, 18), rounds=[round_]).sent == 1


def test_one_notification_per_recipient(settings, notify):
    settings.NOTIFY_REPLY_TO_ID = REPLY_TO_ID
    messages = [
        EmailMessage("Hello", "One", to=["a@example.gov.uk", "b@example.gov.uk"]),
        EmailMessage("Again", "Two", to=["c@example.gov.uk"], cc=["d@example.gov.uk"],
                     bcc=["e@example.gov.uk"]),
    ]  # fmt: skip
    with get_connection() as connection:
        assert connection.send_messages(messages) == 2

    assert [(n["email_address"], n["personalisation"]["subject"]) for n in notify.sent] == [
        ("a@example.gov.uk", "Hello"),
        ("b@example.gov.uk", "Hello"),
        ("c@example.gov.uk", "Again"),
        ("d@example.gov.uk", "Again"),
        ("e@example.gov.uk", "Again"),
    ]
    assert {n["email_reply_to_id"] for n in notify.sent} == {REPLY_TO_ID}


@pytest.mark.parametrize(
    ("refuse", "api_key", "status"),
    [
        (400, API_KEY, "400"),
        (None, f"g2g_test-{SERVICE_ID}-{uuid.uuid4()}", "403"),  # signed with another secret
        (500, API_KEY, "500"),
    ],
    ids=["bad-request", "wrong-secret", "server-error"],
)
def test_an_api_error_raises_or_counts_nothing_sent(settings, notify, refuse, api_key, status):
    notify.refuse = refuse
    settings.NOTIFY_API_KEY = api_key
    message = EmailMessage("Hello", "Body", to=["a@example.gov.uk"])

    with pytest.raises(NotifyError, match=f"GOV.UK Notify did not send the mail: {status} - "):
        get_connection().send_messages([message])
    assert get_connection(fail_silently=True).send_messages([message]) == 0
    assert notify.sent == []


def test_an_unreachable_notify_raises(settings, notify):
    settings.NOTIFY_BASE_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(NotifyError):
        EmailMessage("Hello", "Body", to=["a@example.gov.uk"]).send()


def test_attachments_are_refused_not_dropped(notify):
    message = EmailMessage("Hello", "Body", to=["a@example.gov.uk"])
    message.attach("plan.txt", "text", "text/plain")
    with pytest.raises(NotifyError, match="attachments"):
        message.send(fail_silently=True)
    assert notify.sent == []


@pytest.mark.parametrize(
    ("body", "sent"),
    [
        ("See https://g2g.example.gov.uk/a/b/?x=1.", "See https://g2g.example.gov.uk/a/b/?x=1."),
        ("[words](https://evil.example)", "\\[words\\](https://evil.example)"),
        ("![image](https://evil.example/i.png)", "!\\[image\\](https://evil.example/i.png)"),
        ("[ref]: https://evil.example", "\\[ref\\]: https://evil.example"),
        ("a \\[b\\] c", "a \\\\\\[b\\\\\\] c"),
        ("https://g2g.example.gov.uk/q?a[]=1 [x]", "https://g2g.example.gov.uk/q?a[]=1 \\[x\\]"),
    ],
    ids=["address-kept", "link", "image", "reference-link", "backslash", "brackets-in-address"],
)
def test_plain_text_escapes_link_syntax_outside_addresses(body, sent):
    assert plain_text(body) == sent


@pytest.mark.parametrize(
    ("changes", "ids"),
    [
        ({}, []),
        ({"NOTIFY_API_KEY": ""}, ["g2g.E002"]),
        ({"NOTIFY_API_KEY": SECRET}, ["g2g.E002"]),  # the secret alone, not the whole key
        ({"NOTIFY_TEMPLATE_ID": ""}, ["g2g.E003"]),
        ({"NOTIFY_API_KEY": "", "NOTIFY_TEMPLATE_ID": "welcome"}, ["g2g.E002", "g2g.E003"]),
        (
            {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "NOTIFY_API_KEY": ""},
            [],
        ),
    ],
    ids=["complete", "no-key", "secret-only", "no-template", "neither", "smtp"],
)
def test_the_notify_settings_check(settings, changes, ids):
    settings.EMAIL_BACKEND = "g2g.core.notify.NotifyEmailBackend"
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_TEMPLATE_ID = TEMPLATE_ID
    for name, value in changes.items():
        setattr(settings, name, value)
    assert [problem.id for problem in check_notify_settings()] == ids
