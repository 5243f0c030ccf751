"""The agent and queue REST API of the real daemon, over real HTTP on 127.0.0.1 with the demo
users: logins (a wrong password and an unknown user refused alike, malformed bodies, throttling
after five failures, logout revoking the token), a bearer token on every agent and queue route,
who sees and may change which agent (agent, supervisor of a team, admin), agent state changes
checked against the ACD's events, and live queue and agent figures while a real call is queued,
answered, wrapped up (ended early through the API) or abandoned by its caller."""
import datetime
import http.client
import json
import time
import unittest

from test_acd import AcdTestCase

# The ACD of these tests. 1004, in team support without skills (it works no queue), is there
# to tell "an agent sees only themself" from "a supervisor sees their team": 1001 and 1004
# share the team support, which the demo data gives the supervisor `super`.
CONFIG = """agents:
  - {id: '1001', teams: [support], skills: {support: 5}, auto_login: true}
  - {id: '1002', teams: [sales], skills: {sales: 5}}
  - {id: '1004', teams: [support]}
not_ready_reasons: [break, lunch]
queues:
  - {name: support, skills: {support: 1}, wrap_up: 30s, ring_timeout: 5s}
  - {name: sales, skills: {sales: 1}}
dids:
  - {number: '8001', queue: support}
"""

# README.md's demo accounts.
PASSWORDS = {"1001": "demo1001", "1002": "demo1002", "1003": "demo1003", "1004": "demo1004",
             "super": "demosuper", "admin": "demoadmin"}

AGENT_FIELDS = {"id", "name", "extension", "teams", "skills", "state", "since", "reason", "call",
                "queue", "next_status", "calls_today"}
QUEUE_FIELDS = {"name", "waiting", "oldest_wait_s", "ewt_s", "agents", "offered", "answered",
                "abandoned", "service_level", "abandon_rate", "asa_s"}
QUEUE_AGENT_FIELDS = {"logged_in", "ready", "ringing", "on_call", "wrap_up", "not_ready"}


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def dig(value, *keys):
    """value[k1][k2]..., or None where a level is missing or not an object."""
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def mentions(value, text):
    """Whether `text` appears in a JSON value (next_status may be a string or an object)."""
    return text in json.dumps(value)


class ApiTestCase(AcdTestCase):
    """The daemon with CONFIG and the demo data (loaded by SipTestCase.setUp), and an HTTP
    client for its API."""
    extra_yaml = CONFIG

    def request(self, method, path, body=None, token=None, raw=None, headers=None):
        """(status, body) of one request; the body parsed as JSON when it is, else its text
        (None when empty). `raw` sends those bytes instead of `body` as JSON."""
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        if data is not None:
            sent["Content-Type"] = "application/json"
        # Argon2id password checks are slow under the sanitizers: a generous bound.
        conn = http.client.HTTPConnection("127.0.0.1", self.daemon.http_port, timeout=30)
        try:
            conn.request(method, path, body=data, headers=sent)
            response = conn.getresponse()
            text = response.read().decode()
        finally:
            conn.close()
        if not text:
            return response.status, None
        try:
            return response.status, json.loads(text)
        except ValueError:
            return response.status, text

    def get(self, path, token=None):
        return self.request("GET", path, token=token)

    def post(self, path, body=None, token=None, raw=None):
        return self.request("POST", path, body=body, token=token, raw=raw)

    def login(self, user):
        """A token for a demo user, checking the login answer on the way."""
        status, body = self.post("/api/v1/auth/login",
                                 {"username": user, "password": PASSWORDS[user]})
        self.assertEqual(status, 200, body)
        self.assertIsInstance(body.get("token"), str, body)
        self.assertGreaterEqual(len(body["token"]), 16, "a guessable token")
        self.assertEqual(dig(body, "user", "login"), user, body)
        return body["token"]

    def assert_error(self, answer, status, code=None):
        """An answer of `status` with the API's error body; its code."""
        got, body = answer
        self.assertEqual(got, status, body)
        self.assertIsInstance(body, dict, f"error body is not a JSON object: {body!r}")
        self.assertIsInstance(dig(body, "error", "code"), str, body)
        self.assertIsInstance(dig(body, "error", "message"), str, body)
        if code is not None:
            self.assertEqual(body["error"]["code"], code, body)
        return body["error"]["code"]

    def agent(self, agent_id, token):
        status, body = self.get(f"/api/v1/agents/{agent_id}", token)
        self.assertEqual(status, 200, body)
        self.assertLessEqual(AGENT_FIELDS, set(body), body)
        self.assertEqual(body["id"], agent_id)
        return body

    def queue(self, name, token):
        status, body = self.get(f"/api/v1/queues/{name}", token)
        self.assertEqual(status, 200, body)
        self.assertLessEqual(QUEUE_FIELDS, set(body), body)
        self.assertLessEqual(QUEUE_AGENT_FIELDS, set(body["agents"]), body)
        self.assertEqual(body["name"], name)
        return body

    def set_state(self, agent_id, token, state, reason=None):
        body = {"state": state}
        if reason is not None:
            body["reason"] = reason
        return self.post(f"/api/v1/agents/{agent_id}/state", body, token)

    def wait_for(self, path, token, predicate, what, timeout=20):
        """Polls GET `path` until its 200 body satisfies `predicate`; that body."""
        seen = [None]

        def check():
            try:
                status, body = self.get(path, token)
            except http.client.HTTPException:
                return False
            seen[0] = (status, body)
            return status == 200 and predicate(body)
        try:
            self.daemon.wait_until(check, what=what, timeout=timeout)
        except AssertionError as err:
            raise AssertionError(f"{err}\nlast answer of GET {path}: {seen[0]!r}") from None
        return seen[0][1]


