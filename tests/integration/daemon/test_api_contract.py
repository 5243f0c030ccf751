"""The API as a whole against its description: every route the daemon serves is in
docs/openapi.yaml with the same roles (and the file describes nothing the daemon does not
serve); docs/api.md names every route; each route refuses a request without a session (401)
and one from a role it does not admit (403, table-driven over the whole route list); every
JSON route refuses malformed and oversized bodies without harm to the daemon; the audit log
records logins (failed ones too) and changes with who, from where and the outcome; failed
logins from one address are throttled whatever user names it tries."""
import os
import re
import unittest

import yaml

from test_api_agents import ApiTestCase, PASSWORDS

SOURCE_DIR = os.environ.get("CALLCENTERD_SOURCE_DIR",
                            os.path.join(os.path.dirname(__file__), "..", "..", ".."))
METHODS = ("get", "post", "put", "patch", "delete")
ROLES = ("agent", "supervisor", "admin")
# Values for path parameters when a route is called only to see who it lets through.
SAMPLE_PARAMS = {"agent": "1002", "queue": "support", "call": "00000000-0000-4000-8000-000000000000",
                 "id": "00000000-0000-4000-8000-000000000000"}


def load_spec():
    with open(os.path.join(SOURCE_DIR, "docs", "openapi.yaml"), encoding="utf-8") as f:
        return yaml.safe_load(f)


def routes_with_bodies():
    """{(METHOD, path)} of the operations that take a JSON request body."""
    return {(method.upper(), path) for path, item in load_spec()["paths"].items()
            for method in METHODS
            if method in item and "application/json" in
            item[method].get("requestBody", {}).get("content", {})}


def described_routes():
    """{(METHOD, path): roles} from docs/openapi.yaml."""
    spec = load_spec()
    out = {}
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                operation = item[method]
                if "x-roles" not in operation:
                    raise AssertionError(f"{method.upper()} {path} in openapi.yaml has no x-roles")
                out[(method.upper(), path)] = sorted(operation["x-roles"])
    return out


def concrete(path):
    return re.sub(r"\{(\w+)\*?\}", lambda m: SAMPLE_PARAMS.get(m.group(1), "x"), path)


