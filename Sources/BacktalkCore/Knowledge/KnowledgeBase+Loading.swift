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

  /// The places an installed binary looks for its knowledge base, in order: the SwiftPM
  /// resource bundle beside it (a build tree), `Intents/` beside it (a copied folder), and
  /// `../share/backtalk/Intents` (`tools/install.sh PREFIX`: the binary in `PREFIX/bin`).
  ///
  /// Listed separately so that the error for a binary that finds none can say where it looked.
  public static func installedLocations(executable: URL) -> [URL] {
    let dir = executable.resolvingSymlinksInPath().deletingLastPathComponent()
    return [
      dir.appendingPathComponent(resourceBundleName).appendingPathComponent("Intents"),
      dir.appendingPathComponent("Intents"),
      dir.deletingLastPathComponent().appendingPathComponent("share/backtalk/Intents"),
    ]
  }

  private static let resourceBundleName = "backtalk_BacktalkCore.resources"

  /// Where the knowledge base shipped with the binary is, without relying on the current
  /// directory: the ``installedLocations(executable:)``, the resource bundle Foundation finds,
  /// and, in a debug build only, the `Intents/` folder of the source tree it was built from.
  ///
  /// The source tree is left out of release builds: an installed release binary that silently
  /// read a developer's working copy would hide a broken install on the build machine.
  public static func bundledDirectory(executable: URL?) -> URL? {
    // Candidates are built lazily: `Bundle.main` costs milliseconds on a cold start and is
    // only needed when the binary was moved away from its resources.
    var candidates: [() -> URL] = []
    if let executable {
      for location in installedLocations(executable: executable) {
        candidates.append { location }
      }
    }
    candidates.append {
      Bundle.main.bundleURL.appendingPathComponent(resourceBundleName)
        .appendingPathComponent("Intents")
    }
    candidates.append {
      Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(resourceBundleName)
        .appendingPathComponent("Intents")
    }
    #if DEBUG
      // Development fallback: this source file lives at Sources/BacktalkCore/Knowledge/.
      candidates.append {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
          .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "Intents")
      }
    #endif
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
