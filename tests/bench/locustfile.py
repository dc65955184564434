"""Load scenario for kb (issue 6 §3): what a support floor does during a busy hour.

Per virtual user: 70 % searches (API), 20 % article page views (HTML, signed-in session),
5 % resolution posts (ticket upsert + resolution), 5 % edits (GET latest, PATCH with base_version).
A 409 on an edit is the contract's answer to a concurrent edit (CONTRACT §7): it is counted as its own
request name ``PATCH /api/v1/articles/[id]/ (409 conflict)`` and as a success, never as an error.

Needs ``KB_LOAD_DATA``: a JSON file written by ``bench_load.py`` with users (username, password,
token, role), article ids and slugs, category codes. Run through ``make bench ONLY=load``; by hand:
``KB_LOAD_DATA=… .venv/bin/locust -f tests/bench/locustfile.py --headless -u 32 -r 8 -t 2m --host http://127.0.0.1:PORT``.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
from urllib.parse import urlencode

from locust import FastHttpUser, between, constant, events, task

with open(os.environ["KB_LOAD_DATA"], encoding="utf-8") as fh:
    DATA = json.load(fh)

USERS = DATA["users"]
LEADS = [u for u in USERS if u["role"] == "lead"]
ARTICLES = DATA["articles"]  # [{"id", "slug"}] published articles everyone can read
EDITABLE = DATA["editable"]  # ids the leads edit (a few, so concurrent edits really happen)
CATEGORIES = DATA["categories"]

# What specialists type mid-ticket: short, sometimes misspelt, sometimes quoted.
QUERIES = [
    "lost 2fa phone",
    "recovery codes",
    "two factor authentication",
    "turn off 2fa",
    "reset password",
    "forgot password email",
    "report abuse",
    "report spam user",
    "block user",
    "unblock someone",
    "harassment",
    "account suspended",
    "appeal suspension",
    "delete account",
    "change username",
    "change email address",
    "verify email",
    "sponsors payout",
    "payout delayed",
    "tax form",
    "billing receipt",
    "refund",
    "security key",
    "passkey",
    "ssh key",
    "personal access token",
    "rate limit",
    "moderation queue",
    "ban user from room",
    "mute notifications",
    "spam comments",
    "code of conduct",
    "enforcement guidelines",
    "privacy policy",
    "data export",
    "session expired",
    "one time password",
    "authenticator app",
    "federation",
    '"two-factor authentication"',
    "pasword reset",
    "moderaton tools",
    "minor safety",
    "impersonation report",
    "copyright takedown",
    "dmca",
    "locked out of account",
    "email notifications",
    "trust and safety",
    "label moderation",
]

# Every request, for bench_load.py to compute exact percentiles without the sign-ins (KB_LOAD_LOG).
_LOG: list[tuple[float, str, int, float, bool]] = []


@events.request.add_listener
def _remember(request_type, name, response_time, response_length, response=None, exception=None, **kw):  # type: ignore[no-untyped-def]
    status = getattr(response, "status_code", 0) or 0
    _LOG.append((kw.get("start_time") or 0.0, name, int(status), float(response_time), exception is not None))


@events.quitting.add_listener
def _dump(environment, **kw):  # type: ignore[no-untyped-def]
    target = os.environ.get("KB_LOAD_LOG")
    if target:
        with open(target, "w", encoding="utf-8") as out:
            for row in _LOG:
                out.write(json.dumps(row) + "\n")


# KB_LOAD_THINK=0 drops the think time: every user sends its next request as soon as the last one is
# answered, which measures saturation throughput instead of a support floor's pace.
THINK = between(0.05, 0.3) if os.environ.get("KB_LOAD_THINK", "1") != "0" else constant(0)

_user_ids = itertools.count()
_lock = threading.Lock()


def _next_user() -> dict:
    with _lock:
        return USERS[next(_user_ids) % len(USERS)]


class SupportAgent(FastHttpUser):
    """One person on the support floor; think time is short because tickets are waiting.

    FastHttpUser (geventhttpclient) rather than HttpUser (requests): the load generator shares the
    two cores with kb, and requests' per-call overhead would take CPU that kb should be measured on.
    """

    wait_time = THINK

    def on_start(self) -> None:
        self.me = _next_user()
        self.lead = LEADS[hash(self.me["username"]) % len(LEADS)]
        self.tickets = 0
        self.api_headers = {"Authorization": f"Token {self.me['token']}", "Accept": "application/json"}
        # Sign in through the real login form so the article pages run with a session, as in a browser.
        page = self.client.get("/login/", name="GET /login/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.client.post(
            "/login/",
            data=urlencode(
                {
                    "username": self.me["username"],
                    "password": self.me["password"],
                    "csrfmiddlewaretoken": match.group(1) if match else "",
                    "next": "/",
                }
            ),
            headers={"Referer": self.host + "/login/", "Content-Type": "application/x-www-form-urlencoded"},
            name="POST /login/",
        )

    @task(70)
    def search(self) -> None:
        query = random.choice(QUERIES)
        params: dict[str, str] = {"q": query}
        if random.random() < 0.15:
            params["kind"] = random.choice(["sop", "troubleshooting", "policy", "macro"])
        if random.random() < 0.1:
            params["page"] = "2"
        with self.client.get(
            "/api/v1/search/",
            params=params,
            headers=self.api_headers,
            name="GET /api/v1/search/",
            catch_response=True,
        ) as resp:
            if resp.status_code == 404 and params.get("page"):
                resp.success()  # page 2 of a short result list: a correct 404
            elif resp.status_code != 200:
                resp.failure(f"status {resp.status_code}")

    @task(20)
    def view_article(self) -> None:
        article = random.choice(ARTICLES)
        with self.client.get(
            f"/articles/{article['slug']}/", name="GET /articles/[slug]/", catch_response=True
        ) as resp:
            if resp.status_code != 200 or "/login/" in resp.url:
                resp.failure(f"status {resp.status_code} at {resp.url}")

    @task(5)
    def record_resolution(self) -> None:
        self.tickets += 1
        external_id = f"LOAD-{self.me['username']}-{self.tickets % 50}"
        ticket = {
            "category": random.choice(CATEGORIES),
            "subject": "Creator cannot sign in after changing phone",
            "status": random.choice(["open", "pending", "solved"]),
        }
        self.client.put(
            f"/api/v1/tickets/{external_id}/",
            json=ticket,
            headers=self.api_headers,
            name="PUT /api/v1/tickets/[id]/",
        )
        body = {
            "ticket": external_id,
            "article": random.choice(ARTICLES)["id"],
            "outcome": random.choice(["resolved", "helpful", "not_helpful", "escalated"]),
        }
        self.client.post(
            "/api/v1/resolutions/", json=body, headers=self.api_headers, name="POST /api/v1/resolutions/"
        )

    @task(5)
    def edit_article(self) -> None:
        """A lead's edit: read the latest version, change the summary, send it with base_version."""
        headers = {"Authorization": f"Token {self.lead['token']}", "Accept": "application/json"}
        article_id = random.choice(EDITABLE)
        got = self.client.get(
            f"/api/v1/articles/{article_id}/",
            params={"version": "latest"},
            headers=headers,
            name="GET /api/v1/articles/[id]/?version=latest",
        )
        if got.status_code != 200:
            return
        base = got.json()["version"]
        change = {
            "base_version": base,
            "change_note": f"Load test edit by {self.lead['username']}",
            "summary": f"Checked during a busy hour ({random.randint(1, 10**6)}).",
        }
        with self.client.patch(
            f"/api/v1/articles/{article_id}/",
            json=change,
            headers=headers,
            name="PATCH /api/v1/articles/[id]/",
            catch_response=True,
        ) as resp:
            if resp.status_code == 409:
                resp.request_meta["name"] = "PATCH /api/v1/articles/[id]/ (409 conflict)"
                resp.success()
            elif resp.status_code != 200:
                resp.failure(f"status {resp.status_code}")


class FloorVisitor(FastHttpUser):
    """The floor (tests/bench/floor): the same users and think time, on a page that costs almost nothing.

    Chosen by name on locust's command line (``locust … FloorVisitor``); the kb run names ``SupportAgent``.
    """

    wait_time = THINK

    @task
    def page(self) -> None:
        self.client.get("/floor/", name="GET /floor/")
