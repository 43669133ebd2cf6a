import ArgumentParser
import BacktalkCore
import BacktalkStores
import Foundation

/// Measures what front ends care about, in whatever build runs it (use a release build:
/// `swift run -c release backtalk bench`).
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract:
      "Measure cold start, per-message time, serve throughput against a bare JSON echo loop, and memory with many sessions."
  )

  @OptionGroup var knowledge: KnowledgeOptions

  @Option(help: "Messages for the per-message and throughput runs.")
  var messages = 50_000

  @Option(help: "Sessions for the memory run.")
  var sessions = 100_000

  @Option(help: "Cold starts to time.")
  var starts = 20

  @Flag(help: "Only time the start-up phases (load, compile) in process.")
  var startupOnly = false

  @Option(
    name: .customLong("mix"),
    help: ArgumentHelp(
      "A JSON Lines file whose rows' \"text\" make the message mix (repeatable); the default mix is the knowledge base's own examples.",
      discussion:
        "Messages as people write them: `--mix Tests/Heldout/intent_heldout.jsonl --mix Tests/Heldout/emergency_heldout.jsonl`."
    ))
  var mixFiles: [String] = []

  @Option(help: "Processes started at once on an empty cache for the crowd run (0 skips it).")
  var crowd = 20

  @Option(help: "Sessions the throughput runs spread their messages over.")
  var mixSessions = 1_000

  @Option(
    help:
      "Only measure what a session store adds per message: sqlite:PATH or postgres://... (as serve --sessions)."
  )
  var store: String?

  func run() throws {
    StandardStreams.ignoreBrokenPipe()
    let phases = ContinuousClock()
    let directory = try knowledge.knowledgeDirectory()
    let files = try KnowledgeCache.readFiles(directory)
    // Each phase is timed several times in this process and the fastest run kept: a 2-core
    // machine shared with other work adds noise of tens of percent to any single run.
    func fastest(_ runs: Int, _ body: () throws -> Void) rethrows -> Duration {
      var best = Duration.seconds(3600)
      for _ in 0..<runs {
        let start = phases.now
        try body()
        best = min(best, phases.now - start)
      }
      return best
    }
    let yaml = try fastest(3) { _ = try KnowledgeBase(files: files) }
    let key = KnowledgeCache.key(files)
    var kb = try KnowledgeCache.load(files: files, key: key)
    let cached = try fastest(10) { kb = try KnowledgeCache.load(files: files, key: key) }
    let table = KnowledgeCache.optionalEmbeddings()?.table
    var assistant = try Assistant(knowledge: kb, region: knowledge.region, embeddings: table)
    let compile = try fastest(3) {
      assistant = try Assistant(knowledge: kb, region: knowledge.region, embeddings: table)
    }
    var bytes: [UInt8] = []
    let write = fastest(10) { bytes = assistant.compiled.snapshot(key: "bench") }
    let read = try fastest(10) {
      _ = try Assistant(
        knowledge: kb, region: knowledge.region,
        compiled: try Assistant.Compiled(snapshot: bytes, key: "bench"), embeddings: table)
    }
    // The service makes one assistant per region up front, so sessions can choose theirs.
    let service = fastest(20) { _ = JSONLinesService(assistant: assistant) }
    StandardStreams.write(
      """
      start-up in process (fastest of several runs): knowledge base from YAML \(Self.milli(yaml)), \
      from its cache \(Self.milli(cached)); compile \(Self.milli(compile)); snapshot of \
      \(bytes.count / 1024) KiB written \(Self.milli(write)), read \(Self.milli(read)); \
      service with \(kb.regions.count) regions \(Self.micro(service))

      """)
    StandardStreams.write(Self.embeddingReport(clock: phases))
    if let store {
      let opened: (any PersistentSessionStore)?
      do { opened = try SessionStoreLocation(parsing: store).open() } catch {
        throw CommandError(error.description)
      }
      guard let opened else { throw CommandError("--store memory has no store to measure") }
      StandardStreams.write(
        Self.storeReport(assistant: assistant, store: opened, messages: min(messages, 20_000)))
      return
    }
    if startupOnly {
      let mix = try messageMix(assistant.knowledge)
      let normalizer = TextNormalizer(spellings: kb.vocabulary.spellings)
      for (name, f) in [
        ("classify", { (t: String) in _ = assistant.classify(t) }),
        ("emergency", { (t: String) in _ = assistant.emergency(in: t) }),
        ("slots", { (t: String) in _ = assistant.slots(in: t) }),
        (
          "normalize",
          { (t: String) in _ = normalizer.tokens(t) }
        ),
      ] as [(String, (String) -> Void)] {
        var times: [Duration] = []
        times.reserveCapacity(5 * mix.count)
        for _ in 0..<5 {
          for text in mix {
            let t0 = phases.now
            f(text)
            times.append(phases.now - t0)
          }
        }
        times.sort()
        StandardStreams.write(
          "\(name): median \(Self.micro(times[times.count / 2])), p99 \(Self.micro(times[times.count * 99 / 100])) per message\n"
        )
      }
      return
    }
    let mix = try messageMix(assistant.knowledge)
    let clock = ContinuousClock()
    var report: [String] = []

    // 1. The core, in process: respond() per message over a realistic mix.
    var durations: [Duration] = []
    durations.reserveCapacity(messages)
    var state = DialogueState()
    for i in 0..<messages {
      if i % 12 == 0 { state = DialogueState() }
      let text = mix[i % mix.count]
      let t0 = clock.now
      _ = assistant.respond(to: text, state: &state)
      durations.append(clock.now - t0)
    }
    durations.sort()
    report.append(
      "core per message: median \(Self.micro(durations[durations.count / 2])), p99 \(Self.micro(durations[durations.count * 99 / 100])) over \(messages) messages (\(mix.count) distinct)"
    )
    // Where the time goes: the text-only half (normalising, both emergency detectors, the
    // sentence vector), that half with the intent ranking, and the whole answer.
    func median(_ body: (String) -> Void) -> Duration {
      var times: [Duration] = []
      times.reserveCapacity(3 * mix.count)
      for _ in 0..<3 {
        for text in mix {
          let t0 = clock.now
          body(text)
          times.append(clock.now - t0)
        }
      }
      times.sort()
      return times[times.count / 2]
    }
    let reading = median { _ = assistant.prepare($0) }
    let ranking = median { _ = assistant.prepare($0, rankingIntents: true) }
    report.append(
      "  of which, medians: reading the text (normalise, emergency lexicon and classifier, sentence vector) \(Self.micro(reading)), with the intent ranking \(Self.micro(ranking))"
    )

    // 2. Cold start of serve to the first reply.
    let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    let self_ = Bundle.main.executableURL ?? me
    // The first start on a machine compiles and writes the caches; every later one reads them.
    let emptyCache = FileManager.default.temporaryDirectory.appendingPathComponent(
      "backtalk-bench-cache-\(getpid())")
    defer { try? FileManager.default.removeItem(at: emptyCache) }
    let first = try Self.coldStart(
      self_, knowledgeArgs: knowledgeArguments(), environment: ["XDG_CACHE_HOME": emptyCache.path])
    _ = try Self.coldStart(self_, knowledgeArgs: knowledgeArguments())
    var startTimes: [Duration] = []
    for _ in 0..<max(1, starts) {
      startTimes.append(try Self.coldStart(self_, knowledgeArgs: knowledgeArguments()))
    }
    startTimes.sort()
    report.append(
      "cold start of serve to first reply: median \(Self.milli(startTimes[startTimes.count / 2])), min \(Self.milli(startTimes[0])) over \(startTimes.count) starts with warm caches; \(Self.milli(first)) for the very first start (compiles and writes the caches)"
    )

    // A crowd on an empty cache: a front end spawning one serve per connection after an
    // upgrade. One compiles, the others wait for its snapshot; what matters is the slowest.
    if crowd > 0 {
      let crowdCache = FileManager.default.temporaryDirectory.appendingPathComponent(
        "backtalk-bench-crowd-\(getpid())")
      defer { try? FileManager.default.removeItem(at: crowdCache) }
      let times = try Self.crowdStart(
        self_, count: crowd, knowledgeArgs: knowledgeArguments(),
        environment: ["XDG_CACHE_HOME": crowdCache.path]
      ).sorted()
      report.append(
        "\(crowd) cold starts at once on an empty cache: first reply of the slowest \(Self.milli(times[times.count - 1])), median \(Self.milli(times[times.count / 2]))"
      )
    }

    // 3. Throughput: serve vs the bare echo loop, same file, into /dev/null and into a pipe.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "backtalk-bench-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let requests = dir.appendingPathComponent("requests.jsonl")
    var lines = ""
    for i in 0..<messages {
      var w = JSONWriter()
      w.beginObject()
      w.key("id"); w.int(i)
      w.key("session"); w.string("s\(i % max(1, mixSessions))")
      w.key("text"); w.string(mix[i % mix.count])
      w.endObject()
      lines += w.text + "\n"
    }
    try lines.write(to: requests, atomically: true, encoding: .utf8)
    // serve reads pipelined lines ahead on every core; the one-thread run and the CPU time per
    // message show what it costs without that help.
    let cores = min(ProcessInfo.processInfo.activeProcessorCount, 16)
    for sink in ["/dev/null", "pipe"] {
      let serve = try Self.throughput(
        self_, ["serve"] + knowledgeArguments(), input: requests, sink: sink, lines: messages)
      let single = try Self.throughput(
        self_, ["serve", "--threads", "1"] + knowledgeArguments(), input: requests, sink: sink,
        lines: messages)
      let echo = try Self.throughput(
        self_, ["echo-reference"], input: requests, sink: sink, lines: messages)
      func ratio(_ a: Double, _ b: Double) -> String { String(format: "%.2f", a / b) }
      func cpu(_ run: (rate: Double, cpu: Double)) -> String { String(format: "%.1f us", run.cpu) }
      report.append(
        "throughput into \(sink): serve \(Int(serve.rate)) msg/s (\(cores) threads), echo loop \(Int(echo.rate)) msg/s, ratio \(ratio(serve.rate, echo.rate)); serve on one thread \(Int(single.rate)) msg/s, ratio \(ratio(single.rate, echo.rate)); CPU per message: serve \(cpu(serve)), one thread \(cpu(single)), echo loop \(cpu(echo))"
      )
    }

    // 4. Peak memory with many sessions.
    let many = dir.appendingPathComponent("sessions.jsonl")
    var sessionLines = ""
    for i in 0..<sessions {
      sessionLines +=
        #"{"session":"user-\#(i)","text":"\#(i % 3 == 0 ? "make me a plan" : "is heat or ice better")"}"#
        + "\n"
    }
    try sessionLines.write(to: many, atomically: true, encoding: .utf8)
    let peak = try Self.peakMemory(
      self_, ["serve", "--max-sessions", String(sessions)] + knowledgeArguments(), input: many)
    report.append("peak memory of serve holding \(sessions) sessions: \(peak / 1024) MB (max RSS)")
    StandardStreams.write(report.joined(separator: "\n") + "\n")
  }

  private func knowledgeArguments() -> [String] {
    var args = ["--region", knowledge.region]
    if let dir = knowledge.directory { args += ["--knowledge", dir] }
    return args
  }

  /// The texts of `--mix` files, shuffled the same way on every run; without any, the default
  /// mix.
  func messageMix(_ kb: KnowledgeBase) throws -> [String] {
    guard !mixFiles.isEmpty else { return Self.messageMix(kb) }
    var mix: [String] = []
    for path in mixFiles {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw CommandError("cannot read the mix file \(path)")
      }
      for line in data.split(separator: 0x0A) where !line.isEmpty {
        let row = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
        guard let text = row?["text"] as? String else {
          throw CommandError("\(path): every line needs a \"text\" string")
        }
        mix.append(text)
      }
    }
    guard !mix.isEmpty else { throw CommandError("the mix files hold no messages") }
    return Self.shuffled(mix)
  }

  /// A realistic mix: every example of the knowledge base, plus intake answers and emergencies.
  static func messageMix(_ kb: KnowledgeBase) -> [String] {
    var mix: [String] = []
    for intent in kb.intents { mix += intent.examples.prefix(6) }
    mix += [
      "upper back", "3 weeks", "about a 6", "since I started working from my laptop", "no",
      "none of those",
      "I have crushing chest pain", "no fever, but I can't move my legs", "yes", "not sure",
    ]
    return shuffled(mix)
  }

  /// The same permutation on every run.
  static func shuffled(_ texts: [String]) -> [String] {
    var mix = texts
    var rng = SplitMix(seed: 42)
    for i in stride(from: mix.count - 1, to: 0, by: -1) {
      mix.swapAt(i, Int(rng.next() % UInt64(i + 1)))
    }
    return mix
  }

  static func coldStart(
    _ binary: URL, knowledgeArgs: [String], environment: [String: String] = [:]
  ) throws -> Duration {
    let clock = ContinuousClock()
    let t0 = clock.now
    let serve = try startServe(binary, knowledgeArgs: knowledgeArgs, environment: environment)
    serve.awaitFirstReply()
    let elapsed = clock.now - t0
    serve.finish()
    return elapsed
  }

  /// Starts `count` serve processes at once and times each one's first reply.
  ///
  /// Replies are read in start order, so a time may include waiting for an earlier process;
  /// the slowest, which is what is reported, is exact.
  static func crowdStart(
    _ binary: URL, count: Int, knowledgeArgs: [String], environment: [String: String]
  ) throws -> [Duration] {
    let clock = ContinuousClock()
    let t0 = clock.now
    let crowd = try (0..<count).map { _ in
      try startServe(binary, knowledgeArgs: knowledgeArgs, environment: environment)
    }
    let times = crowd.map { serve -> Duration in
      serve.awaitFirstReply()
      return clock.now - t0
    }
    for serve in crowd { serve.finish() }
    return times
  }

  /// A `serve` process sent one question, for the start-up measures.
  struct StartedServe {
    let process: Process
    let input: Pipe
    let output: Pipe

    /// Reads until the first reply line has arrived (or the process has gone).
    func awaitFirstReply() {
      var buffer = [UInt8](repeating: 0, count: 65536)
      var got: [UInt8] = []
      let fd = output.fileHandleForReading.fileDescriptor
      while !got.contains(0x0A) {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        got += buffer[0..<n]
      }
    }

    /// Closes its input and waits for it to exit.
    func finish() {
      try? input.fileHandleForWriting.close()
      process.waitUntilExit()
    }
  }

  /// Starts `serve` and sends it one question.
  static func startServe(
    _ binary: URL, knowledgeArgs: [String], environment: [String: String]
  ) throws -> StartedServe {
    let process = Process()
    process.executableURL = binary
    process.arguments = ["serve"] + knowledgeArgs
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    try input.fileHandleForWriting.write(
      contentsOf: Data(#"{"id":1,"text":"is heat or ice better?"}"#.utf8 + [0x0A]))
    return StartedServe(process: process, input: input, output: output)
  }

  /// Messages per second of wall time, and CPU time (user + system) per message.
  static func throughput(_ binary: URL, _ args: [String], input: URL, sink: String, lines: Int)
    throws -> (rate: Double, cpu: Double)
  {
    func childCPU() -> Double {
      var usage = rusage()
      getrusage(RUSAGE_CHILDREN.rawValue, &usage)
      return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
    let cpuBefore = childCPU()
    let clock = ContinuousClock()
    let process = Process()
    process.executableURL = binary
    process.arguments = args
    process.standardInput = try FileHandle(forReadingFrom: input)
    let pipe = Pipe()
    if sink == "/dev/null" {
      process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    } else {
      process.standardOutput = pipe
    }
    let t0 = clock.now
    try process.run()
    if sink != "/dev/null" {
      _ = try pipe.fileHandleForReading.readToEnd()
    }
    process.waitUntilExit()
    let seconds =
      Double((clock.now - t0).components.seconds) + Double((clock.now - t0).components.attoseconds)
      / 1e18
    return (Double(lines) / seconds, (childCPU() - cpuBefore) * 1e6 / Double(lines))
  }

  static func peakMemory(_ binary: URL, _ args: [String], input: URL) throws -> Int {
    let process = Process()
    process.executableURL = binary
    process.arguments = args
    process.standardInput = try FileHandle(forReadingFrom: input)
    process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    try process.run()
    process.waitUntilExit()
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    return usage.ru_maxrss
  }

  static func micro(_ d: Duration) -> String {
    let us = Double(d.components.attoseconds) / 1e12 + Double(d.components.seconds) * 1e6
    return String(format: "%.1f us", us)
  }

  static func milli(_ d: Duration) -> String {
    let ms = Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1e3
    return String(format: "%.1f ms", ms)
  }
}

/// A tiny seeded generator so the benchmark mix is the same on every run.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
