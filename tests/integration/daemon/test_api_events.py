"""The live event stream (WebSocket /api/v1/events) of the real daemon, with a real WebSocket
client (websocket-client): sign-in by the first message (browsers cannot set headers) or the
Authorization header, refusal of a bad token, a snapshot per topic on subscribing, then agent
state changes, queue figures and calls (queued, ringing with the caller, talking, ended) pushed
as they happen (a ringing call also pops the agent's screen with the caller's customer), each
user seeing only the agents and calls they reach."""
import json
import time
import unittest

import websocket

from test_api_agents import CONFIG, ApiTestCase


class EventClient:
    """One WebSocket client; messages read into a list as they are awaited."""

    def __init__(self, port, token=None, header_token=None):
        headers = [f"Authorization: Bearer {header_token}"] if header_token else []
        self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}/api/v1/events",
                                              timeout=10, header=headers)
        if token is not None:
            self.ws.send(json.dumps({"type": "auth", "token": token}))
        self.seen = []

    def next(self, timeout=10):
        self.ws.settimeout(timeout)
        message = json.loads(self.ws.recv())
        self.seen.append(message)
        return message

    def wait_for(self, predicate, what, timeout=10):
        """The first message, already read or still to come, that satisfies `predicate`."""
        for message in self.seen:
            if predicate(message):
                return message
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = self.next(max(0.1, deadline - time.monotonic()))
            except websocket.WebSocketTimeoutException:
                break
            if predicate(message):
                return message
        raise AssertionError(f"no {what} within {timeout}s; saw {self.seen[-10:]!r}")

    def subscribe(self, *topics):
        self.ws.send(json.dumps({"type": "subscribe", "topics": list(topics)}))
        return {t: self.wait_for(lambda m, t=t: m.get("type") == "snapshot" and m["topic"] == t,
                                 f"the {t} snapshot") for t in topics}

    def close(self):
        self.ws.close()


class EventTestCase(ApiTestCase):
    """The daemon of ApiTestCase and signed-in WebSocket clients of its event stream."""

    def client(self, user, by_header=False):
        token = self.login(user)
        c = EventClient(self.daemon.http_port, None if by_header else token,
                        token if by_header else None)
        self.addCleanup(c.close)
        welcome = c.next()
        self.assertEqual((welcome["type"], welcome["user"]["login"]), ("welcome", user))
        return c


class EventStreamTest(EventTestCase):
    def test_a_bad_token_is_refused_and_a_plain_get_is_told_to_upgrade(self):
        c = EventClient(self.daemon.http_port, token="not-a-session")
        message = c.next()
        self.assertEqual((message["type"], message["code"]), ("error", "unauthorized"))
        with self.assertRaises(Exception):
            c.next(timeout=5)  # closed by the daemon
        self.assert_error(self.get("/api/v1/events", self.login("admin")), 426, "upgrade_required")

    def test_snapshots_then_changes_of_agents_queues_and_calls(self):
        boss = self.client("admin")
        snapshots = boss.subscribe("queues", "agents", "calls")
        self.assertEqual({q["name"] for q in snapshots["queues"]["queues"]}, {"support", "sales"})
        agents = {a["id"]: a for a in snapshots["agents"]["agents"]}
        self.assertEqual(agents["1001"]["state"], "ready")
        self.assertEqual(snapshots["calls"]["calls"], [])

        own = self.client("1002", by_header=True)
        mine = own.subscribe("agents")
        self.assertEqual([a["id"] for a in mine["agents"]["agents"]], ["1002"],
                         "an agent sees only themself")

        agent = self.login("1001")
        started = time.monotonic()
        status, body = self.set_state("1001", agent, "not_ready", "break")
        self.assertEqual(status, 200, body)
        change = boss.wait_for(lambda m: m.get("type") == "agent" and m["agent"]["id"] == "1001"
                               and m["agent"]["state"] == "not_ready", "1001 not ready")
        self.assertEqual(change["agent"]["reason"], "break")
        self.assertLess(time.monotonic() - started, 2.0)
        boss.wait_for(lambda m: m.get("type") == "queue" and m["queue"]["name"] == "support"
                      and m["queue"]["agents"]["not_ready"] == 1, "support's figures")

        pop = self.client("1001")
        pop.subscribe("calls")
        agent_phone = self.phone("1001")
        caller, _, dialog = self.caller("8001", "1003")
        queued = boss.wait_for(lambda m: m.get("type") == "call" and m["call"]["state"] == "queued",
                               "the call queued")
        self.assertEqual((queued["call"]["caller"], queued["call"]["queue"]), ("1003", "support"))
        boss.wait_for(lambda m: m.get("type") == "queue" and m["queue"]["name"] == "support"
                      and m["queue"]["waiting"] == 1, "a caller waiting in support")
        status, body = self.set_state("1001", agent, "ready")
        self.assertEqual(status, 200, body)
        ringing = pop.wait_for(lambda m: m.get("type") == "call" and m["call"]["state"] == "ringing",
                               "1001's phone ringing")
        self.assertEqual((ringing["call"]["id"], ringing["call"]["caller"], ringing["call"]["agent"]),
                         (queued["call"]["id"], "1003", "1001"))
        screen = pop.wait_for(lambda m: m.get("type") == "screen_pop", "the screen pop")
        self.assertEqual((screen["call"]["id"], screen["call"]["caller"], screen["call"]["queue"]),
                         (queued["call"]["id"], "1003", "support"))
        self.assertIsNone(screen["customer"], "1003 is no customer's number")
        self.assertEqual(screen["recent_contacts"], [])
        self.assertEqual(screen["call"]["variables"], {}, "no flow ran before the queue")
        agent_dialog = agent_phone.answer_call()
        pop.wait_for(lambda m: m.get("type") == "call" and m["call"]["state"] == "talking",
                     "the call talking")
        self.assertEqual(len([m for m in pop.seen if m.get("type") == "screen_pop"]), 1,
                         "one pop per ring")
        self.assertEqual(caller.hang_up(dialog), 200)
        agent_phone.next_request("BYE")
        ended = pop.wait_for(lambda m: m.get("type") == "call_ended", "the call ended")
        self.assertEqual(ended["call"]["id"], queued["call"]["id"])
        boss.wait_for(lambda m: m.get("type") == "agent" and m["agent"]["id"] == "1001"
                      and m["agent"]["state"] == "wrap_up", "1001 in wrap-up")
        self.assertFalse([m for m in own.seen if m.get("type") == "agent"
                          and m["agent"]["id"] != "1002"], "1002 saw another agent")
        del agent_dialog

    def test_a_bad_subscription_is_answered_with_an_error(self):
        c = self.client("1001")
        c.ws.send("{not json")
        self.assertEqual(c.next()["code"], "bad_request")
        c.ws.send(json.dumps({"type": "subscribe", "topics": ["secrets"]}))
        self.assertEqual(c.next()["code"], "bad_topic")
        self.assertEqual(self.get("/healthz")[0], 200)