class AuthTest(ApiTestCase):
    def test_login_answers_token_user_and_expiry_and_refuses_bad_logins_alike(self):
        status, body = self.post("/api/v1/auth/login",
                                 {"username": "1001", "password": "demo1001"})
        self.assertEqual(status, 200, body)
        self.assertIsInstance(body["token"], str)
        self.assertTrue(body["token"])
        self.assertEqual(body["user"]["login"], "1001")
        self.assertEqual(body["user"]["role"], "agent")
        self.assertEqual(body["user"]["name"], "Li Na")  # the demo user's display name
        expires = datetime.datetime.fromisoformat(body["expires_at"])
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=datetime.timezone.utc)
        self.assertGreater(expires, datetime.datetime.now(datetime.timezone.utc))
        # The token works.
        status, listed = self.get("/api/v1/agents", body["token"])
        self.assertEqual(status, 200, listed)

        for user in ("super", "admin"):
            status, body = self.post("/api/v1/auth/login",
                                     {"username": user, "password": PASSWORDS[user]})
            self.assertEqual(status, 200, body)
            self.assertEqual(body["user"]["role"], {"super": "supervisor", "admin": "admin"}[user])

        # A wrong password and an unknown user: the same 401, so logins cannot be probed.
        wrong = self.post("/api/v1/auth/login", {"username": "1001", "password": "demo1002"})
        unknown = self.post("/api/v1/auth/login", {"username": "nosuchuser", "password": "x"})
        self.assert_error(wrong, 401, "bad_credentials")
        self.assert_error(unknown, 401, "bad_credentials")
        self.assertEqual(wrong[1], unknown[1])
        self.assertNotIn("token", wrong[1])

        # Malformed JSON and missing fields.
        self.assert_error(self.post("/api/v1/auth/login", raw=b'{"username": "1001", '), 400)
        self.assert_error(self.post("/api/v1/auth/login", {"username": "1001"}), 400)
        self.assert_error(self.post("/api/v1/auth/login", {"password": "demo1001"}), 400)

    def test_five_failed_logins_throttle_that_username_even_with_the_right_password(self):
        for attempt in range(5):
            with self.subTest(attempt=attempt + 1):
                self.assert_error(
                    self.post("/api/v1/auth/login", {"username": "1002", "password": "wrong"}),
                    401, "bad_credentials")
        self.assert_error(
            self.post("/api/v1/auth/login", {"username": "1002", "password": "demo1002"}), 429)
        # Only that username is throttled.
        self.login("1003")

    def test_logout_revokes_that_token_only(self):
        token = self.login("1001")
        other = self.login("1001")
        self.assertNotEqual(token, other)
        self.assertEqual(self.get("/api/v1/agents", token)[0], 200)
        status, body = self.post("/api/v1/auth/logout", token=token)
        self.assertEqual(status, 204, body)
        self.assert_error(self.get("/api/v1/agents", token), 401)
        self.assert_error(self.get("/api/v1/agents/1001", token), 401)
        self.assert_error(self.get("/api/v1/queues", token), 401)
        self.assert_error(self.set_state("1001", token, "not_ready", "break"), 401)
        self.assert_error(self.post("/api/v1/auth/logout", token=token), 401)
        # The same user's other session goes on.
        self.assertEqual(self.agent("1001", other)["state"], "ready")

    def test_agent_and_queue_routes_need_a_valid_bearer_token(self):
        reads = ("/api/v1/agents", "/api/v1/agents/1001", "/api/v1/queues",
                 "/api/v1/queues/support")
        writes = (("/api/v1/agents/1001/state", {"state": "not_ready", "reason": "break"}),
                  ("/api/v1/agents/1001/wrapup/end", None))
        bad_headers = ({}, {"Authorization": "Bearer not-a-token-we-gave"},
                       {"Authorization": "Basic MTAwMTpkZW1vMTAwMQ=="})
        for headers in bad_headers:
            for path in reads:
                with self.subTest(path=path, headers=headers):
                    self.assert_error(self.request("GET", path, headers=headers), 401)
            for path, body in writes:
                with self.subTest(path=path, headers=headers):
                    self.assert_error(self.request("POST", path, body=body, headers=headers), 401)
        # None of the refused changes happened.
        self.assertEqual(self.agent("1001", self.login("admin"))["state"], "ready")


