// A model of the routing scan, for bench/findings.md: `swiftc -O bench/routing_model.swift -o /tmp/routing-model && /tmp/routing-model`
import Foundation
// Models the orchestrator's WorkerRecord scan (Routing.choose over workers.values) against a
// struct-of-arrays routing table, 10,000 live workers, encoder not offered by the first (worst case: full scan).
enum Status: String { case idle, busy, stressed, error, offline }
struct Specs { var cpuModel: String; var threads: Int; var hw: [String]; var encoders: [String]?; var limits: [String: Int]? }
struct Telemetry { var cpu: Double?; var gpu: Double?; var ram: Int64?; var temp: Double?; var gtemp: Double? }
struct Ctx { var active: String?; var progress: Double?; var speed: String?; var last: Int? }
struct Record { var id: String; var specs: Specs; var address: String; var maxJobs: Int?; var seg: Int?; var status: Status; var reason: String?
  var telemetry: Telemetry?; var ctx: Ctx?; var registeredAt: Date; var last: ContinuousClock.Instant; var lastDate: Date
  var isLive: Bool { status != .offline }
  func offers(_ e: String) -> Bool { specs.encoders?.contains(e) ?? false } }
func pref(_ s: Status) -> Int { switch s { case .idle: 0; case .busy: 1; case .stressed: 2; case .error: 3; case .offline: 4 } }
var workers: [String: Record] = [:]
for i in 0..<10000 {
  let id = String(format: "sim-%05d", i)
  workers[id] = Record(id: id, specs: Specs(cpuModel: "Simulated EPYC \(i % 7)", threads: 16, hw: ["nvenc"], encoders: ["libx264", "h264_nvenc", "hevc_nvenc"], limits: nil),
    address: "http://127.0.0.1:\(9000 + i % 100)/w\(i)", maxJobs: 4, seg: 4, status: .idle, reason: nil, telemetry: Telemetry(cpu: 1, gpu: nil, ram: 1, temp: 40, gtemp: nil),
    ctx: Ctx(active: "job-\(i)", progress: 1, speed: "1.0x", last: 1), registeredAt: Date(), last: .now, lastDate: Date())
}
let active: [String: Int] = [:]
@inline(never) func chooseCurrent(_ encoder: String, _ workers: some Collection<Record>, _ excluding: Set<String>) -> Record? {
  var best: Record?; var bestKey = (Int.max, Int.max, "")
  for w in workers where w.isLive && !excluding.contains(w.id) {
    guard w.offers(encoder) else { continue }
    let a = active[w.id] ?? 0
    if let l = w.maxJobs, a >= l { continue }
    let key = (pref(w.status), a, w.id)
    if key < bestKey { best = w; bestKey = key }
  }
  return best
}
// The proposed table: one slot per worker, slots in id order; encoders interned to bits.
struct Table { var ids: [String] = []; var pref: [UInt8] = []; var mask: [UInt64] = []; var active: [Int32] = []; var limit: [Int32] = []; var bits: [String: Int] = [:] }
var t = Table()
for id in workers.keys.sorted() { let w = workers[id]!
  var m: UInt64 = 0
  for e in w.specs.encoders ?? [] { let b = t.bits[e] ?? { let n = t.bits.count; t.bits[e] = n; return n }(); m |= 1 << UInt64(b) }
  t.ids.append(id); t.pref.append(UInt8(pref(w.status))); t.mask.append(m); t.active.append(0); t.limit.append(Int32(w.maxJobs ?? Int(Int32.max))) }
@inline(never) func chooseTable(_ encoder: String, _ t: Table) -> Int? {
  guard let bit = t.bits[encoder] else { return nil }
  let want: UInt64 = 1 << UInt64(bit)
  var best = -1; var bestKey = Int.max
  for i in 0..<t.ids.count where t.pref[i] < 4 && t.mask[i] & want != 0 && t.active[i] < t.limit[i] {
    let key = Int(t.pref[i]) << 32 | Int(t.active[i])
    if key < bestKey { best = i; bestKey = key }
  }
  return best < 0 ? nil : best
}
func time(_ name: String, _ body: () -> Void) {
  var samples: [Double] = []
  for _ in 0..<200 { let s = ContinuousClock.now; body(); let d = ContinuousClock.now - s
    samples.append(Double(d.components.attoseconds) / 1e12 + Double(d.components.seconds) * 1e6) }
  samples.sort(); print("\(name): median \(String(format: "%.1f", samples[100])) us, p90 \(String(format: "%.1f", samples[180])) us")
}
var sink = 0
time("current  (WorkerRecord scan over workers.values, 10,000 live)") { if chooseCurrent("libx264", workers.values, []) != nil { sink += 1 } }
time("proposed (struct-of-arrays table scan, 10,000 live)        ") { if chooseTable("libx264", t) != nil { sink += 1 } }
print(sink)
