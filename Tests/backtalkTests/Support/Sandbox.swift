import Foundation

/// A temporary folder per test: the working directory, HOME and XDG_CACHE_HOME of the
/// binaries it runs, so no test reads or writes the real `~/.cache` or `~/.backtalk_history`.
///
/// The start-up caches are compiled once per test run into a template and copied into each
/// sandbox (compiling costs seconds in a debug build); `warm: false` starts with none.
final class Sandbox {
  let root: URL
  var home: URL { root.appendingPathComponent("home") }
  var cache: URL { root.appendingPathComponent("cache") }
  /// The binary's own cache folder inside `cache`.
  var cacheFolder: URL { cache.appendingPathComponent("backtalk") }

  init(warm: Bool = true) throws {
    root = FileManager.default.temporaryDirectory
      .appendingPathComponent("backtalk-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
    if warm, let template = Self.template {
      try FileManager.default.copyItem(at: template, to: cacheFolder)
    }
  }

  /// This process's environment with HOME and XDG_CACHE_HOME in the sandbox, then `extra`.
  func environment(_ extra: [String: String] = [:]) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["HOME"] = home.path
    env["XDG_CACHE_HOME"] = cache.path
    env.merge(extra) { $1 }
    return env
  }

  deinit {
    try? FileManager.default.removeItem(at: root)
  }

  /// The caches one run of the binary writes, or nil if it wrote none (then every sandbox
  /// starts cold: slower, still correct).
  private static let template: URL? = {
    guard let sandbox = try? Sandbox(warm: false),
      let child = try? Binary.start(
        ["serve"], in: sandbox, streams: .inputFile(URL(fileURLWithPath: "/dev/null")),
        timeout: .seconds(120))
    else { return nil }
    _ = child.readToEnd()
    _ = child.wait()
    let kept = FileManager.default.temporaryDirectory
      .appendingPathComponent("backtalk-test-cache-\(getpid())")
    try? FileManager.default.removeItem(at: kept)
    guard (try? FileManager.default.copyItem(at: sandbox.cacheFolder, to: kept)) != nil else {
      return nil
    }
    atexit { try? FileManager.default.removeItem(at: Sandbox.templatePath) }
    return kept
  }()

  /// Where the template is kept, removed when the test process exits.
  private static var templatePath: URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("backtalk-test-cache-\(getpid())")
  }
}
