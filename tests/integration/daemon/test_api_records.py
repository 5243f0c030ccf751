"""Calls through the API of the real daemon. Live: a real call shows in GET /api/v1/calls as
queued, ringing and talking with its agent, to those who may see it, and is gone when it
ends. Records: real calls (one put through to agent 1001, one abandoned in the queue) become
records in PostgreSQL, which GET /api/v1/cdrs finds by time, number, agent, queue and
disposition, pages, exports as CSV, and shows to each user only as far as they reach (an agent
their own calls, a supervisor their teams', an admin all); bad filters are refused. Recordings:
the connected call's recording is listed, served whole and by byte ranges (as <audio> seeks),
refused to those who do not reach it, and each playback and download is audited."""
import csv
import http.client
import io
import unittest

from test_api_agents import ApiTestCase


class RecordsCase(ApiTestCase):
    def make_two_calls(self):
        """A connected call of 1001 from 1003, then an abandoned one: their ids."""
        token = self.login("1001")
        agent_phone = self.phone("1001")
        caller, _, dialog = self.caller("8001", "1003")
        agent_dialog = agent_phone.answer_call()
        connected = self.wait_for_event("queue.connected", agent="1001")[0][0]
        self.assertEqual(caller.hang_up(dialog), 200)
        agent_phone.next_request("BYE")
        self.wait_for("/api/v1/agents/1001", token, lambda a: a.get("state") == "wrap_up",
                      "1001 in wrap-up")
        status, body = self.set_state("1001", token, "not_ready", "break")
        self.assertEqual(status, 200, body)
        self.post("/api/v1/agents/1001/wrapup/end", token=token)
        caller, _, dialog = self.caller("8001", "1003")
        self.wait_for("/api/v1/queues/support", token, lambda q: q.get("waiting") == 1,
                      "the second caller waiting")
        self.assertEqual(caller.hang_up(dialog), 200)
        abandoned = self.wait_for_event("queue.left", outcome="abandoned")[0][0]
        self.wait_for_no_calls()
        del agent_dialog
        return connected, abandoned

    def cdrs(self, token, query=""):
        status, body = self.get(f"/api/v1/cdrs{query}", token)
        self.assertEqual(status, 200, body)
        self.assertIsInstance(body["total"], int)
        return body


class CdrTest(RecordsCase):
    def test_records_are_searched_paged_exported_and_shown_as_far_as_each_user_reaches(self):
        connected, abandoned = self.make_two_calls()
        admin = self.login("admin")
        body = self.wait_for("/api/v1/cdrs", admin, lambda b: b["total"] == 2,
                             "both calls recorded")
        by_id = {r["id"]: r for r in body["cdrs"]}
        self.assertEqual(set(by_id), {connected, abandoned})
        self.assertEqual(body["cdrs"][0]["id"], abandoned, "newest first")
        kept = by_id[connected]
        self.assertEqual((kept["disposition"], kept["agent"], kept["queue"], kept["caller"],
                          kept["dialed"]), ("connected", "1001", "support", "1003", "8001"))
        self.assertIsInstance(kept["talk_ms"], int)
        self.assertIsNotNone(kept["connected_at"])
        lost = by_id[abandoned]
        self.assertEqual((lost["disposition"], lost["agent"]), ("abandoned", None))

        def ids(token, query):
            return [r["id"] for r in self.cdrs(token, query)["cdrs"]]

        self.assertEqual(ids(admin, "?disposition=connected"), [connected])
        self.assertEqual(ids(admin, "?agent=1001"), [connected])
        self.assertEqual(ids(admin, "?queue=support&disposition=abandoned"), [abandoned])
        self.assertEqual(len(ids(admin, "?number=1003")), 2)
        self.assertEqual(len(ids(admin, "?number=8001")), 2)
        self.assertEqual(ids(admin, "?number=5555"), [])
        self.assertEqual(ids(admin, "?from=2200-01-01"), [])
        self.assertEqual(ids(admin, "?to=2000-01-01"), [])
        page = self.cdrs(admin, "?limit=1&offset=1")
        self.assertEqual(([r["id"] for r in page["cdrs"]], page["total"]), ([connected], 2))

        # Who sees what: 1001 their own call, 1002 nothing, the supervisor of support 1001's.
        self.assertEqual(ids(self.login("1001"), ""), [connected])
        self.assertEqual(ids(self.login("1002"), ""), [])
        self.assertEqual(ids(self.login("super"), ""), [connected])
        self.assertEqual(ids(self.login("1002"), "?agent=1001"), [])

        status, text = self.get("/api/v1/cdrs?format=csv", admin)
        self.assertEqual(status, 200, text)
        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual(rows[0][:3], ["id", "sip_call_id", "caller"])
        self.assertEqual(sorted(r[0] for r in rows[1:]), sorted([connected, abandoned]))
        header = rows[0]
        exported = {r[0]: dict(zip(header, r)) for r in rows[1:]}
        self.assertEqual(exported[connected]["agent"], "1001")
        self.assertEqual(exported[abandoned]["disposition"], "abandoned")

        for bad in ("?from=soon", "?limit=501", "?disposition=lost", "?number=12a",
                    "?customer=nope", "?offset=-1"):
            with self.subTest(query=bad):
                self.assert_error(self.get(f"/api/v1/cdrs{bad}", admin), 400, "bad_query")


