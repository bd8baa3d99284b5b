"""Quarter-end afternoon: officers file RAG returns while scrutiny members read the dashboards.

Run by `make loadtest` / `make faulttest` (tests/load/run.py), which create the accounts
(tests/load/prepare.py) and afterwards check the records against the database (check.py).

Officers (`load-officer-NNN`) sign in, open My outputs and update outputs of their agency. Every
update carries a unique token in its commentary. Conflicts are made on purpose, two ways:
- the officers of one agency share two "hot" outputs (the first two on their My outputs page)
  and take a few seconds over the form, so they often save from the same starting version;
- a "double save" posts two updates from one form, i.e. from the same version: the second must
  be refused with 409 and told why.
Scrutiny members (`load-scrutiny-NNN`) read the four dashboard pages with a few selections.
With LOAD_ONE_EACH=1 (the one-user run of `make loadtest`, two users) there is exactly one
officer and one scrutiny member: each request type's p95 with nobody else of its kind about.

Each update attempt is written to `attempts.jsonl` in LOAD_RESULTS twice: once before it is sent
("sent") and once with its outcome ("accepted", "rejected" with the reason shown, or "failed" for
a 5xx or no answer), so an attempt cut short is still known. Every request's status and time go
to `requests.jsonl` for the checker's percentiles.
"""

import html
import itertools
import json
import os
import random
import re
import time
import uuid
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task
from locust.exception import StopUser

PASSWORD = os.environ.get("LOAD_PASSWORD", "")
OFFICERS = int(os.environ.get("LOAD_OFFICERS", "40"))
SCRUTINY = int(os.environ.get("LOAD_SCRUTINY", "10"))
ONE_EACH = os.environ.get("LOAD_ONE_EACH") == "1"
RESULTS = Path(os.environ.get("LOAD_RESULTS", "load-results"))
HOT_OUTPUTS_PER_AGENCY = 2

UPDATE_LINK = re.compile(r'href="/actionplans/outputs/(\d+)/update/')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')
QUARTER_INPUT = re.compile(r'name="quarter" value="(\d+)"')
ERROR_SUMMARY = re.compile(r'govuk-error-summary__list">(.*?)</ul>', re.S)
HEADING = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
TAG = re.compile(r"<[^>]+>")

RESULTS.mkdir(parents=True, exist_ok=True)
_attempts = (RESULTS / "attempts.jsonl").open("a", buffering=1, encoding="utf-8")
_requests: list[dict] = []
_officer_numbers = itertools.count()
_scrutiny_numbers = itertools.count()


