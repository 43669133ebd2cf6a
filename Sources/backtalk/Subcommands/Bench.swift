import ArgumentParser
import BacktalkCore

/// Placeholder replaced below.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Measure speed and memory (release build).")
  func run() throws {}
}
