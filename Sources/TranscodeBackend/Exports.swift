// The inventory format belongs to the hardware probe (hwdetect/inventory); backends read it
// through this module.
@_exported import HWInventory
// Track descriptions (MediaTrack) are wire types: backends read them from SourceInfo.
@_exported import TranscodeWire
