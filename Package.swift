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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
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
        .executableTarget(
            name: "keyhole",
            dependencies: [
                "AccessModel", "Governance", "SalesforceMetadata",
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
        .testTarget(name: "SOQLTests", dependencies: ["AccessModel", "SOQL", "SalesforceMetadata"]),
        .testTarget(
            name: "KeyholeCLITests",
            dependencies: ["keyhole", "AccessModel", "Governance", "SalesforceMetadata"]),
    ]
)
