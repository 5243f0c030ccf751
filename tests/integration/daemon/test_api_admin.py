"""Site administration through the real daemon's API: the caller blocklist (supervisors and
admins add, change and lift entries; a blocked caller is refused on the next call and let
through once lifted) and users (admins create, find, change, disable; a new user signs in, a
disabled one cannot, a changed password or role ends the user's sessions; the last admin
stays). Every change lands in the audit log without secrets."""
import datetime
import json

from sip_phone import UdpPhone
from test_api_agents import ApiTestCase


def iso_in(seconds):
    at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


class AdminTestCase(ApiTestCase):
    def put(self, path, body, token):
        return self.request("PUT", path, body=body, token=token)

    def delete(self, path, token):
        return self.request("DELETE", path, token=token)

    def audit(self, action):
        rows = self.db.query("SELECT target, outcome, detail::text FROM audit_log "
                             f"WHERE action = '{action}' ORDER BY at")
        return [row.split("|", 2) for row in rows.splitlines() if row]


class BlocklistApiTest(AdminTestCase):
    def wait_for_entries(self, count):
        self.daemon.wait_until(
            lambda: self.daemon.metric("callcenterd_caller_blocklist_entries") == count,
            what=f"{count} blocklist entries in force", timeout=20)

    def call_status(self, extension):
        """The final status of a call from `extension` to the support queue's number (hung up
        if answered)."""
        phone = UdpPhone(self.daemon.sip_port, extension, f"demo{extension}")
        self.addCleanup(phone.close)
        dialog = phone.invite("8001")
        status = phone.answered(dialog)
        if status == 200:
            phone.hang_up(dialog)
        return status

    def test_a_supervisor_blocks_a_caller_who_is_then_refused_and_lets_them_through_again(self):
        token = self.login("super")
        status, entry = self.post("/api/v1/blocklist",
                                  {"pattern": "10-03", "reason": "abusive caller"}, token)
        self.assertEqual(status, 201, entry)
        self.assertEqual(entry["pattern"], "1003")
        self.assertEqual(entry["reason"], "abusive caller")
        self.assertIsNone(entry["expires_at"])
        self.assertTrue(entry["in_force"])
        self.wait_for_entries(1)
        self.assertEqual(self.call_status("1003"), 603)
        self.assertEqual(self.call_status("1004"), 200)
        # Listed, searched by digits however written.
        status, listed = self.get("/api/v1/blocklist?q=%2B10", token)
        self.assertEqual(status, 200, listed)
        self.assertEqual([e["pattern"] for e in listed["entries"]], ["1003"])
        self.assertEqual(listed["total"], 1)
        # Lifted: the caller reaches the flow again.
        self.assertEqual(self.delete("/api/v1/blocklist/1003", token), (204, None))
        self.wait_for_entries(0)
        self.assertEqual(self.call_status("1003"), 200)
        self.assert_error(self.delete("/api/v1/blocklist/1003", token), 404, "not_found")
        self.wait_for_no_calls()
        self.assertEqual(self.calls("blocked"), 1)
        # The audit log is written behind, through the event log.
        self.daemon.wait_until(
            lambda: len(self.audit("blocklist.create") + self.audit("blocklist.delete")) >= 3,
            what="three audit entries")
        audited = self.audit("blocklist.create") + self.audit("blocklist.delete")
        self.assertEqual([(target, outcome) for target, outcome, _ in audited],
                         [("1003", "ok"), ("1003", "ok"), ("1003", "not_found")])

    def test_entries_are_validated_changed_and_expire(self):
        token = self.login("admin")
        for body, why in (({"pattern": "12a4"}, "letters"), ({"pattern": "*"}, "no digits"),
                          ({"pattern": "1" * 21}, "too long"), ({"pattern": "12*3"}, "inner *"),
                          ({"reason": "x"}, "no pattern"), ({"pattern": 1003}, "a number"),
                          ({"pattern": "1003", "expires_at": "2001-01-01T00:00:00Z"}, "past"),
                          ({"pattern": "1003", "expires_at": "soon"}, "not a time"),
                          ({"pattern": "1003", "reason": "x" * 201}, "long reason"),
                          ({"pattern": "1003", "colour": "red"}, "unknown field")):
            with self.subTest(why=why):
                self.assert_error(self.post("/api/v1/blocklist", body, token), 400, "bad_request")
        self.assert_error(self.request("POST", "/api/v1/blocklist", raw=b"{", token=token), 400)
        status, entry = self.post("/api/v1/blocklist", {"pattern": "+86 755*"}, token)
        self.assertEqual((status, entry["pattern"]), (201, "86755*"), entry)
        self.assert_error(self.post("/api/v1/blocklist", {"pattern": "86755*"}, token), 409,
                          "conflict")
        # A reason and an expiry set, then the expiry lifted.
        expires = iso_in(3600)
        status, changed = self.put("/api/v1/blocklist/86755*",
                                   {"reason": "spam run", "expires_at": expires}, token)
        self.assertEqual(status, 200, changed)
        self.assertEqual(changed["reason"], "spam run")
        self.assertTrue(changed["expires_at"].startswith(expires[:16]), changed)
        status, changed = self.put("/api/v1/blocklist/86755*", {"expires_at": None}, token)
        self.assertEqual((status, changed["expires_at"], changed["reason"]),
                         (200, None, "spam run"), changed)
        self.assert_error(self.put("/api/v1/blocklist/99", {"reason": "x"}, token), 404)
        self.assert_error(self.put("/api/v1/blocklist/86755*", {"pattern": "1"}, token), 400)
        # An entry that lapses leaves the list in force but stays listed, marked so.
        self.post("/api/v1/blocklist", {"pattern": "1003", "expires_at": iso_in(5)}, token)
        self.wait_for_entries(2)
        self.wait_for_entries(1)
        status, listed = self.get("/api/v1/blocklist", token)
        self.assertEqual(status, 200, listed)
        self.assertEqual({e["pattern"]: e["in_force"] for e in listed["entries"]},
                         {"1003": False, "86755*": True})

    def test_agents_may_not_see_or_change_the_blocklist(self):
        token = self.login("1001")
        self.assert_error(self.get("/api/v1/blocklist", token), 403, "forbidden")
        self.assert_error(self.post("/api/v1/blocklist", {"pattern": "1003"}, token), 403)
        self.assert_error(self.delete("/api/v1/blocklist/1003", token), 403)
        self.assert_error(self.get("/api/v1/blocklist"), 401)
        self.assertEqual(self.db.query("SELECT count(*) FROM caller_blocklist").strip(), "0")


