//! `patronfall export`: a results directory in other tools' formats.
//!
//! `export ema DIR OUT` writes the EMA Workbench's `save_results` archive (a
//! gzip-compressed tar of CSV files; layout in `patronfall_results::ema`), so
//! `ema_workbench.load_results(OUT)` returns the experiments and outcomes. The
//! archive is byte-for-byte reproducible: members carry mode 0644, owner 0
//! and time 0, and the gzip header has no time stamp. It is written to a
//! temporary file and renamed into place.

use crate::failure::{CommandResult, Failure};
use crate::output::outln;
use flate2::{Compression, GzBuilder};
use patronfall_results::ema::{self, Member};
use std::path::{Path, PathBuf};

/// Arguments of `patronfall export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    format: Format,
}

#[derive(Debug, clap::Subcommand)]
enum Format {
    /// The EMA Workbench's results archive (.tar.gz) for `ema_workbench.load_results`.
    Ema {
        /// Results directory written by `patronfall ensemble`.
        dir: PathBuf,
        /// The archive to write (conventionally ending in .tar.gz).
        out: PathBuf,
        /// Overwrite OUT if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// Runs the command.
pub fn run(args: Args) -> CommandResult {
    match args.format {
        Format::Ema { dir, out, force } => export_ema(&dir, &out, force),
    }
}

fn export_ema(dir: &Path, out: &Path, force: bool) -> CommandResult {
    if out.exists() && !force {
        return Err(Failure::bad_input(format!(
            "{} exists; choose another name or pass --force to overwrite it",
            out.display()
        )));
    }
    let export = ema::members(dir)?;
    let bytes = pack(&export.members)
        .map_err(|e| Failure::failed(format!("cannot pack {}: {e}", out.display())))?;
    patronfall_results::write_atomic(out, &bytes)
        .map_err(|e| Failure::failed(format!("cannot write {}: {e}", out.display())))?;
    outln!(
        "wrote {}: {} experiments, {} outcomes (load it with ema_workbench.load_results)",
        out.display(),
        export.experiments,
        export.outcomes.len()
    );
    Ok(())
}

/// Packs the members into a reproducible `.tar.gz` held in memory.
fn pack(members: &[Member]) -> std::io::Result<Vec<u8>> {
    let gz = GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), Compression::default());
    let mut tar = tar::Builder::new(gz);
    for m in members {
        let mut header = tar::Header::new_ustar();
        header.set_path(&m.name)?;
        header.set_size(m.bytes.len() as u64);
        header.set_mode(0o644);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(0);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        tar.append(&header, m.bytes.as_slice())?;
    }
    tar.into_inner()?.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn packs_members_that_read_back() {
        let members = vec![
            Member {
                name: "experiments.csv".into(),
                bytes: b"a,policy\n1,x\n".to_vec(),
            },
            Member {
                name: "outcomes metadata.csv".into(),
                bytes: b"y,(1,)".to_vec(),
            },
        ];
        let bytes = pack(&members).unwrap();
        assert_eq!(bytes, pack(&members).unwrap(), "packing is reproducible");
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
        let mut seen = Vec::new();
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            let name = entry.path().unwrap().to_string_lossy().into_owned();
            let mut body = Vec::new();
            entry.read_to_end(&mut body).unwrap();
            assert_eq!(entry.header().mtime().unwrap(), 0);
            seen.push(Member { name, bytes: body });
        }
        assert_eq!(seen, members);
    }
}
