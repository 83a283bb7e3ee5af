#!/usr/bin/env python3
"""A webhook receiver for tests and benchmarks: prints every request as one JSON line.

    scripts/webhook_sink.py [--port 0] [--answers JSON] [--default JSON] [--verify KIND --secret S]

The first line printed is {"listening": PORT}. Then one line per request:
{"n", "method", "path", "query", "headers", "body", "received_ns"[, "verified", "verify_error"]},
received_ns being CLOCK_MONOTONIC when the body was read. Headers are keyed in lower case.

--answers is a JSON list of answers for the first requests, in order; --default answers the
rest. An answer is {"status": 200, "body": <string or JSON value>, "delay": <seconds>,
"stall_body": <seconds>}: delay waits before answering at all, stall_body sends the status line
and headers, then waits before the body.
--verify generic|dingtalk|feishu checks each request's signature with --secret, as the real
receiver would (generic: the X-CampusGuard-Signature header, 5 minutes' tolerance;
dingtalk: the timestamp and sign query parameters; feishu: timestamp and sign in the body;
both an hour's tolerance).

Standard library only. Stops on SIGTERM or SIGINT.
"""
import argparse
import base64
import hashlib
import hmac
import json
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

DEFAULT_ANSWER = {"status": 200, "body": {"errcode": 0, "errmsg": "ok", "code": 0, "msg": "success"}}


def verify_generic(secret, headers, query, body):
    header = headers.get("x-campusguard-signature", "")
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    t = int(parts["t"])
    if abs(time.time() - t) > 300:
        raise ValueError("timestamp outside tolerance")
    expected = hmac.new(secret, f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, parts.get("v1", "")):
        raise ValueError("signature mismatch")


def verify_dingtalk(secret, headers, query, body):
    timestamp = query["timestamp"][0]
    if abs(time.time() * 1000 - int(timestamp)) > 3_600_000:
        raise ValueError("timestamp outside an hour")
    string_to_sign = f"{timestamp}\n".encode() + secret
    expected = base64.b64encode(hmac.new(secret, string_to_sign, hashlib.sha256).digest()).decode()
    if not hmac.compare_digest(expected, query["sign"][0]):
        raise ValueError("sign mismatch")


def verify_feishu(secret, headers, query, body):
    payload = json.loads(body)
    timestamp = payload["timestamp"]
    if abs(time.time() - int(timestamp)) > 3600:
        raise ValueError("timestamp outside an hour")
    key = f"{timestamp}\n".encode() + secret
    expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    if not hmac.compare_digest(expected, payload["sign"]):
        raise ValueError("sign mismatch")


VERIFIERS = {"generic": verify_generic, "dingtalk": verify_dingtalk, "feishu": verify_feishu}


class Sink:
    def __init__(self, answers, default, verifier, secret):
        self.answers = answers
        self.default = default
        self.verifier = verifier
        self.secret = secret
        self.count = 0
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            n = self.count
            self.count += 1
        return n, (self.answers[n] if n < len(self.answers) else self.default)

    def emit(self, record):
        line = json.dumps(record, ensure_ascii=False)
        with self.lock:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()


def make_handler(sink):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Without it every answer waits ~40 ms for the client's delayed ACK (Nagle).
        disable_nagle_algorithm = True

        def log_message(self, format, *args):
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            received = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
            n, answer = sink.take()
            split = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            query = parse_qs(split.query, keep_blank_values=True)
            record = {
                "n": n,
                "method": self.command,
                "path": split.path,
                "query": {k: v[0] for k, v in query.items()},
                "headers": headers,
                "body": body.decode("utf-8", errors="replace"),
                "received_ns": received,
            }
            if sink.verifier:
                try:
                    sink.verifier(sink.secret, headers, query, body)
                    record["verified"] = True
                except Exception as error:  # any failure to verify is a finding, not a crash
                    record["verified"] = False
                    record["verify_error"] = f"{type(error).__name__}: {error}"
            sink.emit(record)
            if answer.get("delay"):
                time.sleep(float(answer["delay"]))
            payload = answer.get("body", "")
            data = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
            self.send_response(int(answer.get("status", 200)))
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if answer.get("stall_body"):
                self.wfile.flush()
                time.sleep(float(answer["stall_body"]))
            self.wfile.write(data)

        do_PUT = do_POST

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--answers", default="[]", help="JSON list of answers for the first requests")
    parser.add_argument("--default", default=json.dumps(DEFAULT_ANSWER), help="JSON answer for the rest")
    parser.add_argument("--verify", choices=sorted(VERIFIERS))
    parser.add_argument("--secret", default="")
    args = parser.parse_args()
    sink = Sink(
        json.loads(args.answers),
        json.loads(args.default),
        VERIFIERS.get(args.verify),
        args.secret.encode(),
    )
    server = ThreadingHTTPServer((args.host, args.port), make_handler(sink))
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    sink.emit({"listening": server.server_address[1]})
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    server.server_close()


if __name__ == "__main__":
    main()