# Who logs in, their role, the agents GET /api/v1/agents lists for them, and per agent the
# status of GET /api/v1/agents/{id} and of POST /api/v1/agents/{id}/state.
ROLES = (
    ("1001", "agent", ["1001"],
     {"1001": (200, 200), "1002": (403, 403), "1004": (403, 403)}),
    ("super", "supervisor", ["1001", "1004"],
     {"1001": (200, 200), "1002": (403, 403), "1004": (200, 200)}),
    ("admin", "admin", ["1001", "1002", "1004"],
     {"1001": (200, 200), "1002": (200, 200), "1004": (200, 200)}),
)


class RoleTest(ApiTestCase):
    def test_who_sees_and_may_change_which_agent(self):
        # The demo data puts the supervisor in team support, and only there.
        self.assertEqual(self.db.query(
            "SELECT string_agg(t.team, ',' ORDER BY t.team) FROM user_teams t "
            "JOIN users u ON u.id = t.user_id WHERE u.login = 'super'"), "support")
        observer = self.login("admin")
        for user, role, sees, rights in ROLES:
            status, body = self.post("/api/v1/auth/login",
                                     {"username": user, "password": PASSWORDS[user]})
            self.assertEqual(status, 200, body)
            self.assertEqual(body["user"]["role"], role)
            token = body["token"]
            with self.subTest(user=user, what="list"):
                status, listed = self.get("/api/v1/agents", token)
                self.assertEqual(status, 200, listed)
                self.assertEqual(sorted(a["id"] for a in listed["agents"]), sees)
                for a in listed["agents"]:
                    self.assertLessEqual(AGENT_FIELDS, set(a), a)
            with self.subTest(user=user, what="queues"):
                status, queues = self.get("/api/v1/queues", token)
                self.assertEqual(status, 200, queues)
                self.assertEqual(sorted(q["name"] for q in queues["queues"]),
                                 ["sales", "support"])
            for agent_id, (read, change) in rights.items():
                with self.subTest(user=user, agent=agent_id):
                    answer = self.get(f"/api/v1/agents/{agent_id}", token)
                    if read == 200:
                        self.assertEqual(answer[0], 200, answer[1])
                        self.assertEqual(answer[1]["id"], agent_id)
                    else:
                        self.assert_error(answer, read)
                    # Each change asked is a real one: not ready (break) when the agent is
                    # ready, ready when logged out or not ready; the admin sees whether it
                    # happened.
                    before = self.agent(agent_id, observer)
                    if before["state"] == "ready":
                        wanted, reason = "not_ready", "break"
                    else:
                        wanted, reason = "ready", None
                    answer = self.set_state(agent_id, token, wanted, reason)
                    after = self.agent(agent_id, observer)
                    if change == 200:
                        self.assertEqual(answer[0], 200, answer[1])
                        self.assertEqual(answer[1]["id"], agent_id)
                        self.assertEqual(answer[1]["state"], wanted)
                        self.assertEqual(after["state"], wanted)
                    else:
                        self.assert_error(answer, change)
                        self.assertEqual(after["state"], before["state"])
                        self.assertEqual(after["reason"], before["reason"])


