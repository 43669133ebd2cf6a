import BacktalkCore
import Foundation
import Testing

@testable import backtalk

/// The binary finds and maps its embedding table from anywhere, and says clearly when it is
/// missing or damaged.
@Suite struct EmbeddingLoaderTests {
  @Test func findsTheTableNextToTheBuiltBinary() throws {
    let url = try EmbeddingLoader.locate(environment: [:], executable: Binary.url).get()
    #expect(url.path.contains("backtalk_BacktalkCore.resources/Embeddings/"))
    let table = try EmbeddingLoader.load(path: url.path)
    #expect(table.dimensions > 0)
    #expect(table.embed("pins and needles").count == table.dimensions)
  }

  @Test func theEnvironmentOverridesTheSearch() throws {
    let url = try EmbeddingLoader.locate(
      environment: ["BACKTALK_EMBEDDINGS": "/elsewhere/table.bin"], executable: Binary.url
    ).get()
    #expect(url.path == "/elsewhere/table.bin")
  }

  @Test func aMissingOrDamagedTableIsAClearError() throws {
    #expect(throws: EmbeddingLoaderError.notFound(searched: ["/nonexistent/table.bin"])) {
      _ = try EmbeddingLoader.load(path: "/nonexistent/table.bin")
    }
    let damaged = FileManager.default.temporaryDirectory.appendingPathComponent(
      "backtalk-damaged-\(getpid()).bin")
    defer { try? FileManager.default.removeItem(at: damaged) }
    try Data(String(repeating: "not a table ", count: 20).utf8).write(to: damaged)
    #expect(throws: EmbeddingLoaderError.damaged(path: damaged.path, .notAnEmbeddingTable)) {
      _ = try EmbeddingLoader.load(path: damaged.path)
    }
  }
}
