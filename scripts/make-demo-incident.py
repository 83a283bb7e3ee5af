#!/usr/bin/env python3
"""Writes Config/demo-incident.jsonl: one recorded evening in the example school.

The file is committed; this script says how it was made and regenerates it:
    python3 scripts/make-demo-incident.py > Config/demo-incident.jsonl

Between 22:00 and 23:00 (Asia/Shanghai) every device reports at its normal rate, and:
  22:10  smoke in dormitory A room 302; acknowledged, cleared, resolved (hair dryer steam)
  22:20  two smoke detectors in dormitory A room 301: fire; then the room's heat sensor joins
  22:25  residual current of loop 3 in the dormitory's power room rises past 300 mA, then falls
  22:30  gas in the canteen kitchen; acknowledged, gone by 22:35, resolved at 22:40
  22:45  the main gate's one-key alarm is pressed; acknowledged and resolved by the guard
  22:48  a temperature sensor sends a malformed value (reported on stderr, skipped)
  22:50  a self-test of the smoke detector in dormitory B room 201 (marked test)
  22:52  smoke in the canteen hall nobody acknowledges: fire after 60 s
  22:55  the Zigbee2MQTT bridge goes offline for three minutes: one fault, not seventeen
"""
import json
from datetime import datetime, timedelta, timezone

TZ = timezone(timedelta(hours=8))
START = datetime(2026, 11, 20, 22, 0, 0, tzinfo=TZ)
lines = []


def at(minute, second=0):
    return START + timedelta(minutes=minute, seconds=second)


def ts(t):
    return t.isoformat(timespec="seconds")


def msg(t, topic, payload):
    lines.append((t, {"ts": ts(t), "topic": topic, "payload": payload}))


def reading(t, device, channel, value):
    lines.append((t, {"ts": ts(t), "device": device, "channel": channel, "value": value}))


def command(t, **fields):
    lines.append((t, {"ts": ts(t), **fields}))


Z = "zigbee2mqtt/"


def heiman_smoke(smoke, test=False, battery=100):
    return {"battery": battery, "battery_low": False, "linkquality": 120, "smoke": smoke, "tamper": False,
            "test": test, "trouble": False, "supervision_reports": True, "restore_reports": True}


def aqara_smoke(smoke):
    return {"battery": 97, "linkquality": 84, "smoke": smoke, "smoke_density": 4 if smoke else 0, "test": False}


def xiaomi_smoke(smoke):
    return {"battery": 100, "battery_low": False, "linkquality": 96, "smoke": smoke,
            "smoke_density": 5 if smoke else 0, "sensitivity": "medium", "tamper": False, "trouble": False}


def climate(temperature, humidity=48.0, battery=95):
    return {"battery": battery, "humidity": humidity, "linkquality": 90, "temperature": temperature, "voltage": 2995}


# Normal reporting through the hour.
for minute in range(0, 60, 5):
    t = at(minute)
    msg(t, Z + "dorm-b-201-temp-1", climate(21.5 + (minute % 3) * 0.1))
    msg(t + timedelta(seconds=2), "tele/kitchen-temp-1/SENSOR",
        {"Time": ts(t)[:19], "DS18B20": {"Id": "3C01D0754C2A", "Temperature": 31.0 + minute / 30}, "TempUnit": "C"})
    msg(t + timedelta(seconds=3), "campus/lab/201/sensor-1",
        {"temperature": 20.4, "humidity": 41, "gas": 0, "co": 0, "smoke": False, "battery": 88})
for second in range(0, 3600, 20):
    t = START + timedelta(seconds=second)
    loop3 = 350 if 25 * 60 <= second < 27 * 60 else 150
    reading(t, "power-rcm-1", "residual_current.1", 80)
    reading(t, "power-rcm-1", "residual_current.3", loop3)
    reading(t, "kitchen-gas-meter-1", "gas", 0)
    reading(t, "lab-201-env-1", "temperature", 19.6)
