// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "backtalk",
  products: [
    .executable(name: "backtalk", targets: ["backtalk"]),
    // For the fuzz harness in Fuzz/, a package of its own that depends on this one by path.
    .library(name: "BacktalkCore", targets: ["BacktalkCore"]),
    .executable(name: "backtalk-web", targets: ["backtalk-web"]),
  ],
  // `swift build --traits Postgres` adds the PostgreSQL session store (PostgresNIO, which
  // brings swift-nio, swift-nio-ssl and swift-crypto: minutes of a first build). Off by
  // default so that `swift run backtalk` stays quick; SQLite is always in (README: Sessions
  // that survive restarts).
  traits: [
    .trait(
      name: "Postgres",
      description: "The PostgreSQL session store: serve --sessions postgres://...")
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    // The web front end only (see README: "backtalk in the browser" for why FlyingFox).
    .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    // The PostgreSQL session store, only with the Postgres trait.
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
  ],
  targets: [
    .target(
      name: "BacktalkCore",
      dependencies: [.product(name: "Yams", package: "Yams")],
      resources: [.copy("../../Intents"), .copy("../../Embeddings")],
      // Compiling the knowledge base trains two models (the matcher's regression and the
      // emergency classifier): unoptimised, that is seconds for every test process with a fresh
      // cache. The core is optimised in debug builds too; tests still run it with testing on.
      swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
    .target(name: "BacktalkReplay", dependencies: ["BacktalkCore"]),
    // SQLite through its C API, from the system (libsqlite3-dev): a few statements need no
    // Swift wrapper package (README: why not GRDB).
    .systemLibrary(
      name: "CSQLite", pkgConfig: "sqlite3",
      providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
    // The persistent session stores; the core only knows their protocol.
    .target(
      name: "BacktalkStores",
      dependencies: [
        "BacktalkCore", "CSQLite",
        .product(
          name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["Postgres"])),
      ]),
    .systemLibrary(
      name: "CReadline", pkgConfig: "readline",
      providers: [.apt(["libreadline-dev"]), .brew(["readline"])]),
    .executableTarget(
      name: "backtalk",
      dependencies: [
        "BacktalkCore", "BacktalkReplay", "BacktalkStores", "CReadline",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      // Front ends spawn the binary on demand: with the Swift runtime and Foundation linked
      // statically it starts in about 10 ms instead of about 19 ms of dynamic loading. Release
      // only: the debug test bundle links this module next to the dynamic runtime.
      swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))],
      linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]),
    // The browser front end lives in its own library and executable so that `backtalk` (the
    // REPL and `serve`, which front ends spawn per conversation) links no web server:
    // `backtalk web` execs `backtalk-web` from beside itself.
    .target(
      name: "BacktalkWeb",
      dependencies: ["BacktalkCore", .product(name: "FlyingFox", package: "FlyingFox")],
      resources: [.copy("Page")]),
    .executableTarget(
      name: "backtalk-web",
      dependencies: [
        "BacktalkWeb", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .testTarget(
      name: "BacktalkCoreTests", dependencies: ["BacktalkCore"],
      exclude: []),
    .testTarget(name: "BacktalkReplayTests", dependencies: ["BacktalkReplay"]),
    // The process tests' view of posix_spawn and pseudo-terminals (test-only, nothing to link).
    .systemLibrary(name: "CSpawn", path: "Tests/CSpawn"),
    // What two test targets share (a PostgreSQL server to test against); test targets cannot
    // depend on one another.
    .target(
      name: "BacktalkTestSupport", dependencies: ["BacktalkStores"],
      path: "Tests/BacktalkTestSupport"),
    .testTarget(
      name: "backtalkTests",
      dependencies: ["backtalk", "BacktalkCore", "BacktalkStores", "BacktalkTestSupport", "CSpawn"]),
    .testTarget(
      name: "BacktalkStoresTests", dependencies: ["BacktalkStores", "BacktalkTestSupport"]),
    .testTarget(name: "BacktalkWebTests", dependencies: ["BacktalkWeb", "backtalk-web"]),
  ]
)

for target in package.targets where target.type != .system {
  target.swiftSettings =
    (target.swiftSettings ?? []) + [
      .enableUpcomingFeature("ExistentialAny"),
      .enableUpcomingFeature("MemberImportVisibility"),
    ]
}
