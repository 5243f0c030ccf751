"""A scripted SIP phone over UDP for the daemon tests (standard library only). It registers,
answers or rings calls, places calls and sends REFER inside a dialog, answering the daemon's
NOTIFY and BYE on the way: one phone's part in an attended transfer, which sipp cannot play
because it needs two calls on one socket. Enough of RFC 3261 for that; not a general UA."""
import socket
import time
import urllib.parse
import uuid

from sip_client import UdpUac, challenge_params

SDP = ("v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
       "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")


class Message:
    """One parsed SIP message: start line, headers (lower-case names, in order), body."""

    def __init__(self, data):
        text = data.decode("utf-8", "replace")
        head, _, self.body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.start = lines[0]
        self.headers = []
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers.append((name.strip().lower(), value.strip()))
        parts = self.start.split(" ", 2)
        self.is_request = not parts[0].startswith("SIP/")
        self.method = parts[0] if self.is_request else None
        self.status = None if self.is_request else int(parts[1])

    def header(self, name):
        return next((v for n, v in self.headers if n == name), None)

    def all(self, name):
        return [v for n, v in self.headers if n == name]

    def cseq(self):
        number, method = self.header("cseq").split()
        return int(number), method


def tag_of(value):
    for param in value.split(";")[1:]:
        name, _, tag = param.strip().partition("=")
        if name.lower() == "tag":
            return tag
    return None


def uri_of(value):
    return value[value.index("<") + 1:value.index(">")] if "<" in value else value.split(";")[0]


class Dialog:
    def __init__(self, call_id, local_tag, remote_tag, local, remote, target, cseq):
        self.call_id, self.local_tag, self.remote_tag = call_id, local_tag, remote_tag
        self.local, self.remote, self.target, self.cseq = local, remote, target, cseq
        self.branch = None  # of our INVITE, for the ACK of a failure

    def replaces(self):
        """This dialog as a Refer-To URI's escaped `Replaces` value (RFC 3891, RFC 5589)."""
        value = f"{self.call_id};to-tag={self.remote_tag};from-tag={self.local_tag}"
        return urllib.parse.quote(value, safe="")


