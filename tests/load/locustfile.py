"""The load test's simulated people (Locust), run by `make load` (`python -m tests.load`).

Each simulated user is one of the synthetic authorities' people, signed in through the sign-in
page, and sends each request to either app server at random (no sticky sessions: the servers
share sessions, cache and database). What each does, between pauses of 1 to 4 seconds:

- action leads read their pages and write this month's progress updates for the actions they
  alone were given (`people.json`: two leads never write the same update, so no write meets a
  stale version), as a draft or submitted, through the update page and through the API;
- the first improvement lead reads the pages and, through the API, signs off or returns the
  authority's submitted updates (returned ones go back to their writer, who writes again);
- the second improvement lead reads board packs: the page, and the pack as Word and Excel;
- the administrator and the viewers read the plan's pages and the API.

Any answer other than the one expected (a page 200, a saved form 302, an API write 200) is a
failure, and the run's failures are the report's errors.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

PEOPLE = json.loads(Path(os.environ["G2G_LOAD_PEOPLE"]).read_text())
SERVERS = PEOPLE["servers"]
PERIOD = PEOPLE["period"]  # this month, as yyyy-mm-01
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RATINGS = ("green", "amber", "red")
_unclaimed = list(PEOPLE["people"])  # each simulated user takes the next person


class Person(HttpUser):
    wait_time = between(1, 4)
    host = SERVERS[0]  # every request names its server: see `url`

    def on_start(self):
        self.me = _unclaimed.pop(0)
        self.slug = self.me["authority"]
        self.api = {"Authorization": f"Bearer {self.me['token']}"}
        page = self.client.get(self.url("/sign-in/"), name="/sign-in/")
        signed_in = self.client.post(
            self.url("/sign-in/"),
            data={
                "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
                "username": self.me["username"],
                "password": PEOPLE["password"],
            },
            allow_redirects=False,
            name="/sign-in/ (post)",
        )
        if signed_in.status_code != 302:
            raise RuntimeError(f"{self.me['username']} could not sign in")

    def url(self, path: str) -> str:
        return random.choice(SERVERS) + path  # noqa: S311 - a load balancer's choice

    def get(self, path: str, name: str, **kwargs):
        with self.client.get(self.url(path), name=name, catch_response=True, **kwargs) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code}")
            return answer

    # -- every role reads -------------------------------------------------------------------

    @task(3)
    def overview(self):
        self.get(f"/{self.slug}/", "/[authority]/")

    @task(3)
    def action_list(self):
        page = random.choice(("", "?page=2", "?rating=red"))  # noqa: S311
        self.get(f"/{self.slug}/actions/{page}", "/[authority]/actions/")

    @task(2)
    def action_page(self):
        action = random.choice(PEOPLE["actions"][self.slug])  # noqa: S311
        self.get(f"/{self.slug}/actions/{action}/", "/[authority]/actions/[id]/")

    @task(2)
    def scorecard(self):
        self.get(f"/{self.slug}/measures/", "/[authority]/measures/")

    @task(1)
    def rounds(self):
        self.get(f"/{self.slug}/rounds/", "/[authority]/rounds/")

    @task(1)
    def api_reads(self):
        path = random.choice(("actions", "updates", "measures"))  # noqa: S311
        self.get(
            f"/api/v1/{self.slug}/{path}?limit=50", f"/api/v1/[authority]/{path}", headers=self.api
        )

    # -- each role's own work ----------------------------------------------------------------

    @task(6)
    def own_work(self):
        work = {
            "action_lead": self.write_update,
            "improvement_lead": self.sign_off,
            "pack_reader": self.board_pack,
        }.get(self.me["work"])
        if work:
            work()

    def write_update(self):
        """This month's update for one of my actions, while it is mine to write: none yet, a
        draft, or returned. A submitted one waits for the improvement lead (who may sign it off
        or return it at any moment), so it is left alone: no write races a sign-off."""
        action = random.choice(self.me["writes"])  # noqa: S311
        found = self.get(
            f"/api/v1/{self.slug}/updates?action={action}&period={PERIOD}",
            "/api/v1/[authority]/updates?action=[id]",
            headers=self.api,
        )
        if found.status_code != 200:
            return
        items = found.json()["items"]
        if items and items[0]["status"] in ("submitted", "signed_off"):
            return
        version = items[0]["version"] if items else 0
        content = {
            "period": PERIOD,
            "narrative": f"Load test progress at {random.random():.6f}.",  # noqa: S311
            "action_rating": random.choice(RATINGS),  # noqa: S311
            "evidence_text": "Audit of twenty case files; the monthly performance report.",
        }
        submit = random.random() < 0.4  # noqa: S311
        if random.random() < 0.5:  # noqa: S311 - half through the page, half through the API
            path = f"/{self.slug}/actions/{action}/update/"
            form = self.get(f"{path}?period={PERIOD}", "/[authority]/actions/[id]/update/")
            token = CSRF.search(form.text)
            if form.status_code != 200 or token is None:
                return
            data = content | {
                "csrfmiddlewaretoken": token.group(1),
                "version": version,
                "intent": "submit" if submit else "draft",
            }
            with self.client.post(
                self.url(path),
                data=data,
                allow_redirects=False,
                name="/[authority]/actions/[id]/update/ (post)",
                catch_response=True,
            ) as saved:
                if saved.status_code != 302:
                    saved.failure(f"{saved.status_code}")
            return
        with self.client.post(
            self.url(f"/api/v1/{self.slug}/actions/{action}/updates"),
            json=content | {"version": version, "submit": submit},
            headers=self.api,
            name="/api/v1/[authority]/actions/[id]/updates (post)",
            catch_response=True,
        ) as saved:
            if saved.status_code != 200:
                saved.failure(f"{saved.status_code}: {saved.text[:200]}")

    def sign_off(self):
        """Sign off (or now and then return) the authority's submitted updates for the month."""
        found = self.get(
            f"/api/v1/{self.slug}/updates?status=submitted&period={PERIOD}&limit=5",
            "/api/v1/[authority]/updates?status=submitted",
            headers=self.api,
        )
        if found.status_code != 200:
            return
        for update in found.json()["items"]:
            if random.random() < 0.3:  # noqa: S311
                path, body = "return", {"comment": "Say which audits the figure comes from."}
            else:
                path, body = "sign-off", {}
            with self.client.post(
                self.url(f"/api/v1/{self.slug}/updates/{update['id']}/{path}"),
                json=body | {"version": update["version"]},
                headers=self.api,
                name=f"/api/v1/[authority]/updates/[id]/{path} (post)",
                catch_response=True,
            ) as done:
                if done.status_code != 200:
                    done.failure(f"{done.status_code}: {done.text[:200]}")

    def board_pack(self):
        kind = random.choice(("", "", "docx", "xlsx"))  # noqa: S311
        if kind:
            self.get(
                f"/{self.slug}/reports/board-pack/download/?format={kind}",
                f"/[authority]/reports/board-pack/download/?format={kind}",
            )
        else:
            self.get(f"/{self.slug}/reports/board-pack/", "/[authority]/reports/board-pack/")
