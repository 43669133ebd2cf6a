import BacktalkCore
import Foundation

/// The start-up caches: the decoded knowledge base and what was compiled from it.
///
/// Parsing the YAML costs tens of milliseconds (Yams) and compiling it a hundred or more;
/// front ends spawn the binary on demand, so both results are kept as snapshots (see
/// ``SnapshotWriter``) under `$XDG_CACHE_HOME/backtalk` (or `~/.cache/backtalk`, or the
/// temporary folder), named by one key: a hash of every YAML file's name and bytes and of the
/// program's own identity. Any change to `Intents/` or a rebuilt binary makes a new key; a
/// missing, damaged or stale cache just means parsing and compiling once more (and rewriting
/// it), with a line on stderr.
enum KnowledgeCache {
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

  /// FNV-1a over names and contents and the program's identity, eight bytes a step with a
  /// shift after each multiply (every step stays invertible, so any one changed word changes
  /// the key): cheap next to a cold start (about a tenth of a millisecond for the whole
  /// knowledge base, where a byte at a time cost more than one), and any edit (or a rebuilt
  /// binary, whose compilation might differ) changes it.
  static func key(_ files: [(name: String, contents: String)]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    let prime: UInt64 = 0x100_0000_01b3
    func step(_ value: UInt64) {
      hash = (hash ^ value) &* prime
      hash ^= hash >> 29
    }
    func mix(_ text: String) {
      var text = text
      text.withUTF8 { bytes in
        let whole = bytes.count / 8
        let raw = UnsafeRawBufferPointer(bytes)
        for i in 0..<whole { step(raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) }
        for byte in bytes[(whole * 8)...] { step(UInt64(byte)) }
        // (The length ends each text, so moving bytes between two texts changes the key.)
        step(UInt64(bytes.count))
      }
    }
    mix(programIdentity())
    for file in files {
      mix(file.name)
      mix(file.contents)
    }
    return String(hash, radix: 16)
  }

  /// The running binary's size and modification time: a new build invalidates every cache.
  static func programIdentity() -> String {
    var info = stat()
    guard stat("/proc/self/exe", &info) == 0 else { return "unknown" }
    return "\(info.st_size)-\(info.st_mtim.tv_sec)-\(info.st_mtim.tv_nsec)"
  }

  /// The YAML files of `directory`, sorted by name.
  static func readFiles(_ directory: URL) throws -> [(name: String, contents: String)] {
    guard let names = yamlNames(directory) else {
      throw KnowledgeBaseError.unreadable(
        path: directory.path, reason: String(cString: strerror(errno)))
    }
    var files: [(name: String, contents: String)] = []
    for name in names {
      guard let bytes = readBytes(directory.appendingPathComponent(name).path) else {
        throw KnowledgeBaseError.unreadable(
          path: directory.appendingPathComponent(name).path, reason: "cannot read it")
      }
      files.append((name, String(decoding: bytes, as: UTF8.self)))
    }
    guard !files.isEmpty else {
      throw KnowledgeBaseError.unreadable(path: directory.path, reason: "no .yaml files in it")
    }
    return files
  }

  /// Loads the knowledge base in `directory`, through the cache when it is fresh.
  static func load(directory: URL) throws -> KnowledgeBase {
    let files = try readFiles(directory)
    return try load(files: files, key: key(files))
  }

  /// Loads the knowledge base of `files` through the cache named by `key`.
  static func load(files: [(name: String, contents: String)], key: String) throws
    -> KnowledgeBase
  {
    if let knowledge = cachedKnowledge(key: key, files: files) { return knowledge }
    let cacheFile = Self.cacheFile("knowledge", key)
    // One process decodes while the others starting with it wait, then map its snapshot.
    let lock = CacheLock(path: cacheFile.path + ".lock")
    defer { lock?.release() }
    // The file is written whole and renamed into place: once mapped, the next waiter may go.
    if lock != nil, let mapped = mapFile(cacheFile.path) {
      lock?.release()
      if let knowledge = try? KnowledgeBase(snapshot: mapped, key: key, files: files) {
        return knowledge
      }
    }
    // Only a knowledge base that passed every check is cached.
    let knowledge = try KnowledgeBase(files: files)
    store(Data(knowledge.snapshot(key: key)), at: cacheFile)
    return knowledge
  }

  /// The cache file of `kind` ("knowledge" or "compiled") named by `key`.
  private static func cacheFile(_ kind: String, _ key: String) -> URL {
    directory().appendingPathComponent("\(kind)-\(key).bin")
  }

  /// The knowledge base in the cache named by `key`, or nil when it is missing or damaged (a
  /// damaged one is said on stderr when `reporting`).
  private static func cachedKnowledge(
    key: String, files: [(name: String, contents: String)], reporting: Bool = true
  ) -> KnowledgeBase? {
    let file = cacheFile("knowledge", key)
    guard let mapped = mapFile(file.path) else { return nil }
    do throws(SnapshotError) {
      return try KnowledgeBase(snapshot: mapped, key: key, files: files)
    } catch {
      if reporting {
        StandardStreams.log("backtalk: ignoring the knowledge cache \(file.path): \(error)")
      }
      return nil
    }
  }

