"""A minimal SIP UAC over UDP for the daemon tests (standard library only): enough to send a
REGISTER, read the challenges and answer one with Digest (RFC 8760, MD5 or SHA-256), and to
place an INVITE that is expected to fail."""
import hashlib
import re
import socket
import uuid

HASHES = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}


def parse_response(data):
    """(status, [(name, value), ...]) of one SIP response."""
    text = data.decode("utf-8", "replace")
    head = text.split("\r\n\r\n", 1)[0]
    lines = head.split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip().lower(), value.strip()))
    return status, headers


def challenge_params(value):
    """The auth-params of a `Digest ...` challenge as a dict."""
    assert value.startswith("Digest "), value
    return {k.lower(): v1 if v1 else v2
            for k, v1, v2 in re.findall(r'(\w[\w-]*)=(?:"([^"]*)"|([^,\s]+))', value[7:])}


class UdpUac:
    def __init__(self, port, timeout=5.0, sock=None):
        """A UAC toward 127.0.0.1:port on a socket of its own, or on `sock` (bound already)."""
        self.server = ("127.0.0.1", port)
        if sock is None:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind(("127.0.0.1", 0))
            sock.settimeout(timeout)
        self.sock = sock
        self.local_port = self.sock.getsockname()[1]
        self.call_id = uuid.uuid4().hex
        self.cseq = 0

    def close(self):
        self.sock.close()

    def _send(self, method, uri, from_user, to, branch, headers=()):
        """Sends one request of this UAC's Call-ID with CSeq number self.cseq."""
        lines = [f"{method} {uri} SIP/2.0",
                 f"Via: SIP/2.0/UDP 127.0.0.1:{self.local_port};branch={branch};rport",
                 f"From: <sip:{from_user}@127.0.0.1>;tag={self.call_id[:8]}",
                 f"To: {to}",
                 f"Call-ID: {self.call_id}",
                 f"CSeq: {self.cseq} {method}",
                 "Max-Forwards: 70",
                 *headers,
                 "Content-Length: 0", "", ""]
        self.sock.sendto("\r\n".join(lines).encode(), self.server)

    def _final_response(self):
        while True:
            status, headers = parse_response(self.sock.recvfrom(65536)[0])
            if status >= 200:
                return status, headers

    def register(self, extension, authorization=None, expires=600):
        """Sends one REGISTER and returns (status, headers) of the final response."""
        self.cseq += 1
        headers = [f"Contact: <sip:{extension}@127.0.0.1:{self.local_port}>",
                   f"Expires: {expires}"]
        if authorization:
            headers.append(f"Authorization: {authorization}")
        self._send("REGISTER", f"sip:127.0.0.1:{self.server[1]}", extension,
                   f"<sip:{extension}@127.0.0.1>", f"z9hG4bK{uuid.uuid4().hex}", headers)
        return self._final_response()

    def invite_failure(self, number, caller, password, extra_headers=()):
        """Calls `number` as `caller` (answering an MD5 or SHA-256 challenge) and returns the
        final status of a call that fails; ACKs every failure. A 2xx is an error here."""
        uri = f"sip:{number}@127.0.0.1:{self.server[1]}"
        authorization = None
        for _ in range(2):
            self.cseq += 1
            branch = f"z9hG4bK{uuid.uuid4().hex}"
            headers = [f"Contact: <sip:{caller}@127.0.0.1:{self.local_port}>", *extra_headers]
            if authorization:
                headers.append(f"Authorization: {authorization}")
            self._send("INVITE", uri, caller, f"<{uri}>", branch, headers)
            status, headers = self._final_response()
            assert status >= 300, f"call to {number} was answered"
            # The ACK of a failure carries the INVITE's branch and the response's To tag.
            self._send("ACK", uri, caller, dict(headers)["to"], branch)
            if status != 401 or authorization:
                return status
            challenge = challenge_params(dict(headers)["www-authenticate"])
            authorization = self.authorization(challenge, caller, password, uri, "INVITE")
        return status

    @staticmethod
    def authorization(challenge, extension, password, uri, method="REGISTER"):
        """The Authorization value answering one parsed challenge with qop=auth."""
        algorithm = challenge.get("algorithm", "MD5")
        h = lambda text: HASHES[algorithm](text.encode()).hexdigest()
        cnonce, nc = uuid.uuid4().hex[:16], "00000001"
        ha1 = h(f"{extension}:{challenge['realm']}:{password}")
        ha2 = h(f"{method}:{uri}")
        response = h(f"{ha1}:{challenge['nonce']}:{nc}:{cnonce}:auth:{ha2}")
        return (f'Digest username="{extension}", realm="{challenge["realm"]}", '
                f'nonce="{challenge["nonce"]}", uri="{uri}", response="{response}", '
                f'algorithm={algorithm}, qop=auth, nc={nc}, cnonce="{cnonce}"')
