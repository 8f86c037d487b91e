import TOMLKit

/// One TOML table read strictly: every key must be known, every value of its type.
struct TOMLFields {
    let table: TOMLTable
    /// Dotted path of this table (`arguments.`), empty at the top.
    let prefix: String
    let file: String

    /// Refuses the first key that is not in `known`, suggesting the nearest known one.
    func rejectUnknownKeys(_ known: [String]) throws(ManifestRefusal) {
        for key in table.keys.sorted() where !known.contains(key) {
            let near = known.min { Self.distance(key, $0) < Self.distance(key, $1) }
            let hint = near.map { Self.distance(key, $0) <= 2 ? " (did you mean '\($0)'?)" : "" } ?? ""
            throw refusal(key, "unknown key\(hint); known keys here: \(known.joined(separator: ", "))")
        }
    }

    /// A refusal naming the key with this table's path.
    func refusal(_ key: String, _ fault: String) -> ManifestRefusal {
        ManifestRefusal(file: file, key: prefix + key, fault: fault)
    }

    func string(_ key: String, required: Bool = false) throws(ManifestRefusal) -> String? {
        guard let value = try present(key, required: required) else { return nil }
        guard let text = value.string else { throw refusal(key, "must be a string in quotes, not \(value.type)") }
        return text
    }

    func int(_ key: String, required: Bool = false, in range: ClosedRange<Int>) throws(ManifestRefusal) -> Int? {
        guard let value = try present(key, required: required) else { return nil }
        guard let number = value.int else { throw refusal(key, "must be a whole number, not \(value.type)") }
        guard range.contains(number) else { throw refusal(key, "must be between \(range.lowerBound) and \(range.upperBound); got \(number)") }
        return number
    }

    func bool(_ key: String) throws(ManifestRefusal) -> Bool? {
        guard let value = try present(key, required: false) else { return nil }
        guard let flag = value.bool else { throw refusal(key, "must be true or false, not \(value.type)") }
        return flag
    }

    func strings(_ key: String, required: Bool = false) throws(ManifestRefusal) -> [String]? {
        guard let value = try present(key, required: required) else { return nil }
        guard let array = value.array else { throw refusal(key, "must be a list of strings, [\"...\", ...], not \(value.type)") }
        var result: [String] = []
        for (index, item) in array.enumerated() {
            guard let text = item.string else { throw refusal("\(key)[\(index)]", "must be a string in quotes, not \(item.type)") }
            result.append(text)
        }
        return result
    }

    func subtable(_ key: String, required: Bool = false) throws(ManifestRefusal) -> TOMLFields? {
        guard let value = try present(key, required: required) else { return nil }
        guard let inner = value.table else { throw refusal(key, "must be a table, [\(prefix + key)], not \(value.type)") }
        return TOMLFields(table: inner, prefix: prefix + key + ".", file: file)
    }

    private func present(_ key: String, required: Bool) throws(ManifestRefusal) -> (any TOMLValueConvertible)? {
        guard let value = table[key] else {
            if required { throw refusal(key, "missing field: every manifest must set it") }
            return nil
        }
        return value
    }

    /// Edit distance, for "did you mean" (keys are short).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let kept = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = kept
            }
        }
        return row[b.count]
    }
}