class AgentStateTest(ApiTestCase):
    def test_an_admin_changes_an_agents_state_and_bad_requests_are_refused(self):
        admin = self.login("admin")
        agent = self.agent("1002", admin)
        self.assertEqual(agent["state"], "logged_out")
        self.assertEqual(agent["teams"], ["sales"])
        self.assertEqual(agent["extension"], "1002")
        self.assertFalse(agent["call"])
        self.assertEqual(self.queue("sales", admin)["agents"]["logged_in"], 0)

        status, agent = self.set_state("1002", admin, "ready")
        self.assertEqual(status, 200, agent)
        self.assertEqual(agent["id"], "1002")
        self.assertEqual(agent["state"], "ready")
        self.assertFalse(agent["reason"])
        self.assertEqual(self.agent("1002", admin)["state"], "ready")
        sales = self.queue("sales", admin)["agents"]
        self.assertEqual((sales["logged_in"], sales["ready"]), (1, 1))
        self.wait_for_event("agent.state", agent="1002", state="ready")

        status, agent = self.set_state("1002", admin, "not_ready", "lunch")
        self.assertEqual(status, 200, agent)
        self.assertEqual((agent["state"], agent["reason"]), ("not_ready", "lunch"))
        self.wait_for_event("agent.state", agent="1002", state="not_ready", reason="lunch")
        sales = self.queue("sales", admin)["agents"]
        self.assertEqual((sales["logged_in"], sales["ready"], sales["not_ready"]), (1, 0, 1))

        # Refused, and nothing changes: a reason not configured (nor one of the built-in
        # defaults that not_ready_reasons replaced, nor one the ACD gives itself), none at
        # all, an unknown state, malformed JSON, no state.
        for reason in ("nap", "training", "no_answer"):
            with self.subTest(reason=reason):
                self.assert_error(self.set_state("1002", admin, "not_ready", reason), 400)
        self.assert_error(self.set_state("1002", admin, "not_ready"), 400)
        self.assert_error(self.set_state("1002", admin, "sleeping"), 400)
        self.assert_error(self.post("/api/v1/agents/1002/state", raw=b'{"state": ', token=admin),
                          400)
        self.assert_error(self.post("/api/v1/agents/1002/state", {"reason": "lunch"}, admin), 400)
        agent = self.agent("1002", admin)
        self.assertEqual((agent["state"], agent["reason"]), ("not_ready", "lunch"))

        # Not in wrap-up: nothing to end.
        self.assert_error(self.post("/api/v1/agents/1002/wrapup/end", token=admin), 409)
        self.assertEqual(self.agent("1002", admin)["state"], "not_ready")

        status, agent = self.set_state("1002", admin, "logged_out")
        self.assertEqual(status, 200, agent)
        self.assertEqual(agent["state"], "logged_out")
        self.wait_for_event("agent.state", agent="1002", state="logged_out")
        self.assertEqual(self.queue("sales", admin)["agents"]["logged_in"], 0)

        # Unknown agents and queues.
        self.assert_error(self.get("/api/v1/agents/9999", admin), 404)
        self.assert_error(self.set_state("9999", admin, "ready"), 404)
        self.assert_error(self.get("/api/v1/queues/nosuchqueue", admin), 404)


