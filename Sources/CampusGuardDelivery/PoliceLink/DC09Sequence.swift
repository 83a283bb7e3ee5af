/// The DC-09 sequence number: 0001 to 9999, then 0001 again.
public struct DC09Sequence: Sendable, Hashable {
    public private(set) var last: Int

    /// `last`: the number used last; the next is the one after it.
    public init(last: Int = 0) { self.last = min(max(last, 0), 9999) }

    public mutating func next() -> Int {
        last = last >= 9999 ? 1 : last + 1
        return last
    }
}
