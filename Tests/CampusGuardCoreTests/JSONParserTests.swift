import CampusGuardCore
import Testing

@Suite("The payload JSON parser")
struct JSONParserTests {
    @Test("parses a Zigbee2MQTT payload with nesting, escapes and numbers")
    func valid() throws {
        let v = try JSONParser.parse(
            #"{"battery":100,"temperature":-2.5e1,"name":"\u5BBF\u820D A\n","nested":{"DS18B20":{"Temperature":23.4}},"list":[1,true,null],"emoji":"\ud83d\udd25"}"#
        )
        #expect(v["battery"] == .number(100))
        #expect(v["temperature"] == .number(-25))
        #expect(v["name"] == .string("宿舍 A\n"))
        #expect(v.value(at: ["nested", "DS18B20", "Temperature"]) == .number(23.4))
        #expect(v["list"] == .array([.number(1), .bool(true), .null]))
        #expect(v["emoji"] == .string("🔥"))
    }

    @Test("NaN and Infinity are parsed as non-finite numbers for the decoder to reject")
    func nonFinite() throws {
        let v = try JSONParser.parse(#"{"a":NaN,"b":Infinity,"c":-Infinity}"#)
        guard case .number(let a)? = v["a"], case .number(let b)? = v["b"], case .number(let c)? = v["c"] else {
            Issue.record("not numbers")
            return
        }
        #expect(a.isNaN)
        #expect(b == .infinity)
        #expect(c == -.infinity)
    }

    @Test(
        "malformed JSON is an error with a position",
        arguments: [
            "", "{", "{\"a\":}", "{\"a\" 1}", "[1,]", "{\"a\":01}", "{\"a\":1} x", "\"unterminated", "{\"a\":tru}",
            "{\"a\":\"\u{01}\"}", "{\"a\":1.}", "{'a':1}", "{\"a\":\"\\x\"}",
        ]
    )
    func malformed(text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test("nesting deeper than the limit is refused, not a stack overflow")
    func depth() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(deep) }
    }
}
