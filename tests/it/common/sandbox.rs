//! The real binary in a folder of its own: no config file and no CAP_*
//! variables but those a test gives.

use std::path::PathBuf;
use std::process::{Command, Output};

pub struct Sandbox {
    pub dir: PathBuf,
}

impl Sandbox {
    pub fn new(name: &str) -> Sandbox {
        let dir = std::env::temp_dir().join(format!("te-cli-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Sandbox { dir }
    }

    pub fn log(&self) -> PathBuf {
        self.dir.join("log.txt")
    }

    /// The binary in the sandbox: its home, config and state folders, its
    /// log, and no CAP_* variable of the test's environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_target-events"));
        cmd.args(args).arg("--log-file").arg(self.log());
        cmd.env("HOME", &self.dir)
            .env("XDG_CONFIG_HOME", self.dir.join("config"))
            .env("XDG_STATE_HOME", self.dir.join("state"));
        for (k, _) in std::env::vars() {
            if k.starts_with("CAP_") {
                cmd.env_remove(k);
            }
        }
        cmd
    }

    /// The binary run to its end with no CAP_* variables but those given.
    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.command(args).envs(env.iter().copied()).output().unwrap()
    }

    /// The binary started against `base` with its output piped, to be
    /// signalled while it runs.
    pub fn spawn(&self, args: &[&str], base: &str) -> std::process::Child {
        self.command(args)
            .env("CAP_BASE_URL", base)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
