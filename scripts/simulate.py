#!/usr/bin/env python3
"""Simulates the example school's MQTT devices against a broker, for the demo.

    .venv/bin/python scripts/simulate.py [--config Config/campusguard.example.yaml]
        [--host 127.0.0.1] [--port 1883] [--speed 1.0] [--once]

Every Zigbee2MQTT and Tasmota device of the config reports realistic payloads at a normal
rate, and every three minutes (at --speed 1) the school has an incident, so that a newcomer
sees alarms within the first minute:

  0:20  smoke in dormitory A room 302 that nobody acknowledges: smoke, then fire after 60 s
  0:40  the gate's one-key alarm is pressed
  1:00  gas rises in the canteen kitchen, then falls
  1:30  two smoke detectors in dormitory A room 301: a confirmed fire
  2:10  the Zigbee2MQTT bridge goes offline for 20 s: one fault for all its devices
  2:40  everything back to normal

--once runs one cycle and stops. The devices on Modbus buses are simulated by
scripts/simulate_modbus.py, on the same schedule.
"""
import argparse
import json
import random
import sys
import time

import paho.mqtt.client as mqtt
import yaml

SMOKE = {"heiman-hs1sa", "xiaomi-jtyj-gd-01lm", "aqara-jy-gz-01aq"}
CLIMATE = {"aqara-wsdcgq11lm", "sonoff-snzb-02"}
BUTTONS = {"heiman-hs1eb": "emergency", "aqara-wxkg11lm": "single", "sonoff-snzb-01": "single"}


def smoke_payload(profile, smoke, rng):
    base = {"battery": rng.randint(80, 100), "linkquality": rng.randint(60, 160), "smoke": smoke}
    if profile == "heiman-hs1sa":
        base.update({"battery_low": False, "tamper": False, "test": False, "trouble": False})
    elif profile == "xiaomi-jtyj-gd-01lm":
        base.update({"smoke_density": 6 if smoke else 0, "battery_low": False, "tamper": False})
    else:
        base.update({"smoke_density": 5 if smoke else 0, "test": False})
    return base


class School:
    def __init__(self, config, client, rng):
        self.client = client
        self.rng = rng
        self.devices = [d for d in config["devices"] if "topic" in d]
        self.temperature = {d["id"]: 21.0 + rng.random() * 3 for d in self.devices}
        self.smoke = {}
        self.gas = 0.0
        self.bridge_online = True

    def publish(self, topic, payload, retain=False):
        text = payload if isinstance(payload, str) else json.dumps(payload)
        self.client.publish(topic, text, qos=1, retain=retain)

    def report(self, device):
        profile, topic, rng = device["profile"], device["topic"], self.rng
        if not self.bridge_online and topic.startswith("zigbee2mqtt/"):
            return
        if profile in SMOKE:
            self.publish(topic, smoke_payload(profile, self.smoke.get(device["id"], False), rng))
        elif profile in CLIMATE:
            t = self.temperature[device["id"]] = self.temperature[device["id"]] + rng.uniform(-0.2, 0.2)
            self.publish(topic, {"temperature": round(t, 2), "humidity": round(45 + rng.uniform(-3, 3), 1),
                                 "battery": 90, "voltage": 2990, "linkquality": rng.randint(60, 160)})
        elif profile == "heiman-hs1cg":
            self.publish(topic, {"gas": self.gas > 10, "tamper": False, "linkquality": rng.randint(60, 160)})
        elif profile == "xiaomi-jtqj-bf-01lm":
            self.publish(topic, {"gas": self.gas > 10, "gas_density": round(self.gas, 1), "tamper": False,
                                 "linkquality": rng.randint(60, 160)})
        elif profile in BUTTONS:
            self.publish(topic, {"battery": 100, "linkquality": rng.randint(60, 160)})
        elif profile == "tasmota-ds18b20":
            self.publish(topic + "/SENSOR", {"Time": time.strftime("%Y-%m-%dT%H:%M:%S"),
                                             "DS18B20": {"Id": "3C01D0754C2A", "Temperature": round(28 + rng.random() * 4, 1)},
                                             "TempUnit": "C"})
            self.publish(topic + "/LWT", "Online", retain=True)
        elif profile == "generic-json":
            self.publish(topic, {"temperature": 20.5, "humidity": 41, "gas": 0, "co": 0, "smoke": False, "battery": 88})

    def device(self, device_id):
        return next(d for d in self.devices if d["id"] == device_id)

    def press(self, device_id):
        d = self.device(device_id)
        self.publish(d["topic"], {"action": BUTTONS[d["profile"]], "battery": 100, "linkquality": 90})
        self.publish(d["topic"], {"action": "", "battery": 100, "linkquality": 90})

    def set_smoke(self, device_id, on):
        self.smoke[device_id] = on
        self.report(self.device(device_id))

    def set_bridge(self, online):
        self.bridge_online = online
        self.publish("zigbee2mqtt/bridge/state", {"state": "online" if online else "offline"}, retain=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default="Config/campusguard.example.yaml")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1883)
    parser.add_argument("--speed", type=float, default=1.0, help="time factor: 2 runs twice as fast")
    parser.add_argument("--once", action="store_true", help="one three-minute cycle, then stop")
    args = parser.parse_args()

    with open(args.config, encoding="utf-8") as f:
        config = yaml.safe_load(f)
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="campusguard-simulator", clean_session=False)
    client.connect(args.host, args.port, keepalive=30)
    client.loop_start()
    rng = random.Random(2026)
    school = School(config, client, rng)
    school.set_bridge(True)
    incidents = {
        20: lambda: school.set_smoke("dorm-a-302-smoke-1", True),
        35: lambda: school.set_smoke("dorm-a-302-smoke-1", False),
        40: lambda: school.press("gate-panic-1"),
        60: lambda: setattr(school, "gas", 28.0),
        75: lambda: setattr(school, "gas", 2.0),
        90: lambda: school.set_smoke("dorm-a-301-smoke-1", True),
        100: lambda: school.set_smoke("dorm-a-301-smoke-2", True),
        130: lambda: school.set_bridge(False),
        150: lambda: school.set_bridge(True),
        160: lambda: (school.set_smoke("dorm-a-301-smoke-1", False), school.set_smoke("dorm-a-301-smoke-2", False)),
    }
    print(f"simulating {len(school.devices)} MQTT devices on {args.host}:{args.port}", file=sys.stderr)
    second = 0
    try:
        while True:
            cycle = second % 180
            if cycle in incidents:
                incidents[cycle]()
            for i, device in enumerate(school.devices):
                # Each device reports every 30 s, spread over the half-minute.
                if (second + i * 7) % 30 == 0:
                    school.report(device)
            if cycle in (60, 65, 70, 75):
                for d in school.devices:
                    if d["profile"] in ("heiman-hs1cg", "xiaomi-jtqj-bf-01lm"):
                        school.report(d)
            second += 1
            if args.once and second >= 180:
                break
            time.sleep(1 / args.speed)
    except KeyboardInterrupt:
        pass
    client.loop_stop()
    client.disconnect()


if __name__ == "__main__":
    main()
