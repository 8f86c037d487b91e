// hwdetect: probes this machine and says which encoder backends can run on it.
//
//   hwdetect                       {"inventory": ..., "backends": [...]}
//   hwdetect --inventory-only      just the inventory, for recording test fixtures
//   hwdetect --inventory FILE      the backends' verdicts on a recorded inventory
//   hwdetect --backends-dir DIR    manifests to judge beside the compiled backends, and why any is refused
import BackendRegistry
import Foundation
import ManifestBackend
import TranscodeBackend

let usage = "usage: hwdetect [--inventory-only] [--inventory FILE] [--backends-dir DIR]"
var inventoryOnly = false
var inventoryFile: String?
var backendsDir = ProcessInfo.processInfo.environment["TRANSCODE_BACKENDS_DIR"] ?? ManifestDirectory.defaultPath
var rest = CommandLine.arguments.dropFirst()
while let argument = rest.popFirst() {
    switch argument {
    case "--inventory-only": inventoryOnly = true
    case "--inventory":
        guard let path = rest.popFirst() else { failWithJSON("--inventory needs a file; \(usage)") }
        inventoryFile = path
    case "--backends-dir":
        guard let path = rest.popFirst() else { failWithJSON("--backends-dir needs a folder; \(usage)") }
        backendsDir = path
    case "-h", "--help":
        print(usage)
        exit(0)
    default: failWithJSON("unknown argument '\(argument)'; \(usage)")
    }
}

let inventory: HardwareInventory
do {
    inventory = try inventoryFile.map(loadInventory(from:)) ?? probeInventory()
} catch {
    failWithJSON("\(error)")
}

do {
    if inventoryOnly {
        try printJSON(inventory)
    } else {
        let catalog = BackendCatalog(backendsDir: backendsDir)
        try printJSON(DetectionReport(
            inventory: inventory, backends: catalog.backends.map { BackendReport($0, on: inventory) },
            refusedManifests: catalog.refusals.map(RefusalReport.init)
        ))
    }
} catch {
    failWithJSON("cannot encode the report: \(error)")
}
