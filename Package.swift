// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Keyhole",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "keyhole", targets: ["keyhole"]),
        .library(name: "AccessModel", targets: ["AccessModel"]),
        .library(name: "Governance", targets: ["Governance"]),
        .library(name: "SalesforceMetadata", targets: ["SalesforceMetadata"]),
        .library(name: "SOQL", targets: ["SOQL"]),
        .library(name: "RecordStore", targets: ["RecordStore"]),
        .library(name: "APIServer", targets: ["APIServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        .target(name: "AccessModel"),
        .target(name: "Governance", dependencies: ["AccessModel"]),
        .target(name: "SOQL", dependencies: ["AccessModel"]),
        .target(
            name: "SalesforceMetadata",
            dependencies: ["AccessModel", "Governance", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources")]
        ),
        .target(
            name: "RecordStore",
            dependencies: [
                "AccessModel", "SOQL", .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for binding bulk inserts without GRDB's per-value conversion.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "APIServer",
            dependencies: [
                "AccessModel", "Governance", "SalesforceMetadata", "SOQL", "RecordStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .executableTarget(
            name: "keyhole",
            dependencies: [
                "AccessModel", "Governance", "SalesforceMetadata", "SOQL", "RecordStore", "APIServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "AccessModelTests", dependencies: ["AccessModel", "Governance", "SalesforceMetadata"]),
        .testTarget(
            name: "GovernanceTests", dependencies: ["AccessModel", "Governance", "SalesforceMetadata"]),
        .testTarget(
            name: "SalesforceMetadataTests",
            dependencies: ["AccessModel", "Governance", "SalesforceMetadata"]),
        .testTarget(
            name: "RecordStoreTests",
            dependencies: ["AccessModel", "SOQL", "RecordStore", "SalesforceMetadata"]),
        .testTarget(
            name: "APIServerTests",
            dependencies: [
                "AccessModel", "SOQL", "RecordStore", "SalesforceMetadata", "APIServer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
        .testTarget(name: "SOQLTests", dependencies: ["AccessModel", "SOQL", "SalesforceMetadata"]),
        .testTarget(
            name: "KeyholeCLITests",
            dependencies: ["keyhole", "AccessModel", "Governance", "SalesforceMetadata"]),
    ]
)