class RecordingTest(RecordsCase):
    def audio(self, rec_id, token, range_header=None, query=""):
        """(status, headers, bytes) of GET .../audio."""
        headers = {"Authorization": f"Bearer {token}"}
        if range_header:
            headers["Range"] = range_header
        conn = http.client.HTTPConnection("127.0.0.1", self.daemon.http_port, timeout=30)
        try:
            conn.request("GET", f"/api/v1/recordings/{rec_id}/audio{query}", headers=headers)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def test_the_recording_is_listed_played_by_ranges_downloaded_and_audited(self):
        connected, abandoned = self.make_two_calls()
        admin = self.login("admin")
        listed = self.wait_for("/api/v1/recordings", admin, lambda b: b["total"] == 1,
                               "the connected call's recording indexed")["recordings"]
        self.assertEqual(listed[0]["id"], connected)
        self.assertEqual(listed[0]["status"], "completed")
        self.assertNotIn("path", listed[0], "the file's path is not the client's business")
        size = listed[0]["size_bytes"]
        self.assertGreater(size, 44)
        cdr = self.cdrs(admin, "?disposition=connected")["cdrs"][0]
        self.assertEqual(cdr["recording"], connected)

        status, headers, whole = self.audio(connected, admin)
        self.assertEqual(status, 200)
        self.assertEqual(len(whole), size)
        self.assertEqual(whole[:4], b"RIFF")
        self.assertEqual(whole[8:12], b"WAVE")
        self.assertEqual(headers["Content-Type"], "audio/wav")
        self.assertEqual(headers["Accept-Ranges"], "bytes")

        status, headers, part = self.audio(connected, admin, "bytes=0-43")
        self.assertEqual((status, part), (206, whole[:44]))
        self.assertEqual(headers["Content-Range"], f"bytes 0-43/{size}")
        status, headers, tail = self.audio(connected, admin, "bytes=40-")
        self.assertEqual((status, tail), (206, whole[40:]))
        status, headers, last = self.audio(connected, admin, "bytes=-4")
        self.assertEqual((status, last), (206, whole[-4:]))
        status, headers, _ = self.audio(connected, admin, f"bytes={size}-")
        self.assertEqual(status, 416)
        self.assertEqual(headers["Content-Range"], f"bytes */{size}")
        status, headers, body = self.audio(connected, admin, query="?download=1")
        self.assertEqual((status, body), (200, whole))
        self.assertIn("attachment", headers["Content-Disposition"])

        self.assertEqual(self.audio(connected, self.login("1001"), "bytes=0-1")[0], 206)
        other = self.login("1002")
        self.assertEqual(self.audio(connected, other)[0], 403)
        self.assertEqual(self.get("/api/v1/recordings", other)[1]["recordings"], [])
        self.assert_error(self.get(f"/api/v1/recordings/{connected}", other), 403, "forbidden")
        self.assertEqual(self.audio(abandoned, admin)[0], 404)
        self.assertEqual(self.audio("../../etc/passwd", admin)[0], 404)
        status, one = self.get(f"/api/v1/recordings/{connected}", admin)
        self.assertEqual((status, one["id"]), (200, connected))

        audited = self.wait_for(f"/api/v1/audit?target={connected}", admin,
                                lambda b: b["total"] >= 5, "the accesses audited")["entries"]
        kinds = sorted((e["action"], e["user"], e["outcome"]) for e in audited)
        # Parts of a playback after its start are not new accesses; the first part, each whole
        # read, the download and the refusal are.
        self.assertEqual(kinds, sorted([
            ("recording.play", "admin", "ok"), ("recording.play", "admin", "ok"),
            ("recording.download", "admin", "ok"),
            ("recording.play", "1001", "ok"), ("recording.play", "1002", "forbidden")]))


class LiveCallTest(ApiTestCase):
    def test_a_call_shows_live_as_it_waits_rings_and_talks_and_goes_when_it_ends(self):
        agent = self.login("1001")
        other = self.login("1002")
        boss = self.login("super")
        admin = self.login("admin")
        status, body = self.set_state("1001", agent, "not_ready", "break")
        self.assertEqual(status, 200, body)
        agent_phone = self.phone("1001")
        caller, _, dialog = self.caller("8001", "1003")

        def only_call(token, state):
            return self.wait_for("/api/v1/calls", token,
                                 lambda b: len(b["calls"]) == 1 and b["calls"][0]["state"] == state,
                                 f"the call {state}")["calls"][0]

        waiting = only_call(admin, "queued")
        self.assertEqual((waiting["caller"], waiting["dialed"], waiting["queue"], waiting["agent"]),
                         ("1003", "8001", "support", None))
        self.assertEqual(only_call(boss, "queued")["id"], waiting["id"], "supervisors see waiting calls")
        self.assertEqual(self.get("/api/v1/calls", agent)[1]["calls"], [], "not the agent's call yet")

        status, body = self.set_state("1001", agent, "ready")
        self.assertEqual(status, 200, body)
        ringing = only_call(agent, "ringing")
        self.assertEqual((ringing["id"], ringing["agent"]), (waiting["id"], "1001"))
        agent_dialog = agent_phone.answer_call()
        talking = only_call(agent, "talking")
        self.assertIsNotNone(talking["connected_at"])
        status, one = self.get(f"/api/v1/calls/{talking['id']}", boss)
        self.assertEqual((status, one["state"]), (200, "talking"), one)
        self.assertEqual(self.get("/api/v1/calls", other)[1]["calls"], [], "1002 sees nothing")
        self.assert_error(self.get(f"/api/v1/calls/{talking['id']}", other), 403, "forbidden")

        self.assertEqual(caller.hang_up(dialog), 200)
        agent_phone.next_request("BYE")
        self.wait_for("/api/v1/calls", admin, lambda b: b["calls"] == [], "no call in progress")
        self.assert_error(self.get(f"/api/v1/calls/{talking['id']}", admin), 404, "not_found")
        del agent_dialog


if __name__ == "__main__":
    unittest.main()
