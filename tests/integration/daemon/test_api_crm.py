"""The CRM's REST API on the real daemon with the demo users. Customers: created, changed and
deleted with their numbers stored as E.164 whatever way they were typed, a number owned by
another customer refused (409), found by Chinese name and by the start or the end of a number,
shown to each user only as far as they reach (an agent the customers of calls they had, a
supervisor their teams', an admin all), with their calls; exported as CSV and imported back,
and an import with a bad line refused with its line number and nothing changed. Tickets:
created, assigned, moved through the workflow (a refused move is 409), commented, their history
kept, listed with filters and shown only to those who reach them. Knowledge base: written by
supervisors (agents refused), searched in Chinese and English with the best match first,
listed by category. Every change is audited."""
import csv
import http.client
import io
import json
import unittest
import urllib.parse
import uuid

from test_api_agents import ApiTestCase


class CrmTestCase(ApiTestCase):
    def send(self, method, path, token, body=None):
        return self.request(method, path, body=body, token=token)

    def csv_post(self, path, token, text, content_type="text/csv; charset=utf-8"):
        """(status, body) of a POST with `text` as the body and `content_type`."""
        conn = http.client.HTTPConnection("127.0.0.1", self.daemon.http_port, timeout=30)
        try:
            conn.request("POST", path, body=text.encode(),
                         headers={"Authorization": f"Bearer {token}",
                                  "Content-Type": content_type})
            response = conn.getresponse()
            text = response.read().decode()
        finally:
            conn.close()
        try:
            return response.status, json.loads(text)
        except ValueError:
            return response.status, text

    def create_customer(self, token, **fields):
        status, body = self.send("POST", "/api/v1/customers", token, fields)
        self.assertEqual(status, 201, body)
        return body

    def customers(self, token, query=""):
        status, body = self.get(f"/api/v1/customers{query}", token)
        self.assertEqual(status, 200, body)
        self.assertIsInstance(body["total"], int)
        return body

    def names(self, token, query=""):
        return [c["name"] for c in self.customers(token, query)["customers"]]

    def found(self, token, q):
        """The names of the customers a search for `q` finds."""
        return self.names(token, "?q=" + urllib.parse.quote(q))

    def problems(self, answer, status, code):
        """The fields of the problems of an error answer."""
        self.assert_error(answer, status, code)
        return sorted(p["field"] for p in answer[1]["error"]["problems"])

    def audited(self, admin, action, count):
        return self.wait_for(f"/api/v1/audit?action={action}", admin,
                             lambda b: b["total"] >= count, f"{count} {action} audited")["entries"]


