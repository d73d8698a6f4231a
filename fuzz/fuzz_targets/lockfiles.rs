#![no_main]
//! Every lockfile and manifest parser not covered by `js_manifests`: the first byte picks
//! the file (by the name its analyzer reads it under), the rest is its content.

use drydock_inventory::{
    Analyzer, BunLockAnalyzer, CargoLockAnalyzer, ComposerAnalyzer, ConanLockAnalyzer,
    CondaEnvironmentAnalyzer, CondaMetaAnalyzer, ContentManifestAnalyzer, DotnetDepsAnalyzer, GemfileLockAnalyzer,
    GemspecAnalyzer, GoModAnalyzer, GradleLockAnalyzer, JuliaManifestAnalyzer, MixLockAnalyzer,
    NugetConfigAnalyzer, NugetLockAnalyzer, OpkgAnalyzer, OsReleaseAnalyzer,
    PodfileLockAnalyzer, PomAnalyzer, PubspecLockAnalyzer, PythonLockAnalyzer, SbtLockAnalyzer,
    SwiftResolvedAnalyzer,
};
use libfuzzer_sys::fuzz_target;

const FILES: &[(&dyn Analyzer, &str)] = &[
    (&CargoLockAnalyzer, "app/Cargo.lock"),
    (&GoModAnalyzer, "app/go.mod"),
    (&ComposerAnalyzer, "app/composer.lock"),
    (&PythonLockAnalyzer, "app/poetry.lock"),
    (&PythonLockAnalyzer, "app/uv.lock"),
    (&PythonLockAnalyzer, "app/Pipfile.lock"),
    (&PythonLockAnalyzer, "app/pdm.lock"),
    (&PythonLockAnalyzer, "app/requirements.txt"),
    (&PythonLockAnalyzer, "app/pylock.toml"),
    (&GemfileLockAnalyzer, "app/Gemfile.lock"),
    (&GemspecAnalyzer, "usr/local/bundle/specifications/x-1.0.gemspec"),
    (&GradleLockAnalyzer, "app/gradle.lockfile"),
    (&PomAnalyzer, "app/pom.xml"),
    (&SbtLockAnalyzer, "app/build.sbt.lock"),
    (&PodfileLockAnalyzer, "app/Podfile.lock"),
    (&PubspecLockAnalyzer, "app/pubspec.lock"),
    (&SwiftResolvedAnalyzer, "app/Package.resolved"),
    (&ConanLockAnalyzer, "app/conan.lock"),
    (&JuliaManifestAnalyzer, "app/Manifest.toml"),
    (&MixLockAnalyzer, "app/mix.lock"),
    (&NugetLockAnalyzer, "app/packages.lock.json"),
    (&DotnetDepsAnalyzer, "app/app.deps.json"),
    (&NugetConfigAnalyzer, "app/packages.config"),
    (&BunLockAnalyzer, "app/bun.lock"),
    (&CondaMetaAnalyzer, "opt/conda/conda-meta/x-1.0-0.json"),
    (&CondaEnvironmentAnalyzer, "app/environment.yml"),
    (&OpkgAnalyzer, "usr/lib/opkg/status"),
    (&OsReleaseAnalyzer, "etc/os-release"),
    (&ContentManifestAnalyzer, "root/buildinfo/content_manifests/ubi9.json"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, content)) = data.split_first() else {
        return;
    };
    let (analyzer, path) = FILES[usize::from(pick) % FILES.len()];
    drydock_fuzz::analyze(analyzer, path, content);
});