class UserApiTest(AdminTestCase):
    def sign_in(self, login, password):
        return self.post("/api/v1/auth/login", {"username": login, "password": password})

    def test_an_admin_creates_a_supervisor_who_signs_in_and_sees_their_teams(self):
        admin = self.login("admin")
        status, user = self.post("/api/v1/users", {
            "login": "lin.wei", "name": "林伟", "role": "supervisor",
            "password": "s3cret-enough", "teams": ["support", "sales", "support"]}, admin)
        self.assertEqual(status, 201, user)
        self.assertEqual((user["login"], user["name"], user["role"], user["disabled"]),
                         ("lin.wei", "林伟", "supervisor", False))
        self.assertEqual(user["teams"], ["sales", "support"])
        self.assertTrue(user["web_sign_in"])
        self.assertNotIn("password", json.dumps(user))
        status, signed_in = self.sign_in("lin.wei", "s3cret-enough")
        self.assertEqual(status, 200, signed_in)
        supervisor = signed_in["token"]
        # Their team's agent is theirs to see; the user list is not.
        status, agent = self.get("/api/v1/agents/1001", supervisor)
        self.assertEqual(status, 200, agent)
        self.assert_error(self.get("/api/v1/users", supervisor), 403, "forbidden")
        # Found by part of the name or login, and by id.
        status, found = self.get("/api/v1/users?q=%E6%9E%97", admin)
        self.assertEqual([u["login"] for u in found["users"]], ["lin.wei"], found)
        status, found = self.get("/api/v1/users?role=supervisor&limit=10", admin)
        self.assertEqual(sorted(u["login"] for u in found["users"]), ["lin.wei", "super"])
        self.assertEqual(self.get(f"/api/v1/users/{user['id']}", admin), (200, user))
        # The hash is argon2id; the password is nowhere in the audit log.
        stored = self.db.query("SELECT password_hash FROM users WHERE login = 'lin.wei'")
        self.assertTrue(stored.startswith("$argon2id$v=19$m=65536,t=3,p=1$"), stored)
        audited = self.db.query("SELECT detail::text FROM audit_log")
        self.assertNotIn("s3cret-enough", audited)
        self.daemon.wait_until(lambda: self.audit("user.create"), what="the audit entry")
        [(target, outcome, detail)] = self.audit("user.create")
        self.assertEqual((target, outcome), (user["id"], "ok"))
        self.assertEqual(json.loads(detail)["login"], "lin.wei")

    def test_a_disabled_user_loses_their_sessions_and_a_new_password_replaces_the_old(self):
        admin = self.login("admin")
        status, user = self.post("/api/v1/users", {"login": "zhao", "name": "Zhao Min",
                                                   "role": "agent", "password": "first-pass"},
                                 admin)
        self.assertEqual(status, 201, user)
        token = self.sign_in("zhao", "first-pass")[1]["token"]
        self.assertEqual(self.get("/api/v1/agents", token)[0], 200)
        path = f"/api/v1/users/{user['id']}"
        status, changed = self.put(path, {"disabled": True}, admin)
        self.assertEqual((status, changed["disabled"]), (200, True), changed)
        self.assert_error(self.get("/api/v1/agents", token), 401)
        self.assert_error(self.sign_in("zhao", "first-pass"), 401)
        # Enabled again with a new password: the old one no longer works.
        status, changed = self.put(path, {"disabled": False, "password": "second-pass"}, admin)
        self.assertEqual(status, 200, changed)
        self.assert_error(self.sign_in("zhao", "first-pass"), 401)
        status, signed_in = self.sign_in("zhao", "second-pass")
        self.assertEqual(status, 200, signed_in)
        # A new name keeps the session but shows at once; a new role ends it.
        token = signed_in["token"]
        self.assertEqual(self.put(path, {"name": "Zhao Min (nights)"}, admin)[0], 200)
        status, me = self.get("/api/v1/agents", token)
        self.assertEqual(status, 200, me)
        self.assertEqual(self.put(path, {"role": "supervisor", "teams": ["support"]}, admin)[0],
                         200)
        self.assert_error(self.get("/api/v1/agents", token), 401)
        status, supervisor = self.sign_in("zhao", "second-pass")
        self.assertEqual(dig_role(supervisor), "supervisor", supervisor)
        self.daemon.wait_until(lambda: len(self.audit("user.update")) >= 4,
                               what="four audit entries")
        ended = [json.loads(detail)["sessions_ended"] for _, _, detail in
                 self.audit("user.update")]
        self.assertEqual(ended, [True, True, False, True])

    def test_bad_users_are_refused_and_the_last_admin_stays(self):
        admin = self.login("admin")
        for body, why in (({"login": "bad login", "name": "x", "role": "agent"}, "space"),
                          ({"login": "ok", "name": "", "role": "agent"}, "empty name"),
                          ({"login": "ok", "name": "x", "role": "boss"}, "role"),
                          ({"login": "ok", "name": "x", "role": "agent", "password": "short"},
                           "short password"),
                          ({"login": "ok", "name": "x", "role": "agent", "teams": ["support"]},
                           "an agent's teams"),
                          ({"login": "ok", "name": "x", "role": "supervisor",
                            "teams": ["no spaces"]}, "team name"),
                          ({"login": "ok", "role": "agent"}, "no name"),
                          ({"login": "ok", "name": "x", "role": "agent", "admin": True},
                           "unknown field")):
            with self.subTest(why=why):
                self.assert_error(self.post("/api/v1/users", body, admin), 400, "bad_request")
        self.assert_error(self.post("/api/v1/users", {"login": "super", "name": "Again",
                                                      "role": "agent"}, admin), 409, "conflict")
        admin_id = "00000000-0000-4000-8000-00000000a002"
        self.assert_error(self.put(f"/api/v1/users/{admin_id}", {"role": "agent"}, admin), 409,
                          "last_admin")
        self.assert_error(self.put(f"/api/v1/users/{admin_id}", {"disabled": True}, admin), 409,
                          "last_admin")
        self.assert_error(self.put(f"/api/v1/users/{admin_id}", {}, admin), 400)
        self.assert_error(self.put("/api/v1/users/not-an-id", {"name": "x"}, admin), 404)
        self.assert_error(self.get("/api/v1/users/00000000-0000-4000-8000-000000000000", admin),
                          404)
        # With a second admin, the first may step down; their own session ends with it.
        status, second = self.post("/api/v1/users", {"login": "root2", "name": "Second",
                                                     "role": "admin",
                                                     "password": "another-admin"}, admin)
        self.assertEqual(status, 201, second)
        self.assertEqual(self.put(f"/api/v1/users/{admin_id}", {"role": "supervisor"}, admin)[0],
                         200)
        self.assert_error(self.get("/api/v1/users", admin), 401)
        self.assertEqual(
            self.db.query("SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled")
            .strip(), "1")


def dig_role(login_answer):
    return (login_answer or {}).get("user", {}).get("role")
