import BacktalkCore
import Foundation

/// The static embedding table shipped next to the binary, so that the web's assistant is the
/// one `serve` builds (the emergency classifier uses the table's features).
///
/// `backtalk` finds and maps the table in its own IO layer, which this executable does not
/// link (that would bring the whole command-line tool in); the search order is the same:
/// `BACKTALK_EMBEDDINGS`, the resource bundle next to the binary, `../share/backtalk`, the
/// source tree. The table is read once at start-up, a few megabytes.
enum EmbeddingTableFile {
  /// The table's file name.
  static let fileName = "minilm-l6-static.bin"

  /// The table, or nil (with a line on stderr) when none is found or it is damaged: the
  /// classifier then runs without embeddings, as `serve` does in the same case.
  static func load(executable: URL) -> StaticEmbeddingTable? {
    var candidates: [URL] = []
    if let path = ProcessInfo.processInfo.environment["BACKTALK_EMBEDDINGS"], !path.isEmpty {
      candidates.append(URL(fileURLWithPath: path))
    }
    let dir = executable.resolvingSymlinksInPath().deletingLastPathComponent()
    candidates.append(
      dir.appendingPathComponent("backtalk_BacktalkCore.resources/Embeddings/\(fileName)"))
    candidates.append(
      dir.deletingLastPathComponent().appendingPathComponent(
        "share/backtalk/Embeddings/\(fileName)"))
    // Development fallback: this file lives at Sources/backtalk-web/.
    candidates.append(
      URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Embeddings/\(fileName)"))
    guard let url = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }),
      let data = FileManager.default.contents(atPath: url.path)
    else {
      log("no embedding table found; the emergency classifier runs without embeddings")
      return nil
    }
    do {
      return try StaticEmbeddingTable(buffer: SnapshotBuffer(copying: Array(data)))
    } catch {
      log("the embedding table \(url.path) is damaged (\(error)); running without it")
      return nil
    }
  }

  private static func log(_ message: String) {
    FileHandle.standardError.write(Data("backtalk web: \(message)\n".utf8))
  }
}