class CustomerTest(CrmTestCase):
    def test_customers_are_created_changed_and_deleted_with_their_numbers_in_e164(self):
        admin = self.login("admin")
        created = self.create_customer(
            admin, name=" 张伟明 ", vip_level=3, tags=["vip", "北京"], account={"contract": "C-1"},
            phones=["138 0013 8000", {"number": "(010) 8888-6666", "label": "office"}])
        self.assertEqual(created["name"], "张伟明")
        self.assertEqual(created["phones"], [{"number": "+8613800138000", "label": ""},
                                             {"number": "+861088886666", "label": "office"}])
        self.assertEqual((created["vip_level"], created["tags"], created["account"]),
                         (3, ["vip", "北京"], {"contract": "C-1"}))
        cid = created["id"]
        status, one = self.get(f"/api/v1/customers/{cid}", admin)
        self.assertEqual(status, 200, one)
        self.assertEqual(one["phones"], created["phones"])
        self.assertEqual(one["recent_contacts"], [])

        # The same number spelt another way belongs to 张伟明 already.
        answer = self.send("POST", "/api/v1/customers", admin,
                           {"name": "王芳", "phones": ["0086 138-0013-8000"]})
        self.assertEqual(self.problems(answer, 409, "conflict"), ["phones[0].number"])
        self.assertIn(cid, str(answer[1]), "the conflict names the owner")

        status, changed = self.send("PUT", f"/api/v1/customers/{cid}", admin,
                                    {"name": "张伟", "phones": ["+86 139 1234 5678"]})
        self.assertEqual(status, 200, changed)
        self.assertEqual((changed["name"], changed["phones"], changed["vip_level"]),
                         ("张伟", [{"number": "+8613912345678", "label": ""}], 3))
        # The number it gave up is free again.
        self.create_customer(admin, name="王芳", phones=["13800138000"])

        self.assertEqual(self.problems(self.send("POST", "/api/v1/customers", admin,
                                                 {"name": "", "vip_level": 9,
                                                  "phones": ["12ab"]}), 400, "invalid"),
                         ["name", "phones[0].number", "vip_level"])
        for bad in ({"name": 5}, {"name": "x", "nickname": "y"}, {"name": "x", "phones": "138"},
                    {"name": "x", "tags": [1]}, {"name": "x", "vip_level": 1.5},
                    {"name": "x", "account": []}):
            with self.subTest(body=bad):
                self.assert_error(self.send("POST", "/api/v1/customers", admin, bad), 400,
                                  "bad_request")
        self.assert_error(self.send("PUT", f"/api/v1/customers/{uuid.uuid4()}", admin,
                                    {"name": "x"}), 404, "not_found")
        self.assert_error(self.get("/api/v1/customers/not-a-uuid", admin), 404, "not_found")

        self.assert_error(self.send("DELETE", f"/api/v1/customers/{cid}", self.login("super")),
                          403, "forbidden")
        status, body = self.send("DELETE", f"/api/v1/customers/{cid}", admin)
        self.assertEqual(status, 204, body)
        self.assert_error(self.get(f"/api/v1/customers/{cid}", admin), 404, "not_found")
        self.assert_error(self.send("DELETE", f"/api/v1/customers/{cid}", admin), 404)

        creates = self.audited(admin, "customer.create", 4)
        self.assertEqual(sorted(e["outcome"] for e in creates), ["conflict", "invalid", "ok", "ok"])
        updates = self.audited(admin, "customer.update", 2)
        self.assertEqual(sorted(e["outcome"] for e in updates), ["not_found", "ok"])
        self.assertEqual([e["target"] for e in updates if e["outcome"] == "ok"], [cid])
        deletes = self.audited(admin, "customer.delete", 2)
        self.assertEqual(sorted(e["outcome"] for e in deletes), ["not_found", "ok"])

    def test_customers_are_found_by_chinese_name_and_by_number(self):
        admin = self.login("admin")
        self.create_customer(admin, name="张伟明", phones=["13800138000"], tags=["白金"])
        self.create_customer(admin, name="王芳", phones=["13912345678"])
        self.create_customer(admin, name="Zhang Wei", phones=["+1 202 555 0100"],
                             notes="prefers email")
        self.assertEqual(self.found(admin, "张伟"), ["张伟明"])
        self.assertEqual(self.found(admin, "王"), ["王芳"])
        self.assertEqual(self.found(admin, "白金"), ["张伟明"])
        self.assertEqual(self.found(admin, "zha"), ["Zhang Wei"])
        self.assertEqual(self.found(admin, "email"), ["Zhang Wei"])
        self.assertEqual(self.found(admin, "138"), ["张伟明"])
        self.assertEqual(self.found(admin, "+86 139"), ["王芳"])
        self.assertEqual(self.found(admin, "5678"), ["王芳"])
        self.assertEqual(self.found(admin, "无此人"), [])
        self.assertEqual(self.customers(admin)["total"], 3)
        page = self.customers(admin, "?limit=2&offset=2")
        self.assertEqual((len(page["customers"]), page["total"]), (1, 3))
        for bad in ("?limit=0", "?offset=-1", "?q=" + "x" * 201):
            with self.subTest(query=bad):
                self.assert_error(self.get(f"/api/v1/customers{bad}", admin), 400, "bad_query")

    def test_each_user_sees_the_customers_of_the_calls_they_reach(self):
        admin = self.login("admin")
        agent = self.login("1001")
        other = self.login("1002")
        boss = self.login("super")
        # Any role creates a customer (an agent, the caller on the line).
        mine = self.create_customer(agent, name="李雷", phones=["13700137000"])["id"]
        self.create_customer(admin, name="韩梅梅", phones=["13600136000"])
        self.assertEqual(self.customers(admin)["total"], 2)
        for token in (agent, other, boss):
            self.assertEqual(self.customers(token)["total"], 0, "no calls handled yet")
        self.assert_error(self.get(f"/api/v1/customers/{mine}", agent), 404, "not_found")
        self.assert_error(self.send("PUT", f"/api/v1/customers/{mine}", agent, {"notes": "x"}),
                          404, "not_found")

        # The record of a call 1001 took from 李雷, written here directly with its day in the
        # past (test_api_events makes such records through real calls).
        call = str(uuid.uuid4())
        self.db.query(
            "INSERT INTO call_records (call_id, sip_call_id, caller, caller_name, dialed, "
            "started_at, connected_at, ended_at, disposition, status, ended_by, queue, agent, "
            "wait_ms, talk_ms, hold_ms, node, customer_id) VALUES "
            f"('{call}', 'sip-1', '13700137000', '', '8001', now() - interval '5 minutes', "
            "now() - interval '4 minutes', now() - interval '1 minute', 'connected', 0, "
            f"'caller', 'support', '1001', 60000, 180000, 0, 'test', '{mine}')")
        self.assertEqual(self.names(agent), ["李雷"])
        self.assertEqual(self.names(boss), ["李雷"], "1001 is in the supervisor's team")
        self.assertEqual(self.names(other), [])
        self.assertEqual(sorted(self.names(admin)), ["李雷", "韩梅梅"])

        status, one = self.get(f"/api/v1/customers/{mine}", agent)
        self.assertEqual(status, 200, one)
        contact = one["recent_contacts"][0]
        self.assertEqual((contact["call_id"], contact["agent"], contact["direction"],
                          contact["disposition"], contact["talk_ms"]),
                         (call, "1001", "inbound", "connected", 180000))
        status, body = self.get(f"/api/v1/customers/{mine}/contacts?limit=5", agent)
        self.assertEqual(status, 200, body)
        self.assertEqual([c["call_id"] for c in body["contacts"]], [call])
        self.assert_error(self.get(f"/api/v1/customers/{mine}/contacts", other), 404)
        self.assert_error(self.get(f"/api/v1/customers/{mine}/contacts?offset=1", agent), 400,
                          "bad_query")
        status, changed = self.send("PUT", f"/api/v1/customers/{mine}", agent,
                                    {"notes": "回电请找李先生"})
        self.assertEqual((status, changed.get("notes")), (200, "回电请找李先生"), changed)
        self.assert_error(self.send("PUT", f"/api/v1/customers/{mine}", other, {"notes": "x"}),
                          404, "not_found")