msg(at(0, 10), Z + "dorm-a-301-smoke-1", heiman_smoke(False))
msg(at(0, 11), Z + "dorm-a-301-smoke-2", xiaomi_smoke(False))
msg(at(0, 12), Z + "dorm-a-302-smoke-1", aqara_smoke(False))
msg(at(0, 13), Z + "dorm-a-301-temp-1", climate(23.1))
msg(at(0, 14), Z + "dorm-b-201-smoke-1", heiman_smoke(False))
msg(at(0, 15), Z + "canteen-hall-smoke-1", heiman_smoke(False))
msg(at(0, 16), Z + "kitchen-gas-1", {"gas": False, "linkquality": 140, "tamper": False})
msg(at(0, 17), Z + "kitchen-gas-2", {"gas": False, "gas_density": 0, "linkquality": 160, "tamper": False})
msg(at(0, 18), Z + "dorm-a-1-panic-1", {"battery": 100, "linkquality": 70})
msg(at(0, 19), Z + "dorm-b-1-panic-1", {"battery": 100, "linkquality": 75})
msg(at(0, 20), Z + "gate-panic-1", {"battery": 100, "linkquality": 66})

# 22:10 steam from a hair dryer in room 302.
msg(at(10), Z + "dorm-a-302-smoke-1", aqara_smoke(True))
command(at(10, 35), command="acknowledge", device="dorm-a-302-smoke-1", by="宿管 王老师")
msg(at(11, 30), Z + "dorm-a-302-smoke-1", aqara_smoke(False))
command(at(12, 10), command="resolve", device="dorm-a-302-smoke-1", by="宿管 王老师",
        note="吹风机水汽，已通风 (steam from a hair dryer, ventilated)")

# 22:20 a real fire in room 301: two detectors, then heat.
msg(at(20), Z + "dorm-a-301-smoke-1", heiman_smoke(True))
msg(at(20, 40), Z + "dorm-a-301-smoke-2", xiaomi_smoke(True))
command(at(21, 5), command="acknowledge", device="dorm-a-301-smoke-1", by="值班 陈老师")
for k, temperature in enumerate([31.0, 39.5, 47.8, 58.2]):
    msg(at(20, 30 + 20 * k), Z + "dorm-a-301-temp-1", climate(temperature, humidity=30.0))

# 22:30 gas in the kitchen.
msg(at(30), Z + "kitchen-gas-2", {"gas": True, "gas_density": 28, "linkquality": 160, "tamper": False})
msg(at(30, 5), Z + "kitchen-gas-1", {"gas": True, "linkquality": 140, "tamper": False})
command(at(30, 50), command="acknowledge", device="kitchen-gas-2", by="食堂 张师傅")
msg(at(35), Z + "kitchen-gas-2", {"gas": False, "gas_density": 3, "linkquality": 160, "tamper": False})
msg(at(35, 5), Z + "kitchen-gas-1", {"gas": False, "linkquality": 140, "tamper": False})
command(at(40), command="resolve", device="kitchen-gas-2", by="食堂 张师傅",
        note="灶台阀门未关，已关闭并通风 (a stove valve left open; closed and ventilated)")

# 22:45 the gate's one-key alarm.
msg(at(45), Z + "gate-panic-1", {"action": "single", "battery": 100, "linkquality": 66})
msg(at(45, 1), Z + "gate-panic-1", {"action": "", "battery": 100, "linkquality": 66})
command(at(45, 30), command="acknowledge", device="gate-panic-1", by="保安 李师傅")
command(at(50), command="resolve", device="gate-panic-1", by="保安 李师傅", note="访客误触，已核实安全 (pressed by a visitor; checked, safe)")

# 22:48 a sensor with broken firmware.
msg(at(48), Z + "dorm-b-201-temp-1", {"temperature": "NaN", "humidity": 47.9, "battery": 95})

# 22:50 monthly self-test of the detector in dormitory B room 201.
msg(at(50), Z + "dorm-b-201-smoke-1", heiman_smoke(True, test=True))
msg(at(50, 20), Z + "dorm-b-201-smoke-1", heiman_smoke(False, test=False))

# 22:52 smoke in the canteen hall that nobody acknowledges.
msg(at(52), Z + "canteen-hall-smoke-1", heiman_smoke(True))

# 22:55 the Zigbee2MQTT bridge restarts.
msg(at(55), Z + "bridge/state", {"state": "offline"})
msg(at(58), Z + "bridge/state", {"state": "online"})

lines.sort(key=lambda item: item[0])
for _, line in lines:
    print(json.dumps(line, ensure_ascii=False, separators=(",", ":")))
