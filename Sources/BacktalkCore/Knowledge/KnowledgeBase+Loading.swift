import Foundation

/// Reading the knowledge base from disk: the only file of the core that touches the file system.
extension KnowledgeBase {
  /// Loads every `*.yaml` file of a folder, in name order (for determinism).
  ///
  /// - Throws: ``KnowledgeBaseError/unreadable(path:reason:)`` when the folder cannot be read,
  ///   ``KnowledgeBaseError/invalid(_:)`` when its contents have problems.
  public static func load(directory: URL) throws -> KnowledgeBase {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    } catch {
      throw KnowledgeBaseError.unreadable(
        path: directory.path, reason: "\(error.localizedDescription)")
    }
    guard !names.isEmpty else {
      throw KnowledgeBaseError.unreadable(path: directory.path, reason: "no .yaml files in it")
    }
    var files: [(name: String, contents: String)] = []
    for name in names {
      let url = directory.appendingPathComponent(name)
      guard let data = FileManager.default.contents(atPath: url.path),
        let text = String(data: data, encoding: .utf8)
      else {
        throw KnowledgeBaseError.unreadable(path: url.path, reason: "not readable UTF-8 text")
      }
      files.append((name, text))
    }
    return try KnowledgeBase(files: files)
  }

  /// Where the knowledge base shipped with the binary is, without relying on the current
  /// directory: next to the executable (the SwiftPM resource bundle), or, for a development
  /// build, the `Intents/` folder of the source tree it was built from.
  public static func bundledDirectory(executable: URL?) -> URL? {
    let bundleName = "backtalk_BacktalkCore.resources"
    // Candidates are built lazily: `Bundle.main` costs milliseconds on a cold start and is
    // only needed when the binary was moved away from its resources.
    var candidates: [() -> URL] = []
    if let executable {
      let dir = executable.resolvingSymlinksInPath().deletingLastPathComponent()
      candidates.append {
        dir.appendingPathComponent(bundleName).appendingPathComponent("Intents")
      }
      candidates.append {
        dir.deletingLastPathComponent().appendingPathComponent("share/backtalk/Intents")
      }
    }
    candidates.append {
      Bundle.main.bundleURL.appendingPathComponent(bundleName).appendingPathComponent("Intents")
    }
    candidates.append {
      Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(bundleName)
        .appendingPathComponent("Intents")
    }
    // Development fallback: this source file lives at Sources/BacktalkCore/Knowledge/.
    candidates.append {
      URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Intents")
    }
    var isDirectory: ObjCBool = false
    for candidate in candidates {
      let url = candidate()
      if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
        isDirectory.boolValue
      {
        return url
      }
    }
    return nil
  }
}
