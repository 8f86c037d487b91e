// hwdetect: probes this machine and says which encoder backends can run on it.
//
//   hwdetect                       {"inventory": ..., "backends": [...]}
//   hwdetect --inventory-only      just the inventory, for recording test fixtures
//   hwdetect --inventory FILE      the backends' verdicts on a recorded inventory
//   hwdetect --backends-dir DIR    manifests to judge beside the compiled backends, and why any is refused
//   hwdetect --path-map FROM=TO    (repeatable) also print the worker's source path mappings, checked as the worker checks them
import BackendRegistry
import Foundation
import ManifestBackend
import TranscodeBackend

let usage = "usage: hwdetect [--inventory-only] [--inventory FILE] [--backends-dir DIR] [--path-map FROM=TO ...]"
var inventoryOnly = false
var inventoryFile: String?
var backendsDir = ProcessInfo.processInfo.environment["TRANSCODE_BACKENDS_DIR"] ?? ManifestDirectory.defaultPath
var pathMaps: [PathMapping] = []
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
    case "--path-map":
        guard let text = rest.popFirst() else { failWithJSON("--path-map needs FROM=TO; \(usage)") }
        do { pathMaps.append(try PathMapping(parsing: text)) } catch { failWithJSON("\(error)") }
    case "-h", "--help":
        print(usage)
        exit(0)
    default: failWithJSON("unknown argument '\(argument)'; \(usage)")
    }
}
do { try PathMapping.checkUnique(pathMaps) } catch { failWithJSON("\(error)") }

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
            refusedManifests: catalog.refusals.map(RefusalReport.init),
            pathMaps: pathMaps.isEmpty ? nil : pathMaps
        ))
    }
} catch {
    failWithJSON("cannot encode the report: \(error)")
}