class CustomerCsvTest(CrmTestCase):
    def export(self, token, query=""):
        status, text = self.get(f"/api/v1/customers/export.csv{query}", token)
        self.assertEqual(status, 200, text)
        return list(csv.reader(io.StringIO(text)))

    def test_export_then_import_round_trip_and_a_bad_line_changes_nothing(self):
        admin = self.login("admin")
        first = self.create_customer(admin, name="张伟明", phones=["13800138000"],
                                     notes="=1+2, said \"hi\"", tags=["vip"])
        self.create_customer(admin, name="王芳", phones=[{"number": "13912345678",
                                                        "label": "mobile"}],
                             account={"plan": "gold", "seats": 3})
        rows = self.export(admin)
        header = rows[0]
        self.assertEqual(header, ["id", "name", "phones", "vip_level", "tags", "notes",
                                  "account"])
        by_name = {r[1]: dict(zip(header, r)) for r in rows[1:]}
        self.assertEqual(set(by_name), {"张伟明", "王芳"})
        self.assertEqual(by_name["张伟明"]["notes"], "'=1+2, said \"hi\"",
                         "a formula is neutralised for spreadsheets")
        self.assertEqual(by_name["王芳"]["phones"], "mobile:+8613912345678")
        self.assertEqual([r[1] for r in self.export(admin, "?q=" + urllib.parse.quote("王芳"))[1:]],
                         ["王芳"])
        self.assertEqual(len(self.export(self.login("super"))), 1, "the header only: no calls")
        self.assert_error(self.get("/api/v1/customers/export.csv", self.login("1001")), 403)

        # Rename one, add one, write the file back.
        rows[[r[1] for r in rows].index("张伟明")][1] = "张伟"
        rows.append(["", "李雷", "13700137000", "1", "", "", "{}"])
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        status, counts = self.csv_post("/api/v1/customers/import", admin, out.getvalue())
        self.assertEqual((status, counts), (200, {"inserted": 1, "updated": 2}))
        self.assertEqual(sorted(self.names(admin)), ["张伟", "李雷", "王芳"])
        status, one = self.get(f"/api/v1/customers/{first['id']}", admin)
        self.assertEqual(one["notes"], "=1+2, said \"hi\"", "the apostrophe is taken off")
        self.assertEqual(self.found(admin, "13700137000"), ["李雷"])

        # Line 3 is bad: nothing of the file is written.
        bad = ("name,phones,vip_level\r\n"
               "赵敏,13500135000,1\r\n"
               "周芷若,13400134000,9\r\n")
        status, body = self.csv_post("/api/v1/customers/import", admin, bad)
        self.assertEqual(status, 400, body)
        self.assertEqual(body["error"]["code"], "invalid")
        self.assertEqual([(p["line"], p["field"]) for p in body["error"]["problems"]],
                         [(3, "vip_level")])
        self.assertEqual(self.customers(admin)["total"], 3)
        self.assertEqual(self.found(admin, "赵敏"), [])

        self.assert_error(self.csv_post("/api/v1/customers/import", admin, bad,
                                        "application/json"), 415, "unsupported_media_type")
        self.assert_error(self.csv_post("/api/v1/customers/import", self.login("super"), bad),
                          403, "forbidden")
        imports = self.audited(admin, "customer.import", 2)
        self.assertEqual(sorted(e["outcome"] for e in imports), ["invalid", "ok"])
        exports = self.audited(admin, "customer.export", 3)
        self.assertIn("ok", [e["outcome"] for e in exports])