class UdpPhone:
    def __init__(self, server_port, extension, password, port=0):
        """`port`: where it listens (a trunk's configured port); 0 picks a free one."""
        self.server = ("127.0.0.1", server_port)
        self.extension, self.password = extension, password
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", port))
        self.sock.settimeout(10.0)
        self.port = self.sock.getsockname()[1]
        self.contact = f"<sip:{extension}@127.0.0.1:{self.port}>"
        # The status this phone answers the daemon's OPTIONS with; None leaves them
        # unanswered, like a phone that is gone.
        self.options_status = 200
        self.requests = []  # every request the daemon sent, in order, retransmissions once
        self._backlog = []  # requests not yet returned by next_request()
        self._responses = []  # responses received while waiting for another one

    def close(self):
        self.sock.close()

    def register(self):
        """Registers this phone's socket for its extension; the final status."""
        uac = UdpUac(self.server[1], sock=self.sock)
        status, headers = uac.register(self.extension)
        if status == 401:
            challenge = challenge_params(dict(headers)["www-authenticate"])
            uri = f"sip:127.0.0.1:{self.server[1]}"
            status, _ = uac.register(self.extension, UdpUac.authorization(
                challenge, self.extension, self.password, uri))
        return status

    # Sending.

    def _send(self, lines, body="", content_type="application/sdp"):
        if body:
            lines = [*lines, f"Content-Type: {content_type}"]
        text = "\r\n".join([*lines, f"Content-Length: {len(body.encode())}", "", body])
        self.sock.sendto(text.encode(), self.server)

    def _reply(self, request, status, reason, extra=(), to_tag=None, body=""):
        to = request.header("to")
        if to_tag and tag_of(to) is None:
            to += f";tag={to_tag}"
        self._send([f"SIP/2.0 {status} {reason}", *[f"Via: {v}" for v in request.all("via")],
                    f"From: {request.header('from')}", f"To: {to}",
                    f"Call-ID: {request.header('call-id')}", f"CSeq: {request.header('cseq')}",
                    *extra], body)

    def _request(self, method, uri, dialog, cseq, branch, extra=(), body="",
                 content_type="application/sdp"):
        self._send([f"{method} {uri} SIP/2.0",
                    f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch={branch};rport",
                    "Max-Forwards: 70",
                    f"From: <{dialog.local}>;tag={dialog.local_tag}",
                    f"To: <{dialog.remote}>" + (f";tag={dialog.remote_tag}"
                                                 if dialog.remote_tag else ""),
                    f"Call-ID: {dialog.call_id}", f"CSeq: {cseq} {method}", *extra], body,
                   content_type)

    # Receiving.

    def _receive(self, timeout=10.0):
        if timeout <= 0:
            raise TimeoutError("nothing came in time")
        self.sock.settimeout(timeout)
        return Message(self.sock.recvfrom(65536)[0])

    def _note(self, request):
        """Answers the requests that need nothing from the test (NOTIFY, BYE, OPTIONS as
        options_status says) and keeps each new one (a retransmission is answered again, not
        kept twice)."""
        if request.method in ("NOTIFY", "BYE"):
            self._reply(request, 200, "OK")
        elif request.method == "OPTIONS" and self.options_status is not None:
            reasons = {200: "OK", 481: "Call/Transaction Does Not Exist"}
            self._reply(request, self.options_status, reasons.get(self.options_status, "Other"))
        seen = any(r.method == request.method and r.header("via") == request.header("via")
                   for r in self.requests)
        if request.method == "ACK" or not seen:
            self.requests.append(request)
            self._backlog.append(request)

    def _response(self, call_id, cseq, timeout=10.0):
        """The next response to our request (call_id, cseq); whatever else comes meanwhile is
        kept for later."""
        deadline = time.monotonic() + timeout
        while True:
            for response in self._responses:
                if response.header("call-id") == call_id and response.cseq()[0] == cseq:
                    self._responses.remove(response)
                    return response
            message = self._receive(deadline - time.monotonic())
            if message.is_request:
                self._note(message)
            else:
                self._responses.append(message)

    def next_request(self, method, timeout=10.0):
        """The next new request of `method` not returned before."""
        deadline = time.monotonic() + timeout
        while True:
            for request in self._backlog:
                if request.method == method:
                    self._backlog.remove(request)
                    return request
            message = self._receive(deadline - time.monotonic())
            if message.is_request:
                self._note(message)

    # Calls.

    def answer_call(self, ring_only=False, sdp=SDP):
        """Waits for an INVITE and answers it with SDP (an offer when the INVITE had none);
        the dialog once ACKed, or the INVITE itself when `ring_only` (then call
        expect_cancel() or answer_ringing())."""
        invite = self.ring(self.next_request("INVITE"))
        if ring_only:
            return invite
        return self.answer_ringing(invite, sdp)

    def ring(self, invite):
        """Sends 180 with this phone's tag for an INVITE it took itself; the INVITE."""
        invite.local_tag = uuid.uuid4().hex[:10]
        self._reply(invite, 180, "Ringing", [f"Contact: {self.contact}"], invite.local_tag)
        return invite

    def answer_ringing(self, invite, sdp=SDP):
        """Answers an INVITE that answer_call(ring_only=True) left ringing; the dialog."""
        tag = invite.local_tag
        while True:
            self._reply(invite, 200, "OK", [f"Contact: {self.contact}"], tag, sdp)
            try:
                ack = self.next_request("ACK", timeout=0.5)
                if ack.header("call-id") == invite.header("call-id"):
                    break
            except TimeoutError:
                continue
        self.last_ack = ack
        self.last_invite = invite
        return Dialog(invite.header("call-id"), tag, tag_of(invite.header("from")),
                      uri_of(invite.header("to")), uri_of(invite.header("from")),
                      uri_of(invite.header("contact")), 0)

    def expect_cancel(self, invite):
        """The ringing `invite` gets CANCEL: 200 to it, 487 to the INVITE, then its ACK."""
        cancel = self.next_request("CANCEL")
        self._reply(cancel, 200, "OK")
        self._reply(invite, 487, "Request Terminated", to_tag=invite.local_tag)
        self.next_request("ACK")

    def invite(self, number, sdp=SDP):
        """Calls `number` with an SDP offer, answering the daemon's challenge, and returns the
        dialog at once: its callee may have to ring before anything else comes. Follow with
        ringing() or answered()."""
        uri = f"sip:{number}@127.0.0.1:{self.server[1]}"
        dialog = Dialog(uuid.uuid4().hex, uuid.uuid4().hex[:10], None,
                        f"sip:{self.extension}@127.0.0.1", uri, uri, 1)
        dialog.branch = f"z9hG4bK{uuid.uuid4().hex}"
        self._request("INVITE", uri, dialog, 1, dialog.branch, [f"Contact: {self.contact}"], sdp)
        while (challenge := self._response(dialog.call_id, 1)).status < 200:
            pass
        assert challenge.status == 401, f"INVITE to {number} got {challenge.status}, not 401"
        self._ack_failure(dialog, challenge)
        authorization = UdpUac.authorization(
            challenge_params(challenge.header("www-authenticate")), self.extension,
            self.password, uri, "INVITE")
        dialog.cseq = 2
        dialog.branch = f"z9hG4bK{uuid.uuid4().hex}"
        self._request("INVITE", uri, dialog, 2, dialog.branch,
                      [f"Contact: {self.contact}", f"Authorization: {authorization}"], sdp)
        return dialog

    def _ack_failure(self, dialog, response):
        """The ACK of a failure to our INVITE: its branch and the response's To tag."""
        self._send([f"ACK {dialog.remote} SIP/2.0",
                    f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch={dialog.branch};rport",
                    "Max-Forwards: 70", f"From: <{dialog.local}>;tag={dialog.local_tag}",
                    f"To: {response.header('to')}", f"Call-ID: {dialog.call_id}",
                    f"CSeq: {response.cseq()[0]} ACK"])

    def ringing(self, dialog):
        """Waits for the 180 of our INVITE; the early dialog takes the daemon's tag from it."""
        while (response := self._response(dialog.call_id, dialog.cseq)).status < 180:
            pass
        assert response.status < 200, f"expected ringing, got {response.status}"
        dialog.remote_tag = tag_of(response.header("to"))
        return dialog

    def answered(self, dialog):
        """Waits for the final response of our INVITE: ACKs it and returns its status."""
        while (response := self._response(dialog.call_id, dialog.cseq)).status < 200:
            pass
        if response.status >= 300:
            self._ack_failure(dialog, response)
            return response.status
        dialog.remote_tag = tag_of(response.header("to"))
        dialog.target = uri_of(response.header("contact"))
        dialog.answer = response.body
        self._request("ACK", dialog.target, dialog, dialog.cseq, f"z9hG4bK{uuid.uuid4().hex}")
        return response.status

    def hang_up(self, dialog):
        """BYE inside `dialog`; the final status."""
        return self.send_in_dialog(dialog, "BYE").status

    def call(self, number, sdp=SDP):
        """Calls `number` and returns the dialog once answered."""
        dialog = self.invite(number, sdp)
        status = self.answered(dialog)
        assert status == 200, f"call to {number} failed with {status}"
        return dialog

    def send_in_dialog(self, dialog, method, extra=(), body="", content_type=""):
        """Sends `method` inside `dialog` (resent every 0.5 s until answered); the final
        response."""
        dialog.cseq += 1
        branch = f"z9hG4bK{uuid.uuid4().hex}"
        for _ in range(20):
            self._request(method, dialog.target, dialog, dialog.cseq, branch,
                          [f"Contact: {self.contact}", *extra], body, content_type)
            try:
                while (response := self._response(dialog.call_id, dialog.cseq, 0.5)).status < 200:
                    pass
                return response
            except TimeoutError:
                continue
        raise TimeoutError(f"no answer to {method}")

    def reinvite(self, dialog, sdp):
        """A re-INVITE inside `dialog` with `sdp` (hold, resume), ACKed when accepted; the
        final status."""
        response = self.send_in_dialog(dialog, "INVITE", body=sdp, content_type="application/sdp")
        if response.status < 300:
            self._request("ACK", dialog.target, dialog, dialog.cseq, f"z9hG4bK{uuid.uuid4().hex}")
        return response.status

    def answer_reinvite(self, sdp, timeout=10.0):
        """Waits for a re-INVITE from the daemon and accepts it with `sdp`; the INVITE."""
        invite = self.next_request("INVITE", timeout)
        self._reply(invite, 200, "OK", [f"Contact: {self.contact}"], body=sdp)
        return invite

    def refer(self, dialog, refer_to):
        """REFER inside `dialog` to `refer_to` (a name-addr); the final response."""
        return self.send_in_dialog(dialog, "REFER", [f"Refer-To: {refer_to}"])
