//! Stamps the binary with the commit it was built from, for `--version`.
use std::process::Command;

fn main() {
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown commit".into());
    println!("cargo:rustc-env=TARGET_EVENTS_COMMIT={commit}");
    // Rebuilt when HEAD moves: a checkout changes .git/HEAD, a commit the
    // branch's ref (or packed-refs).
    let head = std::fs::read_to_string(".git/HEAD").unwrap_or_default();
    let mut watched = vec![".git/HEAD".to_string(), ".git/packed-refs".to_string()];
    if let Some(branch) = head.trim().strip_prefix("ref: ") {
        watched.push(format!(".git/{branch}"));
    }
    for path in watched.iter().filter(|p| std::path::Path::new(p).exists()) {
        println!("cargo:rerun-if-changed={path}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
