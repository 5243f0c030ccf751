"""The media engine through the real daemon: RTP anchored on our ports, a spoken greeting, a
bridge with transcoding, the stereo recording and its index row, and DTMF by RFC 4733, SIP
INFO and in-band tones. The caller is sipp playing its own speech recording (g711a.pcap) or a
scripted phone with an RTP peer; extension 1001 is a scripted phone sending a 1 kHz tone."""
import atexit
import hashlib
import os
import shutil
import tempfile
import threading
import time
import wave

from harness import free_port
from rtp_peer import DTMF_FREQUENCIES, ULAW_DECODE, RtpPeer, goertzel_power, tone
from sip_phone import UdpPhone
from test_sip_calls import CallTestCase

# A hold class whose music is a steady 1800 Hz, which the built-in tune (chords below 1100 Hz)
# never plays: what a held caller hears tells which music the daemon chose.
HOLD_CLASS_HZ = 1800
_HOLD_DIR = tempfile.mkdtemp(prefix="callcenterd-hold-")
atexit.register(shutil.rmtree, _HOLD_DIR, True)
HOLD_CLASS_WAV = os.path.join(_HOLD_DIR, "bright.wav")
with wave.open(HOLD_CLASS_WAV, "wb") as _w:
    _w.setnchannels(1)
    _w.setsampwidth(2)
    _w.setframerate(8000)
    _w.writeframes(b"".join(s.to_bytes(2, "little", signed=True)
                            for s in tone([HOLD_CLASS_HZ], 2.0)))

MEDIA = """media:
  address: 127.0.0.1
  hold_classes:
    - {name: bright, file: HOLD_CLASS_WAV}
dids:
  - {number: '8001', extension: '1001', greeting: 'Thank you for calling.'}
  - {number: '8003', extension: '1001'}
  - {number: '8004', hang_up: true, greeting: 'This line is closed. Please call again tomorrow.'}
  - {number: '8005', extension: '1001', hold_class: bright}
  - number: '8002'
    extension: '1001'
    greeting: 'Welcome to the support line. Press any key to skip this long message and be put through to an agent at once.'
""".replace("HOLD_CLASS_WAV", HOLD_CLASS_WAV)


def channel_samples(path):
    """The left and right channels of a 16-bit stereo WAV as lists."""
    with wave.open(path, "rb") as w:
        frames = w.readframes(w.getnframes())
        assert w.getnchannels() == 2 and w.getsampwidth() == 2 and w.getframerate() == 8000
    values = memoryview(frames).cast("h")
    return list(values[0::2]), list(values[1::2])


def rms(samples):
    return (sum(s * s for s in samples) / max(len(samples), 1)) ** 0.5


class MediaTestCase(CallTestCase):
    extra_yaml = MEDIA

    def rtp_peer(self):
        peer = RtpPeer()
        self.addCleanup(peer.close)
        return peer

    def key_count(self, source):
        return self.daemon.metric(f'callcenterd_media_dtmf_keys_total{{source="{source}"}}') or 0

    def wait_for_keys(self, source, count):
        self.daemon.wait_until(lambda: self.key_count(source) >= count,
                               what=f"{count} key(s) by {source}", timeout=10)
        time.sleep(0.5)  # the rest of the press (updates, end packets) must not count again
        self.assertEqual(self.key_count(source), count)


