import TranscodeBackend

/// How VA-API reads an inventory: which render node to open and why none may do.
public enum VAAPIDetection {
    /// The render node opened when the inventory names none: only `plan` on a machine
    /// without any GPU gets here, and its list must still be well formed.
    public static let lastResortNode = "/dev/dri/renderD128"

    /// Working displays (no error) whose driver has an encode entrypoint for `codec`.
    public static func encodingDisplays(for codec: String, in inventory: HardwareInventory) -> [VAAPIDevice] {
        inventory.vaapi.filter { $0.error == nil && $0.encodeCodecs.contains(codec) }
    }

    /// The node to open for `codec`: the first display that encodes it, else the first
    /// DRM render node, else `lastResortNode`. Nodes swap across reboots, so never a constant first.
    public static func renderNode(for codec: String, in inventory: HardwareInventory) -> String {
        if let display = encodingDisplays(for: codec, in: inventory).first { return display.renderNode }
        if let node = inventory.drmDevices.lazy.compactMap(\.renderNode).first { return node }
        return lastResortNode
    }

    /// Available when a working display encodes a codec whose `<codec>_vaapi` encoder is built.
    public static func availability(on inventory: HardwareInventory, encoders: [String]) -> Availability {
        let codecs = ["h264", "hevc"].filter { encoders.contains($0 + "_vaapi") && inventory.hasEncoder($0 + "_vaapi") }
        guard !codecs.isEmpty else {
            return .unavailable("this FFmpeg build has no h264_vaapi or hevc_vaapi encoder")
        }
        guard !inventory.vaapi.isEmpty else {
            return .unavailable("no VA-API render node found")
        }
        let working = inventory.vaapi.filter { $0.error == nil }
        guard !working.isEmpty else {
            return .unavailable(inventory.vaapi.map(failure(of:)).joined(separator: "; "))
        }
        let usable = working.compactMap { display -> (VAAPIDevice, [String])? in
            let encodes = codecs.filter(display.encodeCodecs.contains)
            return encodes.isEmpty ? nil : (display, encodes)
        }
        guard let (display, encodes) = usable.first else {
            let missing = working.map {
                "VA driver \($0.vendor ?? "(unknown vendor)") on \($0.renderNode) has no H.264/HEVC encode entrypoint"
            }
            return .unavailable(missing.joined(separator: "; "))
        }
        let vendor = display.vendor ?? "unknown VA driver"
        return .available("VA-API on \(display.renderNode) (\(vendor)): \(encodes.map { $0 + "_vaapi" }.joined(separator: ", "))")
    }

    /// The probe's error for a display that failed, made to name its node.
    static func failure(of display: VAAPIDevice) -> String {
        let error = display.error ?? "unknown error"
        // The probe already writes "vaInitialize failed on /dev/dri/renderD128: ..." and the like.
        return error.contains(display.renderNode) ? error : "vaInitialize failed on \(display.renderNode): \(error)"
    }
}