class ContractTest(ApiTestCase):
    def served_routes(self, token):
        status, body = self.get("/api/v1/routes", token)
        self.assertEqual(status, 200, body)
        return {(r["method"], r["path"]): sorted(r["roles"]) for r in body["routes"]}

    def test_openapi_describes_exactly_the_routes_served_with_their_roles(self):
        served = self.served_routes(self.login("admin"))
        described = described_routes()
        self.assertIn(("GET", "/api/v1/agents"), served)
        undocumented = sorted(set(served) - set(described))
        self.assertEqual(undocumented, [], "served but not in docs/openapi.yaml")
        unserved = sorted(set(described) - set(served))
        self.assertEqual(unserved, [], "in docs/openapi.yaml but not served")
        for route, roles in served.items():
            self.assertEqual(roles, described[route], f"roles of {route}")
        with open(os.path.join(SOURCE_DIR, "docs", "api.md"), encoding="utf-8") as f:
            prose = f.read()
        for method, path in served:
            if path.startswith("/api/v1/") and path != "/api/v1/":
                self.assertIn(f"{method} {path}", prose, "docs/api.md does not name the route")

    def test_every_route_refuses_no_session_and_roles_it_does_not_admit(self):
        served = self.served_routes(self.login("admin"))
        tokens = {"agent": self.login("1001"), "supervisor": self.login("super")}
        checked = 0
        for (method, path), roles in sorted(served.items()):
            if not roles:
                continue  # open to anyone
            target = concrete(path)
            answer = self.request(method, target, body={} if method != "GET" else None)
            self.assert_error(answer, 401, "unauthorized")
            for role, token in tokens.items():
                if role in roles:
                    continue
                answer = self.request(method, target, body={} if method != "GET" else None,
                                      token=token)
                with self.subTest(route=f"{method} {path}", role=role):
                    self.assert_error(answer, 403, "forbidden")
                    checked += 1
        self.assertGreaterEqual(checked, 4, "no route was checked against a role")

    def test_malformed_and_oversized_bodies_are_refused_and_change_nothing(self):
        token = self.login("admin")
        served = self.served_routes(token)
        before = self.agent("1002", token)
        with_bodies = routes_with_bodies()
        self.assertIn(("POST", "/api/v1/agents/{agent}/state"), with_bodies)
        for (method, path), roles in sorted(served.items()):
            if (method, path) not in with_bodies:
                continue
            target = concrete(path)
            for raw in (b'{"state": "ready", ', b"[1, 2]", b"\xff\xfe", b""):
                with self.subTest(route=f"{method} {path}", body=raw):
                    status, body = self.request(method, target, raw=raw,
                                                token=token if roles else None)
                    self.assertEqual(status, 400, body)
                    self.assertEqual(body["error"]["code"], "bad_request", body)
        status, body = self.request("POST", "/api/v1/agents/1002/state", raw=b"x" * (2 << 20),
                                    token=token)
        self.assertEqual(status, 413, body)
        self.assertEqual(self.get("/healthz")[0], 200)
        after = self.agent("1002", token)
        self.assertEqual(after["state"], before["state"])
        self.assertEqual(after["since"], before["since"])

    def test_the_audit_log_keeps_who_did_what_from_where(self):
        self.assert_error(self.post("/api/v1/auth/login",
                                    {"username": "1002", "password": "not-it"}), 401)
        admin = self.login("admin")
        status, body = self.set_state("1002", admin, "ready")
        self.assertEqual(status, 200, body)
        self.assert_error(self.set_state("1002", admin, "not_ready", "nap"), 400, "bad_reason")
        agent = self.login("1001")
        self.assert_error(self.set_state("1002", agent, "logged_out"), 403, "forbidden")

        def entries(query):
            status, body = self.get(f"/api/v1/audit?{query}", admin)
            self.assertEqual(status, 200, body)
            return body["entries"]

        logins = self.wait_for("/api/v1/audit?action=auth.login", admin,
                               lambda b: len(b["entries"]) >= 3, "three logins audited")
        failed = [e for e in logins["entries"] if e["target"] == "1002"]
        self.assertEqual(len(failed), 1, logins)
        self.assertEqual(failed[0]["outcome"], "bad_credentials")
        self.assertIsNone(failed[0]["user"])
        self.assertEqual(failed[0]["source"], "127.0.0.1")
        self.assertNotIn("not-it", str(logins), "a password in the audit log")
        ok = [e for e in logins["entries"] if e["user"] == "admin"]
        self.assertEqual([e["outcome"] for e in ok], ["ok"])
        self.assertEqual(ok[0]["role"], "admin")

        changes = self.wait_for("/api/v1/audit?action=agent.state&target=1002", admin,
                                lambda b: len(b["entries"]) >= 3, "state changes audited")
        outcomes = sorted((e["user"], e["outcome"]) for e in changes["entries"])
        self.assertEqual(outcomes, [("1001", "forbidden"), ("admin", "bad_reason"),
                                    ("admin", "ok")])
        self.assertEqual(changes["total"], 3)
        newest = changes["entries"][0]
        self.assertEqual(newest["user"], "1001", "newest first")
        self.assertEqual(len(entries("action=agent.state&target=1002&limit=1&offset=1")), 1)
        self.assertEqual(entries("action=agent.state&from=2200-01-01"), [])
        self.assert_error(self.get("/api/v1/audit?from=yesterday", admin), 400, "bad_query")
        self.assert_error(self.get("/api/v1/audit?to=2999-01-01", admin), 400, "bad_query")
        self.assert_error(self.get("/api/v1/audit?limit=0", admin), 400, "bad_query")
        self.assert_error(self.get("/api/v1/audit", agent), 403, "forbidden")
        self.assertEqual(
            self.db.query("SELECT count(*) FROM audit_log WHERE action = 'agent.state'"), "3")

    def test_failed_logins_from_one_address_are_throttled_across_user_names(self):
        for i in range(20):
            status, body = self.post("/api/v1/auth/login",
                                     {"username": f"nobody{i}", "password": "guess"})
            self.assertEqual(status, 401, body)
        status, body = self.post("/api/v1/auth/login",
                                 {"username": "admin", "password": PASSWORDS["admin"]})
        self.assertEqual(status, 429, body)
        self.assertEqual(body["error"]["code"], "throttled")


if __name__ == "__main__":
    unittest.main()
