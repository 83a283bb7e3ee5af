#!/usr/bin/env python3
"""Simulates the example school's Modbus devices, for the demo: a Modbus TCP server per bus.

    .venv/bin/python scripts/simulate_modbus.py [--config Config/campusguard.example.yaml]
        [--speed 1.0] [--once]

Every bus of the config's `modbus.buses` with a tcp:// URL on 127.0.0.1 (or localhost) is
served on 127.0.0.1 at its port; other buses (rtu://, other hosts) are skipped. Each device
of such a bus answers at its `unit`, with the register map of its profile
(DeviceProfiles/<profile>.yaml beside the config's folder, or the config's `profile_dirs`):
function 3 holding, 4 input registers, 1 coils, 2 discrete inputs. Every address from 0 up
to the device's last register reads, unused ones as 0, so a read covering the gaps between
channels works; the registers are read-only. Requests for a unit that is not on the bus get
no answer, as on an RS-485 line.

Normal values: residual current 30-180 mA per loop, drifting; gas 0-2 %LEL with the
detector's status bits clear; temperature about 21.5 degC, humidity about 45 %.

Every three minutes (at --speed 1) the school has an incident, on the same schedule as
scripts/simulate.py (started together, the two tell one story):

  1:00  gas in the kitchen's gas meter room: the Midas reads 28 %LEL with its Alarm 1
        status bit (and relay 1) set, until 1:15, then back to 0-2 %LEL
  1:45  electrical fire risk in the power room: the AIM-R100's loop 3 reads 350 mA,
        until 2:00
  2:20  the lab's XY-MD02 on lab-rs485 stops answering (a dead device: requests for its
        unit get no reply) until 2:50, so the gateway's comms-lost fault shows and clears.
        30 s, not less: with a bus's default timing (poll_interval 5s, response_timeout 1s,
        retries 1) the gateway needs three failed polls in a row, 5 s and then 10 s apart,
        about 21 s of silence, before it calls the device lost

--speed 20 runs the cycle twenty times as fast. --once runs one cycle and stops.
Ctrl-C or SIGTERM stops it.
"""
import argparse
import asyncio
import os
import random
import signal
import struct
import sys
import time
from urllib.parse import urlparse

import yaml
from pymodbus.constants import ExcCodes
from pymodbus.server import ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice

CYCLE = 180
GAS_WINDOW = (60, 75)         # Midas at 28 %LEL
RCM_WINDOW = (105, 120)       # AIM-R100 loop 3 at 350 mA
DEAD_WINDOW = (140, 170)      # XY-MD02 silent (see the docstring: why 30 s)
GAS_INCIDENT = 28.0
RCM_INCIDENT = 350.0
RCM_LOOP = "residual_current.3"
DEAD_PROFILES = {"xy-md02"}
ALARM_1, ALARM_2 = 20.0, 50.0  # the Midas's own alarm points, %LEL

TABLES = {"coil": 1, "discrete_input": 2, "holding": 3, "input": 4}
FUNCTION_TABLE = {1: "coil", 5: "coil", 15: "coil", 2: "discrete_input",
                  3: "holding", 6: "holding", 16: "holding", 22: "holding", 23: "holding",
                  4: "input"}
BIT_TABLES = {"coil", "discrete_input"}
WIDTH = {"uint16": 1, "int16": 1, "bits": 1, "bool": 1, "uint32": 2, "int32": 2, "float32": 2}


def fail(message):
    print(f"simulate_modbus: {message}", file=sys.stderr)
    sys.exit(1)


def clock(second):
    return f"{int(second) // 60}:{int(second) % 60:02d}"


class Clock:
    """Simulated seconds since the start, --speed times as fast as real ones."""

    def __init__(self, speed):
        self.speed = speed
        self.start = time.monotonic()

    def now(self):
        return (time.monotonic() - self.start) * self.speed

    def cycle(self):
        return self.now() % CYCLE


def within(window, second):
    return window[0] <= second < window[1]


