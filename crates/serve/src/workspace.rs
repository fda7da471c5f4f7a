//! The workspace: the one folder the server reads and writes.
//!
//! Every path the server touches is built here from fixed names and
//! checked components (no separator, no `..`, nothing hidden), and is
//! checked again after symbolic links are resolved, so that nothing a
//! request carries can name a file outside the folder given at start.

use crate::ServeError;
use std::path::{Path, PathBuf};

/// The workspace folder, resolved once at start.
#[derive(Clone, Debug)]
pub struct Workspace {
    root: PathBuf,
}

/// A path a request asked for that is not inside the workspace.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a name inside the workspace")]
pub struct OutsideWorkspace(pub String);

impl Workspace {
    /// Makes the folder if needed and resolves it.
    pub fn open(dir: &Path) -> Result<Workspace, ServeError> {
        let fail = |source| ServeError::Workspace {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(fail)?;
        let root = dir.canonicalize().map_err(fail)?;
        Ok(Workspace { root })
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path of `parts` inside the workspace, each part one plain name.
    pub fn path(&self, parts: &[&str]) -> Result<PathBuf, OutsideWorkspace> {
        let mut p = self.root.clone();
        for part in parts {
            if !plain(part) {
                return Err(OutsideWorkspace(parts.join("/")));
            }
            p.push(part);
        }
        // A symbolic link inside the workspace must not lead out of it.
        let mut existing = p.as_path();
        while !existing.exists() {
            match existing.parent() {
                Some(up) => existing = up,
                None => break,
            }
        }
        match existing.canonicalize() {
            Ok(real) if real.starts_with(&self.root) => Ok(p),
            _ => Err(OutsideWorkspace(parts.join("/"))),
        }
    }

    /// `path` relative to the workspace, for people.
    pub fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// A new folder for one start of the server, `serve-N` with the first
    /// unused N (claimed by creating it, so two servers never share one).
    pub fn session(&self) -> Result<PathBuf, ServeError> {
        for n in 1..=u32::MAX {
            let p = self.root.join(format!("serve-{n}"));
            match std::fs::create_dir(&p) {
                Ok(()) => return Ok(p),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(source) => {
                    return Err(ServeError::Workspace { path: p, source });
                }
            }
        }
        Err(ServeError::BadInput(format!(
            "the workspace {} holds every serve-N folder there can be; give another --workspace",
            self.root.display()
        )))
    }
}

/// Whether `part` is one plain file name: not empty, no separator, not
/// `.`/`..` or hidden, no control character.
fn plain(part: &str) -> bool {
    !part.is_empty()
        && !part.starts_with('.')
        && !part
            .chars()
            .any(|c| matches!(c, '/' | '\\' | ':') || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("patronfall-serve-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn only_plain_names_inside_the_workspace_make_paths() {
        let dir = temp("paths");
        let w = Workspace::open(&dir).unwrap();
        assert!(w.path(&["serve-1", "what-if-2", "scenario.toml"]).is_ok());
        for bad in [
            "..", ".", "", "../etc", "a/b", "a\\b", "c:x", ".hidden", "x\0y",
        ] {
            assert!(w.path(&["serve-1", bad]).is_err(), "{bad:?} is refused");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(std::env::temp_dir(), w.root().join("out")).unwrap();
            assert!(w.path(&["out", "x"]).is_err(), "a link out is refused");
        }
        let s1 = w.session().unwrap();
        let s2 = w.session().unwrap();
        assert_ne!(s1, s2);
        assert_eq!(w.relative(&s1), "serve-1");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
