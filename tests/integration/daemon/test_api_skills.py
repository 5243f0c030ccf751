"""Agents' skills changed through the real daemon's API: a supervisor gives an agent of their
team a skill and the queue counts them at once; the change survives a restart (written through
the event log, put back at start) until it is reset to the configuration's; agents, other
teams' supervisors and bad skills are refused, and every change is audited."""
import json

from test_api_agents import ApiTestCase


class SkillApiTest(ApiTestCase):
    def put_skills(self, agent, skills, token):
        return self.request("PUT", f"/api/v1/agents/{agent}/skills", body={"skills": skills},
                            token=token)

    def restart(self, kept):
        self.daemon.stop()
        self.daemon.start()
        self.daemon.wait_for_log(f"skills set through the API for {kept} agent(s)")

    def overrides(self):
        return self.db.query("SELECT agent, skills::text FROM agent_skill_overrides").strip()

    def test_a_supervisor_gives_a_skill_that_counts_at_once_and_after_a_restart(self):
        token = self.login("super")
        self.assertEqual(self.queue("support", token)["agents"]["logged_in"], 1)
        status, agent = self.put_skills("1004", {"support": 7, "billing": 3}, token)
        self.assertEqual(status, 200, agent)
        self.assertEqual(agent["skills"], {"support": 7, "billing": 3})
        # Logged in now, the agent is one of the queue's.
        self.assertEqual(self.set_state("1004", token, "ready")[0], 200)
        agents = self.queue("support", token)["agents"]
        self.assertEqual((agents["logged_in"], agents["ready"]), (2, 2), agents)
        self.daemon.wait_until(lambda: self.overrides() != "", what="the override filed")
        self.assertEqual(json.loads(self.overrides().split("|", 1)[1]),
                         {"support": 7, "billing": 3})
        # Kept over a restart.
        self.restart(kept=1)
        token = self.login("super")
        self.assertEqual(self.agent("1004", token)["skills"], {"support": 7, "billing": 3})
        # Reset: the configuration's (none), and nothing kept for the next start.
        status, agent = self.request("DELETE", "/api/v1/agents/1004/skills", token=token)
        self.assertEqual((status, agent["skills"]), (200, {}), agent)
        self.daemon.wait_until(lambda: self.overrides() == "", what="the override removed")
        self.restart(kept=0)
        token = self.login("super")
        self.assertEqual(self.agent("1004", token)["skills"], {})
        self.assertEqual(self.agent("1001", token)["skills"], {"support": 5})
        audited = self.db.query("SELECT action, target, outcome FROM audit_log "
                                "WHERE action LIKE 'agent.skills%' ORDER BY at").split()
        self.assertEqual(audited, ["agent.skills|1004|ok", "agent.skills.reset|1004|ok"])

    def test_agents_other_teams_and_bad_skills_are_refused(self):
        supervisor = self.login("super")
        self.assert_error(self.put_skills("1001", {"support": 9}, self.login("1001")), 403,
                          "forbidden")
        self.assert_error(self.put_skills("1002", {"sales": 9}, supervisor), 403, "forbidden")
        self.assert_error(self.put_skills("nobody", {"sales": 9}, supervisor), 404, "not_found")
        for skills, code in (({"support": 11}, "bad_skills"), ({"support": 0}, "bad_skills"),
                             ({"support": 2.5}, "bad_request"), ({"two words": 3}, "bad_request"),
                             ([["support", 3]], "bad_request")):
            with self.subTest(skills=skills):
                self.assert_error(self.put_skills("1001", skills, supervisor), 400, code)
        self.assert_error(self.request("PUT", "/api/v1/agents/1001/skills",
                                       body={"skills": {}, "teams": []}, token=supervisor), 400)
        self.assertEqual(self.agent("1001", supervisor)["skills"], {"support": 5})
        self.assertEqual(self.overrides(), "")