class TicketTest(CrmTestCase):
    def ticket(self, token, ticket_id):
        status, body = self.get(f"/api/v1/tickets/{ticket_id}", token)
        self.assertEqual(status, 200, body)
        return body

    def patch(self, token, ticket_id, body):
        return self.send("PATCH", f"/api/v1/tickets/{ticket_id}", token, body)

    def test_a_ticket_is_assigned_moved_through_its_workflow_and_commented(self):
        admin = self.login("admin")
        agent = self.login("1001")
        customer = self.create_customer(admin, name="张伟明", phones=["13800138000"])["id"]
        call = str(uuid.uuid4())
        status, created = self.send("POST", "/api/v1/tickets", agent,
                                    {"subject": "退款没到账", "description": "客户说已等一周",
                                     "priority": "high", "customer_id": customer,
                                     "call_id": call})
        self.assertEqual(status, 201, created)
        tid = created["id"]
        self.assertEqual((created["status"], created["priority"], created["customer_id"],
                          created["call_id"], created["created_by"], created["assignee"]),
                         ("new", "high", customer, call, "1001", None))
        self.assertEqual([h["field"] for h in created["history"]], ["created"])

        status, body = self.patch(agent, tid, {"assignee": "1001", "status": "open",
                                               "due_at": "2030-01-02T08:00:00+08:00"})
        self.assertEqual(status, 200, body)
        self.assertEqual((body["assignee"], body["status"], body["due_at"]),
                         ("1001", "open", "2030-01-02T00:00:00.000Z"))
        for move in ("pending", "resolved", "open", "resolved", "closed"):
            status, body = self.patch(agent, tid, {"status": move})
            self.assertEqual((status, body.get("status")), (200, move), body)
        answer = self.patch(agent, tid, {"status": "open"})
        self.assert_error(answer, 409, "conflict")
        self.assertIn("closed is final", answer[1]["error"]["message"])

        status, comment = self.send("POST", f"/api/v1/tickets/{tid}/comments", agent,
                                    {"body": "已联系客户，款项明天到账"})
        self.assertEqual(status, 201, comment)
        self.assertEqual(comment["author"], "1001")
        self.assert_error(self.send("POST", f"/api/v1/tickets/{tid}/comments", agent,
                                    {"body": "  "}), 400, "invalid")
        self.assert_error(self.send("POST", f"/api/v1/tickets/{tid}/comments", agent,
                                    {"text": "x"}), 400, "bad_request")
        full = self.ticket(agent, tid)
        self.assertEqual([c["body"] for c in full["comments"]], ["已联系客户，款项明天到账"])
        changes = [(h["field"], h["old_value"], h["new_value"]) for h in full["history"]]
        self.assertEqual(changes[0], ("created", None, "退款没到账"))
        self.assertIn(("assignee", None, "1001"), changes)
        self.assertEqual([c[2] for c in changes if c[0] == "status"],
                         ["open", "pending", "resolved", "open", "resolved", "closed"])
        self.assertTrue(all(h["actor"] == "1001" for h in full["history"]))

        for bad, field in (({"subject": ""}, "subject"), ({"subject": "x", "status": "open"},
                                                          "status"),
                           ({"subject": "x", "priority": "asap"}, "priority"),
                           ({"subject": "x", "customer_id": str(uuid.uuid4())}, "customer_id"),
                           ({"subject": "x", "due_at": "soon"}, "due_at")):
            with self.subTest(body=bad):
                self.assertIn(field, self.problems(self.send("POST", "/api/v1/tickets", agent,
                                                             bad), 400, "invalid"))
        self.assert_error(self.send("POST", "/api/v1/tickets", agent, {"subject": 1}), 400,
                          "bad_request")
        self.assert_error(self.get("/api/v1/tickets/abc", agent), 404, "not_found")
        self.assert_error(self.get("/api/v1/tickets/999999", agent), 404, "not_found")
        self.assert_error(self.patch(agent, "0", {"status": "open"}), 404, "not_found")

        self.assertEqual(len(self.audited(admin, "ticket.update", 7)), 7)
        self.assertEqual(self.audited(admin, "ticket.create", 1)[-1]["target"], str(tid))
        comments = self.audited(admin, "ticket.comment", 2)
        self.assertEqual(sorted(e["outcome"] for e in comments), ["invalid", "ok"])

    def test_lists_filter_and_show_only_the_tickets_each_user_reaches(self):
        admin = self.login("admin")
        agent = self.login("1001")
        other = self.login("1002")
        boss = self.login("super")
        customer = self.create_customer(admin, name="王芳", phones=["13912345678"])["id"]

        def create(token, **fields):
            status, body = self.send("POST", "/api/v1/tickets", token, fields)
            self.assertEqual(status, 201, body)
            return body["id"]

        mine = create(agent, subject="退款没到账", assignee="1001", customer_id=customer)
        sales = create(admin, subject="Quote for 20 seats", assignee="1002", team="sales")
        team = create(boss, subject="Headset broken", team="support", priority="urgent",
                      due_at="2030-01-01")

        def ids(token, query=""):
            status, body = self.get(f"/api/v1/tickets{query}", token)
            self.assertEqual(status, 200, body)
            self.assertEqual(body["total"], len(body["tickets"]))
            return [t["id"] for t in body["tickets"]]

        self.assertEqual(ids(agent), [mine])
        self.assertEqual(ids(other), [sales], "1002 does not see 1001's ticket")
        self.assertEqual(sorted(ids(boss)), sorted([mine, team]), "the team's and its agents'")
        self.assertEqual(ids(admin)[0], team, "the most urgent first")
        self.assertEqual(sorted(ids(admin)), sorted([mine, sales, team]))
        self.assert_error(self.get(f"/api/v1/tickets/{mine}", other), 404, "not_found")
        self.assert_error(self.send("PATCH", f"/api/v1/tickets/{mine}", other,
                                    {"status": "open"}), 404, "not_found")
        self.assert_error(self.send("POST", f"/api/v1/tickets/{mine}/comments", other,
                                    {"body": "mine now"}), 404, "not_found")
        self.assertEqual(self.get(f"/api/v1/tickets/{mine}", agent)[1]["status"], "new")

        status, body = self.send("PATCH", f"/api/v1/tickets/{sales}", admin, {"status": "open"})
        self.assertEqual(status, 200, body)
        self.assertEqual(ids(admin, "?status=open"), [sales])
        self.assertEqual(sorted(ids(admin, "?status=new,open")), sorted([mine, sales, team]))
        self.assertEqual(ids(admin, "?status=closed"), [])
        self.assertEqual(ids(admin, "?assignee=1002"), [sales])
        self.assertEqual(ids(admin, "?team=support"), [team])
        self.assertEqual(ids(admin, f"?customer={customer}"), [mine])
        self.assertEqual(ids(admin, "?q=%E9%80%80%E6%AC%BE"), [mine])  # 退款
        self.assertEqual(ids(admin, "?q=seats"), [sales])
        self.assertEqual(ids(admin, "?due_before=2031-01-01"), [team])
        status, page = self.get("/api/v1/tickets?limit=1&offset=1", admin)
        self.assertEqual((len(page["tickets"]), page["total"]), (1, 3), page)
        for bad in ("?status=done", "?status=new,", "?customer=nope", "?due_before=soon",
                    "?limit=501"):
            with self.subTest(query=bad):
                self.assert_error(self.get(f"/api/v1/tickets{bad}", admin), 400, "bad_query")


