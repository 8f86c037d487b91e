/// Why a manifest was refused: the file, the key and the fault, as one sentence.
public struct ManifestRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The manifest file.
    public var file: String
    /// The key at fault (`arguments.codec`), or nil when the whole file is.
    public var key: String?
    /// What is wrong, and where useful what would be right.
    public var fault: String

    /// Creates a refusal.
    public init(file: String, key: String?, fault: String) {
        self.file = file
        self.key = key
        self.fault = fault
    }

    /// `<file>: key '<key>': <fault>.` — what the worker logs and hwdetect lists.
    public var description: String {
        let sentence = fault.hasSuffix(".") ? fault : fault + "."
        guard let key else { return "\(file): \(sentence)" }
        return "\(file): key '\(key)': \(sentence)"
    }
}