class LiveQueueTest(ApiTestCase):
    def test_an_answered_call_shows_in_the_queue_and_agent_figures(self):
        token = self.login("1001")
        agent_phone = self.phone("1001")
        support = self.queue("support", token)
        self.assertEqual((support["offered"], support["answered"], support["waiting"]), (0, 0, 0))
        self.assertIsNone(support["service_level"])
        self.assertIsNone(support["asa_s"])

        caller, _, caller_dialog = self.caller("8001", "1003")
        agent_dialog = agent_phone.answer_call()
        call_id = self.wait_for_event("queue.connected", agent="1001", queue="support")[0][0]
        support = self.wait_for(
            "/api/v1/queues/support", token,
            lambda q: dig(q, "agents", "on_call") == 1 and q.get("answered") == 1,
            "the support queue shows the answered call")
        self.assertEqual((support["offered"], support["answered"], support["waiting"]), (1, 1, 0))
        self.assertEqual(support["agents"]["ready"], 0)
        self.assertEqual(support["agents"]["logged_in"], 1)
        agent = self.wait_for("/api/v1/agents/1001", token,
                              lambda a: a.get("state") == "on_call", "1001 on call")
        self.assertEqual(agent["call"], call_id)
        self.assertEqual(agent["queue"], "support")
        self.assertEqual(agent["calls_today"], 1)

        # Not ready asked during the call waits for its end; ready asked then cancels it.
        status, agent = self.set_state("1001", token, "not_ready", "lunch")
        self.assertEqual(status, 200, agent)
        self.assertEqual(agent["state"], "on_call")
        self.assertTrue(mentions(agent["next_status"], "not_ready"), agent)
        status, agent = self.set_state("1001", token, "ready")
        self.assertEqual(status, 200, agent)
        self.assertEqual(agent["state"], "on_call")
        self.assertFalse(mentions(agent["next_status"], "not_ready"), agent)

        self.assertEqual(caller.hang_up(caller_dialog), 200)
        agent_phone.next_request("BYE")
        hung_up = time.monotonic()
        agent = self.wait_for("/api/v1/agents/1001", token,
                              lambda a: a.get("state") == "wrap_up", "1001 in wrap-up")
        self.assertEqual(agent["call"], call_id)
        self.assertEqual(self.queue("support", token)["agents"]["wrap_up"], 1)

        # The wrap-up lasts 30 s: ended now, it is the API that ends it.
        status, agent = self.post("/api/v1/agents/1001/wrapup/end", token=token)
        self.assertLess(time.monotonic() - hung_up, 25, "too slow to prove the early end")
        self.assertEqual(status, 200, agent)
        self.assertEqual(agent["state"], "ready")
        self.assert_error(self.post("/api/v1/agents/1001/wrapup/end", token=token), 409)
        self.assertEqual(self.agent("1001", token)["state"], "ready")

        support = self.queue("support", token)
        self.assertEqual((support["offered"], support["answered"], support["abandoned"]),
                         (1, 1, 0))
        self.assertEqual((support["agents"]["ready"], support["agents"]["wrap_up"]), (1, 0))
        self.assertTrue(is_number(support["asa_s"]), support)
        # Answered within the 20 s service-level threshold: the phone answered at once.
        self.assertGreaterEqual(support["asa_s"], 0)
        self.assertLess(support["asa_s"], 20)
        self.assertEqual(support["service_level"], 1.0)
        self.assertEqual(support["abandon_rate"], 0.0)
        self.wait_for_no_calls()
        del agent_dialog

    def test_a_waiting_caller_shows_in_the_queue_and_counts_as_abandoned_on_hanging_up(self):
        token = self.login("1001")
        reader = self.login("super")
        # With 1001 ready the queue is worked, and a caller joining now waits for nobody.
        support = self.queue("support", reader)
        self.assertEqual((support["agents"]["logged_in"], support["agents"]["ready"]), (1, 1))
        self.assertEqual(support["ewt_s"], 0)

        status, agent = self.set_state("1001", token, "not_ready", "break")
        self.assertEqual(status, 200, agent)
        self.assertEqual((agent["state"], agent["reason"]), ("not_ready", "break"))
        support = self.queue("support", reader)
        self.assertEqual((support["agents"]["ready"], support["agents"]["not_ready"]), (0, 1))
        self.assertIsNone(support["ewt_s"])  # nobody works the queue

        caller, _, dialog = self.caller("8001", "1003")
        support = self.wait_for("/api/v1/queues/support", reader,
                                lambda q: q.get("waiting") == 1, "one caller waiting")
        self.assertEqual(support["offered"], 1)
        self.assertTrue(is_number(support["oldest_wait_s"]), support)
        self.assertGreaterEqual(support["oldest_wait_s"], 0)
        self.assertIsNone(support["ewt_s"])
        # The wait grows; past the 5 s short-abandon threshold the hang-up is a real abandon.
        support = self.wait_for("/api/v1/queues/support", reader,
                                lambda q: is_number(q.get("oldest_wait_s"))
                                and q["oldest_wait_s"] >= 6,
                                "the caller waiting 6 s", timeout=20)
        self.assertEqual(support["waiting"], 1)
        self.assertEqual(self.agent("1001", token)["state"], "not_ready")

        self.assertEqual(caller.hang_up(dialog), 200)
        support = self.wait_for("/api/v1/queues/support", reader,
                                lambda q: q.get("abandoned") == 1, "the abandon counted")
        self.assertEqual((support["waiting"], support["offered"], support["answered"]), (0, 1, 0))
        self.assertEqual(support["abandon_rate"], 1.0)
        self.assertEqual(support["service_level"], 0.0)
        self.assertIsNone(support["asa_s"])
        self.wait_for_event("queue.left", outcome="abandoned", queue="support")
        self.wait_for_no_calls()


