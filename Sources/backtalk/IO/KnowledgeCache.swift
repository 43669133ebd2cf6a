import BacktalkCore
import Foundation

/// A start-up cache of the decoded knowledge base.
///
/// Parsing the YAML costs over a hundred milliseconds (Yams), decoding the same content from
/// JSON a few: front ends spawn the binary on demand, so the decoded files are kept as JSON
/// under `$XDG_CACHE_HOME/backtalk` (or `~/.cache/backtalk`, or the temporary folder), keyed
/// by a hash of every YAML file's name and bytes. Any change to `Intents/` makes a new key; a
/// missing, unreadable or stale cache just means the YAML is parsed (and the cache rewritten).
enum KnowledgeCache {
  struct Entry: Codable {
    var name: String
    var file: KnowledgeFile
  }

  static func directory() -> URL {
    let env = ProcessInfo.processInfo.environment
    if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty {
      return URL(fileURLWithPath: xdg).appendingPathComponent("backtalk")
    }
    if let home = env["HOME"], !home.isEmpty {
      return URL(fileURLWithPath: home).appendingPathComponent(".cache/backtalk")
    }
    return FileManager.default.temporaryDirectory.appendingPathComponent("backtalk-cache")
  }

  /// FNV-1a over names and contents: cheap, and any edit changes it.
  static func key(_ files: [(name: String, contents: String)]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for file in files {
      for byte in file.name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
      hash = (hash ^ 0xFF) &* 0x100_0000_01b3
      for byte in file.contents.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    }
    return String(hash, radix: 16)
  }

  /// Loads the knowledge base in `directory`, through the cache when it is fresh.
  static func load(directory: URL) throws -> KnowledgeBase {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    } catch {
      throw KnowledgeBaseError.unreadable(path: directory.path, reason: error.localizedDescription)
    }
    var files: [(name: String, contents: String)] = []
    for name in names {
      guard
        let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)
      else {
        throw KnowledgeBaseError.unreadable(
          path: directory.appendingPathComponent(name).path, reason: "cannot read it")
      }
      files.append((name, String(decoding: data, as: UTF8.self)))
    }
    guard !files.isEmpty else {
      throw KnowledgeBaseError.unreadable(path: directory.path, reason: "no .yaml files in it")
    }
    let cacheFile = Self.directory().appendingPathComponent("knowledge-\(key(files)).json")
    if let data = FileManager.default.contents(atPath: cacheFile.path) {
      do {
        let entries = try JSONDecoder().decode([Entry].self, from: data)
        if entries.map(\.name) == files.map(\.name) {
          return try KnowledgeBase(decoded: entries.map { ($0.name, $0.file) }, contents: files)
        }
      } catch is KnowledgeBaseError {
        // A stale or damaged cache: fall through to the YAML.
      } catch {
        StandardStreams.log("backtalk: ignoring the knowledge cache \(cacheFile.path): \(error)")
      }
    }
    let knowledge = try KnowledgeBase(files: files)
    store(files: files, at: cacheFile)
    return knowledge
  }

  /// Writes the cache; failures are ignored (the cache is an optimisation only).
  private static func store(files: [(name: String, contents: String)], at url: URL) {
    guard
      let decoded = try? files.map({
        Entry(name: $0.name, file: try KnowledgeBase.decode($0.contents))
      }),
      let data = try? JSONEncoder().encode(decoded)
    else { return }
    try? FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let temporary = url.appendingPathExtension("tmp-\(getpid())")
    guard FileManager.default.createFile(atPath: temporary.path, contents: data) else { return }
    // rename(2) is atomic: a concurrent reader sees the old file or the new one, never half.
    if rename(temporary.path, url.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
  }
}