class KnowledgeBaseTest(CrmTestCase):
    def test_supervisors_write_articles_everyone_finds_them_in_chinese_and_english(self):
        admin = self.login("admin")
        boss = self.login("super")
        agent = self.login("1001")
        article = {"title": "退款流程", "body": "客户申请退款后，三个工作日内原路退回。",
                   "category": "billing", "tags": ["退款"]}
        self.assert_error(self.send("POST", "/api/v1/kb", agent, article), 403, "forbidden")

        def write(body):
            status, created = self.send("POST", "/api/v1/kb", boss, body)
            self.assertEqual(status, 201, created)
            return created

        refund_cn = write(article)
        self.assertEqual((refund_cn["created_by"], refund_cn["tags"]), ("super", ["退款"]))
        refund_en = write({"title": "Refund policy", "category": "billing",
                           "body": "Refunds are paid back to the original card within three "
                                   "working days."})
        password = write({"title": "Password reset", "category": "account",
                          "body": "How to reset a password. Asking for a refund does not "
                                  "reset anything."})
        write({"title": "营业时间", "body": "周一至周五 9:00-18:00"})

        def search(query):
            status, body = self.get(f"/api/v1/kb{query}", agent)
            self.assertEqual(status, 200, body)
            return body["articles"]

        hits = search("?q=%E9%80%80%E6%AC%BE")  # 退款
        self.assertEqual([h["id"] for h in hits], [refund_cn["id"]])
        self.assertIn("退款", hits[0]["snippet"])
        hits = search("?q=refund")
        self.assertEqual([h["id"] for h in hits], [refund_en["id"], password["id"]],
                         "a hit in the title ranks first")
        self.assertGreater(hits[0]["rank"], hits[1]["rank"])
        self.assertIn("refund", hits[1]["snippet"].lower())
        self.assertEqual(search("?q=refund&category=account")[0]["id"], password["id"])
        self.assertEqual(len(search("")), 4)
        self.assertEqual(search("?limit=1")[0]["title"], "营业时间", "newest first without q")
        self.assertEqual(search("?q=nothing+like+this"), [])

        status, body = self.get("/api/v1/kb/categories", agent)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["categories"], [{"name": "account", "articles": 1},
                                              {"name": "billing", "articles": 2}])
        status, one = self.get(f"/api/v1/kb/{refund_cn['id']}", agent)
        self.assertEqual((status, one["body"]), (200, article["body"]), one)

        status, changed = self.send("PUT", f"/api/v1/kb/{password['id']}", admin,
                                    {"title": "Reset a password", "tags": ["login"]})
        self.assertEqual(status, 200, changed)
        self.assertEqual((changed["title"], changed["tags"], changed["category"]),
                         ("Reset a password", ["login"], "account"))
        self.assert_error(self.send("PUT", f"/api/v1/kb/{password['id']}", agent,
                                    {"title": "x"}), 403, "forbidden")
        self.assert_error(self.send("DELETE", f"/api/v1/kb/{password['id']}", agent), 403)
        status, body = self.send("DELETE", f"/api/v1/kb/{password['id']}", boss)
        self.assertEqual(status, 204, body)
        self.assert_error(self.get(f"/api/v1/kb/{password['id']}", agent), 404, "not_found")
        self.assert_error(self.send("DELETE", f"/api/v1/kb/{password['id']}", boss), 404)

        self.assertEqual(self.problems(self.send("POST", "/api/v1/kb", boss, {"title": " "}),
                                       400, "invalid"), ["title"])
        self.assert_error(self.send("POST", "/api/v1/kb", boss, {"title": 5}), 400, "bad_request")
        self.assert_error(self.send("PUT", "/api/v1/kb/x", boss, {"title": "y"}), 404)
        self.assert_error(self.get("/api/v1/kb/abc", agent), 404, "not_found")
        for bad in ("?limit=101", "?offset=1", "?limit=0"):
            with self.subTest(query=bad):
                self.assert_error(self.get(f"/api/v1/kb{bad}", agent), 400, "bad_query")
        self.assertEqual(len(self.audited(admin, "kb.create", 5)), 5)
        self.assertEqual([e["outcome"] for e in self.audited(admin, "kb.delete", 2)],
                         ["not_found", "ok"])
        self.assertEqual(self.audited(admin, "kb.update", 1)[0]["user"], "admin")


if __name__ == "__main__":
    unittest.main()
