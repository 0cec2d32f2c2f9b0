// swift-tools-version:6.0
import PackageDescription

// The layout follows the data flow: manifest -> desired model; state + server -> current model;
// planner -> plan; applier -> calls and state writes; renderers -> text/JSON. A module imports
// only what is below it in that flow. No third-party packages.
let package = Package(
    name: "evoform",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "evoform", targets: ["evoform"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(name: "EvoformCore", exclude: ["README.md"]),
        .target(name: "EvoformManifest", dependencies: ["EvoformCore"], exclude: ["README.md"]),
        .target(name: "EvoformState", dependencies: ["EvoformCore", "CSQLite"], exclude: ["README.md"]),
        // The system's OpenSSL loaded at run time: the client's TLS and the simulator's https.
        .target(name: "SystemOpenSSL", exclude: ["README.md"]),
        .target(name: "EvoformRemote", dependencies: ["EvoformCore", "SystemOpenSSL"], exclude: ["README.md"]),
        .target(name: "EvoformPlanner", dependencies: ["EvoformCore"], exclude: ["README.md"]),
        .target(name: "EvoformApplier", dependencies: ["EvoformCore", "EvoformPlanner", "EvoformState", "EvoformRemote"], exclude: ["README.md"]),
        .target(name: "EvoformRendering", dependencies: ["EvoformCore", "EvoformPlanner", "EvoformApplier"], exclude: ["README.md"]),
        .target(name: "EvolutionSimulator", dependencies: ["SystemOpenSSL"], exclude: ["README.md"]),
        .target(
            name: "EvoformCLI",
            dependencies: [
                "EvoformCore", "EvoformManifest", "EvoformState", "EvoformRemote",
                "EvoformPlanner", "EvoformApplier", "EvoformRendering", "EvolutionSimulator",
            ],
            exclude: ["README.md"]
        ),
        .executableTarget(name: "evoform", dependencies: ["EvoformCLI"]),
        // Test support: a child process that holds the state lock, writes in a loop to be killed, or
        // benchmarks recording. Not part of the product.
        .executableTarget(name: "evoform-state-probe", dependencies: ["EvoformState"], path: "Sources/StateProbe"),

        .testTarget(name: "EvoformCoreTests", dependencies: ["EvoformCore"]),
        .testTarget(name: "EvoformManifestTests", dependencies: ["EvoformManifest"]),
        .testTarget(name: "EvoformStateTests", dependencies: ["EvoformState", "evoform-state-probe"]),
        .testTarget(name: "EvoformRemoteTests", dependencies: ["EvoformRemote", "EvolutionSimulator"]),
        .testTarget(name: "EvoformPlannerTests", dependencies: ["EvoformPlanner"]),
        .testTarget(name: "EvoformApplierTests", dependencies: ["EvoformApplier", "EvolutionSimulator"]),
        .testTarget(name: "EvoformRenderingTests", dependencies: ["EvoformRendering"]),
        .testTarget(name: "EvolutionSimulatorTests", dependencies: ["EvolutionSimulator"]),
        .testTarget(name: "EvoformCLITests", dependencies: ["EvoformCLI", "EvoformState"]),
        .testTarget(name: "EndToEndTests", dependencies: ["EvoformCLI", "EvolutionSimulator", "evoform"]),
    ],
    swiftLanguageModes: [.v6]
)