class PriorityTest(ApiTestCase):
    def test_a_supervisor_raises_a_waiting_call_which_is_then_served_first(self):
        agent_token = self.login("1001")
        token = self.login("super")
        status, _ = self.set_state("1001", agent_token, "not_ready", "break")
        self.assertEqual(status, 200)
        first, _, first_dialog = self.caller("8001", "1003")
        self.wait_for("/api/v1/queues/support", token, lambda q: q.get("waiting") == 1,
                      "the first caller waiting")
        second, _, second_dialog = self.caller("8001", "1004")
        calls = self.wait_for("/api/v1/queues/support/calls", token,
                              lambda body: len(body.get("calls", [])) == 2,
                              "two callers listed")["calls"]
        self.assertEqual([c["position"] for c in calls], [1, 2])
        self.assertEqual([c["priority"] for c in calls], [0, 0])
        late = calls[1]["call"]
        # An agent may not reorder the queue; bad priorities and unknown calls are refused.
        self.assert_error(self.post(f"/api/v1/calls/{late}/priority", {"priority": 5},
                                    agent_token), 403)
        self.assert_error(self.post(f"/api/v1/calls/{late}/priority", {"priority": 101},
                                    token), 400)
        self.assert_error(self.post("/api/v1/calls/no-such-call/priority", {"priority": 5},
                                    token), 404)
        status, raised = self.post(f"/api/v1/calls/{late}/priority", {"priority": 5}, token)
        self.assertEqual(status, 200, raised)
        self.assertEqual((raised["call"], raised["priority"], raised["position"]), (late, 5, 1))
        status, body = self.get("/api/v1/queues/support/calls", token)
        self.assertEqual(status, 200, body)
        self.assertEqual([c["call"] for c in body["calls"]], [late, calls[0]["call"]])
        self.wait_for_event("queue.priority_changed")
        # The agent comes back: the raised call rings first.
        phone = self.phone("1001")
        status, _ = self.set_state("1001", agent_token, "ready")
        self.assertEqual(status, 200)
        phone.answer_call()
        connected = self.wait_for_event("queue.connected", agent="1001")
        self.assertEqual(connected[0][0], late)
        self.assertEqual(second.hang_up(second_dialog), 200)
        phone.next_request("BYE")
        self.assertEqual(first.hang_up(first_dialog), 200)
        self.wait_for_no_calls()
        self.assert_error(self.get("/api/v1/queues/nowhere/calls", token), 404)


if __name__ == "__main__":
    unittest.main()