  /// The compiled snapshot, read on a second thread; set once, before `done` is signalled,
  /// and read only after waiting for it (the semaphore orders the two).
  private final class PendingSnapshot: @unchecked Sendable {
    var compiled: Assistant.Compiled?
    var problem: SnapshotError?
    let done = DispatchSemaphore(value: 0)
  }

  /// The assistant for the knowledge base in `directory`.
  ///
  /// Both halves of a cold start come from caches named by one key: the decoded knowledge base
  /// (read on this thread) and its compiled snapshot (read at the same time on the other
  /// cores). A missing or stale snapshot means compiling once and writing it for the next start.
  ///
  /// The key hashes every byte of the YAML files, which takes reading them all (a sixth of a
  /// cold start). A start therefore first looks for a note, named by the files' stamps (name,
  /// size, modification and change times, inode) and the program's, of the key a start with
  /// exactly those files found: with it, no file is read. Any write to a file changes its
  /// change time, which no tool can set back, so an edited file misses the note and the start
  /// takes the long way (and leaves a new note).
  static func assistant(directory: URL, region: String) throws -> Assistant {
    let embeddings = optionalEmbeddings()
    let tableIdentity = embeddings?.identity ?? "none"
    let note = stamps(directory).map {
      Self.directory().appendingPathComponent(
        "start-\(Self.key([("stamps", $0), ("embeddings", tableIdentity)])).key")
    }
    let known = note.flatMap { readNote($0.path) }
    if let known,
      let assistant = fromCaches(
        key: known, files: nil, region: region, embeddings: embeddings?.table)
    {
      return assistant
    }
    let files = try readFiles(directory)
    // The classifier is trained with the table's vectors: another table means another key.
    let key = Self.key(files + [("embeddings", tableIdentity)])
    // (Noted once an assistant stands on the caches of this key.)
    func noted(_ assistant: Assistant) -> Assistant {
      if let note { writeNote(key, at: note) }
      return assistant
    }
    // (Caches the note led to, and that failed, are not tried twice.)
    if key != known,
      let assistant = fromCaches(
        key: key, files: files, region: region, embeddings: embeddings?.table)
    {
      return noted(assistant)
    }
    let file = cacheFile("compiled", key)
    let knowledge = try load(files: files, key: key)
    // Many processes starting at once on a fresh cache (a front end spawning one `serve` per
    // connection after an upgrade) would each compile: one compiles while the others wait on
    // a lock beside the cache, then map what it wrote.
    let lock = CacheLock(path: file.path + ".lock")
    defer { lock?.release() }
    // The waiters go one at a time through the lock: each lets the next in as soon as it has
    // mapped the snapshot, not after restoring from it, or twenty restores would queue.
    if lock != nil, let mapped = mapFile(file.path) {
      lock?.release()
      if let compiled = try? Assistant.Compiled(snapshot: mapped, key: key),
        let assistant = try? Assistant(
          knowledge: knowledge, region: region, compiled: compiled,
          embeddings: embeddings?.table)
      {
        return noted(assistant)
      }
    }
    let assistant = try Assistant(
      knowledge: knowledge, region: region, embeddings: embeddings?.table)
    store(Data(assistant.compiled.snapshot(key: key)), at: file)
    return noted(assistant)
  }

  /// The assistant from both caches named by `key`, the compiled one read on other cores
  /// while this one reads the knowledge base; nil when either is missing or stale.
  ///
  /// Without `files` (a start that knew the key from its note) the knowledge base keeps no
  /// file texts: they serve only the validator's line numbers.
  private static func fromCaches(
    key: String, files: [(name: String, contents: String)]?, region: String,
    embeddings: StaticEmbeddingTable?
  ) -> Assistant? {
    guard let mappedCompiled = mapFile(cacheFile("compiled", key).path) else { return nil }
    let pending = PendingSnapshot()
    DispatchQueue.global(qos: .userInitiated).async {
      defer { pending.done.signal() }
      do throws(SnapshotError) {
        pending.compiled = try Assistant.Compiled(snapshot: mappedCompiled, key: key)
      } catch {
        pending.problem = error
      }
    }
    // (A start that came by its note says a damaged cache is ignored when it loads the same
    // cache the long way.)
    let knowledge = cachedKnowledge(key: key, files: files ?? [], reporting: files != nil)
    pending.done.wait()
    if let problem = pending.problem { StandardStreams.log("backtalk: \(problem)") }
    guard let knowledge, let compiled = pending.compiled else { return nil }
    do {
      return try Assistant(
        knowledge: knowledge, region: region, compiled: compiled, embeddings: embeddings)
    } catch {
      StandardStreams.log("backtalk: \(error)")
      return nil
    }
  }

