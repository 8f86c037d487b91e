// hwdetect: probes this machine and says which encoder backends can run on it.
//
//   hwdetect                       {"inventory": ..., "backends": [...]}
//   hwdetect --inventory-only      just the inventory, for recording test fixtures
//   hwdetect --inventory FILE      the backends' verdicts on a recorded inventory
import BackendRegistry
import Foundation
import TranscodeBackend

let usage = "usage: hwdetect [--inventory-only] [--inventory FILE]"
var inventoryOnly = false
var inventoryFile: String?
var rest = CommandLine.arguments.dropFirst()
while let argument = rest.popFirst() {
    switch argument {
    case "--inventory-only": inventoryOnly = true
    case "--inventory":
        guard let path = rest.popFirst() else { failWithJSON("--inventory needs a file; \(usage)") }
        inventoryFile = path
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
        try printJSON(DetectionReport(inventory: inventory, backends: allBackends.map { BackendReport($0, on: inventory) }))
    }
} catch {
    failWithJSON("cannot encode the report: \(error)")
}
