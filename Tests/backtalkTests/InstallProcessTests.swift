import BacktalkCore
import Foundation
import Testing

extension ProcessTests {
  /// A copied binary is a deployment: `tools/install.sh PREFIX` and a plain folder with
  /// `Intents/` (and `Embeddings/`) beside the binary both run from `/` with no
  /// `BACKTALK_KNOWLEDGE`.
  @Suite struct InstallProcessTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()

    /// Runs a binary from `/`, without `BACKTALK_KNOWLEDGE`, with its own cache folder.
    static func serve(_ binary: URL, input: String, cache: URL) throws -> (
      status: Int32, replies: [JSONValue], stderr: String
    ) {
      let process = Process()
      process.executableURL = binary
      process.arguments = ["serve"]
      var environment = ProcessInfo.processInfo.environment
      environment["BACKTALK_KNOWLEDGE"] = nil
      environment["XDG_CACHE_HOME"] = cache.path
      process.environment = environment
      process.currentDirectoryURL = URL(fileURLWithPath: "/")
      let stdin = Pipe()
      let stdout = Pipe()
      process.standardInput = stdin
      process.standardOutput = stdout
      let errors = cache.appendingPathExtension("stderr")
      _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
      process.standardError = try FileHandle(forWritingTo: errors)
      Binary.ignoreBrokenPipe()
      try process.run()
      try stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
      try stdin.fileHandleForWriting.close()
      let out = try stdout.fileHandleForReading.readToEnd() ?? Data()
      process.waitUntilExit()
      return (
        process.terminationStatus, try parsedLines(String(decoding: out, as: UTF8.self)),
        try String(contentsOf: errors, encoding: .utf8)
      )
    }

    /// Marks a copied knowledge base so its replies can be told from the source tree's (a
    /// debug binary could otherwise fall back on the tree it was built from).
    static func mark(_ intents: URL) throws {
      let file = intents.appendingPathComponent("regions.yaml")
      let text = try String(contentsOf: file, encoding: .utf8)
      // (The default region's line: a bare `serve` knows no region, so it says `intl`'s.)
      let marked = text.replacingOccurrences(
        of: "a crisis line where you are (call or text 988 in the US and Canada",
        with: "the installed line 988 (call or text 988 in the US and Canada")
      #expect(marked != text)
      try marked.write(to: file, atomically: true, encoding: .utf8)
    }

    static let input =
      #"{"id":1,"type":"hello"}"# + "\n" + #"{"id":2,"text":"I want to kill myself"}"# + "\n"

    static func expectInstalledReplies(
      _ result: (status: Int32, replies: [JSONValue], stderr: String)
    ) {
      let (status, replies, stderr) = result
      #expect(status == 0)
      #expect(!stderr.contains("embeddings"), "\(stderr)")
      #expect(replies.count == 2)
      #expect(replies.first?["protocol"] == .string(BacktalkVersion.wireProtocol))
      #expect(
        replies.last?["escalation"]?["crisis_line"]?.stringValue?.hasPrefix(
          "the installed line 988")
          == true)
    }

    @Test func theInstallScriptMakesAPrefixThatRunsFromAnywhere() throws {
      let scratch = Scratch("install")
      defer { scratch.remove() }
      let prefix = scratch.url.appendingPathComponent("prefix")
      let install = Process()
      install.executableURL = URL(fileURLWithPath: "/bin/bash")
      install.arguments = [
        Self.root.appendingPathComponent("tools/install.sh").path, prefix.path, Binary.url.path,
      ]
      var environment = ProcessInfo.processInfo.environment
      environment["XDG_CACHE_HOME"] = scratch.url.appendingPathComponent("cache").path
      install.environment = environment
      install.standardOutput = FileHandle.nullDevice
      install.standardError = FileHandle.nullDevice
      try install.run()
      install.waitUntilExit()
      #expect(install.terminationStatus == 0)
      let binary = prefix.appendingPathComponent("bin/backtalk")
      #expect(FileManager.default.isExecutableFile(atPath: binary.path))
      try Self.mark(prefix.appendingPathComponent("share/backtalk/Intents"))
      Self.expectInstalledReplies(
        try Self.serve(
          binary, input: Self.input, cache: scratch.url.appendingPathComponent("cache")))
    }

    @Test func aBinaryFindsIntentsBesideIt() throws {
      let scratch = Scratch("flat")
      defer { scratch.remove() }
      let folder = scratch.url.appendingPathComponent("app")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      let binary = folder.appendingPathComponent("backtalk")
      try FileManager.default.copyItem(at: Binary.url, to: binary)
      let intents = folder.appendingPathComponent("Intents")
      try FileManager.default.copyItem(
        at: Self.root.appendingPathComponent("Intents"), to: intents)
      try Self.mark(intents)
      let embeddings = Self.root.appendingPathComponent("Embeddings")
      if FileManager.default.fileExists(atPath: embeddings.path) {
        try FileManager.default.copyItem(
          at: embeddings, to: folder.appendingPathComponent("Embeddings"))
      }
      Self.expectInstalledReplies(
        try Self.serve(
          binary, input: Self.input, cache: scratch.url.appendingPathComponent("cache")))
    }
  }
}