def encode(channel, value):
    """The raw registers (or the bool, for coils and discrete inputs) of a channel's value."""
    kind = channel.get("type", "uint16")
    if kind in ("bits", "bool"):
        return bool(value)
    scale = float(channel.get("scale", 1) or 1)
    raw = (float(value) - float(channel.get("offset", 0))) / scale
    if kind == "float32":
        high, low = struct.unpack(">HH", struct.pack(">f", raw))
    else:
        bits = 16 * WIDTH[kind]
        signed = kind.startswith("int")
        lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
        number = max(lo, min(hi, round(raw))) & ((1 << bits) - 1)
        if bits == 16:
            return [number]
        high, low = number >> 16, number & 0xFFFF
    return [low, high] if channel.get("word_order", "big") == "little" else [high, low]


class Device:
    """One Modbus device: its profile's channels, their simulated values, its registers."""

    def __init__(self, config_device, profile_id, profile, rng, clock_):
        self.id = config_device["id"]
        self.unit = int(config_device.get("unit", 1))
        self.profile_id = profile_id
        self.channels = {}
        for name, channel in (profile.get("channels") or {}).items():
            table = channel.get("table", "holding")
            if table not in TABLES:
                fail(f"{profile_id}: channel {name}: unknown table {table!r}")
            kind = channel.get("type", "bool" if table in BIT_TABLES else "uint16")
            if kind not in WIDTH:
                fail(f"{profile_id}: channel {name}: unknown type {kind!r}")
            address = channel.get("address")
            address = int(address, 0) if isinstance(address, str) else address
            if not isinstance(address, int) or not 0 <= address <= 65535:
                fail(f"{profile_id}: channel {name}: bad address {channel.get('address')!r}")
            self.channels[name] = dict(channel, table=table, type=kind, address=address)
        self.rng = rng
        self.clock = clock_
        self.step = 0
        self.value = {}
        for name in self.channels:
            base = name.split(".")[0]
            if base == "residual_current":
                self.value[name] = rng.uniform(30, 180)
            elif name == "gas":
                self.value[name] = rng.uniform(0, 2)
            elif base == "temperature":
                self.value[name] = 21.5 + rng.uniform(-0.3, 0.3)
            elif base == "humidity":
                self.value[name] = 45 + rng.uniform(-1, 1)
        self.extras = self.extra_registers(None)
        # The AIM-R100 answers function 03H and 04H alike (its manual, 7.2).
        self.aliases = {"input": "holding"} if profile_id == "acrel-aim-r100" else {}
        self.size = {}
        for table in {c["table"] for c in self.channels.values()} | set(self.extras):
            last = max([c["address"] + WIDTH[c["type"]] - 1 for c in self.channels.values() if c["table"] == table]
                       + [a for a in self.extras.get(table, {})])
            self.size[table] = last + 1
        for alias, table in self.aliases.items():
            self.size.setdefault(alias, self.size[table])

    @property
    def dead(self):
        return self.profile_id in DEAD_PROFILES and within(DEAD_WINDOW, self.clock.cycle())

    def advance(self):
        """Moves the drifting values on by one simulated second for each one that passed."""
        target = int(self.clock.now())
        for _ in range(min(target - self.step, 600)):
            for name in self.value:
                base, rng = name.split(".")[0], self.rng
                v = self.value[name]
                if base == "residual_current":
                    self.value[name] = min(180, max(30, v + rng.uniform(-2, 2)))
                elif name == "gas":
                    self.value[name] = min(2, max(0, v + rng.uniform(-0.1, 0.1)))
                elif base == "temperature":
                    self.value[name] = min(22.5, max(20.5, v + rng.uniform(-0.05, 0.05) + (21.5 - v) * 0.01))
                elif base == "humidity":
                    self.value[name] = min(48, max(42, v + rng.uniform(-0.2, 0.2) + (45 - v) * 0.01))
        self.step = max(self.step, target)

    def current(self):
        """Every channel's value now, incidents included."""
        second = self.clock.cycle()
        values = {}
        for name in self.channels:
            if name == RCM_LOOP and within(RCM_WINDOW, second):
                values[name] = RCM_INCIDENT
            elif name == "gas" and within(GAS_WINDOW, second):
                values[name] = GAS_INCIDENT
            else:
                values[name] = self.value.get(name, 0)
        gas = values.get("gas", 0)
        if "gas.2" in values:
            values["gas.2"] = gas >= ALARM_1      # the detector's own Alarm 1 / Alarm 2
        if "gas.3" in values:
            values["gas.3"] = gas >= ALARM_2
        return values

    def extra_registers(self, values):
        """Registers the profile does not read but the real device has: {table: {address: raw}}."""
        if self.profile_id == "acrel-aim-r100":
            set_points = {a: 300 for a in range(0x0056, 0x0062)}    # loop alarm set values, mA
            return {"holding": {0x000B: 0x1000, **set_points}}      # meter type 1 in bits 15-12
        if self.profile_id == "honeywell-midas":
            gas = (values or {}).get("gas", 0.0)
            heartbeat = int(self.clock.now() // 2) % 2
            status = 0x0001 | heartbeat << 11                       # state 1: monitoring
            if gas >= ALARM_1:
                status |= 1 << 8                                    # relay 1
            if gas >= ALARM_2:
                status |= 1 << 9                                    # relay 2
            order = self.channels.get("gas", {"type": "float32"})
            a1 = encode(dict(order, type="float32", scale=1, offset=0), ALARM_1)
            a2 = encode(dict(order, type="float32", scale=1, offset=0), ALARM_2)
            return {"holding": {0: status, 1: 0x0A05, 4: round(gas * 10), 6: 8 << 8 | 1, 7: 24,
                                12: a1[0], 13: a1[1], 14: a2[0], 15: a2[1]}}
        return {}

    def image(self, table):
        """The table's registers now, from address 0: a list of ints (bools for bit tables)."""
        self.advance()
        values = self.current()
        if table in BIT_TABLES:
            image = [False] * self.size[table]
        else:
            image = [0] * self.size[table]
            for address, raw in self.extra_registers(values).get(table, {}).items():
                image[address] = raw
        for name, channel in self.channels.items():
            if channel["table"] != table:
                continue
            address, raw = channel["address"], encode(channel, values[name])
            if table in BIT_TABLES:
                image[address] = raw
            elif channel["type"] == "bits":
                mask = 1 << int(channel.get("bit", 0))
                image[address] = image[address] | mask if raw else image[address] & ~mask
            elif channel["type"] == "bool":
                image[address] = int(raw)
            else:
                image[address:address + len(raw)] = raw
        return image

    async def action(self, function_code, start_address, _address, _count, registers, _set_values):
        """pymodbus's hook, called on every request: fills in the current values."""
        table = FUNCTION_TABLE.get(function_code)
        if table not in self.size:
            return ExcCodes.ILLEGAL_ADDRESS
        image = self.image(self.aliases.get(table, table))
        if table in BIT_TABLES:
            # Bit tables are kept 16 bits to a register, bit 0 first; start_address counts registers.
            for i in range(len(registers)):
                word = 0
                for bit in range(16):
                    index = (start_address + i) * 16 + bit
                    if index < len(image) and image[index]:
                        word |= 1 << bit
                registers[i] = word
        else:
            for i in range(len(registers)):
                index = start_address + i
                registers[i] = image[index] if index < len(image) else 0
        return None

    def simdevice(self):
        blocks = []
        for table in ("coil", "discrete_input", "holding", "input"):
            if table in BIT_TABLES:
                # Always readable bits; the action refuses a table the device does not have.
                count = self.size.get(table, 16)
                blocks.append([SimData(address=0, values=[False] * (-(-count // 16) * 16),
                                       datatype=DataType.BITS, readonly=True)])
            elif table in self.size:
                blocks.append([SimData(address=0, count=self.size[table], values=0,
                                       datatype=DataType.REGISTERS, readonly=True)])
            else:
                blocks.append([SimData(address=0, datatype=DataType.INVALID)])
        return SimDevice(id=self.unit, simdata=tuple(blocks), action=self.action)


def load(config_path, rng, clock_):
    """The buses to serve: [(bus id, port, [Device])]."""
    try:
        with open(config_path, encoding="utf-8") as f:
            config = yaml.safe_load(f) or {}
    except OSError as e:
        fail(f"cannot read {config_path}: {e.strerror}")
    base = os.path.dirname(os.path.abspath(config_path))
    dirs = [os.path.join(base, d) for d in config.get("profile_dirs") or []]
    dirs.append(os.path.join(base, "..", "DeviceProfiles"))
    profiles = {}

    def profile(profile_id):
        if profile_id not in profiles:
            for d in dirs:
                path = os.path.join(d, profile_id + ".yaml")
                if os.path.exists(path):
                    with open(path, encoding="utf-8") as f:
                        profiles[profile_id] = yaml.safe_load(f) or {}
                    break
            else:
                fail(f"profile {profile_id} not found in {', '.join(os.path.normpath(d) for d in dirs)}")
        return profiles[profile_id]

    buses = []
    for bus in (config.get("modbus") or {}).get("buses") or []:
        url = urlparse(str(bus.get("url", "")))
        if url.scheme != "tcp" or url.hostname not in ("127.0.0.1", "localhost"):
            print(f"simulate_modbus: skipping bus {bus.get('id')} ({bus.get('url')}): "
                  "only tcp:// on 127.0.0.1 is simulated", file=sys.stderr)
            continue
        devices = []
        for d in config.get("devices") or []:
            if d.get("bus") == bus.get("id"):
                devices.append(Device(d, d["profile"], profile(d["profile"]), rng, clock_))
        units = [d.unit for d in devices]
        if len(units) != len(set(units)):
            fail(f"bus {bus.get('id')}: two devices share a unit")
        if devices:
            buses.append((bus["id"], url.port or 502, devices))
    return buses


async def serve(args):
    clock_ = Clock(args.speed)
    rng = random.Random(2026)
    buses = load(args.config, rng, clock_)
    if not buses:
        fail(f"no Modbus TCP bus on 127.0.0.1 with devices in {args.config}")

    servers = []
    for bus_id, port, devices in buses:
        units = {d.unit: d for d in devices}

        def trace_pdu(sending, pdu, units=units):
            # A request for a unit not on the bus, or for a dead one, is dropped: no reply.
            if sending:
                return pdu
            device = units.get(pdu.dev_id)
            return None if device is None or device.dead else pdu

        server = ModbusTcpServer([d.simdevice() for d in devices], address=("127.0.0.1", port),
                                 ignore_missing_devices=True, trace_pdu=trace_pdu)
        try:
            await server.serve_forever(background=True)
        except (RuntimeError, OSError) as e:
            for s in servers:
                await s.shutdown()
            fail(f"bus {bus_id}: cannot listen on 127.0.0.1:{port} ({e})")
        servers.append(server)
        listed = ", ".join(f"unit {d.unit} {d.id} ({d.profile_id})" for d in devices)
        print(f"simulate_modbus: {bus_id} on 127.0.0.1:{port}: {listed}", file=sys.stderr)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    devices = [d for _, _, ds in buses for d in ds]
    gas = [d.id for d in devices if "gas" in d.channels]
    rcm = [d.id for d in devices if RCM_LOOP in d.channels]
    dead = [d.id for d in devices if d.profile_id in DEAD_PROFILES]
    events = []
    if gas:
        events += [(GAS_WINDOW[0], f"{', '.join(gas)}: gas {GAS_INCIDENT:g} %LEL, Alarm 1 set"),
                   (GAS_WINDOW[1], f"{', '.join(gas)}: gas back to 0-2 %LEL")]
    if rcm:
        events += [(RCM_WINDOW[0], f"{', '.join(rcm)}: loop 3 residual current {RCM_INCIDENT:g} mA"),
                   (RCM_WINDOW[1], f"{', '.join(rcm)}: loop 3 back to normal")]
    if dead:
        events += [(DEAD_WINDOW[0], f"{', '.join(dead)}: stops answering"),
                   (DEAD_WINDOW[1], f"{', '.join(dead)}: answers again")]
    events.sort()
    announced = 0.0
    try:
        while not stop.is_set():
            now = clock_.now()
            for at, text in events:
                for k in range(int(announced // CYCLE), int(now // CYCLE) + 1):
                    moment = k * CYCLE + at
                    if announced < moment <= now:
                        print(f"simulate_modbus: {clock(at)} {text}", file=sys.stderr)
            announced = now
            for d in devices:
                d.advance()
            if args.once and now >= CYCLE:
                break
            try:
                await asyncio.wait_for(stop.wait(), timeout=min(0.5, 1 / args.speed))
            except asyncio.TimeoutError:
                pass
    finally:
        for server in servers:
            await server.shutdown()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default="Config/campusguard.example.yaml")
    parser.add_argument("--speed", type=float, default=1.0, help="time factor: 2 runs twice as fast")
    parser.add_argument("--once", action="store_true", help="one three-minute cycle, then stop")
    args = parser.parse_args()
    if not 0 < args.speed <= 1000:
        parser.error("--speed must be above 0 and at most 1000")
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
