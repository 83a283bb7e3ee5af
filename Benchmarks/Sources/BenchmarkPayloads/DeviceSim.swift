// The Zigbee2MQTT report generator the engine and MQTT benchmarks share: realistic payloads
// of HEIMAN HS1SA smoke detectors and Aqara WSDCGQ11LM sensors, drifting, with incidents.
import Foundation

/// One simulated sensor: its drifting values and the occasional incident.
public struct DeviceSim {
    let smoke: Bool
    var battery: Double
    var voltage: Int
    var baseTemperature = 0.0
    var temperature = 0.0
    var humidity = 0.0
    var pressure = 1008
    var heatSpike: [Double] = []
    var smokeFor = 0

    public init(smoke: Bool, rng: inout SplitMix64) {
        self.smoke = smoke
        // About 1 % of the devices run on a low battery (a standing low_battery fault).
        battery = rng.chance(1, in: 100) ? Double(rng.int(in: 10...14)) : Double(rng.int(in: 55...100))
        voltage = 2_800 + Int(battery) * 3
        baseTemperature = rng.double(in: 19...25)
        temperature = baseTemperature
        humidity = rng.double(in: 35...60)
        pressure = rng.int(in: 995...1_015)
    }

    public mutating func nextPayload(rng: inout SplitMix64) -> String {
        if rng.chance(1, in: 200), battery > 1 { battery -= 1 }
        if rng.chance(1, in: 10) { voltage = 2_800 + Int(battery) * 3 + rng.int(in: -15...15) }
        let linkquality = rng.int(in: 30...210)
        if smoke {
            // Smoke for two reports now and then; a self-test or a tamper more rarely.
            if smokeFor == 0, rng.chance(1, in: 800) { smokeFor = 2 }
            let test = smokeFor == 0 && rng.chance(1, in: 4_000)
            let smoke = smokeFor > 0 || test
            if smokeFor > 0 { smokeFor -= 1 }
            let tamper = rng.chance(1, in: 5_000)
            let lowBattery = battery < 15
            return #"{"battery":\#(Int(battery)),"battery_low":\#(lowBattery),"linkquality":\#(linkquality),"#
                + #""smoke":\#(smoke),"tamper":\#(tamper),"test":\#(test),"trouble":false,"voltage":\#(voltage)}"#
        }
        // A heat spike (57–62 °C over three reports) now and then, else a bounded random walk.
        if heatSpike.isEmpty, rng.chance(1, in: 400) {
            heatSpike = [rng.double(in: 57...59), rng.double(in: 60...62), rng.double(in: 57...59)]
        }
        let reported: Double
        if !heatSpike.isEmpty {
            reported = heatSpike.removeFirst()
            temperature = baseTemperature
        } else {
            temperature = min(max(temperature + rng.double(in: -0.3...0.3), baseTemperature - 3), baseTemperature + 3)
            reported = temperature
        }
        humidity = min(max(humidity + rng.double(in: -0.8...0.8), 20), 90)
        if rng.chance(1, in: 5) { pressure += rng.int(in: -1...1) }
        return #"{"temperature":\#(fixed(reported, 2)),"humidity":\#(fixed(humidity, 1)),"pressure":\#(pressure),"#
            + #""battery":\#(Int(battery)),"voltage":\#(voltage),"linkquality":\#(linkquality)}"#
    }
}

/// `22.47`, as Zigbee2MQTT prints it: a fixed number of decimals, trailing zeros dropped.
public func fixed(_ value: Double, _ decimals: Int) -> String {
    var scale = 1
    for _ in 0..<decimals { scale *= 10 }
    let n = Int((value * Double(scale)).rounded())
    let sign = n < 0 ? "-" : ""
    let whole = abs(n) / scale
    var fraction = abs(n) % scale
    var digits = decimals
    while digits > 0, fraction % 10 == 0 {
        fraction /= 10
        digits -= 1
    }
    guard digits > 0 else { return "\(sign)\(whole)" }
    var f = String(fraction)
    while f.count < digits { f = "0" + f }
    return "\(sign)\(whole).\(f)"
}

/// A small deterministic generator, so every run sends the same stream.
public struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func chance(_ k: Int, in n: Int) -> Bool { Int.random(in: 0..<n, using: &self) < k }
    public mutating func int(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    public mutating func double(in range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }
}
