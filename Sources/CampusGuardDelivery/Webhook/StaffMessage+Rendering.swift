import CampusGuardCore

extension StaffMessage {
    /// Markdown as the robots read it.
    ///
    /// - Parameters:
    ///   - heading: start with the title as a heading (DingTalk, WeCom); a Feishu card has its own header.
    ///   - lineBreak: DingTalk needs a blank line between lines, WeCom and Feishu do not.
    public func markdown(heading: Bool, lineBreak: String = "\n") -> String {
        var lines: [String] = []
        if heading { lines.append("### " + title) }
        for f in facts { lines.append("**\(f.label)**" + labelSeparator + f.value) }
        if let advice { lines.append("**\(adviceLabel)**" + labelSeparator + advice) }
        if let acknowledgeURL { lines.append("[\(acknowledgeLabel)](\(acknowledgeURL))") }
        return lines.joined(separator: lineBreak)
    }

    /// Plain text: the title, then one fact per line.
    public var plainText: String {
        var lines = [title]
        for f in facts { lines.append(f.label + labelSeparator + f.value) }
        if let advice { lines.append(adviceLabel + labelSeparator + advice) }
        if let acknowledgeURL { lines.append(acknowledgeLabel + labelSeparator + acknowledgeURL) }
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// The longest prefix of whole characters that fits in `limit` UTF-8 bytes (robots count bytes).
    func truncated(toUTF8Bytes limit: Int) -> String {
        guard utf8.count > limit else { return self }
        var count = 0
        var end = startIndex
        for c in self {
            let size = c.utf8.count
            guard count + size <= limit - 3 else { break }
            count += size
            end = index(after: end)
        }
        return String(self[..<end]) + "…"
    }
}