@events.request.add_listener
def _record_request(request_type, name, response_time, response, exception, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    _requests.append(
        {
            "name": name,
            "method": request_type,
            "status": status,
            "ms": round(response_time, 1),
            "at": time.time(),
            "error": "" if exception is None or status else repr(exception)[:200],
            "retry_after": response.headers.get("Retry-After", "") if status == 503 else "",
        }
    )


@events.quitting.add_listener
def _write_requests(environment, **kwargs):
    with (RESULTS / "requests.jsonl").open("w", encoding="utf-8") as out:
        for row in _requests:
            out.write(json.dumps(row) + "\n")
    _attempts.close()


# A Red return says what is being done and by when (the return rules).
RED_CORRECTIVE = {"corrective_action": "Load test recovery.", "corrective_action_by": "2030-03-31"}


def _text(fragment: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def reason_shown(body: str) -> str:
    """What the page told the person: its error summary, else its heading."""
    summary = ERROR_SUMMARY.search(body)
    if summary and _text(summary.group(1)):
        return _text(summary.group(1))
    heading = HEADING.search(body)
    return _text(heading.group(1)) if heading else ""


def _record(**row) -> None:
    _attempts.write(json.dumps({"at": time.time(), **row}) + "\n")


class SignedInUser(HttpUser):
    abstract = True
    username = ""

    def sign_in(self) -> None:
        if not PASSWORD:
            raise StopUser("LOAD_PASSWORD is not set.")
        page = self.client.get("/accounts/login/", name="sign in: form")
        token = CSRF_INPUT.search(page.text)
        with self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": self.username,
                "password": PASSWORD,
                "next": "",
            },
            name="sign in: post",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{self.username} not signed in: {response.status_code}")
                raise StopUser()


class Officer(SignedInUser):
    weight = 4
    fixed_count = 1 if ONE_EACH else 0
    # People read a page before the next click; the form takes a few seconds to fill in.
    wait_time = between(3, 10)

    def on_start(self):
        self.username = f"load-officer-{next(_officer_numbers) % OFFICERS + 1:03d}"
        self.sign_in()
        self.outputs: list[int] = []
        self.hot: list[int] = []
        page = self.client.get("/actionplans/my-outputs/", name="my outputs")
        found = list(dict.fromkeys(int(pk) for pk in UPDATE_LINK.findall(page.text)))
        if not found:
            raise StopUser(f"{self.username} has no outputs to update.")
        self.hot, self.outputs = found[:HOT_OUTPUTS_PER_AGENCY], found

    def _open_form(self, output: int) -> dict | None:
        page = self.client.get(
            f"/actionplans/outputs/{output}/update/?next=/actionplans/my-outputs/",
            name="update form",
        )
        csrf, version = CSRF_INPUT.search(page.text), VERSION_INPUT.search(page.text)
        quarter = QUARTER_INPUT.search(page.text)
        if page.status_code != 200 or not (csrf and version and quarter):
            return None
        return {
            "csrfmiddlewaretoken": csrf.group(1),
            "version": version.group(1),
            "quarter": quarter.group(1),
            "next": "/actionplans/my-outputs/",
        }

    def _save(self, output: int, form: dict, kind: str) -> str:
        token = f"LT-{uuid.uuid4().hex}"
        rag = random.choice(["GREEN", "AMBER", "RED"])
        common = {
            "token": token,
            "output": output,
            "user": self.username,
            "version": int(form["version"]),
            "kind": kind,
        }
        _record(**common, outcome="sent")
        with self.client.post(
            f"/actionplans/outputs/{output}/update/",
            data={
                **form,
                "rag": rag,
                "commentary": f"Load test return {token} ({rag.lower()}).",
                **(RED_CORRECTIVE if rag == "RED" else {}),
            },
            name="update: save",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            status = response.status_code
            if status == 302:
                outcome, reason = "accepted", ""
                response.success()
            elif status in (400, 409):
                outcome, reason = "rejected", reason_shown(response.text)
                response.success()
            else:
                outcome = "failed"
                reason = reason_shown(response.text or "") or str(response.error or "")
                response.failure(f"{status}: {reason}")
        _record(**common, outcome=outcome, status=status, reason=reason)
        return outcome

    @task(4)
    def update_an_output(self):
        """Open the form, take a moment over it, save: a hot output one time in three."""
        output = random.choice(self.hot if random.random() < 1 / 3 else self.outputs)
        form = self._open_form(output)
        if form is None:
            return
        gevent.sleep(random.uniform(2, 8))
        self._save(output, form, kind="hot" if output in self.hot else "single")

    @task(1)
    def save_twice_from_one_form(self):
        """Two saves from the same starting version: at most one may be accepted."""
        output = random.choice(self.hot)
        form = self._open_form(output)
        if form is None:
            return
        gevent.sleep(random.uniform(1, 4))
        self._save(output, form, kind="pair-first")
        self._save(output, form, kind="pair-second")

    @task(2)
    def read_my_outputs_and_an_output(self):
        self.client.get(f"/actionplans/my-outputs/?page={random.randint(1, 3)}", name="my outputs")
        self.client.get(f"/actionplans/outputs/{random.choice(self.outputs)}/", name="output page")


class ScrutinyMember(SignedInUser):
    weight = 1
    fixed_count = 1 if ONE_EACH else 0
    wait_time = between(3, 10)

    def on_start(self):
        self.username = f"load-scrutiny-{next(_scrutiny_numbers) % SCRUTINY + 1:03d}"
        self.sign_in()

    @task(3)
    def dashboard(self):
        self.client.get(
            random.choice(["/dashboards/", "/dashboards/?year=2006/07&quarter=2"]),
            name="dashboard",
        )

    @task(2)
    def outputs(self):
        self.client.get(
            random.choice(["/dashboards/outputs/", "/dashboards/outputs/?status=RED"]),
            name="dashboard: outputs",
        )

    @task(2)
    def exceptions(self):
        self.client.get("/dashboards/exceptions/", name="dashboard: exceptions")

    @task(1)
    def trend(self):
        self.client.get("/dashboards/trend/", name="dashboard: trend")
