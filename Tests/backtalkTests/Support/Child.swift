import CSpawn
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A child process of the tests, spawned with `posix_spawn`.
///
/// Every descriptor this process opens for a child is close-on-exec, so children spawned at the
/// same time never hold each other's pipes open. Every read has a deadline, and a watchdog
/// kills a child that outlives its time: a stuck child fails its test instead of hanging CI.
final class Child {
  /// How a child ended.
  struct Termination: Equatable, CustomStringConvertible {
    /// The exit status, or 128 + the signal that ended it (as a shell reports it).
    var status: Int32
    /// The signal that ended it, if one did.
    var signal: Int32?
    /// Whether the watchdog had to kill it.
    var timedOut: Bool

    var description: String {
      timedOut
        ? "killed after its time limit"
        : signal.map { "killed by signal \($0)" } ?? "exit \(status)"
    }
  }

  let pid: pid_t
  /// Where the child's stdin is written (-1 once closed, or when stdin is a file).
  private(set) var input: Int32
  /// Where its stdout (or its terminal's output) is read (-1 once closed).
  private(set) var output: Int32
  /// Where its stderr is read, when it is not the terminal.
  let errors: Int32?
  private let watchdog: Watchdog
  private var ended: Termination?

  /// What a child's standard streams are.
  enum Streams {
    /// stdin from a file, stdout and stderr to pipes.
    case inputFile(URL)
    /// stdin, stdout and stderr are pipes.
    case pipes
    /// stdin, stdout and stderr are a new pseudo-terminal, the child's controlling terminal.
    case terminal
  }

  private init(pid: pid_t, input: Int32, output: Int32, errors: Int32?, timeout: Duration) {
    self.pid = pid
    self.input = input
    self.output = output
    self.errors = errors
    watchdog = Watchdog(pid: pid, timeout: timeout)
  }

  deinit {
    if ended == nil {
      kill(pid, SIGKILL)
      _ = wait()
    }
    if input >= 0 { close(input) }
    if output >= 0 { close(output) }
    if let errors { close(errors) }
  }

