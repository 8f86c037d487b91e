import TranscodeBackend

extension ManifestEncoderBackend {
    /// Available when every requirement holds; else the first one missing, named.
    public func availability(on inventory: HardwareInventory) -> Availability {
        let needs = manifest.requirements
        let missingEncoders = needs.ffmpegEncoders.filter { !inventory.hasEncoder($0) }
        guard missingEncoders.isEmpty else {
            return .unavailable("this FFmpeg build has no \(missingEncoders.joined(separator: " or ")) encoder")
        }
        if let fault = missing(needs.ffmpegFilters, in: inventory.ffmpegFilters, kind: "filter") { return .unavailable(fault) }
        if let fault = missing(needs.ffmpegHWAccels, in: inventory.ffmpegHWAccels, kind: "hardware device type") { return .unavailable(fault) }
        var found = ""
        if let rule = manifest.device {
            guard let device = device(in: inventory) else { return .unavailable(noDevice(rule, inventory)) }
            found = " on \(device)"
        }
        for library in needs.libraries {
            if let error = host.loadError(library) { return .unavailable("cannot load \(library): \(error)") }
        }
        if !needs.oneOfLibraries.isEmpty && needs.oneOfLibraries.allSatisfy({ host.loadError($0) != nil }) {
            let why = needs.oneOfLibraries.compactMap(host.loadError).joined(separator: "; ")
            return .unavailable("none of \(needs.oneOfLibraries.joined(separator: ", ")) loads (\(why))")
        }
        return .available("\(encoders.joined(separator: ", "))\(found), from manifest \(manifest.file)")
    }

    /// Why a list of build components is not confirmed, nil when all are there.
    private func missing(_ required: [String], in built: [String]?, kind: String) -> String? {
        guard !required.isEmpty else { return nil }
        guard let built else {
            return "the inventory does not list FFmpeg's \(kind)s, so \(required.joined(separator: ", ")) cannot be confirmed (run a current hwdetect)"
        }
        let absent = required.filter { !built.contains($0) }
        return absent.isEmpty ? nil : "this FFmpeg build has no \(kind) \(absent.joined(separator: " or "))"
    }

    /// Names what was looked for and what was there instead.
    private func noDevice(_ rule: BackendManifest.DeviceRule, _ inventory: HardwareInventory) -> String {
        let patterns = rule.paths.joined(separator: " or ")
        let matches = rule.paths.flatMap(host.matches)
        guard !rule.drmDrivers.isEmpty else { return "no device node matches \(patterns) on this machine" }
        let drivers = rule.drmDrivers.joined(separator: " or ")
        let seen = inventory.drmDevices.compactMap { d in d.renderNode.map { "\($0) (\(d.driver ?? "unknown driver"))" } }
        let there = seen.isEmpty ? (matches.isEmpty ? "none" : matches.joined(separator: ", ")) : seen.joined(separator: ", ")
        return "no DRM render node matching \(patterns) is driven by \(drivers); render nodes here: \(there)"
    }
}
