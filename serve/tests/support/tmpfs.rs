//! A small tmpfs for a test that needs a full or read-only disk (shared by the CLI and XML-RPC
//! tests).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A small tmpfs mounted for one test, unmounted when dropped; `None` where mounting is not
/// allowed (not root, or no such capability in a container).
pub struct Mounted(PathBuf);

impl Mounted {
    pub fn tmpfs(at: &Path, size: &str) -> Option<Mounted> {
        std::fs::create_dir_all(at).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
            .ok()?;
        mounted.status.success().then(|| Mounted(at.to_path_buf()))
    }

    #[allow(dead_code)]
    pub fn read_only(&self) {
        let status = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}
