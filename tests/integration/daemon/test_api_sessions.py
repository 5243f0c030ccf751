"""Session expiry through the real daemon, with short `sessions:` times: a token left unused
longer than the idle timeout is refused while one in use lives on, every token ends at its
lifetime whatever its use, and a restarted daemon (which has no cached sessions) refuses the
expired ones from the table too."""
import datetime
import time

from test_api_agents import ApiTestCase, CONFIG


class SessionIdleTest(ApiTestCase):
    extra_yaml = CONFIG + "sessions: {lifetime: 1h, idle_timeout: 3s}\n"

    def test_an_unused_token_lapses_while_a_used_one_lives_on(self):
        idle = self.login("1001")
        busy = self.login("1001")
        # The busy token is used every second for twice the idle timeout; the other is not.
        until = time.monotonic() + 6
        while time.monotonic() < until:
            self.assertEqual(self.get("/api/v1/agents/1001", busy)[0], 200)
            time.sleep(1)
        self.assert_error(self.get("/api/v1/agents/1001", idle), 401)
        self.assertEqual(self.get("/api/v1/agents/1001", busy)[0], 200)


class SessionLifetimeTest(ApiTestCase):
    extra_yaml = CONFIG + "sessions: {lifetime: 4s, idle_timeout: 1h}\n"

    def test_a_token_ends_at_its_lifetime_and_stays_ended_after_a_restart(self):
        status, body = self.post("/api/v1/auth/login",
                                 {"username": "1001", "password": "demo1001"})
        self.assertEqual(status, 200, body)
        token = body["token"]
        expires = datetime.datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
        left = (expires - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
        self.assertGreater(left, 1)
        self.assertLessEqual(left, 4)
        # In use all along, and still refused once the lifetime is over.
        while datetime.datetime.now(datetime.timezone.utc) < expires:
            self.assertEqual(self.get("/api/v1/agents/1001", token)[0], 200)
            time.sleep(0.5)
        time.sleep(0.5)
        self.assert_error(self.get("/api/v1/agents/1001", token), 401)
        # A restarted daemon reads sessions from the table: the expired one stays refused.
        self.daemon.stop()
        self.daemon.start()
        self.assert_error(self.get("/api/v1/agents/1001", token), 401)
        fresh = self.login("1001")
        self.assertEqual(self.get("/api/v1/agents/1001", fresh)[0], 200)