  /// The stamps of the YAML files of `directory` (name, size, modification and change times
  /// in nanoseconds, inode), sorted by name, and the program's identity; nil if the folder
  /// cannot be listed.
  static func stamps(_ directory: URL) -> String? {
    guard let names = yamlNames(directory), !names.isEmpty else { return nil }
    var lines = [programIdentity()]
    for name in names {
      var info = stat()
      guard stat(directory.path + "/" + name, &info) == 0 else { return nil }
      lines.append(
        "\(name) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) "
          + "\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec) \(info.st_ino)")
    }
    return lines.joined(separator: "\n")
  }

  /// The names of the YAML files in `directory`, sorted; nil if it cannot be listed (`errno`
  /// says why).
  private static func yamlNames(_ directory: URL) -> [String]? {
    guard let folder = opendir(directory.path) else { return nil }
    defer { closedir(folder) }
    var names: [String] = []
    while let entry = readdir(folder) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { names.append(name) }
    }
    return names.sorted()
  }

  /// The key a note holds, if it is there and holds one.
  private static func readNote(_ path: String) -> String? {
    guard let bytes = readBytes(path), bytes.count <= 32 else { return nil }
    let key = String(decoding: bytes, as: UTF8.self)
    return key.allSatisfy(\.isHexDigit) && !key.isEmpty ? key : nil
  }

  /// Leaves a note of `key` for the next start with the same files (if it is not there yet).
  private static func writeNote(_ key: String, at url: URL) {
    guard readNote(url.path) != key else { return }
    // (A folder that cannot be written was reported with the caches.)
    store(Data(key.utf8), at: url, reporting: false)
  }

  /// The sentence-embedding table and its identity (size and modification time), or nil with
  /// a line on stderr: without it the assistant works, its classifier on words alone.
  static func optionalEmbeddings() -> (table: StaticEmbeddingTable, identity: String)? {
    do {
      let url = try EmbeddingLoader.locate().get()
      let table = try EmbeddingLoader.load(path: url.path)
      var info = stat()
      let identity =
        stat(url.path, &info) == 0
        ? "\(info.st_size)-\(info.st_mtim.tv_sec)-\(info.st_mtim.tv_nsec)" : "unknown"
      return (table, identity)
    } catch {
      StandardStreams.log("backtalk: \(error); the emergency classifier runs without embeddings")
      return nil
    }
  }

  /// What `body` makes of a non-empty file's descriptor and size.
  ///
  /// Nil if the file cannot be opened or is empty. The descriptor is closed afterwards.
  private static func withOpenFile<T>(_ path: String, _ body: (Int32, Int) -> T?) -> T? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_size > 0 else { return nil }
    return body(fd, Int(info.st_size))
  }

  /// The whole file read straight into an array (no `Data` and no second copy); nil if it
  /// cannot be read.
  private static func readBytes(_ path: String) -> [UInt8]? {
    withOpenFile(path) { fd, size in
      var complete = false
      let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
        var done = 0
        while done < size {
          let n = read(fd, buffer.baseAddress.map { $0 + done }, size - done)
          if n < 0 && errno == EINTR { continue }
          if n <= 0 { break }
          done += n
        }
        complete = done == size
        count = done
      }
      return complete ? bytes : nil
    }
  }

  /// The file mapped read-only into memory (shared with the page cache: nothing is copied
  /// until read, and pages never read are never loaded); nil if it cannot be mapped.
  static func mapFile(_ path: String) -> SnapshotBuffer? {
    withOpenFile(path) { fd, size in
      guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED
      else { return nil }
      let bits = UInt(bitPattern: address)
      return SnapshotBuffer(bytes: UnsafeRawBufferPointer(start: address, count: size)) {
        _ = munmap(UnsafeMutableRawPointer(bitPattern: bits), size)
      }
    }
  }

  private static func store(_ data: Data, at url: URL, reporting: Bool = true) {
    let folder = url.deletingLastPathComponent()
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let temporary = url.appendingPathExtension("tmp-\(getpid())")
    guard FileManager.default.createFile(atPath: temporary.path, contents: data) else {
      // Still correct, only slower: say so once per start so an operator can fix it.
      guard reporting else { return }
      StandardStreams.log(
        "backtalk: cannot write the start-up cache in \(folder.path); every start will parse and compile the knowledge base (set XDG_CACHE_HOME to a writable folder)"
      )
      return
    }
    // rename(2) is atomic: a concurrent reader sees the old file or the new one, never half.
    if rename(temporary.path, url.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
    pruneStale(in: folder)
  }

  /// Removes cache files unused for a week (older knowledge or older builds), so the folder
  /// does not grow with every edit; other builds in use keep theirs.
  private static func pruneStale(in folder: URL) {
    let week: TimeInterval = 7 * 24 * 3600
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
      return
    }
    for name in names
    where name.hasPrefix("knowledge-") || name.hasPrefix("compiled-") || name.hasPrefix("start-") {
      let path = folder.appendingPathComponent(name).path
      guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
        let modified = attributes[.modificationDate] as? Date,
        Date().timeIntervalSince(modified) > week
      else { continue }
      try? FileManager.default.removeItem(atPath: path)
    }
  }
}