class GreetingBridgeRecordingTest(MediaTestCase):
    def test_8001_greets_bridges_to_1001_and_records_both_parties(self):
        agent = self.phone("1001")
        agent_audio = self.rtp_peer()
        caller = self.start_sipp("uac_pcap_call.xml", *self.caller_args("8001")[:-1], "1002",
                                 "-mp", str(free_port()))
        dialog = agent.answer_call(sdp=agent_audio.sdp(0))
        answered_at = time.monotonic()
        # Our offer to the agent carries the daemon's own port, not the caller's.
        self.assertIn("o=callcenterd ", agent.last_invite.body)
        agent_audio.send_to(agent.last_invite.body)
        agent_audio.play(tone([1000], 12.0))
        bye = agent.next_request("BYE", timeout=20)
        talk_time = time.monotonic() - answered_at
        self.assertEqual(bye.header("call-id"), dialog.call_id)
        self.assert_phone_done(caller)

        # The caller's speech reached the agent, transcoded from PCMA to PCMU.
        heard = agent_audio.received_samples(since=answered_at)
        self.assertGreater(len(heard), 8000 * 4, "the agent heard less than 4 s")
        self.assertGreater(rms(heard), 200, "the agent heard only silence")

        query = ("SELECT call_uuid, path, duration_ms, size_bytes, sha256, caller, agent, status "
                 "FROM recordings")
        self.daemon.wait_until(lambda: self.db.query(query), what="the recording's index row",
                               timeout=15)
        rows = self.db.query(query).splitlines()
        self.assertEqual(len(rows), 1, rows)
        call_uuid, path, duration_ms, size_bytes, sha256, caller_user, agent_user, status = \
            rows[0].split("|")
        self.assertEqual(status, "completed")
        self.assertEqual((caller_user, agent_user), ("1002", "1001"))
        day = time.strftime("%Y/%m/%d", time.gmtime())
        self.assertTrue(path.endswith(f"recordings/{day}/{call_uuid}.wav"), path)
        with open(path, "rb") as f:
            data = f.read()
        self.assertEqual(len(data), int(size_bytes))
        self.assertEqual(hashlib.sha256(data).hexdigest(), sha256)

        left, right = channel_samples(path)
        seconds = len(left) / 8000
        self.assertAlmostEqual(seconds, talk_time, delta=0.1,
                               msg=f"recording {seconds:.3f} s, talk time {talk_time:.3f} s")
        self.assertAlmostEqual(int(duration_ms) / 1000, seconds, delta=0.01)
        # The agent's tone is on the right and only there; the caller's speech on the left.
        left_tone = goertzel_power(left[8000:40000], 1000)
        right_tone = goertzel_power(right[8000:40000], 1000)
        self.assertGreater(rms(right[8000:40000]), 1000)
        self.assertGreater(right_tone, 100 * max(left_tone, 1.0), "1 kHz is not the agent's")
        self.assertGreater(rms(left[:8000 * 5]), 100, "the caller's channel is silent")
        self.wait_for_no_calls()


class DtmfTest(MediaTestCase):
    def test_each_way_of_sending_a_key_reaches_the_call_once(self):
        agent = self.phone("1001")
        caller = UdpPhone(self.daemon.sip_port, "1002", "demo1002")
        self.addCleanup(caller.close)
        audio = self.rtp_peer()
        dialog = caller.call("8002", sdp=audio.sdp(0))
        audio.send_to(dialog.answer)
        time.sleep(0.5)
        # In-band: a 5 as tones in the audio, while the greeting plays, stops it (barge-in),
        # and the agent's phone rings at once rather than after the whole greeting.
        audio.play(tone(DTMF_FREQUENCIES["5"], 0.1))
        self.wait_for_keys("inband", 1)
        invite = agent.answer_call(ring_only=True)
        # RFC 4733: eight packets of one press (five updates, three ends) are one key.
        audio.press("7")
        self.wait_for_keys("rfc4733", 1)
        # SIP INFO with application/dtmf-relay.
        response = caller.send_in_dialog(dialog, "INFO", body="Signal=9\r\nDuration=160\r\n",
                                         content_type="application/dtmf-relay")
        self.assertEqual(response.status, 200)
        self.wait_for_keys("info", 1)
        self.assertEqual(self.key_count("inband"), 1)
        self.assertEqual(caller.hang_up(dialog), 200)
        agent.expect_cancel(invite)
        self.wait_for_no_calls()


class HoldMusicTest(MediaTestCase):
    def hold_and_listen(self, number):
        """Calls `number` (extension 1001 answers, sending a 1 kHz tone), has 1001 hold the
        call, then resume it; what the caller heard before, during and after the hold."""
        agent = self.phone("1001")
        caller = UdpPhone(self.daemon.sip_port, "1002", "demo1002")
        self.addCleanup(caller.close)
        caller_audio, agent_audio = self.rtp_peer(), self.rtp_peer()
        dialog = caller.invite(number, sdp=caller_audio.sdp(0))
        agent_dialog = agent.answer_call(sdp=agent_audio.sdp(0))
        self.assertEqual(caller.answered(dialog), 200)
        caller_audio.send_to(dialog.answer)
        agent_audio.send_to(agent.last_invite.body)
        agent_audio.play(tone([1000], 30.0))
        heard = []
        for direction in ("sendonly", "sendrecv", None):
            started = time.monotonic()
            time.sleep(2.0)
            heard.append(caller_audio.received_samples(since=started + 0.5))
            if direction:
                # The agent's phone holds (a=sendonly) or resumes. The daemon offers the
                # caller's phone a new session meanwhile, which it takes.
                offers = []
                answering = threading.Thread(
                    target=lambda: offers.append(caller.answer_reinvite(caller_audio.sdp(0))))
                answering.start()
                status = agent.reinvite(agent_dialog, agent_audio.sdp(0) + f"a={direction}\r\n")
                answering.join(timeout=15)
                self.assertEqual(len(offers), 1, "the caller was offered no new session")
                self.assertEqual(status, 200)
        self.assertEqual(caller.hang_up(dialog), 200)
        self.wait_for_no_calls()
        return heard

    def assert_hears(self, samples, frequency, what):
        self.assertGreater(len(samples), 8000, f"{what}: less than a second of audio")
        strength = goertzel_power(samples, frequency)
        others = max(goertzel_power(samples, f) for f in (1000, HOLD_CLASS_HZ) if f != frequency)
        self.assertGreater(strength, 100 * max(others, 1.0), f"{what}: not {frequency} Hz")

    def test_a_held_caller_hears_the_music_of_its_dids_hold_class(self):
        before, held, after = self.hold_and_listen("8005")
        self.assert_hears(before, 1000, "before the hold (the agent)")
        self.assert_hears(held, HOLD_CLASS_HZ, "on hold (the class's music)")
        self.assert_hears(after, 1000, "after the hold (the agent again)")

    def test_a_did_without_a_class_holds_with_the_default_music(self):
        _, held, _ = self.hold_and_listen("8003")
        self.assertGreater(rms(held), 300, "the held caller heard silence")
        # The built-in tune opens with a C major chord, a note at a time.
        tune = max(goertzel_power(held, f) for f in (261.63, 329.63, 392.0, 523.25))
        for other in (1000, HOLD_CLASS_HZ):
            self.assertLess(100 * goertzel_power(held, other), tune, f"{other} Hz on hold")


