import Foundation
import Testing

/// Many processes starting at once on an empty start-up cache (a front end spawning one
/// `serve` per connection right after an upgrade): one compiles, the others wait for its
/// snapshot, and every one answers.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ColdStartCrowdTests {
  @Test func twentyColdStartsCompileOnceAndAllAnswer() throws {
    let cache = FileManager.default.temporaryDirectory
      .appendingPathComponent("backtalk-crowd-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: cache) }
    // Twenty processes started at once, each with its request in a file and its reply to
    // another (files, not pipes: nothing can block on a full pipe).
    let started = Date()
    var processes: [Process] = []
    for i in 1...20 {
      let input = cache.appendingPathComponent("in\(i)")
      try Data("{\"id\":\(i),\"session\":\"s\",\"text\":\"hello\"}\n".utf8).write(to: input)
      let output = cache.appendingPathComponent("out\(i)")
      _ = FileManager.default.createFile(atPath: output.path, contents: nil)
      let process = Process()
      process.executableURL = Binary.url
      process.arguments = ["serve"]
      process.environment = ProcessInfo.processInfo.environment.merging([
        "XDG_CACHE_HOME": cache.path
      ]) { $1 }
      process.currentDirectoryURL = FileManager.default.temporaryDirectory
      process.standardInput = try FileHandle(forReadingFrom: input)
      process.standardOutput = try FileHandle(forWritingTo: output)
      process.standardError = FileHandle.nullDevice
      processes.append(process)
    }
    for process in processes { try process.run() }
    for process in processes { process.waitUntilExit() }
    let elapsed = Date().timeIntervalSince(started)
    #expect(processes.allSatisfy { $0.terminationStatus == 0 })
    for i in 1...20 {
      let out = try String(contentsOf: cache.appendingPathComponent("out\(i)"), encoding: .utf8)
      #expect(out.contains("\"id\":\(i),"), "process \(i) answered: \(out.prefix(200))")
    }
    let files = try FileManager.default.contentsOfDirectory(
      atPath: cache.appendingPathComponent("backtalk").path)
    #expect(files.filter { $0.hasPrefix("compiled-") && $0.hasSuffix(".bin") }.count == 1)
    #expect(files.filter { $0.hasPrefix("knowledge-") && $0.hasSuffix(".bin") }.count == 1)
    // A debug build on two busy cores: generous, but twenty compiles in a row took 37 s.
    #expect(elapsed < 30, "twenty cold starts took \(elapsed) s")
  }
}
