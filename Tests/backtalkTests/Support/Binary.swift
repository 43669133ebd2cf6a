import Foundation
import Testing

/// Runs the real `backtalk` binary: what only a process can get wrong (flushing each line,
/// stdout holding only protocol lines, exit codes, bytes that are not UTF-8, piped chat).
enum Binary {
  static let url: URL = {
    let dir =
      Bundle.main.bundleURL.hasDirectoryPath
      ? Bundle.main.bundleURL : Bundle.main.bundleURL.deletingLastPathComponent()
    let candidates = [
      dir.appendingPathComponent("backtalk"),
      dir.deletingLastPathComponent().appendingPathComponent("backtalk"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
      ?? candidates[0]
  }()

  /// What a finished run wrote and how it ended.
  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
    var termination: Child.Termination
  }

  /// Runs the binary with stdin bytes, from a directory that is not the project, in `sandbox`
  /// (a fresh one by default), and kills it after `timeout` (recording an issue).
  static func run(
    _ arguments: [String], input: [UInt8] = [], environment: [String: String] = [:],
    in sandbox: Sandbox? = nil, timeout: Duration = .seconds(90),
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Output {
    try run(
      url, arguments, input: input, environment: environment, in: sandbox, timeout: timeout,
      sourceLocation: sourceLocation)
  }

  /// Runs any program the same way (the schema validator, for one).
  static func run(
    _ program: URL, _ arguments: [String], input: [UInt8] = [],
    environment: [String: String] = [:], in sandbox: Sandbox? = nil,
    timeout: Duration = .seconds(90), sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Output {
    let sandbox = try sandbox ?? Sandbox()
    let inputFile = sandbox.root.appendingPathComponent("stdin-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: inputFile) }
    try Data(input).write(to: inputFile)
    let child = try Child.spawn(
      program, arguments, environment: sandbox.environment(environment),
      directory: sandbox.root, streams: .inputFile(inputFile), timeout: timeout)
    let (out, err) = child.readToEnd()
    let end = child.wait()
    if end.timedOut {
      let command = ([program.lastPathComponent] + arguments).joined(separator: " ")
      Issue.record("\(command) did not finish within \(timeout)", sourceLocation: sourceLocation)
    }
    return Output(
      status: end.status, stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: err, as: UTF8.self), termination: end)
  }

  /// Starts the binary in `sandbox` (its HOME and XDG_CACHE_HOME) for a test to talk to.
  static func start(
    _ arguments: [String], environment: [String: String] = [:], in sandbox: Sandbox,
    streams: Child.Streams = .pipes, timeout: Duration = .seconds(90)
  ) throws -> Child {
    try Child.spawn(
      url, arguments, environment: sandbox.environment(environment), directory: sandbox.root,
      streams: streams, timeout: timeout)
  }
}
