#!/usr/bin/env python3
"""A real SIA DC-09 receiver for campusguard's police-link tests: pysiaalarm's TCP server.

    .venv/bin/python scripts/sia_receiver.py --port 12128 --account 1234 [--key TEXT | --key-hex HEX]

Prints one JSON line when it listens ({"ready": true, ...}), then one per message it answered:
  {"answer": "ACK"|"NAK"|"DUH", "message_type": "ADM-CID"|"NULL"|..., "account": "1234",
   "sequence": "0001", "qualifier": "1", "event_type": "120", "group": "01", "zone": "003",
   "code": "PA", "timestamp": "2026-11-20T14:20:00+00:00", "encrypted": false}
(qualifier, event_type and group are ADM-CID fields; code is pysiaalarm's SIA code for it.)

--key TEXT is how pysiaalarm (and Ajax panels) take a key: the 16, 24 or 32 characters ARE the
AES key bytes, so the text 0123456789ABCDEF is the key campusguard reads as the hex digits
30313233343536373839414243444546. --key-hex gives the key bytes as hexadecimal instead.
--quiet prints only the ready line (for latency measurements). Stops on SIGTERM or SIGINT.
"""

import argparse
import asyncio
import json
import signal
import sys

from pysiaalarm import SIAAccount
from pysiaalarm.aio import SIAClient
from pysiaalarm.utils import CommunicationsProtocol


def emit(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def describe(event, answer):
    timestamp = getattr(event, "timestamp", None)
    message_type = getattr(event, "message_type", None)
    return {
        "answer": answer,
        "message_type": getattr(message_type, "value", message_type),
        "account": getattr(event, "account", None),
        "sequence": getattr(event, "sequence", None),
        "receiver": getattr(event, "receiver", None),
        "line": getattr(event, "line", None),
        "qualifier": getattr(event, "event_qualifier", None),
        "event_type": getattr(event, "event_type", None),
        "group": getattr(event, "partition", None),
        "zone": getattr(event, "ri", None),
        "code": getattr(event, "code", None),
        "timestamp": timestamp.isoformat() if hasattr(timestamp, "isoformat") else timestamp,
        "encrypted": bool(getattr(event, "encrypted", False)),
    }


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--account", required=True)
    keys = parser.add_mutually_exclusive_group()
    keys.add_argument("--key", help="the AES key as pysiaalarm takes it: 16, 24 or 32 characters")
    keys.add_argument("--key-hex", help="the AES key bytes as 32, 48 or 64 hex digits")
    parser.add_argument("--quiet", action="store_true", help="print only the ready line (for measuring)")
    args = parser.parse_args()

    if args.key_hex:
        raw = bytes.fromhex(args.key_hex)
        account = SIAAccount(args.account, key="0" * len(raw))
        account.key_b = raw  # the bytes themselves, whatever they are
    else:
        account = SIAAccount(args.account, key=args.key)

    async def received(event):
        pass  # every answered message is printed by the wrapper below

    client = SIAClient(args.host, args.port, [account], received, protocol=CommunicationsProtocol.TCP)
    server = client.sia_server
    parse = server.parse_and_check_event

    def parse_and_print(data):
        event = parse(data)
        if event is not None and not args.quiet:
            response = event.response
            emit(describe(event, getattr(response, "value", str(response)) if response else None))
        return event

    server.parse_and_check_event = parse_and_print
    await client.async_start(reuse_address=True)
    emit({"ready": True, "host": args.host, "port": args.port, "account": args.account,
          "encrypted": account.encrypted})

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await client.async_stop()


if __name__ == "__main__":
    asyncio.run(main())
