// swift-tools-version: 6.0
import PackageDescription

// The libFuzzer harness, a package of its own so that the project's `swift build` and
// `swift test` never build it: it needs `-sanitize=fuzzer,address` (see run.sh).
let package = Package(
  name: "BacktalkFuzz",
  dependencies: [.package(name: "backtalk", path: "..")],
  targets: [
    .systemLibrary(name: "CLibFuzzer"),
    .executableTarget(
      name: "BacktalkFuzz",
      dependencies: ["CLibFuzzer", .product(name: "BacktalkCore", package: "backtalk")]),
  ]
)
