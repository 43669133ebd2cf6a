/// The classifier's training messages as sentence vectors, to ask of a new message which kind
/// of known message it lies nearest: an ordinary question, or a sign of some category.
///
/// The emergency classifier is one linear model over the whole message: it weighs words such as
/// "go", "forever" or "myself" wherever they stand, and on messages unlike its corpus it can be
/// sure for no reason ("I'll let you go now, bye!" read 0.99 self-harm, "my dog keeps dragging
/// his back legs" 0.99 neurological). A nearest-neighbour reading is local where the model is
/// global: when a message lies clearly nearer an ordinary question than any sign of the
/// category the classifier chose, the classifier alone is out of its depth and the safety
/// layers ask rather than alarm, or let an uncertain reading go (``Assistant/safetyFirst``).
/// The lexicon is never overruled by it.
public struct NeighbourIndex: Sendable {
  /// Each row's label, numbered as ``EmergencyClassifier/labels``: 0 harmless, 1 distress, 2
  /// and up the categories.
  private let labels: [UInt8]
  /// Unit sentence vectors, row-major (`rows x dimensions`), read in place from a snapshot.
  private let vectors: LinearModel.Weights
  /// The vectors' length.
  public let dimensions: Int

  /// Indexes labelled messages by their sentence vectors.
  ///
  /// `labelIndex` is as in ``EmergencyClassifier/labels``: 0 harmless, 1 distress, 2 and up
  /// the categories. Rows whose vector is all zero (no known token) are left out.
  public init(rows: [(vector: [Float], labelIndex: Int)], dimensions: Int) {
    var labels: [UInt8] = []
    var flat: [Float] = []
    for row in rows
    where row.vector.count == dimensions && (0..<256).contains(row.labelIndex)
      && row.vector.contains(where: { $0 != 0 })
    {
      labels.append(UInt8(row.labelIndex))
      flat.append(contentsOf: row.vector)
    }
    self.labels = labels
    self.vectors = .trained(flat)
    self.dimensions = dimensions
  }

  /// The highest cosine similarity of `vector` (unit length) to a harmless row and to a row of
  /// the label `labelIndex`; nil when the index is empty or the vector of another size.
  public func nearest(_ vector: [Float], labelIndex: Int) -> (harmless: Float, label: Float)? {
    guard dimensions > 0, vector.count == dimensions, !labels.isEmpty else { return nil }
    var harmless: Float = -1
    var label: Float = -1
    let wanted = UInt8(clamping: labelIndex)
    // Sixteen lanes at a time: a scalar sum in order is not vectorised by the compiler (it may
    // not reorder floating-point additions), and this scan is the index's whole cost.
    let lanes = dimensions / 16 * 16
    vector.withUnsafeBufferPointer { query in
      vectors.withUnsafeBufferPointer { rows in
        guard let q = query.baseAddress, let base = rows.baseAddress else { return }
        let qRaw = UnsafeRawPointer(q)
        for (row, rowLabel) in labels.enumerated() where rowLabel == 0 || rowLabel == wanted {
          let r = base + row * dimensions
          let rRaw = UnsafeRawPointer(r)
          var sum = SIMD16<Float>()
          var d = 0
          while d < lanes {
            let offset = d * MemoryLayout<Float>.stride
            sum +=
              qRaw.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
              * rRaw.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            d += 16
          }
          var dot = sum.sum()
          while d < dimensions {
            dot += q[d] * r[d]
            d += 1
          }
          if rowLabel == 0 {
            harmless = max(harmless, dot)
          } else {
            label = max(label, dot)
          }
        }
      }
    }
    return (harmless, label)
  }

  /// The number of indexed rows.
  public var count: Int { labels.count }

  /// Writes the index (see ``SnapshotWriter``).
  func write(to w: inout SnapshotWriter) {
    w.int(dimensions)
    w.raw(labels)
    vectors.withUnsafeBufferPointer { w.aligned(Array($0)) }
  }

  /// Reads an index written by ``write(to:)``; the vectors are used in place.
  init(snapshot r: inout SnapshotReader) throws(SnapshotError) {
    let dimensions = try r.int()
    let labels = try r.raw(UInt8.self)
    let vectors = try r.view(Float.self)
    guard (0...4096).contains(dimensions), vectors.count == labels.count * dimensions else {
      throw .corrupt("the neighbour index")
    }
    self.dimensions = dimensions
    self.labels = labels
    self.vectors = .snapshot(vectors)
  }
}
