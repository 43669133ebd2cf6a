import BacktalkCore
import Foundation

/// Finds the static embedding table shipped with the binary and maps it into memory.
///
/// The table (`Embeddings/minilm-l6-static.bin`, a few megabytes) is copied into
/// BacktalkCore's SwiftPM resource bundle next to the binary, like the `Intents` folder, so it
/// is found from any working directory. Mapping shares the page cache and reads nothing until
/// a row is used; ``StaticEmbeddingTable`` checks the header and lookup sections in place.
enum EmbeddingLoader {
  /// The table's file name.
  static let fileName = "minilm-l6-static.bin"

  /// Where the table is: `BACKTALK_EMBEDDINGS`, else next to `executable` (the resource
  /// bundle, or `../share/backtalk`), else the source tree this binary was built from.
  static func locate(
    environment: [String: String] = ProcessInfo.processInfo.environment,
    executable: URL? = runningExecutable()
  ) -> Result<URL, EmbeddingLoaderError> {
    if let path = environment["BACKTALK_EMBEDDINGS"], !path.isEmpty {
      return .success(URL(fileURLWithPath: path))
    }
    let bundleName = "backtalk_BacktalkCore.resources"
    var candidates: [() -> URL] = []
    if let executable {
      let dir = executable.resolvingSymlinksInPath().deletingLastPathComponent()
      candidates.append { dir.appendingPathComponent(bundleName) }
      candidates.append {
        dir.deletingLastPathComponent().appendingPathComponent("share/backtalk")
      }
    }
    // Built lazily: `Bundle.main` costs milliseconds and is only needed for a moved binary.
    candidates.append { Bundle.main.bundleURL.appendingPathComponent(bundleName) }
    candidates.append {
      Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(bundleName)
    }
    // Development fallback: this file lives at Sources/backtalk/IO/.
    candidates.append {
      URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    }
    var searched: [String] = []
    for candidate in candidates {
      let url = candidate().appendingPathComponent("Embeddings").appendingPathComponent(fileName)
      if FileManager.default.fileExists(atPath: url.path) { return .success(url) }
      searched.append(url.deletingLastPathComponent().path)
    }
    return .failure(.notFound(searched: searched))
  }

  /// Maps the table at `path` (default: the one ``locate(environment:executable:)`` finds).
  static func load(path: String? = nil) throws(EmbeddingLoaderError) -> StaticEmbeddingTable {
    let file: String
    if let path {
      file = path
    } else {
      file = try locate().get().path
    }
    guard FileManager.default.fileExists(atPath: file) else {
      throw .notFound(searched: [file])
    }
    guard let buffer = KnowledgeCache.mapFile(file) else { throw .unreadable(path: file) }
    do {
      return try StaticEmbeddingTable(buffer: buffer)
    } catch {
      throw .damaged(path: file, error)
    }
  }

  /// The running binary as the kernel knows it (no `Bundle`, which is slow to create).
  static func runningExecutable() -> URL {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      .map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: CommandLine.arguments[0])
  }
}