  /// Starts `executable` with `arguments` in `directory`, with exactly `environment`.
  static func spawn(
    _ executable: URL, _ arguments: [String], environment: [String: String], directory: URL,
    streams: Streams, timeout: Duration
  ) throws -> Child {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // The test runner ignores SIGPIPE; a child starts with default signal handling.
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGPIPE)
    sigaddset(&defaults, SIGINT)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    var mask = sigset_t()
    sigemptyset(&mask)
    posix_spawnattr_setsigmask(&attributes, &mask)
    var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)

    var parentEnds: [Int32] = []
    var childEnds: [Int32] = []
    defer { for fd in childEnds { close(fd) } }
    func pipePair() throws -> (read: Int32, write: Int32) {
      var fds: [Int32] = [-1, -1]
      guard pipe2(&fds, O_CLOEXEC) == 0 else { throw ChildError("pipe2 failed: errno \(errno)") }
      return (fds[0], fds[1])
    }
    let input: Int32
    let output: Int32
    var errors: Int32?
    do {
      switch streams {
      case .inputFile(let file):
        input = -1
        posix_spawn_file_actions_addopen(&actions, 0, file.path, O_RDONLY, 0)
        let out = try pipePair()
        let err = try pipePair()
        parentEnds += [out.read, err.read]
        childEnds += [out.write, err.write]
        posix_spawn_file_actions_adddup2(&actions, out.write, 1)
        posix_spawn_file_actions_adddup2(&actions, err.write, 2)
        output = out.read
        errors = err.read
      case .pipes:
        let inp = try pipePair()
        let out = try pipePair()
        let err = try pipePair()
        parentEnds += [inp.write, out.read, err.read]
        childEnds += [inp.read, out.write, err.write]
        posix_spawn_file_actions_adddup2(&actions, inp.read, 0)
        posix_spawn_file_actions_adddup2(&actions, out.write, 1)
        posix_spawn_file_actions_adddup2(&actions, err.write, 2)
        input = inp.write
        output = out.read
        errors = err.read
      case .terminal:
        let master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0, grantpt(master) == 0, unlockpt(master) == 0 else {
          throw ChildError("cannot open a pseudo-terminal: errno \(errno)")
        }
        parentEnds.append(master)
        var name = [CChar](repeating: 0, count: 128)
        guard ptsname_r(master, &name, name.count) == 0 else {
          throw ChildError("ptsname_r failed: errno \(errno)")
        }
        // A new session, then opening the terminal makes it the controlling terminal, so
        // Ctrl-C typed on it sends SIGINT to the child as it would to a person's program.
        flags |= Int32(backtalk_spawn_setsid_flag())
        let path = String(
          decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        posix_spawn_file_actions_addopen(&actions, 0, path, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        input = master
        output = master
      }
    } catch {
      for fd in parentEnds { close(fd) }
      throw error
    }
    posix_spawn_file_actions_addchdir_np(&actions, directory.path)
    posix_spawnattr_setflags(&attributes, Int16(flags))

    let argv = ([executable.path] + arguments).map { strdup($0) }
    let envp = environment.map { strdup("\($0.key)=\($0.value)") }
    defer {
      for p in argv { free(p) }
      for p in envp { free(p) }
    }
    var pid: pid_t = 0
    let status = (argv + [nil]).withUnsafeBufferPointer { args in
      (envp + [nil]).withUnsafeBufferPointer { env in
        guard let args = args.baseAddress, let env = env.baseAddress else { return EINVAL }
        return posix_spawn(&pid, executable.path, &actions, &attributes, args, env)
      }
    }
    guard status == 0 else {
      for fd in parentEnds { close(fd) }
      throw ChildError("cannot start \(executable.path): error \(status)")
    }
    if case .terminal = streams {
      return Child(pid: pid, input: dup(input), output: output, errors: nil, timeout: timeout)
    }
    return Child(pid: pid, input: input, output: output, errors: errors, timeout: timeout)
  }

  /// Writes all of `bytes` to the child's stdin; false if it has gone away.
  @discardableResult
  func write(_ bytes: [UInt8]) -> Bool {
    guard input >= 0 else { return false }
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes {
        Glibc.write(input, $0.baseAddress.map { $0 + offset }, bytes.count - offset)
      }
      if n < 0 {
        if errno == EINTR { continue }
        return false
      }
      offset += n
    }
    return true
  }

  /// Writes text to the child's stdin.
  @discardableResult
  func write(_ text: String) -> Bool { write(Array(text.utf8)) }

  /// Closes the child's stdin (end of input).
  func closeInput() {
    if input >= 0 { close(input) }
    input = -1
  }

  /// Closes the reading end of the child's stdout (a reader that went away).
  func closeOutput() {
    if output >= 0 { close(output) }
    output = -1
  }

  /// Reads what is available from `fd` until `deadline`; nil at end of file, [] at the deadline.
  private func readSome(_ fd: Int32, until deadline: ContinuousClock.Instant) -> [UInt8]? {
    while true {
      let left = deadline - .now
      guard left > .zero else { return [] }
      var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let ready = poll(&entry, 1, Int32(min(left / .milliseconds(1), 60_000)) + 1)
      if ready < 0 && errno == EINTR { continue }
      if ready <= 0 { continue }
      var buffer = [UInt8](repeating: 0, count: 65_536)
      let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
      // A terminal whose other side has closed reads as EIO: that is its end of file.
      if n <= 0 { return nil }
      return Array(buffer[..<n])
    }
  }

  /// Reads the output until `done` holds for everything read so far, the output ends or
  /// `timeout` passes (then the child is killed and an issue recorded).
  func read(
    until done: (String) -> Bool, timeout: Duration = .seconds(30),
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> String {
    let deadline = ContinuousClock.now + timeout
    var received: [UInt8] = []
    while !done(String(decoding: received, as: UTF8.self)) {
      guard let chunk = readSome(output, until: deadline) else { break }
      if chunk.isEmpty {
        Issue.record(
          "no expected output within \(timeout); got: \(String(decoding: received, as: UTF8.self))",
          sourceLocation: sourceLocation)
        kill(pid, SIGKILL)
        break
      }
      received += chunk
    }
    return String(decoding: received, as: UTF8.self)
  }

  /// Reads stdout and stderr to their end (the watchdog bounds how long that takes).
  func readToEnd() -> (stdout: [UInt8], stderr: [UInt8]) {
    var out: [UInt8] = []
    var err: [UInt8] = []
    var open = ([output] + (errors.map { [$0] } ?? [])).filter { $0 >= 0 }
    while !open.isEmpty {
      var entries = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
      let ready = poll(&entries, nfds_t(entries.count), -1)
      if ready < 0 {
        if errno == EINTR { continue }
        break
      }
      for entry in entries where entry.revents != 0 {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(entry.fd, $0.baseAddress, $0.count) }
        if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
        if n <= 0 {
          open.removeAll { $0 == entry.fd }
        } else if entry.fd == output {
          out += buffer[..<n]
        } else {
          err += buffer[..<n]
        }
      }
    }
    return (out, err)
  }

  /// Waits for the child to end (the watchdog bounds how long) and reaps it.
  func wait() -> Termination {
    if let ended { return ended }
    // Wait without reaping, stop the watchdog, then reap: the watchdog can never kill a
    // process that reused the pid.
    var info = siginfo_t()
    while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
    let timedOut = watchdog.stop()
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let signal = status & 0x7F
    let result =
      signal == 0
      ? Termination(status: (status >> 8) & 0xFF, signal: nil, timedOut: timedOut)
      : Termination(status: 128 + signal, signal: signal, timedOut: timedOut)
    ended = result
    return result
  }
}

/// Kills a child process that outlives its time.
///
/// `@unchecked Sendable`: its two flags are only read and written under `lock`, from the test
/// and from the one timer closure.
final class Watchdog: @unchecked Sendable {
  private let lock = NSLock()
  private var isStopped = false
  private var hasFired = false

  init(pid: pid_t, timeout: Duration) {
    let seconds =
      Double(timeout.components.seconds)
      + Double(timeout.components.attoseconds) / 1e18
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
      lock.withLock {
        guard !isStopped else { return }
        hasFired = true
        kill(pid, SIGKILL)
      }
    }
  }

  /// Disarms the watchdog (call before reaping the child); true if it had killed the child.
  func stop() -> Bool {
    lock.withLock {
      isStopped = true
      return hasFired
    }
  }
}

/// A child that could not be started.
struct ChildError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
