#!/usr/bin/env python3
"""A real SMTP server on loopback for Handoff's tests, built on aiosmtpd.

    smtp_sink.py --port 2525 --dir /tmp/mail [--reject bad@example.test ...]

Every accepted message is written to <dir>/NNNNNN.eml, and one JSON line per message is
appended to <dir>/log.jsonl: mail_from, rcpt_tos, message_id, subject, text (the plain part).
RCPT TO an address given with --reject is answered "550 5.1.1", a permanent refusal, so
tests can check that one bad address fails alone. Prints "ready" once listening; stops on
SIGTERM or SIGINT. With --light (benchmarks) it parses nothing and logs only recipients,
Message-ID and the time it was accepted. With --delay-ms N it waits N ms before accepting each message (a slow server).
"""
import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import threading
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out_dir, reject, light, delay_ms=0):
        self.out_dir = out_dir
        self.delay = delay_ms / 1000.0
        self.light = light
        self.reject = {a.lower() for a in reject}
        self.count = len([f for f in os.listdir(out_dir) if f.endswith(".eml")])
        self.log = open(os.path.join(out_dir, "log.jsonl"), "a", encoding="utf-8")

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.count += 1
        raw = envelope.original_content or envelope.content
        if self.light:
            # Benchmarks: no parsing, no file per message; just who and which message.
            start = raw.find(b"Message-ID:")
            mid = raw[start + 11 : raw.find(b"\r\n", start)].strip().decode() if start >= 0 else None
            entry = {"rcpt_tos": envelope.rcpt_tos, "message_id": mid, "at": round(time.time(), 3)}
            self.log.write(json.dumps(entry) + "\n")
            # Written out before the 250: a sink stopped or killed keeps what it accepted.
            self.log.flush()
            return "250 Message accepted for delivery"
        with open(os.path.join(self.out_dir, "%06d.eml" % self.count), "wb") as f:
            f.write(raw)
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        body = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        entry = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "message_id": msg.get("Message-ID"),
            "subject": str(msg.get("Subject", "")),
            "text": body.get_content() if body else "",
            "html": html.get_content() if html else "",
        }
        self.log.write(json.dumps(entry) + "\n")
        self.log.flush()
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--light", action="store_true", help="log recipients and Message-ID only (benchmarks)")
    parser.add_argument("--delay-ms", type=int, default=0, help="wait this long before accepting each message")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    sink = Sink(args.dir, args.reject, args.light, args.delay_ms)
    controller = Controller(sink, hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
