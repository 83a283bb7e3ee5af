import CampusGuardCore

extension JSONValue {
    /// The value as compact JSON text, members in their order: what `--json` prints of a
    /// daemon's answer.
    var jsonText: String {
        switch self {
        case .object(let members):
            return "{" + members.map { JSONObjectWriter.quote($0.key) + ":" + $0.value.jsonText }.joined(separator: ",")
                + "}"
        case .array(let items): return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .string(let s): return JSONObjectWriter.quote(s)
        case .number(let n):
            guard n.isFinite else { return "null" }
            return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    /// The string value, or `fallback` for anything else (null, a missing member).
    func text(_ fallback: String = "") -> String {
        if case .string(let s) = self { return s }
        if case .number(let n) = self { return JSONValue.number(n).jsonText }
        return fallback
    }

    /// The members of an array; empty for anything else.
    var items: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }
}