# A line whose flow learns something about the caller before queueing them to support.
ACCOUNT_FLOW = """flows:
  account:
    start: note
    nodes:
      note:
        set: {account: '"A-42"', tier: 3}
        next: line
      line:
        queue: support
"""


class CustomerScreenPopTest(EventTestCase):
    extra_yaml = CONFIG.replace("dids:\n", "dids:\n  - {number: '8009', flow: account}\n")
    flow_files = {"account.yaml": ACCOUNT_FLOW}

    def ring_and_talk(self, pop, agent_phone):
        """A call from 1003 through the account flow, ringing 1001: its screen pop, once the
        call has been answered and hung up."""
        caller, _, dialog = self.caller("8009", "1003")
        screen = pop.wait_for(lambda m: m.get("type") == "screen_pop"
                              and m not in pop.seen[:self.pops_read], "the screen pop")
        self.pops_read = len(pop.seen)
        agent_phone.answer_call()
        self.wait_for_event("queue.connected", agent="1001", count=self.calls + 1)
        self.assertEqual(caller.hang_up(dialog), 200)
        agent_phone.next_request("BYE")
        self.wait_for_no_calls()
        self.calls += 1
        return screen

    def test_the_callers_customer_variables_and_history_pop_up(self):
        self.calls, self.pops_read = 0, 0
        admin = self.login("admin")
        status, created = self.post("/api/v1/customers", {
            "name": "张三", "phones": [{"number": "1003", "label": "desk"}], "vip_level": 2,
            "tags": ["gold"]}, admin)
        self.assertEqual(status, 201, created)
        self.assertEqual(created["phones"][0]["number"], "+861003")

        agent = self.login("1001")
        pop = self.client("1001")
        pop.subscribe("calls")
        agent_phone = self.phone("1001")
        first = self.ring_and_talk(pop, agent_phone)
        self.assertEqual((first["customer"]["id"], first["customer"]["name"],
                          first["customer"]["vip_level"], first["customer"]["tags"]),
                         (created["id"], "张三", 2, ["gold"]))
        self.assertEqual(first["recent_contacts"], [], "the customer has not called before")
        variables = first["call"]["variables"]
        self.assertEqual((variables.get("account"), variables.get("tier")), ("A-42", "3"),
                         variables)
        self.assertEqual(variables.get("caller_number"), "1003")

        # The ended call is the customer's: its record names them, the agent who had it may
        # now read them, and the next call's pop lists it.
        marked = f"SELECT call_id FROM call_records WHERE customer_id = '{created['id']}'"
        self.daemon.wait_until(lambda: self.db.query(marked).strip(), what="the call's record")
        self.assertEqual(self.db.query(marked).strip(), first["call"]["id"])
        status, seen = self.get(f"/api/v1/customers/{created['id']}", agent)
        self.assertEqual(status, 200, seen)
        self.assertEqual([c["call_id"] for c in seen["recent_contacts"]], [first["call"]["id"]])

        status, body = self.set_state("1001", agent, "ready")
        self.assertEqual(status, 200, body)
        second = self.ring_and_talk(pop, agent_phone)
        self.assertEqual(second["customer"]["id"], created["id"])
        self.assertEqual([(c["call_id"], c["agent"], c["queue"], c["disposition"])
                          for c in second["recent_contacts"]],
                         [(first["call"]["id"], "1001", "support", "connected")])

if __name__ == "__main__":
    unittest.main()