class AnnouncementTest(MediaTestCase):
    def test_an_announcement_plays_to_its_end_whatever_the_keys_then_hangs_up(self):
        caller = UdpPhone(self.daemon.sip_port, "1002", "demo1002")
        self.addCleanup(caller.close)
        audio = self.rtp_peer()
        dialog = caller.call("8004", sdp=audio.sdp(0))
        answered_at = time.monotonic()
        audio.send_to(dialog.answer)
        time.sleep(0.3)
        audio.press("1")  # no barge-in on an announcement
        bye = caller.next_request("BYE", timeout=15)
        hung_up_at = time.monotonic()
        self.assertEqual(bye.header("call-id"), dialog.call_id)
        # Speech, then the BYE: the text takes espeak-ng about 3 s to say.
        voiced = [t for t, pt, payload in list(audio.received)
                  if pt == 0 and rms([ULAW_DECODE[b] for b in payload]) > 300]
        self.assertGreater(len(voiced), 50, "less than 1 s of speech reached the caller")
        spoken = voiced[-1] - answered_at
        self.assertGreater(spoken, 2.0, f"the announcement stopped after {spoken:.2f} s")
        self.assertLess(hung_up_at - voiced[-1], 1.0, "the BYE came long after the speech")
        self.assertEqual(self.key_count("rfc4733"), 1)
        self.wait_for_no_calls()
        # Nothing was bridged, so nothing was recorded.
        self.assertEqual(self.db.query("SELECT count(*) FROM recordings"), "0")


class RecordingFailureTest(MediaTestCase):
    def test_an_unwritable_recordings_directory_fails_the_recording_not_the_call(self):
        # A regular file where the recordings directory should be: nothing can go under it.
        root = os.path.join(self.daemon.workdir, "var", "recordings")
        os.makedirs(os.path.dirname(root), exist_ok=True)
        with open(root, "w") as f:
            f.write("not a directory")
        agent = self.phone("1001")
        caller = UdpPhone(self.daemon.sip_port, "1002", "demo1002")
        self.addCleanup(caller.close)
        caller_audio, agent_audio = self.rtp_peer(), self.rtp_peer()
        dialog = caller.invite("8003", sdp=caller_audio.sdp(0))
        agent.answer_call(sdp=agent_audio.sdp(0))
        agent_audio.send_to(agent.last_invite.body)
        self.assertEqual(caller.answered(dialog), 200)
        caller_audio.send_to(dialog.answer)
        caller_audio.play(tone([500], 1.5))
        agent_audio.play(tone([1000], 1.5))
        time.sleep(1.5)
        # The call itself went on: each side heard the other.
        self.assertGreater(rms(agent_audio.received_samples()), 500)
        self.assertGreater(rms(caller_audio.received_samples()), 500)
        self.assertEqual(caller.hang_up(dialog), 200)
        self.wait_for_no_calls()
        query = "SELECT status || '|' || failure FROM recordings"
        self.daemon.wait_until(lambda: self.db.query(query), what="the failed recording's row",
                               timeout=15)
        status, failure = self.db.query(query).split("|", 1)
        self.assertEqual(status, "failed")
        self.assertIn(root, failure)
        self.assertEqual(self.daemon.metric("callcenterd_recordings_failed_total"), 1)
        self.assertIn("recording of call", self.daemon.log())


if __name__ == "__main__":
    import unittest
    unittest.main()
